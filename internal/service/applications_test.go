package service_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"expodesk/internal/expodesk"
	"expodesk/internal/service"
)

// openCall opens the fixture expo's call for applications (since yesterday).
func (w world) openCall(t *testing.T) {
	t.Helper()
	if _, err := w.pool.Exec(context.Background(), `UPDATE expo SET applications_open_at = now() - interval '1 day',
		applications_close_at = now() + interval '30 days' WHERE id = $1`, w.pavilion.ExpoID); err != nil {
		t.Fatal(err)
	}
}

// mailTo returns the subjects and bodies of the outbox's messages of kind to addr.
func (w world) mailTo(t *testing.T, addr string, kind expodesk.MailKind) []string {
	t.Helper()
	rows, err := w.pool.Query(context.Background(), `SELECT subject || E'\n' || body_text FROM mail_message
		WHERE to_addr = $1 AND kind = $2 ORDER BY id`, addr, string(kind))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func application(email string) service.Application {
	return service.Application{LegalName: "无锡云感科技有限公司", Name: expodesk.Text{EN: "Cloudsense", ZH: "云感科技"},
		Sectors: []string{"sensors"}, Country: "CN", City: "Wuxi", Website: "https://cloudsense.example.cn",
		Contact: expodesk.Applicant{Name: expodesk.PersonName{FamilyName: "刘", GivenName: "洋"}, Email: email, Lang: expodesk.ZH},
		Note:    "Near the stage, please."}
}

// anonymous is a visitor applying from the public form.
var anonymous = service.Caller{ClientIP: "198.51.100.7", RequestID: "req-apply"}

func TestApply(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	expo := w.pavilion.ExpoID

	t.Run("ClosedCall", func(t *testing.T) {
		before := w.counts(t)
		if _, err := w.svc.Apply(ctx, anonymous, expo, application("early@cloudsense.example.cn")); !errors.Is(err, expodesk.ErrCallClosed) {
			t.Fatalf("apply before the call: %v", err)
		}
		if w.counts(t) != before {
			t.Error("a refused application changed something")
		}
	})
	w.openCall(t)

	var applied expodesk.Participation
	t.Run("OK", func(t *testing.T) {
		in := application("liu.yang@cloudsense.example.cn")
		in.PavilionID = w.pavilion.ID
		p, err := w.svc.Apply(ctx, anonymous, expo, in)
		if err != nil {
			t.Fatal(err)
		}
		applied = p
		if p.Status != expodesk.StatusApplied || p.PavilionID == nil || *p.PavilionID != w.pavilion.ID {
			t.Errorf("participation %+v", p)
		}
		rec, err := w.store.ApplicationGet(ctx, p.ID)
		if err != nil || rec.Contact.Email != in.Contact.Email || rec.Contact.Lang != expodesk.ZH || rec.Note != in.Note ||
			rec.Contact.Name.FamilyName != "刘" {
			t.Errorf("application record %+v, %v", rec, err)
		}
		company, err := w.store.ExhibitorGetByID(ctx, p.ExhibitorID)
		if err != nil || company.Slug != "cloudsense" || company.Email != in.Contact.Email {
			t.Errorf("company %+v, %v", company, err)
		}
		var actor *int64
		if err := w.pool.QueryRow(ctx, `SELECT actor_id FROM audit_entry WHERE action = 'application.submit' AND object_id = $1`,
			itoa(p.ID)).Scan(&actor); err != nil || actor != nil {
			t.Errorf("audit entry: actor %v, %v", actor, err)
		}
		if got := w.mailTo(t, in.Contact.Email, expodesk.MailApplicationReceived); len(got) != 1 || !strings.Contains(got[0], "云感科技") ||
			!strings.Contains(got[0], "我们已收到") {
			t.Errorf("confirmation mail %q", got)
		}
	})
	t.Run("RepeatedAddress", func(t *testing.T) {
		before := w.counts(t)
		in := application("LIU.YANG@cloudsense.example.cn")
		in.Name = expodesk.Text{EN: "Another"}
		p, err := w.svc.Apply(ctx, anonymous, expo, in)
		if err != nil || p.ID != 0 {
			t.Fatalf("repeat: %+v, %v", p, err)
		}
		after := w.counts(t)
		if after[2] != before[2]+1 || after[3] != before[3]+1 {
			t.Errorf("counts %v → %v, want one notice and one audit entry", before, after)
		}
		var n int
		_ = w.pool.QueryRow(ctx, `SELECT count(*) FROM exhibitor WHERE name->>'en' = 'Another'`).Scan(&n)
		if n != 0 {
			t.Error("a repeated application created a company")
		}
		if got := w.mailTo(t, in.Contact.Email, expodesk.MailApplicationRepeat); len(got) != 1 {
			t.Errorf("repeat notice %q", got)
		}
	})
	t.Run("RegistrationIDOnFile", func(t *testing.T) {
		if _, err := w.pool.Exec(ctx, `UPDATE exhibitor SET registration_id = '91350100M000100Y43' WHERE id = $1`, w.outside.ID); err != nil {
			t.Fatal(err)
		}
		in := application("someone@else.example.cn")
		in.RegistrationID = "91350100m000100y43" // as typed: compared upper-cased
		var n0, n1 int
		_ = w.pool.QueryRow(ctx, `SELECT count(*) FROM participation`).Scan(&n0)
		if p, err := w.svc.Apply(ctx, anonymous, expo, in); err != nil || p.ID != 0 {
			t.Fatalf("registration id on file: %+v, %v", p, err)
		}
		_ = w.pool.QueryRow(ctx, `SELECT count(*) FROM participation`).Scan(&n1)
		if n1 != n0 {
			t.Error("an application with another company's registration id was recorded")
		}
		if got := w.mailTo(t, in.Contact.Email, expodesk.MailApplicationRepeat); len(got) != 1 || strings.Contains(got[0], "Fuera") {
			t.Errorf("notice %q (must not name the company on file)", got)
		}
	})
	t.Run("Validation", func(t *testing.T) {
		before := w.counts(t)
		in := application("bad")
		in.Website, in.Name, in.Country, in.RegistrationID = "javascript:alert(1)", expodesk.Text{}, "CN", "91350100M000100Y44"
		in.PavilionID = 999999
		_, err := w.svc.Apply(ctx, anonymous, expo, in)
		for _, field := range []string{"website", "name_en", "contact_email", "registration_id", "pavilion"} {
			if !problemOn(err, field) {
				t.Errorf("no problem on %s: %v", field, err)
			}
		}
		if w.counts(t) != before {
			t.Error("an invalid application changed something")
		}
	})

	t.Run("ApproveInvitesOnce", func(t *testing.T) {
		before := w.counts(t)
		p, err := w.svc.SetParticipationStatus(ctx, w.as(w.coordinator), applied.ID, service.StatusChange{Status: expodesk.StatusApproved})
		if err != nil || p.Status != expodesk.StatusApproved {
			t.Fatalf("approve: %+v, %v", p, err)
		}
		after := w.counts(t)
		if after[0] != before[0]+1 || after[1] != before[1]+1 || after[2] != before[2]+1 {
			t.Errorf("counts %v → %v, want one account, one token, one mail", before, after)
		}
		inv := w.mailTo(t, "liu.yang@cloudsense.example.cn", expodesk.MailInvitation)
		if len(inv) != 1 || !strings.Contains(inv[0], "云感科技") || !strings.Contains(inv[0], "/invitations/") {
			t.Errorf("invitation mail %q", inv)
		}
		u, err := w.store.UserGetByEmail(ctx, "liu.yang@cloudsense.example.cn")
		if err != nil || u.ExhibitorID == nil || *u.ExhibitorID != p.ExhibitorID || u.Role != expodesk.RoleExhibitor || u.Lang != expodesk.ZH {
			t.Errorf("invited user %+v, %v", u, err)
		}
		rec, err := w.store.ApplicationGet(ctx, applied.ID)
		if err != nil || rec.ProfileAtApproval == nil || rec.ProfileAtApproval.Name.ZH != "云感科技" {
			t.Fatalf("profile at approval %+v, %v", rec.ProfileAtApproval, err)
		}
	})
	t.Run("DiffSinceApproval", func(t *testing.T) {
		company, err := w.store.ExhibitorGetByID(ctx, applied.ExhibitorID)
		if err != nil {
			t.Fatal(err)
		}
		in := service.Profile{Name: expodesk.Text{EN: "Cloudsense", ZH: "云感科技", ES: "Nubesensor"}, Description: company.Description,
			Sectors: []string{"sensors", "cloud"}, Country: "CN", City: "Wuxi", Website: company.Website, Email: company.Email, Phone: company.Phone}
		if _, err := w.svc.UpdateExhibitorProfile(ctx, w.as(w.organizer), company.ID, in); err != nil {
			t.Fatal(err)
		}
		v, err := w.svc.ReviewParticipation(ctx, w.as(w.coordinator), applied.ID)
		if err != nil {
			t.Fatal(err)
		}
		changed := map[string]expodesk.FieldChange{}
		for _, d := range v.Diff {
			if d.Changed {
				changed[d.Field] = d
			}
		}
		if len(changed) != 2 || changed["name_es"].Now != "Nubesensor" || changed["sectors"].Then != "sensors" ||
			changed["sectors"].Now != "cloud, sensors" {
			t.Errorf("diff %+v", changed)
		}
		if len(v.Diff) != 12 {
			t.Errorf("diff lists %d fields, want 12", len(v.Diff))
		}
	})
	t.Run("ReviewForbidden", func(t *testing.T) {
		outside := w.participationOf(t, w.outside.ID)
		if _, err := w.svc.ReviewParticipation(ctx, w.as(w.coordinator), outside.ID); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("coordinator reviews another pavilion's: %v", err)
		}
		if _, err := w.svc.ReviewParticipation(ctx, w.as(w.exhibitorIn), applied.ID); !errors.Is(err, expodesk.ErrForbidden) {
			t.Errorf("exhibitor reviews: %v", err)
		}
	})
	t.Run("RejectMailsReason", func(t *testing.T) {
		in := application("ana@rechazo.example.es")
		in.Name, in.Country, in.Contact.Lang = expodesk.Text{ES: "Rechazo SL"}, "ES", expodesk.ES
		p, err := w.svc.Apply(ctx, anonymous, expo, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.SetParticipationStatus(ctx, w.as(w.organizer), p.ID,
			service.StatusChange{Status: expodesk.StatusRejected, Reason: "No es una empresa IoT"}); err != nil {
			t.Fatal(err)
		}
		got := w.mailTo(t, in.Contact.Email, expodesk.MailApplicationRejected)
		if len(got) != 1 || !strings.Contains(got[0], "No es una empresa IoT") || !strings.Contains(got[0], "Rechazo SL") ||
			!strings.Contains(got[0], "Lamentamos") {
			t.Errorf("rejection mail %q", got)
		}
		if rec, _ := w.store.ApplicationGet(ctx, p.ID); rec.RejectionReason != "No es una empresa IoT" {
			t.Errorf("reason kept %q", rec.RejectionReason)
		}
		if n := len(w.mailTo(t, in.Contact.Email, expodesk.MailInvitation)); n != 0 {
			t.Errorf("%d invitations to a rejected applicant", n)
		}
	})
}

// TestSetParticipationStatuses decides on several rows: those that cannot
// move are reported by name, or without one when the caller may not see
// them, and left as they were; the rest are decided together.
func TestSetParticipationStatuses(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	expo := w.pavilion.ExpoID
	a := w.applicant(t, "bulk-a", &w.pavilion.ID, "")
	b := w.applicant(t, "bulk-b", &w.pavilion.ID, "")
	done := w.participationOf(t, w.inside.ID) // approved already: cannot be approved again
	outside := w.applicant(t, "bulk-outside", nil, "")

	t.Run("RowsThatCannotMove", func(t *testing.T) {
		rows, err := w.svc.SetParticipationStatuses(ctx, w.as(w.coordinator), expo, []int64{a.ID, done.ID, b.ID, outside.ID, a.ID},
			service.StatusChange{Status: expodesk.StatusApproved})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 4 {
			t.Fatalf("rows %+v", rows)
		}
		for _, r := range rows {
			switch r.ID {
			case a.ID, b.ID:
				if r.Err != nil {
					t.Errorf("row %d: %v", r.ID, r.Err)
				}
			case done.ID:
				if r.Err == nil || r.Name.EN != "Inside" {
					t.Errorf("approved row: %+v", r)
				}
			case outside.ID:
				if !errors.Is(r.Err, expodesk.ErrNotFound) || !r.Name.IsZero() || r.LegalName != "" {
					t.Errorf("another pavilion's row: %+v", r)
				}
			}
		}
		for _, id := range []int64{a.ID, b.ID} {
			if p, _ := w.store.ParticipationGetByID(ctx, id); p.Status != expodesk.StatusApproved {
				t.Errorf("%d is %s", id, p.Status)
			}
		}
		if p, _ := w.store.ParticipationGetByID(ctx, outside.ID); p.Status != expodesk.StatusApplied {
			t.Errorf("another pavilion's row is %s", p.Status)
		}
	})
	t.Run("ExhibitorForbidden", func(t *testing.T) {
		if _, err := w.svc.SetParticipationStatuses(ctx, w.as(w.exhibitorIn), expo, []int64{outside.ID},
			service.StatusChange{Status: expodesk.StatusRejected}); !errors.Is(err, expodesk.ErrForbidden) {
			t.Errorf("exhibitor: %v", err)
		}
	})
	t.Run("Validation", func(t *testing.T) {
		before := w.counts(t)
		_, err := w.svc.SetParticipationStatuses(ctx, w.as(w.organizer), expo, nil, service.StatusChange{Status: expodesk.StatusWithdrawn, Reason: "x"})
		for _, f := range []string{"ids", "bulk_status", "bulk_reason"} {
			if !problemOn(err, f) {
				t.Errorf("no problem on %s: %v", f, err)
			}
		}
		if w.counts(t) != before {
			t.Error("changed")
		}
	})
	t.Run("RejectTogether", func(t *testing.T) {
		rows, err := w.svc.SetParticipationStatuses(ctx, w.as(w.organizer), expo, []int64{outside.ID},
			service.StatusChange{Status: expodesk.StatusRejected, Reason: "Full"})
		if err != nil || len(rows) != 1 || rows[0].Err != nil {
			t.Fatalf("%+v %v", rows, err)
		}
		if rec, _ := w.store.ApplicationGet(ctx, outside.ID); rec.Status != expodesk.StatusRejected || rec.RejectionReason != "Full" {
			t.Errorf("%+v", rec)
		}
	})
}

// TestInviteMany checks every line before sending any, and sends all in one go.
func TestInviteMany(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	line := func(n int, email, slug string) service.InviteLine {
		return service.InviteLine{Line: n, Email: email, CompanySlug: slug, Name: expodesk.PersonName{FamilyName: "Test"}}
	}
	t.Run("ProblemsSendNothing", func(t *testing.T) {
		before := w.counts(t)
		_, err := w.svc.InviteMany(ctx, w.as(w.coordinator), []service.InviteLine{
			line(1, "one@inside.example.com", "inside"),
			line(2, "bad", "inside"),
			line(3, "three@example.com", "outside"), // not in the coordinator's pavilion
			line(4, "ONE@inside.example.com", "inside"),
			line(5, "five@example.com", "no-such-company"),
		}, expodesk.ZH)
		var lp service.LineProblems
		if !errors.As(err, &lp) {
			t.Fatalf("err %v", err)
		}
		for _, n := range []int{2, 3, 4, 5} {
			if len(lp[n]) == 0 {
				t.Errorf("line %d has no problem: %v", n, lp)
			}
		}
		if len(lp[1]) != 0 {
			t.Errorf("line 1: %v", lp[1])
		}
		if after := w.counts(t); after[0] != before[0] || after[1] != before[1] || after[2] != before[2] {
			t.Errorf("counts %v → %v", before, after)
		}
	})
	t.Run("OK", func(t *testing.T) {
		before := w.counts(t)
		users, err := w.svc.InviteMany(ctx, w.as(w.organizer), []service.InviteLine{
			line(1, "one@inside.example.com", "inside"), line(2, "two@outside.example.es", "outside")}, expodesk.ES)
		if err != nil || len(users) != 2 {
			t.Fatalf("%v %v", users, err)
		}
		if after := w.counts(t); after[0] != before[0]+2 || after[2] != before[2]+2 {
			t.Errorf("counts %v → %v", before, after)
		}
	})
	t.Run("ExhibitorForbidden", func(t *testing.T) {
		if _, err := w.svc.InviteMany(ctx, w.as(w.exhibitorIn), []service.InviteLine{line(1, "x@example.com", "inside")}, expodesk.EN); !errors.Is(err, expodesk.ErrForbidden) {
			t.Errorf("%v", err)
		}
	})
}
