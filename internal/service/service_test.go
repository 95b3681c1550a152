package service_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
	"expodesk/internal/mail"
	"expodesk/internal/password"
	"expodesk/internal/postgres"
	"expodesk/internal/service"
	"expodesk/internal/testdb"

	"github.com/jackc/pgx/v5/pgxpool"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// world is a small fixture: a pavilion with one company in it, one company
// outside it, and an account for each role.
type world struct {
	svc                       *service.Service
	store                     *postgres.Store
	pool                      *pgxpool.Pool
	pavilion                  expodesk.Pavilion
	inside, outside           expodesk.Exhibitor
	organizer, coordinator    expodesk.User
	exhibitorIn, exhibitorOut expodesk.User
	colleague                 expodesk.User
}

func newWorld(t *testing.T) world {
	t.Helper()
	ctx := context.Background()
	store, pool := testdb.Store(t, time.Now)
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	w := world{store: store, pool: pool, svc: service.New(service.Config{BaseURL: "https://expo.example.org"}, service.Deps{
		Store: store, Mail: mail.NewComposer(catalog), Passwords: password.NewHasher(password.Config{})})}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	expo, err := store.ExpoCreate(ctx, expodesk.Expo{Slug: "iotswc-svc", Name: expodesk.Text{EN: "IOTSWC"}, City: expodesk.Text{EN: "Barcelona"}, Country: "ES",
		TimeZone: "Europe/Madrid", FirstDay: time.Date(2027, 5, 11, 0, 0, 0, 0, time.UTC), LastDay: time.Date(2027, 5, 13, 0, 0, 0, 0, time.UTC)})
	must(err)
	w.pavilion, err = store.PavilionCreate(ctx, expodesk.Pavilion{ExpoID: expo.ID, Slug: "wuxi-pavilion", Name: expodesk.Text{EN: "Wuxi Pavilion"}})
	must(err)
	w.inside, err = store.ExhibitorCreate(ctx, expodesk.Exhibitor{Slug: "inside", LegalName: "Inside Ltd", Name: expodesk.Text{EN: "Inside"}, Country: "CN"}, nil)
	must(err)
	w.outside, err = store.ExhibitorCreate(ctx, expodesk.Exhibitor{Slug: "outside", LegalName: "Outside SL", Name: expodesk.Text{ES: "Fuera"}, Country: "ES"}, nil)
	must(err)
	_, err = store.ParticipationCreate(ctx, expodesk.Participation{ExpoID: expo.ID, ExhibitorID: w.inside.ID, PavilionID: &w.pavilion.ID, Status: expodesk.StatusApproved})
	must(err)
	_, err = store.ParticipationCreate(ctx, expodesk.Participation{ExpoID: expo.ID, ExhibitorID: w.outside.ID, Status: expodesk.StatusApproved})
	must(err)
	hash, err := password.NewHasher(password.Config{}).Hash(ctx, "lantern harbour quietly 7")
	must(err)
	user := func(email string, role expodesk.Role, pavilion, company *int64) expodesk.User {
		u, err := store.UserCreate(ctx, expodesk.User{Email: email, Role: role, PavilionID: pavilion, ExhibitorID: company,
			PersonName: expodesk.PersonName{FamilyName: "Test"}, PasswordHash: hash})
		must(err)
		return u
	}
	w.organizer = user("org@example.org", expodesk.RoleOrganizer, nil, nil)
	w.coordinator = user("coord@example.org", expodesk.RoleOrganizer, &w.pavilion.ID, nil)
	w.exhibitorIn = user("in@example.com", expodesk.RoleExhibitor, nil, &w.inside.ID)
	w.colleague = user("colleague@example.com", expodesk.RoleExhibitor, nil, &w.inside.ID)
	w.exhibitorOut = user("out@example.es", expodesk.RoleExhibitor, nil, &w.outside.ID)
	return w
}

func (w world) as(u expodesk.User) service.Caller {
	var expoID int64
	if u.PavilionID != nil {
		expoID = w.pavilion.ExpoID
	}
	return service.Caller{Principal: expodesk.PrincipalOf(u, expoID), User: u, ClientIP: "192.0.2.1", RequestID: "req-1"}
}

