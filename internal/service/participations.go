package service

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
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
	// Reason is why an application was rejected (optional): kept with the
	// participation and mailed to the applicant of a public application.
	Reason string
}

// SetParticipationStatus approves or rejects an invited or applied company,
// or withdraws an approved one. Any other move is a problem on the status
// field; approving onto a booth another approved company holds is a problem
// on the booth field. An approved company is public at once (the page cache
// hears of it from the database). Approving keeps the company's profile as
// it is now and, for a public application of a company without users yet,
// invites the applicant; rejecting one tells the applicant why.
func (s *Service) SetParticipationStatus(ctx context.Context, c Caller, id int64, in StatusChange) (expodesk.Participation, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	var out expodesk.Participation
	err := s.write(ctx, c, func(t *tx) error {
		var err error
		out, err = s.decide(ctx, t, id, in)
		return err
	})
	return out, err
}

// decide takes one decision on participation id in t (see SetParticipationStatus).
func (s *Service) decide(ctx context.Context, t *tx, id int64, in StatusChange) (expodesk.Participation, error) {
	before, err := s.managedParticipation(ctx, t.c, t.ParticipationGetForUpdate, id)
	if err != nil {
		return before, err
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
		return before, err
	}
	out, err := t.ParticipationSetStatus(ctx, id, before.Status, in.Status)
	if err != nil {
		return before, err
	}
	switch in.Status {
	case expodesk.StatusApproved:
		err = s.approved(ctx, t, before, out)
	case expodesk.StatusRejected:
		err = s.rejected(ctx, t, before, out, in.Reason)
	}
	if err != nil {
		return before, err
	}
	after := participationAudit(out)
	if in.Reason != "" {
		after["reason"] = in.Reason
	}
	return out, t.audit(ctx, expodesk.ActionParticipationStatus, "participation", id, participationScope(out),
		participationAudit(before), after)
}

// BulkRow is the outcome of one row of a bulk decision: the company's
// name (empty for a row the caller may not see) and, when it could not
// move, the reason.
type BulkRow struct {
	ID        int64
	Name      expodesk.Text
	LegalName string
	Err       error
}

// maxBulkRows bounds one bulk decision.
const maxBulkRows = 500

// SetParticipationStatuses takes one decision (approve or reject, with one
// reason for all) on several participations of expo expoID. Each row is
// decided on its own: a row that cannot move (a final status, a booth
// taken, another pavilion's or another expo's) is reported and left as it
// was, and every other row is changed, with its audit entry and mail, in
// one transaction.
func (s *Service) SetParticipationStatuses(ctx context.Context, c Caller, expoID int64, ids []int64, in StatusChange) ([]BulkRow, error) {
	if c.Principal == nil {
		return nil, expodesk.Errorf(expodesk.EUNAUTHORIZED, "error.unauthorized")
	}
	if !c.Principal.IsOrganizer() {
		return nil, s.refuse(ctx, c, "participation", 0, expodesk.ErrForbidden)
	}
	in.Reason = strings.TrimSpace(in.Reason)
	p := expodesk.Problems{}
	if in.Status != expodesk.StatusApproved && in.Status != expodesk.StatusRejected {
		p.Add("bulk_status", "validation.choice", nil)
	}
	if in.Reason != "" && in.Status != expodesk.StatusRejected {
		p.Add("bulk_reason", "participations.reason_only_rejected", nil)
	}
	if utf8.RuneCountInString(in.Reason) > expodesk.MaxReasonLen {
		p.Add("bulk_reason", "validation.too_long", map[string]any{"Max": expodesk.MaxReasonLen})
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	switch {
	case len(ids) == 0:
		p.Add("ids", "apply.bulk_none", nil)
	case len(ids) > maxBulkRows:
		p.Add("ids", "apply.bulk_too_many", map[string]any{"Max": maxBulkRows})
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var rows []BulkRow
	err := s.write(ctx, c, func(t *tx) error {
		rows = rows[:0]
		for _, id := range ids {
			row := BulkRow{ID: id}
			// A savepoint per row: a row that cannot move leaves the others be.
			err := t.Tx(ctx, func(st *postgres.Store) error {
				sub := &tx{Store: st, svc: s, c: c}
				pt, err := st.ParticipationGetByID(ctx, id)
				if err == nil && pt.ExpoID != expoID {
					err = s.refuse(ctx, c, "participation", id, expodesk.ErrNotFound)
				}
				if err == nil && expodesk.CanManageParticipation(c.Principal, pt.PavilionID) {
					if e, err := st.ExhibitorGetByID(ctx, pt.ExhibitorID); err == nil {
						row.Name, row.LegalName = e.Name, e.LegalName
					}
				}
				if err == nil {
					_, err = s.decide(ctx, sub, id, in)
				}
				if err == nil {
					t.queued = append(t.queued, sub.queued...)
				}
				return err
			})
			switch expodesk.ErrorCode(err) {
			case "":
			case expodesk.ENOTFOUND, expodesk.EINVALID, expodesk.ECONFLICT:
				row.Err = err
			default:
				return err
			}
			rows = append(rows, row)
		}
		return nil
	})
	return rows, err
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
