package postgres_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/testdb"
)

// accountsT0 is the accounts tests' clock start; whole seconds, so that
// PostgreSQL's microsecond timestamps give back the same instants.
var accountsT0 = time.Date(2027, 5, 3, 9, 0, 0, 0, time.UTC)

// clock is a clock a test moves by hand, for expiries and windows.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// accountsWorld is a store over a fresh database with an expo, two
// pavilions and companies in every relation to the Wuxi Pavilion: approved,
// invited and rejected in it, in no pavilion, and in the other pavilion.
type accountsWorld struct {
	*visitorStore
	clock                                      *clock
	expo                                       expodesk.Expo
	wuxi, euro                                 expodesk.Pavilion
	sensing, invited, rejected, cloud, euroCoI expodesk.Exhibitor
}

func newAccountsWorld(t *testing.T) accountsWorld {
	t.Helper()
	c := &clock{now: accountsT0}
	s, pool := testdb.Store(t, c.Now)
	v := &visitorStore{t: t, ctx: context.Background(), s: s, pool: pool}
	w := accountsWorld{visitorStore: v, clock: c, expo: v.expo("iotswc-2027")}
	w.wuxi = v.pavilion(w.expo.ID, "wuxi")
	w.euro = v.pavilion(w.expo.ID, "europe")
	company := func(slug string, pavilion *int64, status expodesk.ParticipationStatus) expodesk.Exhibitor {
		x := v.exhibitor(expodesk.Exhibitor{Slug: slug})
		v.join(w.expo.ID, x.ID, pavilion, status)
		return x
	}
	w.sensing = company("taihu-sensing", &w.wuxi.ID, expodesk.StatusApproved)
	w.invited = company("lake-invited", &w.wuxi.ID, expodesk.StatusInvited)
	w.rejected = company("lake-rejected", &w.wuxi.ID, expodesk.StatusRejected)
	w.cloud = company("nube-catalana", nil, expodesk.StatusApproved)
	w.euroCoI = company("euro-iot", &w.euro.ID, expodesk.StatusApproved)
	return w
}

// member creates a team member of the exhibitor.
func (w accountsWorld) member(email string, exhibitorID int64) expodesk.User {
	w.t.Helper()
	u, err := w.s.UserCreate(w.ctx, expodesk.User{Email: email, Role: expodesk.RoleExhibitor, ExhibitorID: &exhibitorID,
		PersonName: expodesk.PersonName{FamilyName: "Member"}, PasswordHash: "hash-of-" + email})
	w.must(err)
	return u
}

// organizer creates an organizer: expo-wide when pavilion is nil, its coordinator otherwise.
func (w accountsWorld) organizer(email string, pavilion *int64) expodesk.User {
	w.t.Helper()
	u, err := w.s.UserCreate(w.ctx, expodesk.User{Email: email, Role: expodesk.RoleOrganizer, PavilionID: pavilion,
		PersonName: expodesk.PersonName{FamilyName: "Organizer"}, PasswordHash: "hash-of-" + email})
	w.must(err)
	return u
}

func (w accountsWorld) get(id int64) expodesk.User {
	w.t.Helper()
	u, err := w.s.UserGet(w.ctx, id)
	w.must(err)
	return u
}