// counts returns the rows of the tables a write path touches.
func (w world) counts(t *testing.T) [4]int {
	t.Helper()
	var c [4]int
	for i, table := range []string{"app_user", "user_token", "mail_message", "audit_entry"} {
		if err := w.pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&c[i]); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func invitation(kind expodesk.InvitationKind, email string) service.Invitation {
	return service.Invitation{Kind: kind, Email: email, Name: expodesk.PersonName{FamilyName: "王", GivenName: "伟"}, Lang: expodesk.ZH}
}

// TestInvite checks the permission rule, validation and the one
// transaction of an invitation, caller by caller.
func TestInvite(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		before := w.counts(t)
		inv := invitation(expodesk.InviteCoordinator, "new.coordinator@example.org")
		inv.PavilionID = w.pavilion.ID
		u, err := w.svc.Invite(ctx, w.as(w.organizer), inv)
		if err != nil {
			t.Fatal(err)
		}
		if u.PavilionID == nil || *u.PavilionID != w.pavilion.ID || u.Role != expodesk.RoleOrganizer {
			t.Errorf("created %+v", u)
		}
		after := w.counts(t)
		if after != [4]int{before[0] + 1, before[1] + 1, before[2] + 1, before[3] + 1} {
			t.Errorf("rows (users, tokens, mail, audit) %v → %v, want one more of each", before, after)
		}
	})
	for _, tc := range []struct {
		name   string
		caller service.Caller
		inv    service.Invitation
		want   error
		field  string
	}{
		{"ErrUnauthorizedVisitor", service.Caller{}, invitation(expodesk.InviteExhibitor, "a@example.com"), nil, ""},
		{"ForbiddenExhibitorInvitesOrganizer", w.as(w.exhibitorIn), invitation(expodesk.InviteOrganizer, "b@example.com"), expodesk.ErrForbidden, ""},
		{"ForbiddenCoordinatorInvitesCoordinator", w.as(w.coordinator), invitation(expodesk.InviteCoordinator, "c@example.com"), expodesk.ErrForbidden, ""},
		{"CoordinatorOtherPavilionsCompany", w.as(w.coordinator), func() service.Invitation {
			i := invitation(expodesk.InviteExhibitor, "d@example.com")
			i.ExhibitorID = w.outside.ID
			return i
		}(), nil, "exhibitor"},
		{"ErrEmailTaken", w.as(w.organizer), func() service.Invitation {
			i := invitation(expodesk.InviteExhibitor, "IN@example.com")
			i.ExhibitorID = w.inside.ID
			return i
		}(), expodesk.ErrEmailTaken, ""},
		{"InvalidEmailAndName", w.as(w.organizer), service.Invitation{Kind: expodesk.InviteOrganizer, Email: "not an email"}, nil, "email"},
		{"UnknownKind", w.as(w.organizer), invitation("overlord", "e@example.com"), nil, "kind"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := w.counts(t)
			_, err := w.svc.Invite(ctx, tc.caller, tc.inv)
			switch {
			case err == nil:
				t.Fatal("invited")
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Fatalf("err = %v, want %v", err, tc.want)
			case tc.field != "" && expodesk.ErrorOf(err).Problems[tc.field].Key == "":
				t.Fatalf("err = %v, want a problem on %s", err, tc.field)
			}
			after := w.counts(t)
			// A refusal writes its audit entry and nothing else.
			if after[0] != before[0] || after[1] != before[1] || after[2] != before[2] {
				t.Errorf("rows (users, tokens, mail, audit) %v → %v: a refused invitation wrote", before, after)
			}
		})
	}
	t.Run("ExhibitorInvitesToOwnCompanyWhateverTheFormSays", func(t *testing.T) {
		inv := invitation(expodesk.InviteExhibitor, "forged@example.com")
		inv.ExhibitorID = w.outside.ID
		u, err := w.svc.Invite(ctx, w.as(w.exhibitorIn), inv)
		if err != nil {
			t.Fatal(err)
		}
		if u.ExhibitorID == nil || *u.ExhibitorID != w.inside.ID {
			t.Errorf("invited to company %v, want the inviter's own %d", u.ExhibitorID, w.inside.ID)
		}
	})
}

