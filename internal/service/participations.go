package service

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"expodesk/internal/expodesk"
)

// participationScope is the audit scope of a change to a participation:
// its expo, its pavilion (so that the coordinator sees it) and its company.
func participationScope(p expodesk.Participation) scope {
	return scope{ExpoID: &p.ExpoID, PavilionID: p.PavilionID, ExhibitorID: &p.ExhibitorID}
}

// participationAudit is what the audit log records of a participation.
func participationAudit(p expodesk.Participation) map[string]any {
	return map[string]any{"status": p.Status, "pavilion_id": p.PavilionID, "booth": p.Booth}
}

// ManagedParticipation returns participation id if the caller may manage
// it: expo-wide organizers any, a coordinator one in their pavilion; another
// is not found (and the attempt recorded). Exhibitors and visitors are
// refused before anything is read.
func (s *Service) ManagedParticipation(ctx context.Context, c Caller, id int64) (expodesk.Participation, error) {
	return s.managedParticipation(ctx, c, s.store.ParticipationGetByID, id)
}

// managedParticipation is ManagedParticipation reading with get (in a
// write: locked until the transaction ends, so that a decision is taken on
// the status it checked).
func (s *Service) managedParticipation(ctx context.Context, c Caller,
	get func(context.Context, int64) (expodesk.Participation, error), id int64) (expodesk.Participation, error) {
	if c.Principal == nil {
		return expodesk.Participation{}, expodesk.Errorf(expodesk.EUNAUTHORIZED, "error.unauthorized")
	}
	if !c.Principal.IsOrganizer() {
		return expodesk.Participation{}, s.refuse(ctx, c, "participation", id, expodesk.ErrForbidden)
	}
	p, err := get(ctx, id)
	if err != nil {
		return p, err
	}
	if !expodesk.CanManageParticipation(c.Principal, p.PavilionID) {
		return expodesk.Participation{}, s.refuse(ctx, c, "participation", id, expodesk.ErrNotFound)
	}
	return p, nil
}

// StatusChange is an organizer's decision on a participation.
type StatusChange struct {
	Status expodesk.ParticipationStatus
	// Reason is why an application was rejected (optional; kept in the
	// audit entry, as nothing is sent yet).
	Reason string
}

// SetParticipationStatus approves or rejects an invited or applied company,
// or withdraws an approved one. Any other move is a problem on the status
// field; approving onto a booth another approved company holds is a problem
// on the booth field. An approved company is public at once (the page cache
// hears of it from the database). Approving sends no mail yet.
func (s *Service) SetParticipationStatus(ctx context.Context, c Caller, id int64, in StatusChange) (expodesk.Participation, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	var out expodesk.Participation
	err := s.write(ctx, c, func(t *tx) error {
		before, err := s.managedParticipation(ctx, c, t.ParticipationGetForUpdate, id)
		if err != nil {
			return err
		}
		p := expodesk.Problems{}
		if !expodesk.CanTransition(before.Status, in.Status) {
			p.Add("status", "participations.bad_transition", map[string]any{"From": string(before.Status), "To": string(in.Status)})
		}
		if in.Reason != "" && in.Status != expodesk.StatusRejected {
			p.Add("reason", "participations.reason_only_rejected", nil)
		}
		if utf8.RuneCountInString(in.Reason) > expodesk.MaxReasonLen {
			p.Add("reason", "validation.too_long", map[string]any{"Max": expodesk.MaxReasonLen})
		}
		if err := p.Err(); err != nil {
			return err
		}
		if out, err = t.ParticipationSetStatus(ctx, id, before.Status, in.Status); err != nil {
			return err
		}
		after := participationAudit(out)
		if in.Reason != "" {
			after["reason"] = in.Reason
		}
		return t.audit(ctx, expodesk.ActionParticipationStatus, "participation", id, participationScope(out),
			participationAudit(before), after)
	})
	return out, err
}

// Placement is where a participation exhibits: a pavilion of its expo (0
// for none) and a booth code ("" for none yet).
type Placement struct {
	PavilionID int64
	Booth      string
}

// PlaceParticipation sets a participation's pavilion and booth. A pavilion
// of another expo (a forged form) is a problem on the pavilion field, and so
// is a coordinator moving one out of their pavilion; a booth another
// approved company of the expo holds is a problem on the booth field.
func (s *Service) PlaceParticipation(ctx context.Context, c Caller, id int64, in Placement) (expodesk.Participation, error) {
	in.Booth = expodesk.CleanBooth(in.Booth)
	var out expodesk.Participation
	err := s.write(ctx, c, func(t *tx) error {
		before, err := s.managedParticipation(ctx, c, t.ParticipationGetForUpdate, id)
		if err != nil {
			return err
		}
		p := expodesk.Problems{}
		var pavilion *int64
		if in.PavilionID != 0 {
			pavilion = &in.PavilionID
			if pv, err := t.PavilionGetByID(ctx, in.PavilionID); err != nil {
				if expodesk.ErrorCode(err) != expodesk.ENOTFOUND {
					return err
				}
				p.Add("pavilion", "validation.choice", nil)
			} else if pv.ExpoID != before.ExpoID {
				p.Add("pavilion", "validation.choice", nil)
			}
		}
		if _, bad := p["pavilion"]; !bad && !expodesk.CanManageParticipation(c.Principal, pavilion) {
			s.RecordRefusal(ctx, c, "participation", strconv.FormatInt(id, 10))
			p.Add("pavilion", "participations.pavilion_not_yours", nil)
		}
		expodesk.ValidateBooth(p, in.Booth)
		if err := p.Err(); err != nil {
			return err
		}
		if out, err = t.ParticipationPlace(ctx, id, pavilion, in.Booth); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionParticipationPlace, "participation", id, participationScope(out),
			participationAudit(before), participationAudit(out))
	})
	return out, err
}