func TestUserCreate(t *testing.T) {
	t.Parallel()
	w := newAccountsWorld(t)

	t.Run("OK", func(t *testing.T) {
		u, err := w.s.UserCreate(w.ctx, expodesk.User{Email: "Wang.Lei@Taihu.example.com", Role: expodesk.RoleExhibitor,
			ExhibitorID: &w.sensing.ID, PersonName: expodesk.PersonName{FamilyName: "王", GivenName: "磊"}, Lang: expodesk.ZH})
		if err != nil {
			t.Fatal(err)
		}
		if u.ID == 0 || u.Email != "Wang.Lei@Taihu.example.com" || u.Role != expodesk.RoleExhibitor ||
			u.ExhibitorID == nil || *u.ExhibitorID != w.sensing.ID || u.PavilionID != nil || u.Lang != expodesk.ZH {
			t.Errorf("created %+v", u)
		}
		// A family name in Chinese characters is written first; no password until the invitation is accepted.
		if u.NameOrder != expodesk.NameEastern || u.PasswordHash != "" || u.PasswordChangedAt != nil || u.SessionVersion != 1 {
			t.Errorf("created %+v: want eastern order, no password, session version 1", u)
		}
		if u.DisabledAt != nil || u.TOTPEnabledAt != nil || u.LastSignInAt != nil || u.CreatedAt.IsZero() {
			t.Errorf("created %+v", u)
		}
		if got := w.get(u.ID); !reflect.DeepEqual(got, u) {
			t.Errorf("UserGet = %#v, want %#v", got, u)
		}
	})
	t.Run("Defaults", func(t *testing.T) {
		u := w.organizer("marc@example.es", nil)
		if u.Lang != expodesk.EN || u.NameOrder != expodesk.NameWestern {
			t.Errorf("lang %s, order %s: want en, western", u.Lang, u.NameOrder)
		}
		if u.PasswordHash != "hash-of-marc@example.es" || u.PasswordChangedAt == nil {
			t.Errorf("created with a hash: %q, changed at %v", u.PasswordHash, u.PasswordChangedAt)
		}
	})
	t.Run("ErrEmailTaken", func(t *testing.T) {
		w.organizer("ana.garcia@example.es", nil)
		_, err := w.s.UserCreate(w.ctx, expodesk.User{Email: "ANA.Garcia@Example.ES", Role: expodesk.RoleOrganizer})
		if !errors.Is(err, expodesk.ErrEmailTaken) {
			t.Errorf("err = %v, want ErrEmailTaken (from the app_user_email index)", err)
		}
	})
	t.Run("ErrOrganizerInCompany", func(t *testing.T) {
		_, err := w.s.UserCreate(w.ctx, expodesk.User{Email: "mixed@example.es", Role: expodesk.RoleOrganizer, ExhibitorID: &w.cloud.ID})
		wantCode(t, err, expodesk.EINVALID)
	})
	t.Run("ErrUnknownCompany", func(t *testing.T) {
		unknown := int64(987654321)
		_, err := w.s.UserCreate(w.ctx, expodesk.User{Email: "ghost@example.es", Role: expodesk.RoleExhibitor, ExhibitorID: &unknown})
		wantCode(t, err, expodesk.EINVALID)
	})
}