// TestWriteIsOneTransaction makes the outbox refuse the message: the account,
// its token and its audit entry must not be written either.
func TestWriteIsOneTransaction(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	pool := w.pool
	if _, err := pool.Exec(ctx, `CREATE FUNCTION refuse_mail() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'outbox unavailable'; END $$;
		CREATE TRIGGER refuse_mail BEFORE INSERT ON mail_message FOR EACH ROW EXECUTE FUNCTION refuse_mail();`); err != nil {
		t.Fatal(err)
	}
	before := w.counts(t)
	inv := invitation(expodesk.InviteExhibitor, "atomic@example.com")
	inv.ExhibitorID = w.inside.ID
	if _, err := w.svc.Invite(ctx, w.as(w.organizer), inv); err == nil {
		t.Fatal("invited although the outbox refused the mail")
	}
	if _, err := w.svc.ChangePassword(ctx, w.as(w.exhibitorIn), "wrong", service.NewPassword{}); err == nil {
		t.Fatal("changed a password with a wrong current one")
	}
	after := w.counts(t)
	// The wrong password is audited on its own; nothing of the invitation is.
	if after[0] != before[0] || after[1] != before[1] || after[2] != before[2] || after[3] != before[3]+1 {
		t.Errorf("rows (users, tokens, mail, audit) %v → %v", before, after)
	}
}

// TestManageUsers checks who may disable and remove whom.
func TestManageUsers(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		caller expodesk.User
		target expodesk.User
		want   error
	}{
		{"ErrNotYourself", w.organizer, w.organizer, expodesk.ErrNotYourself},
		{"ForbiddenOtherCompany", w.exhibitorOut, w.colleague, expodesk.ErrNotFound},
		{"ForbiddenCoordinatorOnOrganizer", w.coordinator, w.organizer, expodesk.ErrNotFound},
		{"ForbiddenCoordinatorOutsidePavilion", w.coordinator, w.exhibitorOut, expodesk.ErrNotFound},
		{"ForbiddenExhibitorOnOrganizer", w.exhibitorIn, w.coordinator, expodesk.ErrNotFound},
		{"UnknownUser", w.organizer, expodesk.User{ID: 999999}, expodesk.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := w.svc.SetUserDisabled(ctx, w.as(tc.caller), tc.target.ID, true); !errors.Is(err, tc.want) {
				t.Errorf("disable: %v, want %v", err, tc.want)
			}
			if err := w.svc.RemoveUser(ctx, w.as(tc.caller), tc.target.ID); !errors.Is(err, tc.want) {
				t.Errorf("remove: %v, want %v", err, tc.want)
			}
			if tc.target.ID != 999999 {
				if u, err := w.store.UserGet(ctx, tc.target.ID); err != nil || u.DisabledAt != nil {
					t.Errorf("the target changed: %v, %v", u.DisabledAt, err)
				}
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		u, err := w.svc.SetUserDisabled(ctx, w.as(w.coordinator), w.colleague.ID, true)
		if err != nil || u.DisabledAt == nil || u.SessionVersion == w.colleague.SessionVersion {
			t.Fatalf("coordinator disables a team member of their pavilion: %v, %+v", err, u)
		}
		if err := w.svc.RemoveUser(ctx, w.as(w.exhibitorIn), w.colleague.ID); err != nil {
			t.Fatalf("a colleague removes a colleague: %v", err)
		}
		if _, err := w.store.UserGet(ctx, w.colleague.ID); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("removed colleague: %v", err)
		}
	})
}

// TestChangePasswordChangedMeanwhile: a change checked against a password
// that another session has just replaced is refused, not written last.
func TestChangePasswordChangedMeanwhile(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	stale := w.as(w.exhibitorIn)
	n := service.NewPassword{Password: "copper kettle evening 42", Confirm: "copper kettle evening 42"}
	if _, err := w.svc.ChangePassword(ctx, w.as(w.exhibitorIn), "lantern harbour quietly 7", n); err != nil {
		t.Fatal(err)
	}
	other := service.NewPassword{Password: "another river dawn 9", Confirm: "another river dawn 9"}
	if _, err := w.svc.ChangePassword(ctx, stale, "lantern harbour quietly 7", other); !errors.Is(err, expodesk.ErrPasswordChangedMeanwhile) {
		t.Errorf("a change checked against the old hash: %v, want ErrPasswordChangedMeanwhile", err)
	}
}
