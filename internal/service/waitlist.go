package service

import (
	"context"
	"errors"

	"expodesk/internal/expodesk"
	"expodesk/internal/mail"
	"expodesk/internal/urls"
)

// Waitlists (issue 9, item 4). A company joins the line of a slot another
// company holds, under the rules it would book it by (approved, the window
// open, not blocked, not started, under its quota and free at that time:
// a company that could not take the slot is not put in line to wait for
// it). When the slot is freed — the holder cancels, an organizer cancels
// or moves the booking, an offer is declined or runs out — passOn gives it
// to the first in line who still can, in the same transaction, so that
// nobody booking the freed slot directly can come between. Entries that
// cannot take it (over quota, elsewhere at that time, no longer approved)
// stay in line for a later turn.
//
// Lock order: a freeing holds its own company's participation lock, then
// locks the line and each candidate's participation in turn. Two freeings
// whose lines hold each other's company wait on each other; PostgreSQL
// ends one with a deadlock error and write runs that transaction again.

func waitlistAudit(e expodesk.WaitlistEntry) map[string]any {
	return map[string]any{"slot_id": e.SlotID, "exhibitor_id": e.ExhibitorID, "titles": e.Titles, "abstracts": e.Abstracts}
}

// JoinWaitlist puts the caller's company in the line of slot slotID of
// expo expoID, with texts its booking gets (empty: to be announced). A
// slot of another expo is not found; joining a line the company is in
// already (a form sent twice) returns its entry and changes nothing. The
// slot must be held by another company (a free one is booked instead), not
// blocked nor started; the company approved, the window open, and the
// company under its quota and free at that time, as for booking it.
func (s *Service) JoinWaitlist(ctx context.Context, c Caller, expoID, slotID int64, in expodesk.BookingText) (expodesk.WaitlistEntry, error) {
	company, err := s.bookingCompany(ctx, c, "slot", slotID)
	if err != nil {
		return expodesk.WaitlistEntry{}, err
	}
	in = in.Clean()
	var out expodesk.WaitlistEntry
	err = s.write(ctx, c, func(t *tx) error {
		sl, err := s.slotOfExpo(ctx, c, t, expoID, slotID)
		if err != nil {
			return err
		}
		// The lock BookSlot takes: the quota below counts bookings nobody changes.
		if err := approvedAt(ctx, t, company, expoID); err != nil {
			return err
		}
		switch e, err := t.WaitlistEntryOf(ctx, slotID, company); {
		case err == nil:
			out = e
			return nil
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
		switch held, err := t.BookingHeldForSlot(ctx, slotID); {
		case errors.Is(err, expodesk.ErrNotFound):
			return expodesk.ErrWaitlistSlotFree
		case err != nil:
			return err
		case held.ExhibitorID == company:
			return expodesk.ErrWaitlistOwnSlot
		}
		rules, err := t.BookingRulesFor(ctx, expoID, sl.PavilionID)
		if err != nil {
			return err
		}
		if err := rules.WindowError(now); err != nil {
			return err
		}
		if err := drawPending(ctx, t, rules); err != nil {
			return err
		}
		if err := checkTexts(in, rules, sl, now); err != nil {
			return err
		}
		if err := canTake(ctx, t, company, sl, rules); err != nil {
			return err
		}
		if out, err = t.WaitlistEntryCreate(ctx, expodesk.WaitlistEntry{SlotID: slotID, ExhibitorID: company,
			Titles: in.Titles, Abstracts: in.Abstracts}, &c.Principal.UserID); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionWaitlistJoin, "waitlist_entry", out.ID, bookingScope(sl, company), nil, waitlistAudit(out))
	})
	return out, err
}

// canTake reports why company, whose participation lock t holds, could
// not take slot sl under rules: its quota reached, or a slot it holds at
// that time; nil when it could.
func canTake(ctx context.Context, t *tx, company int64, sl expodesk.BookableSlot, rules expodesk.BookingRules) error {
	n, err := t.BookingCountActive(ctx, company, sl.ExpoID, rules.PavilionID)
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
	return nil
}