func TestUserGet(t *testing.T) {
	t.Parallel()
	w := newAccountsWorld(t)
	u := w.member("Li.Na@Taihu.example.com", w.sensing.ID)

	t.Run("ByEmailIgnoringCase", func(t *testing.T) {
		for _, email := range []string{"Li.Na@Taihu.example.com", "li.na@taihu.example.com", "LI.NA@TAIHU.EXAMPLE.COM"} {
			got, err := w.s.UserGetByEmail(w.ctx, email)
			if err != nil || got.ID != u.ID {
				t.Errorf("UserGetByEmail(%q) = %d, %v; want %d", email, got.ID, err, u.ID)
			}
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := w.s.UserGetByEmail(w.ctx, "li.na@taihu.example")
		wantCode(t, err, expodesk.ENOTFOUND)
		_, err = w.s.UserGet(w.ctx, 987654321)
		wantCode(t, err, expodesk.ENOTFOUND)
	})
	t.Run("Principal", func(t *testing.T) {
		coord := w.organizer("coord@wuxi.example.cn", &w.wuxi.ID)
		_, p, err := w.s.UserPrincipal(w.ctx, coord.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := expodesk.Principal{UserID: coord.ID, Email: coord.Email, Role: expodesk.RoleOrganizer, PavilionID: w.wuxi.ID, ExpoID: w.expo.ID}
		if *p != want {
			t.Errorf("coordinator's principal = %+v, want %+v", *p, want)
		}
		_, p, err = w.s.UserPrincipal(w.ctx, u.ID)
		if err != nil || p.ExhibitorID != w.sensing.ID || p.PavilionID != 0 || p.ExpoID != 0 {
			t.Errorf("member's principal = %+v, %v", p, err)
		}
	})
}

func TestUserUpdate(t *testing.T) {
	t.Parallel()
	w := newAccountsWorld(t)

	t.Run("Profile", func(t *testing.T) {
		u := w.member("profile@taihu.example.com", w.sensing.ID)
		got, err := w.s.UserUpdateProfile(w.ctx, u.ID,
			expodesk.PersonName{FamilyName: "Tarragó", GivenName: "Marc", NameOrder: expodesk.NameWestern}, expodesk.ES)
		if err != nil {
			t.Fatal(err)
		}
		if got.FamilyName != "Tarragó" || got.GivenName != "Marc" || got.NameOrder != expodesk.NameWestern || got.Lang != expodesk.ES {
			t.Errorf("updated %+v", got)
		}
		// A name is not a privilege: sessions stay.
		if got.SessionVersion != u.SessionVersion || got.Email != u.Email || got.PasswordHash != u.PasswordHash {
			t.Errorf("updating the profile changed %+v into %+v", u, got)
		}
		if !reflect.DeepEqual(w.get(u.ID), got) {
			t.Error("UserGet does not return the updated profile")
		}
	})
	t.Run("ProfileErrNotFound", func(t *testing.T) {
		_, err := w.s.UserUpdateProfile(w.ctx, 987654321, expodesk.PersonName{FamilyName: "X"}, expodesk.EN)
		wantCode(t, err, expodesk.ENOTFOUND)
	})
	t.Run("ProfileErrBadLang", func(t *testing.T) {
		u := w.member("lang@taihu.example.com", w.sensing.ID)
		_, err := w.s.UserUpdateProfile(w.ctx, u.ID, expodesk.PersonName{FamilyName: "X"}, expodesk.Lang("fr"))
		wantCode(t, err, expodesk.EINVALID)
	})
	t.Run("SetPasswordBumpsSessionVersion", func(t *testing.T) {
		u, err := w.s.UserCreate(w.ctx, expodesk.User{Email: "invited@taihu.example.com", Role: expodesk.RoleExhibitor, ExhibitorID: &w.sensing.ID})
		w.must(err)
		got, err := w.s.UserSetPassword(w.ctx, u.ID, "new-hash")
		if err != nil {
			t.Fatal(err)
		}
		if got.PasswordHash != "new-hash" || got.PasswordChangedAt == nil || got.SessionVersion != u.SessionVersion+1 {
			t.Errorf("after setting the password: %+v (was session version %d)", got, u.SessionVersion)
		}
		again, err := w.s.UserSetPassword(w.ctx, u.ID, "newer-hash")
		if err != nil || again.SessionVersion != u.SessionVersion+2 {
			t.Errorf("second change: session version %d, %v; want %d", again.SessionVersion, err, u.SessionVersion+2)
		}
		_, err = w.s.UserSetPassword(w.ctx, 987654321, "hash")
		wantCode(t, err, expodesk.ENOTFOUND)
	})
	t.Run("UpgradeHash", func(t *testing.T) {
		u := w.member("upgrade@taihu.example.com", w.sensing.ID)
		// A password changed meanwhile is not overwritten by an upgrade of the old one.
		w.must(w.s.UserUpgradeHash(w.ctx, u.ID, "some-other-hash", "upgraded"))
		if got := w.get(u.ID); got.PasswordHash != u.PasswordHash {
			t.Errorf("upgrade from a stale hash replaced %q with %q", u.PasswordHash, got.PasswordHash)
		}
		w.must(w.s.UserUpgradeHash(w.ctx, u.ID, u.PasswordHash, "upgraded"))
		if got := w.get(u.ID); got.PasswordHash != "upgraded" || got.SessionVersion != u.SessionVersion {
			t.Errorf("after the upgrade: hash %q, session version %d (was %d)", got.PasswordHash, got.SessionVersion, u.SessionVersion)
		}
	})
	t.Run("RecordSignIn", func(t *testing.T) {
		u := w.member("signin@taihu.example.com", w.sensing.ID)
		w.must(w.s.UserRecordSignIn(w.ctx, u.ID))
		if got := w.get(u.ID); got.LastSignInAt == nil || !got.LastSignInAt.Equal(w.clock.Now()) {
			t.Errorf("last sign-in %v, want the clock's %v", got.LastSignInAt, w.clock.Now())
		}
	})
}

func TestUserSetDisabled(t *testing.T) {
	t.Parallel()
	w := newAccountsWorld(t)
	u := w.member("disable@taihu.example.com", w.sensing.ID)

	t.Run("Disable", func(t *testing.T) {
		got, err := w.s.UserSetDisabled(w.ctx, u.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if got.DisabledAt == nil || got.SessionVersion != u.SessionVersion+1 {
			t.Errorf("disabled: %+v", got)
		}
		// A disabled user acts for nobody.
		_, _, err = w.s.UserPrincipal(w.ctx, u.ID)
		wantCode(t, err, expodesk.ENOTFOUND)
		u = got
	})
	t.Run("DisableAgainKeepsTheDate", func(t *testing.T) {
		got, err := w.s.UserSetDisabled(w.ctx, u.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if got.DisabledAt == nil || !got.DisabledAt.Equal(*u.DisabledAt) {
			t.Errorf("disabled at %v, then %v: want the first date kept", u.DisabledAt, got.DisabledAt)
		}
		u = got
	})
	t.Run("Enable", func(t *testing.T) {
		got, err := w.s.UserSetDisabled(w.ctx, u.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if got.DisabledAt != nil || got.SessionVersion != u.SessionVersion+1 {
			t.Errorf("enabled: %+v", got)
		}
		if _, _, err := w.s.UserPrincipal(w.ctx, u.ID); err != nil {
			t.Errorf("enabled user's principal: %v", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := w.s.UserSetDisabled(w.ctx, 987654321, true)
		wantCode(t, err, expodesk.ENOTFOUND)
	})
}

func TestUserDelete(t *testing.T) {
	t.Parallel()
	w := newAccountsWorld(t)
	org := w.organizer("org@example.es", nil)
	u := w.member("leaving@taihu.example.com", w.sensing.ID)
	w.must(w.s.TokenCreate(w.ctx, expodesk.TokenPasswordReset, u.ID, nil, tokenHash("leaving"), time.Hour))
	w.must(w.s.RecoveryCodesReplace(w.ctx, u.ID, [][]byte{[]byte("code-1")}))
	w.must(w.s.AuditAdd(w.ctx, expodesk.AuditEntry{ActorID: &u.ID, ActorLabel: u.Email, Action: "auth.signin"}))
	// A token the leaving user created for someone else outlives them.
	w.must(w.s.TokenCreate(w.ctx, expodesk.TokenInvitation, org.ID, &u.ID, tokenHash("by-leaving"), time.Hour))

	t.Run("OK", func(t *testing.T) {
		w.must(w.s.UserDelete(w.ctx, u.ID))
		_, err := w.s.UserGet(w.ctx, u.ID)
		wantCode(t, err, expodesk.ENOTFOUND)
		_, err = w.s.TokenPeek(w.ctx, expodesk.TokenPasswordReset, tokenHash("leaving"))
		wantCode(t, err, expodesk.EGONE)
		if n, err := w.s.RecoveryCodesLeft(w.ctx, u.ID); err != nil || n != 0 {
			t.Errorf("recovery codes left: %d, %v", n, err)
		}
		if got, err := w.s.TokenPeek(w.ctx, expodesk.TokenInvitation, tokenHash("by-leaving")); err != nil || got.ID != org.ID {
			t.Errorf("the invitation the deleted user sent: %d, %v", got.ID, err)
		}
		// The audit log keeps the actor's label.
		rows, err := w.s.AuditList(w.ctx, expodesk.AuditFilter{ActorEmail: "leaving@"})
		if err != nil || len(rows) != 1 || rows[0].ActorID != nil || rows[0].ActorLabel != u.Email {
			t.Errorf("audit entries of the deleted user: %+v, %v", rows, err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		wantCode(t, w.s.UserDelete(w.ctx, u.ID), expodesk.ENOTFOUND)
	})
}

func TestUserList(t *testing.T) {
	t.Parallel()
	w := newAccountsWorld(t)
	org := w.organizer("zeta.org@example.es", nil)
	coord := w.organizer("coord@wuxi.example.cn", &w.wuxi.ID)
	euroCoord := w.organizer("coord@europe.example.org", &w.euro.ID)
	sensingA := w.member("a@taihu.example.com", w.sensing.ID)
	sensingB, err := w.s.UserCreate(w.ctx, expodesk.User{Email: "B.pending@taihu.example.com", Role: expodesk.RoleExhibitor, ExhibitorID: &w.sensing.ID})
	w.must(err)
	invited := w.member("member@lake-invited.example.cn", w.invited.ID)
	rejected := w.member("member@lake-rejected.example.cn", w.rejected.ID)
	cloud := w.member("member@nube.example.es", w.cloud.ID)
	euro := w.member("member@euro-iot.example.org", w.euroCoI.ID)

	emails := func(t *testing.T, f expodesk.UserFilter) []string {
		t.Helper()
		rows, err := w.s.UserList(w.ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, r.Email)
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		filter expodesk.UserFilter
		want   []expodesk.User
	}{
		// Organizers first, then by email ignoring case.
		{"All", expodesk.UserFilter{},
			[]expodesk.User{euroCoord, coord, org, sensingA, sensingB, euro, invited, rejected, cloud}},
		{"Company", expodesk.UserFilter{ExhibitorID: w.sensing.ID}, []expodesk.User{sensingA, sensingB}},
		{"CompanyWithoutTeam", expodesk.UserFilter{ExhibitorID: w.expo.ID + 1000}, nil},
		// A coordinator's scope: themselves and the teams of companies invited to,
		// applying for or approved in the pavilion; not rejected ones, not the other pavilion's.
		{"PavilionScope", expodesk.UserFilter{PavilionID: w.wuxi.ID}, []expodesk.User{coord, sensingA, sensingB, invited}},
		{"OtherPavilionScope", expodesk.UserFilter{PavilionID: w.euro.ID}, []expodesk.User{euroCoord, euro}},
		{"PavilionAndCompany", expodesk.UserFilter{PavilionID: w.wuxi.ID, ExhibitorID: w.cloud.ID}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want []string
			for _, u := range tc.want {
				want = append(want, u.Email)
			}
			if got := emails(t, tc.filter); !slices.Equal(got, want) {
				t.Errorf("UserList(%+v) =\n%v, want\n%v", tc.filter, got, want)
			}
		})
	}
	t.Run("Rows", func(t *testing.T) {
		rows, err := w.s.UserList(w.ctx, expodesk.UserFilter{ExhibitorID: w.sensing.ID})
		if err != nil || len(rows) != 2 {
			t.Fatalf("rows %+v, %v", rows, err)
		}
		if r := rows[0]; r.ExhibitorSlug != "taihu-sensing" || r.ExhibitorName.EN != "taihu-sensing" || r.Pending {
			t.Errorf("member row %+v", r)
		}
		if !rows[1].Pending {
			t.Errorf("a member without a password is pending: %+v", rows[1])
		}
		rows, err = w.s.UserList(w.ctx, expodesk.UserFilter{PavilionID: w.wuxi.ID})
		if err != nil || rows[0].ID != coord.ID || rows[0].PavilionName.EN != "Pavilion wuxi" || rows[0].ExhibitorSlug != "" {
			t.Errorf("coordinator row %+v, %v", rows[0], err)
		}
	})
	t.Run("InPavilion", func(t *testing.T) {
		for _, tc := range []struct {
			name     string
			x        expodesk.Exhibitor
			pavilion int64
			want     bool
		}{
			{"Approved", w.sensing, w.wuxi.ID, true},
			{"Invited", w.invited, w.wuxi.ID, true},
			{"Rejected", w.rejected, w.wuxi.ID, false},
			{"NoPavilion", w.cloud, w.wuxi.ID, false},
			{"OtherPavilion", w.euroCoI, w.wuxi.ID, false},
		} {
			got, err := w.s.ExhibitorInPavilion(w.ctx, tc.x.ID, tc.pavilion)
			if err != nil || got != tc.want {
				t.Errorf("%s: ExhibitorInPavilion = %v, %v; want %v", tc.name, got, err, tc.want)
			}
		}
	})
}

func TestUserTOTP(t *testing.T) {
	t.Parallel()
	w := newAccountsWorld(t)
	u := w.member("totp@taihu.example.com", w.sensing.ID)

	t.Run("UseStepNotEnrolled", func(t *testing.T) {
		// Sign-in checks the code first; the step guard alone accepts any first step.
		fresh := w.member("fresh@taihu.example.com", w.sensing.ID)
		if ok, err := w.s.UserUseTOTPStep(w.ctx, fresh.ID, 5); err != nil || !ok {
			t.Errorf("first step: %v, %v", ok, err)
		}
	})
	t.Run("Enable", func(t *testing.T) {
		w.must(w.s.UserEnableTOTP(w.ctx, u.ID, "SECRET1", 1000, codes("r1", "r2")))
		got := w.get(u.ID)
		if got.TOTPSecret != "SECRET1" || got.TOTPEnabledAt == nil || got.SessionVersion != u.SessionVersion+1 {
			t.Errorf("after enabling: %+v", got)
		}
		if n := w.codesLeft(u.ID); n != 2 {
			t.Errorf("%d recovery codes, want 2", n)
		}
		u = got
	})
	t.Run("UseStepRefusesReuse", func(t *testing.T) {
		// The step that confirmed the enrolment is spent.
		for _, step := range []int64{1000, 999, 1} {
			if ok, err := w.s.UserUseTOTPStep(w.ctx, u.ID, step); err != nil || ok {
				t.Errorf("step %d after step 1000: %v, %v; want false", step, ok, err)
			}
		}
		if ok, err := w.s.UserUseTOTPStep(w.ctx, u.ID, 1001); err != nil || !ok {
			t.Errorf("step 1001: %v, %v; want true", ok, err)
		}
		if ok, err := w.s.UserUseTOTPStep(w.ctx, u.ID, 1001); err != nil || ok {
			t.Errorf("step 1001 again: %v, %v; want false", ok, err)
		}
		// A later step is fine; the earlier one then is not.
		if ok, err := w.s.UserUseTOTPStep(w.ctx, u.ID, 1005); err != nil || !ok {
			t.Errorf("step 1005: %v, %v; want true", ok, err)
		}
		if ok, err := w.s.UserUseTOTPStep(w.ctx, u.ID, 1003); err != nil || ok {
			t.Errorf("step 1003 after 1005: %v, %v; want false", ok, err)
		}
	})
	t.Run("UseStepUnknownUser", func(t *testing.T) {
		if ok, err := w.s.UserUseTOTPStep(w.ctx, 987654321, 1); err != nil || ok {
			t.Errorf("unknown user: %v, %v; want false", ok, err)
		}
	})
	t.Run("ErrEnableWhenOn", func(t *testing.T) {
		err := w.s.UserEnableTOTP(w.ctx, u.ID, "ATTACKER", 2000, codes("x1"))
		wantCode(t, err, expodesk.ECONFLICT)
		got := w.get(u.ID)
		if got.TOTPSecret != "SECRET1" || got.SessionVersion != u.SessionVersion {
			t.Errorf("a refused enrolment changed the account: %+v", got)
		}
		if ok, err := w.s.RecoveryCodeUse(w.ctx, u.ID, tokenHash("x1")); err != nil || ok {
			t.Errorf("a refused enrolment stored its recovery codes: %v, %v", ok, err)
		}
		if n := w.codesLeft(u.ID); n != 2 {
			t.Errorf("a refused enrolment left %d recovery codes, want the 2 of before", n)
		}
	})
	t.Run("DisableThenEnable", func(t *testing.T) {
		w.must(w.s.UserDisableTOTP(w.ctx, u.ID))
		got := w.get(u.ID)
		if got.TOTPSecret != "" || got.TOTPEnabledAt != nil || got.SessionVersion != u.SessionVersion+1 {
			t.Errorf("after disabling: %+v", got)
		}
		if n := w.codesLeft(u.ID); n != 0 {
			t.Errorf("%d recovery codes after disabling, want 0", n)
		}
		// The step record went with the secret: a new enrolment starts afresh.
		w.must(w.s.UserEnableTOTP(w.ctx, u.ID, "SECRET2", 10, codes("n1")))
		if got := w.get(u.ID); got.TOTPSecret != "SECRET2" {
			t.Errorf("re-enrolled secret %q", got.TOTPSecret)
		}
		if ok, err := w.s.UserUseTOTPStep(w.ctx, u.ID, 11); err != nil || !ok {
			t.Errorf("step 11 after re-enrolling at 10: %v, %v", ok, err)
		}
	})
}
