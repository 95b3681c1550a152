package service

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"expodesk/internal/expodesk"
	"expodesk/internal/mail"
	"expodesk/internal/urls"
)

// The fair draw (issue 9, item 5). A booking scope — an expo's own rules,
// or a pavilion's that has rules of its own — may allocate its slots by a
// draw: its organizer (a coordinator for their pavilion) sets a request
// period and how many slots a company may rank; approved companies rank
// slots in that period; after it the organizer runs the draw, which
// allocates by expodesk.RunDraw and books through book(), the path of
// every booking. Until it has run, first come, first served booking in the
// scope is refused; an organizer's booking on a company's behalf is not.
// Every change takes the lock on the draw's settings row first, so that a
// ranking, a change of settings and two runs never interleave.

// drawAuditScope is the audit scope of a draw: its expo and pavilion.
func drawAuditScope(expoID int64, pavilionID *int64) scope {
	return scope{ExpoID: &expoID, PavilionID: pavilionID}
}

// drawManager applies the rule of a scope's draw settings and run: the
// expo's own scope is expo-wide organizers', a pavilion's is its
// coordinator's too (another pavilion is not found). A pavilion scope
// needs the pavilion's own booking rules.
func (s *Service) drawManager(ctx context.Context, c Caller, expoID int64, pavilionID *int64) error {
	if pavilionID == nil {
		if err := s.expoManager(ctx, c, "expo", expoID); err != nil {
			return err
		}
		_, err := s.store.ExpoGetByID(ctx, expoID)
		return err
	}
	if _, err := s.ManagedPavilion(ctx, c, expoID, *pavilionID); err != nil {
		return err
	}
	rules, err := s.store.BookingRulesFor(ctx, expoID, pavilionID)
	if err != nil {
		return err
	}
	if rules.PavilionID == nil {
		return expodesk.ErrDrawNeedsRules
	}
	return nil
}

func drawAudit(d expodesk.Draw) map[string]any {
	return map[string]any{"opens_at": d.OpensAt, "closes_at": d.ClosesAt, "max_choices": d.MaxChoices}
}

// SetDraw sets up the draw of a scope (pavilionID nil: the expo's own) or
// changes its settings, until it has run.
func (s *Service) SetDraw(ctx context.Context, c Caller, expoID int64, pavilionID *int64, d expodesk.Draw) (expodesk.Draw, error) {
	if err := s.drawManager(ctx, c, expoID, pavilionID); err != nil {
		return d, err
	}
	d.ExpoID, d.PavilionID = expoID, pavilionID
	if err := d.Validate(); err != nil {
		return d, err
	}
	var out expodesk.Draw
	err := s.write(ctx, c, func(t *tx) error {
		var before any
		if old, err := t.DrawFor(ctx, expoID, pavilionID); err == nil {
			if old, err = t.DrawLock(ctx, old.ID); err != nil {
				return err
			}
			if old.Run != nil {
				return expodesk.ErrDrawAlreadyRun
			}
			before = drawAudit(old)
		} else if !errors.Is(err, expodesk.ErrNotFound) {
			return err
		}
		var err error
		if out, err = t.DrawSet(ctx, d); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionDrawSet, "draw", out.ID, drawAuditScope(expoID, pavilionID), before, drawAudit(out))
	})
	return out, err
}

// RemoveDraw removes a scope's draw that has not run, with its rankings:
// the scope is first come, first served again.
func (s *Service) RemoveDraw(ctx context.Context, c Caller, expoID int64, pavilionID *int64) error {
	if err := s.drawManager(ctx, c, expoID, pavilionID); err != nil {
		return err
	}
	return s.write(ctx, c, func(t *tx) error {
		d, err := t.DrawFor(ctx, expoID, pavilionID)
		if err != nil {
			return err
		}
		if d, err = t.DrawLock(ctx, d.ID); err != nil {
			return err
		}
		if d.Run != nil {
			return expodesk.ErrDrawAlreadyRun
		}
		if err := t.DrawDelete(ctx, d.ID); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionDrawRemove, "draw", d.ID, drawAuditScope(expoID, pavilionID), drawAudit(d), nil)
	})
}

// drawOfExpo returns draw id of expo expoID for a company's request; a
// draw of another expo is not found (and the attempt recorded).
func (s *Service) drawOfExpo(ctx context.Context, c Caller, t *tx, expoID, id int64) (expodesk.Draw, error) {
	d, err := t.DrawLock(ctx, id)
	if errors.Is(err, expodesk.ErrNotFound) || (err == nil && d.ExpoID != expoID) {
		return d, s.refuse(ctx, c, "draw", id, expodesk.ErrNotFound)
	}
	return d, err
}