// LeaveWaitlist takes the caller's company's entry id out of its line.
// Another company's entry is not found.
func (s *Service) LeaveWaitlist(ctx context.Context, c Caller, id int64) error {
	company, err := s.bookingCompany(ctx, c, "waitlist_entry", id)
	if err != nil {
		return err
	}
	return s.write(ctx, c, func(t *tx) error {
		e, err := t.WaitlistEntryGetForUpdate(ctx, id)
		if errors.Is(err, expodesk.ErrNotFound) || (err == nil && !expodesk.CanActForCompany(c.Principal, e.ExhibitorID)) {
			return s.refuse(ctx, c, "waitlist_entry", id, expodesk.ErrNotFound)
		}
		if err != nil {
			return err
		}
		sl, err := t.BookableSlotGet(ctx, e.SlotID)
		if err != nil {
			return err
		}
		if err := t.WaitlistEntryDelete(ctx, id); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionWaitlistLeave, "waitlist_entry", id, bookingScope(sl, company), waitlistAudit(e), nil)
	})
}

// passOn gives slot slotID, just freed in t by company freedBy, to the
// first in its line who can take it: booked for them at once, or offered
// for the hours the rules say; they are told by mail. A blocked or started
// slot, one held again already, or one a pending draw will allocate, is
// left as it is. The company that
// freed it is passed over.
func (s *Service) passOn(ctx context.Context, t *tx, slotID, freedBy int64) error {
	sl, err := t.BookableSlotGet(ctx, slotID)
	if err != nil {
		return err
	}
	now := s.now()
	if sl.Blocked || !sl.StartsAt.After(now) {
		return nil
	}
	switch _, err := t.BookingHeldForSlot(ctx, slotID); {
	case err == nil:
		return nil
	case !errors.Is(err, expodesk.ErrNotFound):
		return err
	}
	line, err := t.WaitlistLineForUpdate(ctx, slotID)
	if err != nil || len(line) == 0 {
		return err
	}
	rules, err := t.BookingRulesFor(ctx, sl.ExpoID, sl.PavilionID)
	if err != nil {
		return err
	}
	// While a draw of these rules' scope is pending, the draw gives the
	// freed slot (it reads it free when it runs); the line waits.
	if err := drawPending(ctx, t, rules); err != nil {
		if expodesk.ErrorOf(err) != nil {
			return nil
		}
		return err
	}
	for _, e := range line {
		if e.ExhibitorID == freedBy {
			continue
		}
		part, err := t.ParticipationLockForBooking(ctx, e.ExhibitorID, sl.ExpoID)
		if errors.Is(err, expodesk.ErrNotFound) || (err == nil && part.Status != expodesk.StatusApproved) {
			continue
		}
		if err != nil {
			return err
		}
		if err := canTake(ctx, t, e.ExhibitorID, sl, rules); err != nil {
			if expodesk.ErrorOf(err) != nil {
				continue // it stays in line for a later turn
			}
			return err
		}
		return s.give(ctx, t, e, sl, rules)
	}
	return nil
}

