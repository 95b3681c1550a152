package service_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/service"
)

// registerWorld is the service fixture with what registering needs more:
// a second pavilion of the expo, a second expo, and companies that a new
// one may duplicate by each signal.
type registerWorld struct {
	world
	expoID      int64
	otherPav    expodesk.Pavilion // another pavilion of the same expo
	otherExpo   expodesk.Expo
	nube, taihu expodesk.Exhibitor
}

func newRegisterWorld(t *testing.T) registerWorld {
	t.Helper()
	ctx := context.Background()
	w := registerWorld{world: newWorld(t)}
	w.expoID = w.pavilion.ExpoID
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var err error
	w.otherPav, err = w.store.PavilionCreate(ctx, expodesk.Pavilion{ExpoID: w.expoID, Slug: "catalan-pavilion", Name: expodesk.Text{EN: "Catalan Pavilion"}})
	must(err)
	w.otherExpo, err = w.store.ExpoCreate(ctx, expodesk.Expo{Slug: "wiot-svc", Name: expodesk.Text{EN: "World IoT Expo"}, City: expodesk.Text{EN: "Wuxi"},
		Country: "CN", TimeZone: "Asia/Shanghai", FirstDay: time.Date(2027, 10, 26, 0, 0, 0, 0, time.UTC), LastDay: time.Date(2027, 10, 28, 0, 0, 0, 0, time.UTC)})
	must(err)
	w.nube, err = w.store.ExhibitorCreate(ctx, expodesk.Exhibitor{Slug: "nube-catalana", LegalName: "Nube Catalana SL",
		Name: expodesk.Text{ES: "Nube Catalana"}, Country: "ES", Website: "https://www.Nube.example.es/es/inicio", RegistrationID: "B26740183"}, nil)
	must(err)
	w.taihu, err = w.store.ExhibitorCreate(ctx, expodesk.Exhibitor{Slug: "taihu-sensing", LegalName: "无锡太湖传感科技有限公司",
		Name: expodesk.Text{EN: "Taihu Sensing", ZH: "太湖传感"}, Country: "CN", RegistrationID: "91350100M000100Y43"}, nil)
	must(err)
	// Taihu Sensing exhibits at the other expo, Nube Catalana nowhere yet.
	_, err = w.store.ParticipationCreate(ctx, expodesk.Participation{ExpoID: w.otherExpo.ID, ExhibitorID: w.taihu.ID, Status: expodesk.StatusApproved})
	must(err)
	return w
}

// newCompany is a valid registration of a company like no other.
func newCompany(name string) service.Registration {
	return service.Registration{
		Company: expodesk.Exhibitor{LegalName: name + " GmbH", Name: expodesk.Text{EN: name}, Country: "DE", City: "Berlin",
			Website: "https://" + expodesk.Slugify(name) + ".example.de", Email: "info@example.de", Sectors: []string{"sensors"}},
		Status: expodesk.StatusApproved,
	}
}

