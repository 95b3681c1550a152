package service_test

import (
	"context"
	"errors"
	"testing"

	"expodesk/internal/expodesk"
)

// TestCancelTeamInvitation checks who may take back a team invitation and
// what goes with it: the unused account it created, and nothing else.
func TestCancelTeamInvitation(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	invited, err := w.svc.Invite(ctx, w.as(w.exhibitorIn), invitation(expodesk.InviteExhibitor, "newcomer@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	open, err := w.svc.OpenTeamInvitations(ctx, w.as(w.exhibitorIn))
	if err != nil || len(open) != 1 || open[0].Email != "newcomer@example.com" {
		t.Fatalf("open invitations = %+v, %v; want the newcomer's", open, err)
	}
	id := open[0].ID

	for name, u := range map[string]expodesk.User{
		"another company": w.exhibitorOut, "organizer": w.organizer, "coordinator": w.coordinator,
	} {
		t.Run(name, func(t *testing.T) {
			before := w.counts(t)
			if err := w.svc.CancelTeamInvitation(ctx, w.as(u), id); !errors.Is(err, expodesk.ErrNotFound) {
				t.Fatalf("err = %v, want ErrNotFound", err)
			}
			after := w.counts(t)
			// Only the refusal's audit entry is new.
			if before[0] != after[0] || before[1] != after[1] || before[2] != after[2] || after[3] != before[3]+1 {
				t.Errorf("counts %v → %v: a refused cancel changed something", before, after)
			}
		})
	}

	t.Run("unknown id", func(t *testing.T) {
		if err := w.svc.CancelTeamInvitation(ctx, w.as(w.exhibitorIn), id+1000); !errors.Is(err, expodesk.ErrNotFound) {
			t.Fatalf("err = %v, want ErrNotFound", err)
		}
	})

	t.Run("own company", func(t *testing.T) {
		if err := w.svc.CancelTeamInvitation(ctx, w.as(w.colleague), id); err != nil {
			t.Fatal(err)
		}
		if _, err := w.store.UserGet(ctx, invited.ID); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("the unused account is still there: %v", err)
		}
		open, err := w.svc.OpenTeamInvitations(ctx, w.as(w.exhibitorIn))
		if err != nil || len(open) != 0 {
			t.Errorf("open invitations after cancel = %+v, %v", open, err)
		}
		var n int
		if err := w.pool.QueryRow(ctx, `SELECT count(*) FROM audit_entry WHERE action = $1 AND object_id = $2`,
			string(expodesk.ActionInvitationCancel), itoa(id)).Scan(&n); err != nil || n != 1 {
			t.Errorf("cancel audit entries = %d, %v; want 1", n, err)
		}
		if err := w.svc.CancelTeamInvitation(ctx, w.as(w.exhibitorIn), id); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("second cancel: err = %v, want ErrNotFound", err)
		}
	})
}