// give books or offers slot sl to the company of entry e, takes e out of
// the line, and records and mails it.
func (s *Service) give(ctx context.Context, t *tx, e expodesk.WaitlistEntry, sl expodesk.BookableSlot, rules expodesk.BookingRules) error {
	now := s.now()
	b := expodesk.Booking{SlotID: sl.ID, ExhibitorID: e.ExhibitorID, Titles: e.Titles, Abstracts: e.Abstracts}
	if !now.Before(rules.TextsDeadline(sl.StartsAt)) {
		b.Titles, b.Abstracts = expodesk.Text{}, expodesk.Text{}
	}
	offer := rules.WaitlistOfferHours > 0
	until := rules.OfferUntil(now)
	var err error
	if offer {
		b, err = t.BookingOfferCreate(ctx, b, until)
	} else {
		b, err = t.BookingCreate(ctx, b, nil)
	}
	if err != nil {
		return err
	}
	if err := t.WaitlistEntryDelete(ctx, e.ID); err != nil {
		return err
	}
	sc := bookingScope(sl, e.ExhibitorID)
	action, after := expodesk.ActionWaitlistPromote, bookingAudit(b)
	if offer {
		action, after["offered_until"] = expodesk.ActionWaitlistOffer, until
	}
	after["waitlist_entry_id"] = e.ID
	if err := t.audit(ctx, action, "booking", b.ID, sc, waitlistAudit(e), after); err != nil {
		return err
	}
	expo, err := t.ExpoGetByID(ctx, sl.ExpoID)
	if err != nil {
		return err
	}
	stage, err := t.StageGet(ctx, sl.StageID)
	if err != nil {
		return err
	}
	return s.tellCompany(ctx, t, e.ExhibitorID, sc, func(l expodesk.Lang, company string) mail.Content {
		if offer {
			return mail.WaitlistOffer{Company: company, Expo: expo.Name.In(l), Stage: stage.Name.In(l), Start: sl.StartsAt,
				Until: until, Zone: expo.Location(), Link: s.link(urls.ExhibitorOffer(b.ID))}
		}
		return mail.WaitlistPromoted{Company: company, Expo: expo.Name.In(l), Stage: stage.Name.In(l), Start: sl.StartsAt,
			Zone: expo.Location(), Link: s.link(urls.ExhibitorBooking(b.ID))}
	})
}

// ownOffer locks the caller's company's participation and then its offer
// id; another company's offer, or a booking never offered, is not found.
func (s *Service) ownOffer(ctx context.Context, c Caller, t *tx, company, id int64) (expodesk.OfferHold, expodesk.BookableSlot, error) {
	owner, err := t.BookingOwner(ctx, id)
	if errors.Is(err, expodesk.ErrNotFound) || (err == nil && !expodesk.CanActForCompany(c.Principal, owner.ExhibitorID)) {
		return expodesk.OfferHold{}, expodesk.BookableSlot{}, s.refuse(ctx, c, "booking", id, expodesk.ErrNotFound)
	}
	if err != nil {
		return expodesk.OfferHold{}, expodesk.BookableSlot{}, err
	}
	if _, err := t.ParticipationLockForBooking(ctx, company, owner.ExpoID); err != nil && !errors.Is(err, expodesk.ErrNotFound) {
		return expodesk.OfferHold{}, expodesk.BookableSlot{}, err
	}
	o, err := t.BookingOfferGetForUpdate(ctx, id)
	if err != nil {
		return o, expodesk.BookableSlot{}, err
	}
	if o.OfferedUntil == nil {
		return o, expodesk.BookableSlot{}, expodesk.ErrOfferGone // a booking never offered, or one accepted
	}
	sl, err := t.BookableSlotGet(ctx, o.SlotID)
	return o, sl, err
}

// errOfferRanOut ends AcceptOffer's transaction when the offer has run
// out: it is then lapsed and passed on in a transaction of its own.
var errOfferRanOut = errors.New("offer ran out")