// SetDrawRanking replaces the caller's company's ranking in draw drawID of
// expo expoID with ranked (slot ids best first, 0 for a rank left empty),
// during the request period. The company must be approved at the expo;
// each choice a different free slot of the draw's scope, at most
// MaxChoices of them.
func (s *Service) SetDrawRanking(ctx context.Context, c Caller, expoID, drawID int64, ranked []int64) (expodesk.DrawRequest, error) {
	company, err := s.bookingCompany(ctx, c, "draw", drawID)
	if err != nil {
		return expodesk.DrawRequest{}, err
	}
	var out expodesk.DrawRequest
	err = s.write(ctx, c, func(t *tx) error {
		d, err := s.drawOfExpo(ctx, c, t, expoID, drawID)
		if err != nil {
			return err
		}
		if err := approvedAt(ctx, t, company, expoID); err != nil {
			return err
		}
		if err := d.RequestError(s.now()); err != nil {
			return err
		}
		free, err := t.DrawFreeSlots(ctx, expoID, d.PavilionID)
		if err != nil {
			return err
		}
		eligible := map[int64]bool{}
		for _, sl := range free {
			eligible[sl.SlotID] = true
		}
		choices, err := expodesk.ValidateRanking(d, ranked, eligible)
		if err != nil {
			return err
		}
		var before any
		if old, err := t.DrawRequestOf(ctx, d.ID, company); err == nil {
			before = map[string]any{"choices": old.Choices}
		}
		if out, err = t.DrawRequestSet(ctx, d.ID, company, choices); err != nil {
			return err
		}
		sc := drawAuditScope(expoID, d.PavilionID)
		sc.ExhibitorID = &company
		return t.audit(ctx, expodesk.ActionDrawRequest, "draw_request", out.ID, sc, before,
			map[string]any{"draw_id": d.ID, "choices": out.Choices})
	})
	return out, err
}

// WithdrawDrawRanking withdraws one of the caller's company's rankings
// during its draw's request period; another company's is not found.
func (s *Service) WithdrawDrawRanking(ctx context.Context, c Caller, id int64) (expodesk.DrawRequest, error) {
	company, err := s.bookingCompany(ctx, c, "draw_request", id)
	if err != nil {
		return expodesk.DrawRequest{}, err
	}
	var req expodesk.DrawRequest
	err = s.write(ctx, c, func(t *tx) error {
		var err error
		req, err = t.DrawRequestGet(ctx, id)
		if errors.Is(err, expodesk.ErrNotFound) || (err == nil && req.ExhibitorID != company) {
			return s.refuse(ctx, c, "draw_request", id, expodesk.ErrNotFound)
		}
		if err != nil {
			return err
		}
		d, err := t.DrawLock(ctx, req.DrawID)
		if err != nil {
			return err
		}
		if err := d.RequestError(s.now()); err != nil {
			return err
		}
		if err := t.DrawRequestDelete(ctx, id); err != nil {
			return err
		}
		sc := drawAuditScope(d.ExpoID, d.PavilionID)
		sc.ExhibitorID = &company
		return t.audit(ctx, expodesk.ActionDrawWithdraw, "draw_request", id, sc,
			map[string]any{"draw_id": d.ID, "choices": req.Choices}, nil)
	})
	return req, err
}

