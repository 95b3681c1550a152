package service_test

import (
	"context"
	"errors"
	"testing"

	"expodesk/internal/expodesk"
	"expodesk/internal/service"
)

// participationOf returns the company's participation in the fixture's expo.
func (w world) participationOf(t *testing.T, exhibitorID int64) expodesk.Participation {
	t.Helper()
	var id int64
	if err := w.pool.QueryRow(context.Background(), `SELECT id FROM participation WHERE exhibitor_id = $1 AND expo_id = $2`,
		exhibitorID, w.pavilion.ExpoID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	p, err := w.store.ParticipationGetByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// applicant adds a company that applied to the fixture's expo, in pavilion (nil: none).
func (w world) applicant(t *testing.T, slug string, pavilion *int64, booth string) expodesk.Participation {
	t.Helper()
	ctx := context.Background()
	e, err := w.store.ExhibitorCreate(ctx, expodesk.Exhibitor{Slug: slug, LegalName: slug + " Ltd", Name: expodesk.Text{EN: slug}, Country: "CN"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.store.ParticipationCreate(ctx, expodesk.Participation{ExpoID: w.pavilion.ExpoID, ExhibitorID: e.ID,
		PavilionID: pavilion, Booth: booth, Status: expodesk.StatusApplied})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSetParticipationStatus checks the permission rule, the transitions
// and the audit entry of a decision on a participation.
func TestSetParticipationStatus(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	audits := func() int { return w.counts(t)[3] }

	t.Run("CoordinatorApprovesInOwnPavilion", func(t *testing.T) {
		a := w.applicant(t, "applicant-in", &w.pavilion.ID, "")
		n := audits()
		p, err := w.svc.SetParticipationStatus(ctx, w.as(w.coordinator), a.ID, service.StatusChange{Status: expodesk.StatusApproved})
		if err != nil || p.Status != expodesk.StatusApproved {
			t.Fatalf("approve: %v, %+v", err, p)
		}
		if audits() != n+1 {
			t.Error("no audit entry")
		}
		var before, after string
		if err := w.pool.QueryRow(ctx, `SELECT before->>'status', after->>'status' FROM audit_entry
			WHERE action = 'participation.set_status' AND object_id = $1`, itoa(a.ID)).Scan(&before, &after); err != nil {
			t.Fatal(err)
		}
		if before != "applied" || after != "approved" {
			t.Errorf("audit before/after = %s/%s", before, after)
		}
	})
	t.Run("RejectWithReason", func(t *testing.T) {
		a := w.applicant(t, "applicant-rejected", nil, "")
		if _, err := w.svc.SetParticipationStatus(ctx, w.as(w.organizer), a.ID,
			service.StatusChange{Status: expodesk.StatusRejected, Reason: "Out of scope"}); err != nil {
			t.Fatal(err)
		}
		var reason string
		if err := w.pool.QueryRow(ctx, `SELECT after->>'reason' FROM audit_entry
			WHERE action = 'participation.set_status' AND object_id = $1`, itoa(a.ID)).Scan(&reason); err != nil || reason != "Out of scope" {
			t.Errorf("reason %q, %v", reason, err)
		}
		// Rejected is final: approving it now is a problem on the status field.
		if _, err := w.svc.SetParticipationStatus(ctx, w.as(w.organizer), a.ID,
			service.StatusChange{Status: expodesk.StatusApproved}); !problemOn(err, "status") {
			t.Errorf("rejected → approved: %v, want a problem on status", err)
		}
	})
	for _, tc := range []struct {
		name   string
		caller expodesk.User
		part   func() expodesk.Participation
		to     expodesk.ParticipationStatus
		want   error
		field  string
	}{
		{"CoordinatorOtherPavilionNotFound", w.coordinator, func() expodesk.Participation { return w.participationOf(t, w.outside.ID) },
			expodesk.StatusWithdrawn, expodesk.ErrNotFound, ""},
		{"ExhibitorForbidden", w.exhibitorIn, func() expodesk.Participation { return w.participationOf(t, w.inside.ID) },
			expodesk.StatusWithdrawn, expodesk.ErrForbidden, ""},
		{"ApprovedToRejectedBadTransition", w.organizer, func() expodesk.Participation { return w.participationOf(t, w.inside.ID) },
			expodesk.StatusRejected, nil, "status"},
		{"UnknownStatus", w.organizer, func() expodesk.Participation { return w.applicant(t, "applicant-odd", nil, "") },
			"crowned", nil, "status"},
		{"UnknownParticipation", w.organizer, func() expodesk.Participation { return expodesk.Participation{ID: 999999} },
			expodesk.StatusApproved, expodesk.ErrNotFound, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.part()
			n := w.counts(t)[3]
			_, err := w.svc.SetParticipationStatus(ctx, w.as(tc.caller), p.ID, service.StatusChange{Status: tc.to})
			switch {
			case err == nil:
				t.Fatal("changed")
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Fatalf("err = %v, want %v", err, tc.want)
			case tc.field != "" && !problemOn(err, tc.field):
				t.Fatalf("err = %v, want a problem on %s", err, tc.field)
			}
			if p.ID != 999999 {
				if now, _ := w.store.ParticipationGetByID(ctx, p.ID); now.Status != p.Status {
					t.Errorf("status %s → %s", p.Status, now.Status)
				}
			}
			// A refusal is audited as a refusal, a problem not at all.
			if got := w.counts(t)[3]; got > n+1 || (tc.field != "" && got != n) {
				t.Errorf("audit entries %d → %d", n, got)
			}
		})
	}
}

// TestPlaceParticipation checks who may move a participation where, and
// that a booth clash is a problem on the booth field that changes nothing.
func TestPlaceParticipation(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	other, err := w.store.PavilionCreate(ctx, expodesk.Pavilion{ExpoID: w.pavilion.ExpoID, Slug: "other-pavilion", Name: expodesk.Text{EN: "Other"}, Position: 2})
	if err != nil {
		t.Fatal(err)
	}
	inside := w.participationOf(t, w.inside.ID)
	outside := w.participationOf(t, w.outside.ID)

	if p, err := w.svc.PlaceParticipation(ctx, w.as(w.coordinator), inside.ID, service.Placement{PavilionID: w.pavilion.ID, Booth: " 2-A01 "}); err != nil || p.Booth != "2-A01" {
		t.Fatalf("coordinator places in own pavilion: %v %+v", err, p)
	}
	if p, err := w.svc.PlaceParticipation(ctx, w.as(w.organizer), outside.ID, service.Placement{PavilionID: other.ID, Booth: "3-B10"}); err != nil || p.PavilionID == nil || *p.PavilionID != other.ID {
		t.Fatalf("organizer places: %v %+v", err, p)
	}
	for _, tc := range []struct {
		name   string
		caller expodesk.User
		id     int64
		in     service.Placement
		want   error
		field  string
	}{
		{"CoordinatorOtherPavilionNotFound", w.coordinator, outside.ID, service.Placement{PavilionID: w.pavilion.ID}, expodesk.ErrNotFound, ""},
		{"CoordinatorMovesOut", w.coordinator, inside.ID, service.Placement{PavilionID: other.ID, Booth: "2-A01"}, nil, "pavilion"},
		{"CoordinatorMovesToNone", w.coordinator, inside.ID, service.Placement{Booth: "2-A01"}, nil, "pavilion"},
		{"ExhibitorForbidden", w.exhibitorIn, inside.ID, service.Placement{PavilionID: w.pavilion.ID}, expodesk.ErrForbidden, ""},
		{"UnknownPavilion", w.organizer, inside.ID, service.Placement{PavilionID: 999999}, nil, "pavilion"},
		{"BoothTaken", w.organizer, outside.ID, service.Placement{PavilionID: other.ID, Booth: "2-A01"}, expodesk.ErrBoothTaken, "booth"},
		{"BoothTooLong", w.organizer, outside.ID, service.Placement{Booth: "123456789012345678901"}, nil, "booth"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := w.store.ParticipationGetByID(ctx, tc.id)
			n := w.counts(t)[3]
			_, err := w.svc.PlaceParticipation(ctx, w.as(tc.caller), tc.id, tc.in)
			switch {
			case err == nil:
				t.Fatal("placed")
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Fatalf("err = %v, want %v", err, tc.want)
			case tc.field != "" && !problemOn(err, tc.field):
				t.Fatalf("err = %v, want a problem on %s", err, tc.field)
			}
			after, _ := w.store.ParticipationGetByID(ctx, tc.id)
			if after.Booth != before.Booth || (after.PavilionID == nil) != (before.PavilionID == nil) ||
				(after.PavilionID != nil && *after.PavilionID != *before.PavilionID) {
				t.Errorf("participation changed: %+v → %+v", before, after)
			}
			if got := w.counts(t)[3]; got > n+1 {
				t.Errorf("audit entries %d → %d", n, got)
			}
		})
	}
	t.Run("ApprovingOntoATakenBooth", func(t *testing.T) {
		a := w.applicant(t, "applicant-booth", nil, "2-A01")
		if _, err := w.svc.SetParticipationStatus(ctx, w.as(w.organizer), a.ID,
			service.StatusChange{Status: expodesk.StatusApproved}); !errors.Is(err, expodesk.ErrBoothTaken) {
			t.Fatalf("approve onto a taken booth: %v", err)
		}
		if now, _ := w.store.ParticipationGetByID(ctx, a.ID); now.Status != expodesk.StatusApplied {
			t.Errorf("status now %s", now.Status)
		}
	})
}