// AcceptOffer books the slot offered to the caller's company from the
// waitlist, before the offer runs out; the booking window does not apply
// (the company joined the line while it was open), the quota and overlaps
// do. An offer that ran out is passed on now and is ErrOfferExpired.
func (s *Service) AcceptOffer(ctx context.Context, c Caller, id int64) (expodesk.Booking, error) {
	company, err := s.bookingCompany(ctx, c, "booking", id)
	if err != nil {
		return expodesk.Booking{}, err
	}
	var out expodesk.Booking
	err = s.write(ctx, c, func(t *tx) error {
		o, sl, err := s.ownOffer(ctx, c, t, company, id)
		if err != nil {
			return err
		}
		now := s.now()
		switch {
		case o.Status == expodesk.BookingOffered && o.Expired(now):
			return errOfferRanOut
		case o.Status == expodesk.BookingLapsed && o.Expired(now):
			return expodesk.ErrOfferExpired
		case o.Status != expodesk.BookingOffered:
			return expodesk.ErrOfferGone
		}
		if !sl.StartsAt.After(now) {
			return expodesk.ErrSlotPast
		}
		rules, err := t.BookingRulesFor(ctx, sl.ExpoID, sl.PavilionID)
		if err != nil {
			return err
		}
		if err := canTake(ctx, t, company, sl, rules); err != nil {
			return err
		}
		if out, err = t.BookingOfferAccept(ctx, id, &c.Principal.UserID); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionWaitlistAccept, "booking", id, bookingScope(sl, company),
			map[string]any{"status": o.Status, "offered_until": o.OfferedUntil}, bookingAudit(out))
	})
	if errors.Is(err, errOfferRanOut) {
		if _, err := s.expireOffer(ctx, id); err != nil {
			return out, err
		}
		return out, expodesk.ErrOfferExpired
	}
	return out, err
}

// DeclineOffer gives up the slot offered to the caller's company; it
// passes to the next in line at once.
func (s *Service) DeclineOffer(ctx context.Context, c Caller, id int64) error {
	company, err := s.bookingCompany(ctx, c, "booking", id)
	if err != nil {
		return err
	}
	return s.write(ctx, c, func(t *tx) error {
		o, sl, err := s.ownOffer(ctx, c, t, company, id)
		if err != nil {
			return err
		}
		if o.Status != expodesk.BookingOffered {
			return expodesk.ErrOfferGone
		}
		out, err := t.BookingOfferLapse(ctx, id, &c.Principal.UserID)
		if err != nil {
			return err
		}
		if err := t.audit(ctx, expodesk.ActionWaitlistDecline, "booking", id, bookingScope(sl, company),
			map[string]any{"status": o.Status, "offered_until": o.OfferedUntil}, bookingAudit(out)); err != nil {
			return err
		}
		return s.passOn(ctx, t, sl.ID, company)
	})
}

// ExpireOffers lapses every offer that has run out and passes each slot
// on, one offer per transaction; offers another instance is working on
// are left to it. It returns how many it lapsed. Every instance's sweeper
// calls it, and pages call it before they show slots and offers, so that
// an expiry needs no request and is seen by the next one.
func (s *Service) ExpireOffers(ctx context.Context) (int, error) {
	n := 0
	for {
		done, err := s.expireOffer(ctx, 0)
		if err != nil || !done {
			return n, err
		}
		n++
	}
}

// expireOffer lapses offer id if it has run out (id 0: any one that has),
// passes its slot on and records it, with no actor; it reports whether it
// lapsed one.
func (s *Service) expireOffer(ctx context.Context, id int64) (bool, error) {
	done := false
	err := s.write(ctx, Caller{}, func(t *tx) error {
		done = false
		now := s.now()
		var o expodesk.OfferHold
		var err error
		if id == 0 {
			o, err = t.BookingOfferDue(ctx, now)
		} else {
			o, err = t.BookingOfferGetForUpdate(ctx, id)
		}
		if errors.Is(err, expodesk.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if o.Status != expodesk.BookingOffered || !o.Expired(now) {
			return nil
		}
		sl, err := t.BookableSlotGet(ctx, o.SlotID)
		if err != nil {
			return err
		}
		out, err := t.BookingOfferLapse(ctx, o.ID, nil)
		if err != nil {
			return err
		}
		if err := t.audit(ctx, expodesk.ActionWaitlistExpire, "booking", o.ID, bookingScope(sl, o.ExhibitorID),
			map[string]any{"status": o.Status, "offered_until": o.OfferedUntil}, bookingAudit(out)); err != nil {
			return err
		}
		done = true
		return s.passOn(ctx, t, sl.ID, o.ExhibitorID)
	})
	return done, err
}