// RunDraw runs the draw of a scope once its request period has closed: a
// seed of 32 random bytes, the order and allocation of expodesk.RunDraw
// over the approved companies' rankings, the free slots of the scope and
// its quota; each slot booked through book() (texts to be announced), the
// results kept, an audit entry and a mail to each company's team. A draw
// that has run already is ErrDrawAlreadyRun, whoever ran it.
func (s *Service) RunDraw(ctx context.Context, c Caller, expoID int64, pavilionID *int64) (expodesk.Draw, error) {
	if err := s.drawManager(ctx, c, expoID, pavilionID); err != nil {
		return expodesk.Draw{}, err
	}
	expo, err := s.store.ExpoGetByID(ctx, expoID)
	if err != nil {
		return expodesk.Draw{}, err
	}
	var seed [expodesk.DrawSeedLen]byte
	if _, err := rand.Read(seed[:]); err != nil {
		return expodesk.Draw{}, fmt.Errorf("draw seed: %w", err)
	}
	var out expodesk.Draw
	err = s.write(ctx, c, func(t *tx) error {
		d, err := t.DrawFor(ctx, expoID, pavilionID)
		if err != nil {
			return err
		}
		// The lock a second run waits on; it then finds the run recorded.
		if d, err = t.DrawLock(ctx, d.ID); err != nil {
			return err
		}
		now := s.now()
		switch {
		case d.Run != nil:
			return expodesk.ErrDrawAlreadyRun
		case now.Before(d.ClosesAt):
			return expodesk.ErrDrawNotClosed
		}
		rules, err := t.BookingRulesFor(ctx, expoID, pavilionID)
		if err != nil {
			return err
		}
		participants, err := s.drawParticipants(ctx, t, d, rules)
		if err != nil {
			return err
		}
		free, err := t.DrawFreeSlots(ctx, expoID, pavilionID)
		if err != nil {
			return err
		}
		slots := make([]expodesk.DrawSlot, len(free))
		info := map[int64]expodesk.FreeSlot{}
		for i, sl := range free {
			slots[i] = expodesk.DrawSlot{ID: sl.SlotID, StartsAt: sl.StartsAt, EndsAt: sl.EndsAt}
			info[sl.SlotID] = sl
		}
		run := expodesk.DrawRun{Seed: seed[:], DrawnAt: now, Participants: len(participants)}
		// Recorded first: the run's primary key is the guarantee that
		// holds even if two transactions got past the lock.
		if err := t.DrawRunCreate(ctx, d.ID, run, &c.Principal.UserID); err != nil {
			return err
		}
		res := expodesk.RunDraw(seed, participants, slots, rules.SlotQuota)
		for _, a := range res.Allocations {
			if _, made, err := s.book(ctx, c, t, expoID, a.SlotID, a.ExhibitorID, expodesk.BookingText{}, false); err != nil {
				return fmt.Errorf("draw: book slot %d for %d: %w", a.SlotID, a.ExhibitorID, err)
			} else if !made {
				return fmt.Errorf("draw: slot %d was held already", a.SlotID)
			}
		}
		sc := drawAuditScope(expoID, pavilionID)
		var order []int64
		for _, e := range res.Entries {
			order = append(order, e.ExhibitorID)
			rec := expodesk.DrawEntryRecord{ExhibitorID: e.ExhibitorID, Position: e.Position}
			for _, ch := range e.Choices {
				r := expodesk.DrawChoiceRecord{DrawChoice: ch}
				if sl, ok := info[ch.SlotID]; ok {
					r.StartsAt, r.EndsAt, r.StageName = sl.StartsAt, sl.EndsAt, sl.StageName
				} else if sl, err := t.BookableSlotGet(ctx, ch.SlotID); err == nil {
					r.StartsAt, r.EndsAt = sl.StartsAt, sl.EndsAt
					if st, err := t.StageGet(ctx, sl.StageID); err == nil {
						r.StageName = st.Name
					}
				}
				rec.Choices = append(rec.Choices, r)
			}
			if err := t.DrawEntryCreate(ctx, d.ID, rec); err != nil {
				return err
			}
			if err := s.tellDrawResult(ctx, t, expo, rec, len(res.Entries), sc); err != nil {
				return err
			}
		}
		allocations := make([]map[string]any, len(res.Allocations))
		for i, a := range res.Allocations {
			allocations[i] = map[string]any{"slot_id": a.SlotID, "exhibitor_id": a.ExhibitorID, "position": a.Position, "round": a.Round}
		}
		if err := t.audit(ctx, expodesk.ActionDrawRun, "draw", d.ID, sc, nil, map[string]any{"seed": run.SeedHex(),
			"order": order, "allocations": allocations, "quota": rules.SlotQuota}); err != nil {
			return err
		}
		d.Run = &run
		out = d
		return nil
	})
	return out, err
}

// drawParticipants are the companies of a draw's rankings that are still
// approved at its expo (their participation locked, as book() locks it),
// with their rankings cut to the draw's MaxChoices and what they hold.
func (s *Service) drawParticipants(ctx context.Context, t *tx, d expodesk.Draw, rules expodesk.BookingRules) ([]expodesk.DrawParticipant, error) {
	reqs, err := t.DrawRequests(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	var out []expodesk.DrawParticipant
	for _, q := range reqs {
		if err := approvedAt(ctx, t, q.ExhibitorID, d.ExpoID); errors.Is(err, expodesk.ErrNotApproved) {
			continue
		} else if err != nil {
			return nil, err
		}
		p := expodesk.DrawParticipant{ExhibitorID: q.ExhibitorID, Choices: q.Choices}
		if len(p.Choices) > d.MaxChoices {
			p.Choices = p.Choices[:d.MaxChoices]
		}
		if p.Held, err = t.BookingCountActive(ctx, q.ExhibitorID, d.ExpoID, rules.PavilionID); err != nil {
			return nil, err
		}
		if p.Busy, err = t.DrawBusy(ctx, q.ExhibitorID); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// tellDrawResult mails a participant's team its place and its slots.
func (s *Service) tellDrawResult(ctx context.Context, t *tx, expo expodesk.Expo, rec expodesk.DrawEntryRecord, of int, sc scope) error {
	sc.ExhibitorID = &rec.ExhibitorID
	return s.tellCompany(ctx, t, rec.ExhibitorID, sc, func(l expodesk.Lang, company string) mail.Content {
		m := mail.DrawResult{Company: company, Expo: expo.Name.In(l), Position: rec.Position, Of: of, Zone: expo.Location(),
			Link: s.link(urls.ExhibitorDraw(expo.Slug))}
		for _, w := range rec.Won() {
			m.Won = append(m.Won, mail.DrawWonSlot{Stage: w.StageName.In(l), Start: w.StartsAt})
		}
		return m
	})
}

// drawPending is book()'s check of the draw: first come, first served
// waits while the draw of the rules' scope is set up and has not run.
func drawPending(ctx context.Context, t *tx, rules expodesk.BookingRules) error {
	d, err := t.DrawFor(ctx, rules.ExpoID, rules.PavilionID)
	switch {
	case errors.Is(err, expodesk.ErrNotFound):
		return nil
	case err != nil:
		return err
	case d.Pending():
		return d.BookingError()
	}
	return nil
}
