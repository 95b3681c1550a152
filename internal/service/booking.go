package service

import (
	"context"
	"errors"
	"time"

	"expodesk/internal/expodesk"
)

// Booking (E3): an approved company books a free slot in one action, writes
// its title and abstract then or later (until the publication deadline),
// and cancels before the cancellation deadline. Every rule is checked in
// the transaction that writes, under a lock on the company's participation
// at the expo, so that its quota and overlaps hold across server instances;
// the database's constraints decide what two companies do at once (one
// active booking per slot, no company in two places at a time).

// bookingScope is the audit scope of a booking: its expo, its stage's
// pavilion (so that the coordinator sees it) and its company.
func bookingScope(sl expodesk.BookableSlot, exhibitorID int64) scope {
	return scope{ExpoID: &sl.ExpoID, PavilionID: sl.PavilionID, ExhibitorID: &exhibitorID}
}

func bookingAudit(b expodesk.Booking) map[string]any {
	return map[string]any{"slot_id": b.SlotID, "exhibitor_id": b.ExhibitorID, "titles": b.Titles,
		"abstracts": b.Abstracts, "status": b.Status}
}

// bookingCompany applies the rule of a company's booking operations: a
// visitor must sign in, anyone but a company's team member is refused.
func (s *Service) bookingCompany(ctx context.Context, c Caller, objectType string, id int64) (int64, error) {
	if c.Principal == nil {
		return 0, expodesk.Errorf(expodesk.EUNAUTHORIZED, "error.unauthorized")
	}
	if !c.Principal.IsExhibitor() {
		return 0, s.refuse(ctx, c, objectType, id, expodesk.ErrForbidden)
	}
	return c.Principal.ExhibitorID, nil
}

// BookSlot books slot slotID of expo expoID for the caller's company, with
// texts that may be empty (to be announced). A slot of another expo is
// not found. Booking the slot the company already holds (a form sent
// twice) returns that booking and changes nothing. Otherwise the company's
// participation must be approved; the slot must be free, not blocked, not
// started; the window of the rules that govern its stage open; the
// company under its quota on those stages and free at that time. A slot
// another company took first is ErrSlotTaken.
func (s *Service) BookSlot(ctx context.Context, c Caller, expoID, slotID int64, in expodesk.BookingText) (expodesk.Booking, error) {
	company, err := s.bookingCompany(ctx, c, "slot", slotID)
	if err != nil {
		return expodesk.Booking{}, err
	}
	in = in.Clean()
	var out expodesk.Booking
	err = s.write(ctx, c, func(t *tx) error {
		var err error
		out, _, err = s.book(ctx, c, t, expoID, slotID, company, in, true)
		return err
	})
	return out, err
}

// book is BookSlot's work in transaction t, for company, and for an
// organizer booking on a company's behalf (OrganizerBookSlot): window
// false skips the booking window, which binds companies only. It returns
// the booking and whether it was made now (false: the company held the
// slot already).
func (s *Service) book(ctx context.Context, c Caller, t *tx, expoID, slotID, company int64, in expodesk.BookingText, window bool) (expodesk.Booking, bool, error) {
	var out expodesk.Booking
	err := func() error {
		sl, err := s.slotOfExpo(ctx, c, t, expoID, slotID)
		if err != nil {
			return err
		}
		// The lock every booking and cancellation of the company at the
		// expo takes first: what follows counts bookings nobody else changes.
		if err := approvedAt(ctx, t, company, expoID); err != nil {
			return err
		}
		held, err := t.BookingActiveForSlot(ctx, slotID)
		switch {
		case err == nil && held.ExhibitorID == company:
			out = held
			return errHeld
		case err == nil:
			return expodesk.ErrSlotTaken
		case !errors.Is(err, expodesk.ErrNotFound):
			return err
		}
		now := s.now()
		if sl.Blocked {
			return expodesk.ErrSlotBlocked
		}
		if !sl.StartsAt.After(now) {
			return expodesk.ErrSlotPast
		}
		rules, err := t.BookingRulesFor(ctx, expoID, sl.PavilionID)
		if err != nil {
			return err
		}
		// A draw of these rules' scope allocates their slots first (draw.go).
		if err := drawPending(ctx, t, rules); window && err != nil {
			return err
		}
		if err := rules.WindowError(now); window && err != nil {
			return err
		}
		if err := checkTexts(in, rules, sl, now); err != nil {
			return err
		}
		n, err := t.BookingCountActive(ctx, company, expoID, rules.PavilionID)
		if err != nil {
			return err
		}
		if n >= rules.SlotQuota {
			return expodesk.ErrQuotaReached(rules.SlotQuota)
		}
		if overlaps, err := t.BookingOverlaps(ctx, company, sl.StartsAt, sl.EndsAt); err != nil {
			return err
		} else if overlaps {
			return expodesk.ErrBookingOverlap
		}
		if out, err = t.BookingCreate(ctx, expodesk.Booking{SlotID: slotID, ExhibitorID: company,
			Titles: in.Titles, Abstracts: in.Abstracts}, &c.Principal.UserID); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionBookingCreate, "booking", out.ID, bookingScope(sl, company), nil, bookingAudit(out))
	}()
	if errors.Is(err, errHeld) {
		return out, false, nil
	}
	return out, err == nil, err
}