// rows counts the rows of a table.
func (w registerWorld) rows(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := w.pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// state is what a registration changes: companies, participations, and
// audit entries other than refusals.
func (w registerWorld) state(t *testing.T) [3]int {
	t.Helper()
	var audits int
	if err := w.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_entry WHERE action <> 'auth.forbidden'`).Scan(&audits); err != nil {
		t.Fatal(err)
	}
	return [3]int{w.rows(t, "exhibitor"), w.rows(t, "participation"), audits}
}

func problemKey(err error, field string) string {
	e := expodesk.ErrorOf(err)
	if e == nil || e.Code != expodesk.EINVALID {
		return ""
	}
	return e.Problems[field].Key
}

func TestRegisterExhibitor(t *testing.T) {
	w := newRegisterWorld(t)
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		in := newCompany("Spree Sensorik")
		in.Booth, in.PavilionID = " 4-C20 ", w.otherPav.ID
		in.Company.Description = expodesk.Text{EN: "Sensors from Berlin.", ZH: "来自柏林的传感器。"}
		before := w.state(t)
		got, err := w.svc.RegisterExhibitor(ctx, w.as(w.organizer), w.expoID, in)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Created || got.Exhibitor.Slug != "spree-sensorik" || got.Exhibitor.LegalName != "Spree Sensorik GmbH" ||
			!slices.Equal(got.Exhibitor.Sectors, []string{"sensors"}) || got.Exhibitor.Description.ZH != "来自柏林的传感器。" {
			t.Errorf("company %+v", got.Exhibitor)
		}
		pt := got.Participation
		if pt.ExpoID != w.expoID || pt.Status != expodesk.StatusApproved || pt.Booth != "4-C20" || pt.PavilionID == nil || *pt.PavilionID != w.otherPav.ID {
			t.Errorf("participation %+v", pt)
		}
		if after := w.state(t); after != [3]int{before[0] + 1, before[1] + 1, before[2] + 2} {
			t.Errorf("companies, participations, audit entries %v → %v, want one, one and two more", before, after)
		}
		var slug, pavilion string
		if err := w.pool.QueryRow(ctx, `SELECT after->>'slug', pavilion_id::text FROM audit_entry WHERE action = 'exhibitor.create' AND object_id = $1`,
			itoa(got.Exhibitor.ID)).Scan(&slug, &pavilion); err != nil || slug != "spree-sensorik" || pavilion != itoa(w.otherPav.ID) {
			t.Errorf("exhibitor.create entry: slug %q pavilion %q, %v", slug, pavilion, err)
		}
		if n := w.auditCountOf(t, expodesk.ActionParticipationCreate, "participation", pt.ID); n != 1 {
			t.Errorf("%d participation.create entries", n)
		}
		// Approved at registration is a decision, dated as one made later is.
		var decided bool
		if err := w.pool.QueryRow(ctx, `SELECT decided_at IS NOT NULL FROM participation WHERE id = $1`, pt.ID).Scan(&decided); err != nil || !decided {
			t.Errorf("an approved registration has no decision time: %v", err)
		}
		if _, err := w.store.ExhibitorPublicPage(ctx, got.Exhibitor.Slug); err != nil {
			t.Errorf("an approved registration is not public: %v", err)
		}
	})

	t.Run("CoordinatorInOwnPavilion", func(t *testing.T) {
		in := newCompany("Lake Robotics")
		in.PavilionID, in.Status = w.pavilion.ID, expodesk.StatusInvited
		got, err := w.svc.RegisterExhibitor(ctx, w.as(w.coordinator), w.expoID, in)
		if err != nil {
			t.Fatal(err)
		}
		if got.Participation.Status != expodesk.StatusInvited || *got.Participation.PavilionID != w.pavilion.ID {
			t.Errorf("participation %+v", got.Participation)
		}
		// The coordinator may now edit it: it is in their pavilion.
		if _, err := w.svc.ManagedExhibitor(ctx, w.as(w.coordinator), got.Exhibitor.ID); err != nil {
			t.Errorf("the coordinator cannot open the company they registered: %v", err)
		}
	})

	t.Run("SlugsUniqueAndFromChinese", func(t *testing.T) {
		a, err := w.svc.RegisterExhibitor(ctx, w.as(w.organizer), w.expoID, newCompany("Twin Name"))
		if err != nil {
			t.Fatal(err)
		}
		in := newCompany("Twin Name")
		in.Company.Website, in.Company.LegalName = "https://twin.example.fr", "Twin Name SARL"
		in.Company.Country = "FR"
		_, err = w.svc.RegisterExhibitor(ctx, w.as(w.organizer), w.expoID, in)
		if !errors.Is(err, expodesk.ErrLikelyDuplicates) {
			t.Fatalf("the same name again: %v, want likely duplicates", err)
		}
		in.CreateAnyway, in.Seen = true, []int64{a.Exhibitor.ID}
		b, err := w.svc.RegisterExhibitor(ctx, w.as(w.organizer), w.otherExpo.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if a.Exhibitor.Slug != "twin-name" || b.Exhibitor.Slug != "twin-name-2" {
			t.Errorf("slugs %q, %q; want twin-name, twin-name-2", a.Exhibitor.Slug, b.Exhibitor.Slug)
		}
		zh := service.Registration{Company: expodesk.Exhibitor{LegalName: "无锡云帆物联网有限公司", Name: expodesk.Text{ZH: "云帆物联"}, Country: "CN"},
			Status: expodesk.StatusInvited}
		c, err := w.svc.RegisterExhibitor(ctx, w.as(w.organizer), w.expoID, zh)
		if err != nil {
			t.Fatal(err)
		}
		if c.Exhibitor.Slug != "yun-fan-wu-lian" {
			t.Errorf("slug of 云帆物联 = %q, want yun-fan-wu-lian", c.Exhibitor.Slug)
		}
	})

	// Each signal on its own finds the company that exists, and nothing is written.
	for _, tc := range []struct {
		name   string
		edit   func(*service.Registration)
		want   func() expodesk.Exhibitor
		reason expodesk.DuplicateReason
	}{
		{"SameRegistrationID", func(r *service.Registration) {
			r.Company.Country, r.Company.RegistrationID = "CN", " 91350100m000100y43 " // typed in lower case, with spaces
		}, func() expodesk.Exhibitor { return w.taihu }, expodesk.DuplicateRegistrationID},
		{"SameWebsiteHost", func(r *service.Registration) { r.Company.Website = "http://nube.example.es" },
			func() expodesk.Exhibitor { return w.nube }, expodesk.DuplicateWebsite},
		{"NearNameEnglish", func(r *service.Registration) { r.Company.Name = expodesk.Text{EN: "Taihu Sensing Co"} },
			func() expodesk.Exhibitor { return w.taihu }, expodesk.DuplicateName},
		{"NearNameChinese", func(r *service.Registration) { r.Company.Name = expodesk.Text{ZH: "太湖传感科技"} },
			func() expodesk.Exhibitor { return w.taihu }, expodesk.DuplicateName},
		{"NearNameAccentsAndCase", func(r *service.Registration) { r.Company.LegalName = "NUBE CATALÀNA S.L." },
			func() expodesk.Exhibitor { return w.nube }, expodesk.DuplicateName},
	} {
		t.Run("Duplicates/"+tc.name, func(t *testing.T) {
			in := newCompany("Quite Unrelated")
			tc.edit(&in)
			before := w.state(t)
			got, err := w.svc.RegisterExhibitor(ctx, w.as(w.organizer), w.expoID, in)
			if !errors.Is(err, expodesk.ErrLikelyDuplicates) {
				t.Fatalf("err %v, want likely duplicates", err)
			}
			want := tc.want()
			if len(got.Duplicates) != 1 || got.Duplicates[0].ExhibitorID != want.ID || !got.Duplicates[0].Has(tc.reason) {
				t.Fatalf("duplicates %+v, want %s for %s", got.Duplicates, want.Slug, tc.reason)
			}
			if d := got.Duplicates[0]; d.Country != want.Country || d.Website != want.Website || d.LegalName != want.LegalName {
				t.Errorf("candidate %+v lacks what the organizer decides by", d)
			}
			if after := w.state(t); after != before {
				t.Errorf("state %v → %v: a registration with duplicates wrote", before, after)
			}
		})
	}

	t.Run("DuplicateListsItsExpos", func(t *testing.T) {
		in := newCompany("Taihu Sensing")
		got, err := w.svc.RegisterExhibitor(ctx, w.as(w.organizer), w.otherExpo.ID, in)
		if !errors.Is(err, expodesk.ErrLikelyDuplicates) || len(got.Duplicates) != 1 {
			t.Fatalf("%v %+v", err, got.Duplicates)
		}
		d := got.Duplicates[0]
		if len(d.Participations) != 1 || d.Participations[0].ExpoSlug != "wiot-svc" || d.InExpo != expodesk.StatusApproved {
			t.Errorf("candidate's expos %+v, in expo %q; want wiot-svc, approved", d.Participations, d.InExpo)
		}
	})

	t.Run("CoordinatorSeesWhatThePublicSees", func(t *testing.T) {
		// Nube Catalana is invited at the other expo only: nothing public.
		if _, err := w.store.ParticipationCreate(ctx, expodesk.Participation{ExpoID: w.otherExpo.ID, ExhibitorID: w.nube.ID,
			Status: expodesk.StatusInvited}); err != nil {
			t.Fatal(err)
		}
		in := newCompany("Nube Catalana")
		in.PavilionID, in.Company.Country, in.Company.RegistrationID = w.pavilion.ID, "ES", "B26740183"
		got, err := w.svc.RegisterExhibitor(ctx, w.as(w.coordinator), w.expoID, in)
		if !errors.Is(err, expodesk.ErrLikelyDuplicates) || len(got.Duplicates) != 1 {
			t.Fatalf("%v %+v", err, got.Duplicates)
		}
		d := got.Duplicates[0]
		if d.RegistrationID != "" || len(d.Participations) != 0 || !d.Has(expodesk.DuplicateRegistrationID) {
			t.Errorf("a coordinator is shown %q and %+v of a company outside their pavilion", d.RegistrationID, d.Participations)
		}
		got, err = w.svc.RegisterExhibitor(ctx, w.as(w.organizer), w.expoID, in)
		if !errors.Is(err, expodesk.ErrLikelyDuplicates) || len(got.Duplicates) != 1 ||
			got.Duplicates[0].RegistrationID != "B26740183" || len(got.Duplicates[0].Participations) != 1 {
			t.Errorf("the organizer sees less: %v %+v", err, got.Duplicates)
		}
	})

	t.Run("CreateAnyway", func(t *testing.T) {
		in := newCompany("Taihu Sensing Co")
		_, err := w.svc.RegisterExhibitor(ctx, w.as(w.organizer), w.expoID, in)
		if !errors.Is(err, expodesk.ErrLikelyDuplicates) {
			t.Fatal(err)
		}
		// Confirmed without having seen the candidate (another one appeared): shown again.
		in.CreateAnyway, in.Seen = true, []int64{w.nube.ID}
		if _, err := w.svc.RegisterExhibitor(ctx, w.as(w.organizer), w.expoID, in); !errors.Is(err, expodesk.ErrLikelyDuplicates) {
			t.Fatalf("confirmed unseen candidates: %v, want them shown", err)
		}
		in.Seen = []int64{w.taihu.ID}
		got, err := w.svc.RegisterExhibitor(ctx, w.as(w.organizer), w.expoID, in)
		if err != nil || !got.Created || got.Exhibitor.ID == w.taihu.ID {
			t.Fatalf("create anyway: %v %+v", err, got.Exhibitor)
		}
	})

	t.Run("SameRegistrationIDNeverTwice", func(t *testing.T) {
		in := newCompany("Other Cloud")
		in.Company.Country, in.Company.RegistrationID = "ES", "b26740183"
		before := w.state(t)
		_, err := w.svc.RegisterExhibitor(ctx, w.as(w.organizer), w.expoID, in)
		if !errors.Is(err, expodesk.ErrLikelyDuplicates) {
			t.Fatal(err)
		}
		in.CreateAnyway, in.Seen = true, []int64{w.nube.ID}
		got, err := w.svc.RegisterExhibitor(ctx, w.as(w.organizer), w.expoID, in)
		if !errors.Is(err, expodesk.ErrLikelyDuplicates) || !expodesk.BlocksNewCompany(got.Duplicates) {
			t.Fatalf("create anyway with the same registration id: %v, want the duplicate again", err)
		}
		if after := w.state(t); after != before {
			t.Errorf("state %v → %v", before, after)
		}
	})

	t.Run("AddToExisting", func(t *testing.T) {
		in := newCompany("Nube Catalana")
		in.ExistingID, in.Booth, in.Status = w.nube.ID, "5-A01", expodesk.StatusInvited
		before := w.state(t)
		got, err := w.svc.RegisterExhibitor(ctx, w.as(w.organizer), w.expoID, in)
		if err != nil {
			t.Fatal(err)
		}
		if got.Created || got.Exhibitor.ID != w.nube.ID || got.Participation.ExhibitorID != w.nube.ID || got.Participation.Booth != "5-A01" {
			t.Errorf("added %+v", got)
		}
		if after := w.state(t); after != [3]int{before[0], before[1] + 1, before[2] + 1} {
			t.Errorf("state %v → %v, want one participation and one audit entry more", before, after)
		}
		// Once more: it participates already.
		before = w.state(t)
		_, err = w.svc.RegisterExhibitor(ctx, w.as(w.organizer), w.expoID, in)
		if problemKey(err, "existing") != "register.already_participates" {
			t.Errorf("adding twice: %v", err)
		}
		if after := w.state(t); after != before {
			t.Errorf("state %v → %v", before, after)
		}
		// An unknown company (a forged form) is no choice.
		in.ExistingID = 987654
		if _, err := w.svc.RegisterExhibitor(ctx, w.as(w.organizer), w.expoID, in); problemKey(err, "existing") != "validation.choice" {
			t.Errorf("unknown company: %v", err)
		}
	})

	t.Run("CoordinatorAddsExistingToOwnPavilion", func(t *testing.T) {
		in := service.Registration{ExistingID: w.taihu.ID, Status: expodesk.StatusInvited, PavilionID: w.pavilion.ID}
		if _, err := w.svc.RegisterExhibitor(ctx, w.as(w.coordinator), w.expoID, in); err != nil {
			t.Fatal(err)
		}
	})

	for _, tc := range []struct {
		name   string
		caller service.Caller
		expo   func() int64
		edit   func(*service.Registration)
		want   error  // an error to match
		field  string // or a problem at this field
		key    string
	}{
		{"Visitor", service.Caller{}, func() int64 { return w.expoID }, nil,
			expodesk.Errorf(expodesk.EUNAUTHORIZED, "error.unauthorized"), "", ""},
		{"ExhibitorForbidden", w.as(w.exhibitorIn), func() int64 { return w.expoID }, nil, expodesk.ErrForbidden, "", ""},
		{"CoordinatorOtherExpoNotFound", w.as(w.coordinator), func() int64 { return w.otherExpo.ID }, nil, expodesk.ErrNotFound, "", ""},
		{"UnknownExpo", w.as(w.organizer), func() int64 { return 987654 }, nil, expodesk.ErrNotFound, "", ""},
		{"CoordinatorOtherPavilion", w.as(w.coordinator), func() int64 { return w.expoID },
			func(r *service.Registration) { r.PavilionID = w.otherPav.ID }, nil, "pavilion", "participations.pavilion_not_yours"},
		{"CoordinatorNoPavilion", w.as(w.coordinator), func() int64 { return w.expoID },
			func(r *service.Registration) { r.PavilionID = 0 }, nil, "pavilion", "participations.pavilion_not_yours"},
		{"CoordinatorExistingInOtherPavilion", w.as(w.coordinator), func() int64 { return w.expoID },
			func(r *service.Registration) { r.ExistingID, r.PavilionID = w.nube.ID, w.otherPav.ID }, nil, "pavilion", "participations.pavilion_not_yours"},
		{"PavilionOfAnotherExpo", w.as(w.organizer), func() int64 { return w.otherExpo.ID }, nil, nil, "pavilion", "validation.choice"},
		{"NoName", w.as(w.organizer), func() int64 { return w.expoID },
			func(r *service.Registration) { r.Company.Name = expodesk.Text{} }, nil, "name_en", "validation.one_language_required"},
		{"NoLegalName", w.as(w.organizer), func() int64 { return w.expoID },
			func(r *service.Registration) { r.Company.LegalName = " " }, nil, "legal_name", "validation.required"},
		{"JavascriptWebsite", w.as(w.organizer), func() int64 { return w.expoID },
			func(r *service.Registration) { r.Company.Website = "javascript:alert(1)" }, nil, "website", "validation.url"},
		{"BadUSCC", w.as(w.organizer), func() int64 { return w.expoID },
			func(r *service.Registration) {
				r.Company.Country, r.Company.RegistrationID = "CN", "91350100M000100Y44"
			},
			nil, "registration_id", "validation.registration_id_uscc"},
		{"BadNIF", w.as(w.organizer), func() int64 { return w.expoID },
			func(r *service.Registration) { r.Company.Country, r.Company.RegistrationID = "ES", "12345678A" },
			nil, "registration_id", "validation.registration_id_es"},
		{"BadOtherID", w.as(w.organizer), func() int64 { return w.expoID },
			func(r *service.Registration) { r.Company.RegistrationID = "HRB 12345!" }, nil, "registration_id", "validation.registration_id_other"},
		{"BoothTaken", w.as(w.organizer), func() int64 { return w.expoID },
			func(r *service.Registration) { r.Booth = "2-A01" }, nil, "booth", "participations.booth_taken"},
		{"BoothTakenInvitedToo", w.as(w.organizer), func() int64 { return w.expoID },
			func(r *service.Registration) { r.Booth, r.Status = "2-A01", expodesk.StatusInvited }, nil, "booth", "participations.booth_taken"},
		{"StatusApplied", w.as(w.organizer), func() int64 { return w.expoID },
			func(r *service.Registration) { r.Status = expodesk.StatusApplied }, nil, "status", "validation.choice"},
	} {
		t.Run("Refused/"+tc.name, func(t *testing.T) {
			if _, err := w.pool.Exec(ctx, `UPDATE participation SET booth = '2-A01' WHERE exhibitor_id = $1`, w.inside.ID); err != nil {
				t.Fatal(err)
			}
			in := newCompany("Refused Robotics")
			in.PavilionID = w.pavilion.ID
			if tc.edit != nil {
				tc.edit(&in)
			}
			before := w.state(t)
			refusals := w.countRefusals(t)
			_, err := w.svc.RegisterExhibitor(ctx, tc.caller, tc.expo(), in)
			switch {
			case err == nil:
				t.Fatal("registered")
			case tc.want != nil:
				if expodesk.ErrorCode(err) != expodesk.ErrorCode(tc.want) {
					t.Fatalf("err %v, want %v", err, tc.want)
				}
			case problemKey(err, tc.field) != tc.key:
				t.Fatalf("err %v, want %s at %s", err, tc.key, tc.field)
			}
			if after := w.state(t); after != before {
				t.Errorf("state %v → %v: a refused registration wrote", before, after)
			}
			// Refusals of the rule are recorded; an unknown expo or bad input is not one.
			recorded := tc.want == expodesk.ErrForbidden || tc.name == "CoordinatorOtherExpoNotFound" || tc.key == "participations.pavilion_not_yours"
			if got := w.countRefusals(t) - refusals; recorded && got != 1 || !recorded && got != 0 {
				t.Errorf("%d refusals recorded, want %v", got, recorded)
			}
		})
	}
}

// auditCountOf counts the audit entries of one action about one object.
func (w world) auditCountOf(t *testing.T, action expodesk.AuditAction, objectType string, id int64) int {
	t.Helper()
	var n int
	if err := w.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_entry WHERE action = $1 AND object_type = $2 AND object_id = $3`,
		string(action), objectType, itoa(id)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestUpdateExhibitorIdentity(t *testing.T) {
	w := newRegisterWorld(t)
	ctx := context.Background()

	t.Run("Organizer", func(t *testing.T) {
		got, err := w.svc.UpdateExhibitorIdentity(ctx, w.as(w.organizer), w.nube.ID, service.Identity{LegalName: " Nube Catalana SLU ", RegistrationID: "b-2674 0183"})
		if err != nil {
			t.Fatal(err)
		}
		if got.LegalName != "Nube Catalana SLU" || got.RegistrationID != "B26740183" {
			t.Errorf("stored %q %q", got.LegalName, got.RegistrationID)
		}
		var before, after string
		if err := w.pool.QueryRow(ctx, `SELECT before->>'legal_name', after->>'legal_name' FROM audit_entry
			WHERE action = 'exhibitor.update_identity' AND object_id = $1`, itoa(w.nube.ID)).Scan(&before, &after); err != nil {
			t.Fatal(err)
		}
		if before != "Nube Catalana SL" || after != "Nube Catalana SLU" {
			t.Errorf("audit %q → %q", before, after)
		}
		// Saving the same again records nothing.
		if _, err := w.svc.UpdateExhibitorIdentity(ctx, w.as(w.organizer), w.nube.ID, service.Identity{LegalName: "Nube Catalana SLU", RegistrationID: "B26740183"}); err != nil {
			t.Fatal(err)
		}
		if n := w.auditCount(t, expodesk.ActionExhibitorUpdateIdentity, w.nube.ID); n != 1 {
			t.Errorf("%d identity entries, want 1", n)
		}
	})
	t.Run("CoordinatorOwnPavilion", func(t *testing.T) {
		if _, err := w.svc.UpdateExhibitorIdentity(ctx, w.as(w.coordinator), w.inside.ID, service.Identity{LegalName: "Inside Holdings Ltd"}); err != nil {
			t.Fatal(err)
		}
	})
	for _, tc := range []struct {
		name   string
		caller service.Caller
		id     int64
		in     service.Identity
		want   error
		field  string
		key    string
	}{
		{"ExhibitorOwnCompanyForbidden", w.as(w.exhibitorIn), w.inside.ID, service.Identity{LegalName: "Mine"}, expodesk.ErrForbidden, "", ""},
		{"CoordinatorOutsideNotFound", w.as(w.coordinator), w.outside.ID, service.Identity{LegalName: "Theirs"}, expodesk.ErrNotFound, "", ""},
		{"UnknownCompany", w.as(w.organizer), 987654, service.Identity{LegalName: "Nobody"}, expodesk.ErrNotFound, "", ""},
		{"NoLegalName", w.as(w.organizer), w.taihu.ID, service.Identity{}, nil, "legal_name", "validation.required"},
		{"BadUSCC", w.as(w.organizer), w.taihu.ID, service.Identity{LegalName: "x", RegistrationID: "91350100M000100Y44"}, nil,
			"registration_id", "validation.registration_id_uscc"},
		{"RegistrationIDTaken", w.as(w.organizer), w.inside.ID, service.Identity{LegalName: "Inside", RegistrationID: "91350100M000100Y43"},
			expodesk.ErrRegistrationIDTaken, "", ""},
	} {
		t.Run("Refused/"+tc.name, func(t *testing.T) {
			var stored expodesk.Exhibitor
			if tc.id != 987654 {
				stored, _ = w.store.ExhibitorGetByID(ctx, tc.id)
			}
			_, err := w.svc.UpdateExhibitorIdentity(ctx, tc.caller, tc.id, tc.in)
			switch {
			case err == nil:
				t.Fatal("changed")
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Fatalf("err %v, want %v", err, tc.want)
			case tc.want == nil && problemKey(err, tc.field) != tc.key:
				t.Fatalf("err %v, want %s at %s", err, tc.key, tc.field)
			}
			if tc.id != 987654 {
				if now, _ := w.store.ExhibitorGetByID(ctx, tc.id); now.LegalName != stored.LegalName || now.RegistrationID != stored.RegistrationID {
					t.Errorf("changed: %q %q", now.LegalName, now.RegistrationID)
				}
			}
		})
	}
}