// slotOfExpo returns slot slotID of expo expoID; another expo's slot, like
// an unknown one, is not found (and the attempt recorded).
func (s *Service) slotOfExpo(ctx context.Context, c Caller, t *tx, expoID, slotID int64) (expodesk.BookableSlot, error) {
	sl, err := t.BookableSlotGet(ctx, slotID)
	if errors.Is(err, expodesk.ErrNotFound) || (err == nil && sl.ExpoID != expoID) {
		return sl, s.refuse(ctx, c, "slot", slotID, expodesk.ErrNotFound)
	}
	return sl, err
}

// approvedAt takes the lock on company's participation at expo expoID that
// its bookings, waitlist places and draw rankings take first, and checks
// that the participation is approved.
func approvedAt(ctx context.Context, t *tx, company, expoID int64) error {
	part, err := t.ParticipationLockForBooking(ctx, company, expoID)
	if errors.Is(err, expodesk.ErrNotFound) || (err == nil && part.Status != expodesk.StatusApproved) {
		return expodesk.ErrNotApproved
	}
	return err
}

// errHeld ends book early when the company holds the slot already.
var errHeld = errors.New("slot held by the company already")

// checkTexts validates texts written at booking or later: lengths, the
// language the rules ask for, and the publication deadline.
func checkTexts(in expodesk.BookingText, rules expodesk.BookingRules, sl expodesk.BookableSlot, now time.Time) error {
	if err := in.Validate(rules); err != nil {
		return err
	}
	if !in.IsZero() && !now.Before(rules.TextsDeadline(sl.StartsAt)) {
		return expodesk.ErrTextsClosed(rules.TextsDeadline(sl.StartsAt))
	}
	return nil
}

// ownBooking returns the caller's company's booking id locked, with its
// slot, after taking the company's participation lock; another company's
// booking is not found (and the attempt recorded).
func (s *Service) ownBooking(ctx context.Context, c Caller, t *tx, company, id int64) (expodesk.Booking, expodesk.BookableSlot, error) {
	b, err := t.BookingGetForUpdate(ctx, id)
	if errors.Is(err, expodesk.ErrNotFound) || (err == nil && b.ExhibitorID != company) {
		return b, expodesk.BookableSlot{}, s.refuse(ctx, c, "booking", id, expodesk.ErrNotFound)
	}
	if err != nil {
		return b, expodesk.BookableSlot{}, err
	}
	sl, err := t.BookableSlotGet(ctx, b.SlotID)
	if err != nil {
		return b, sl, err
	}
	if b.Status != expodesk.BookingActive {
		return b, sl, expodesk.ErrBookingCancelled
	}
	return b, sl, nil
}

// SetBookingTexts replaces the title and abstract of one of the company's
// active bookings, until the publication deadline of the rules that govern
// its stage (or the slot's start). Another company's booking is not found.
func (s *Service) SetBookingTexts(ctx context.Context, c Caller, id int64, in expodesk.BookingText) (expodesk.Booking, error) {
	company, err := s.bookingCompany(ctx, c, "booking", id)
	if err != nil {
		return expodesk.Booking{}, err
	}
	in = in.Clean()
	var out expodesk.Booking
	err = s.write(ctx, c, func(t *tx) error {
		before, sl, err := s.ownBooking(ctx, c, t, company, id)
		if err != nil {
			return err
		}
		rules, err := t.BookingRulesFor(ctx, sl.ExpoID, sl.PavilionID)
		if err != nil {
			return err
		}
		if err := in.Validate(rules); err != nil {
			return err
		}
		if deadline := rules.TextsDeadline(sl.StartsAt); !s.now().Before(deadline) {
			return expodesk.ErrTextsClosed(deadline)
		}
		if out, err = t.BookingSetTexts(ctx, id, in); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionBookingTexts, "booking", id, bookingScope(sl, company),
			bookingAudit(before), bookingAudit(out))
	})
	return out, err
}

// CancelBooking cancels one of the company's active bookings before the
// cancellation deadline of the rules that govern its stage; the slot goes
// to the first in its waitlist who can take it, or is free again at once.
// Another company's booking is not found.
func (s *Service) CancelBooking(ctx context.Context, c Caller, id int64) (expodesk.Booking, error) {
	company, err := s.bookingCompany(ctx, c, "booking", id)
	if err != nil {
		return expodesk.Booking{}, err
	}
	var out expodesk.Booking
	err = s.write(ctx, c, func(t *tx) error {
		// The participation lock first, as BookSlot takes it, so that the
		// two never wait on each other in opposite orders.
		owner, err := t.BookingOwner(ctx, id)
		if errors.Is(err, expodesk.ErrNotFound) || (err == nil && owner.ExhibitorID != company) {
			return s.refuse(ctx, c, "booking", id, expodesk.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if _, err := t.ParticipationLockForBooking(ctx, company, owner.ExpoID); err != nil {
			return err
		}
		before, sl, err := s.ownBooking(ctx, c, t, company, id)
		if err != nil {
			return err
		}
		rules, err := t.BookingRulesFor(ctx, sl.ExpoID, sl.PavilionID)
		if err != nil {
			return err
		}
		if !s.now().Before(rules.CancelDeadline(sl.StartsAt)) {
			return expodesk.ErrCancelTooLate(rules.CancelHoursBefore)
		}
		if out, err = t.BookingCancel(ctx, id, &c.Principal.UserID); err != nil {
			return err
		}
		if err := t.audit(ctx, expodesk.ActionBookingCancel, "booking", id, bookingScope(sl, company),
			bookingAudit(before), bookingAudit(out)); err != nil {
			return err
		}
		return s.passOn(ctx, t, sl.ID, company)
	})
	return out, err
}
