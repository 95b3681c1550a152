package service

import (
	"context"
	"errors"
	"strings"

	"expodesk/internal/expodesk"
	"expodesk/internal/mail"
	"expodesk/internal/postgres"
	"expodesk/internal/urls"
)

// Organizer control of bookings (O5 part): an organizer cancels, books on
// behalf of, or moves a company's booking; a coordinator only on their
// pavilion's stages (another's is not found). The company's team is told
// by mail, in the same transaction as the change and its audit entry.

// managedBooking returns booking id of expo expoID locked, with its slot,
// after the company's participation lock (the order BookSlot and
// CancelBooking take them in), if the caller may manage its stage; a
// booking of another expo or another pavilion's stage is not found.
func (s *Service) managedBooking(ctx context.Context, c Caller, t *tx, expoID, id int64) (expodesk.Booking, expodesk.BookableSlot, error) {
	owner, err := t.BookingOwner(ctx, id)
	if errors.Is(err, expodesk.ErrNotFound) || (err == nil && owner.ExpoID != expoID) {
		return expodesk.Booking{}, expodesk.BookableSlot{}, s.refuse(ctx, c, "booking", id, expodesk.ErrNotFound)
	}
	if err != nil {
		return expodesk.Booking{}, expodesk.BookableSlot{}, err
	}
	if _, err := t.ParticipationLockForBooking(ctx, owner.ExhibitorID, owner.ExpoID); err != nil && !errors.Is(err, expodesk.ErrNotFound) {
		return expodesk.Booking{}, expodesk.BookableSlot{}, err
	}
	b, err := t.BookingGetForUpdate(ctx, id)
	if err != nil {
		return b, expodesk.BookableSlot{}, err
	}
	sl, err := t.BookableSlotGet(ctx, b.SlotID)
	if err != nil {
		return b, sl, err
	}
	if !expodesk.CanManageStage(c.Principal, sl.PavilionID) {
		return b, sl, s.refuse(ctx, c, "booking", id, expodesk.ErrNotFound)
	}
	if b.Status != expodesk.BookingActive {
		return b, sl, expodesk.ErrBookingCancelled
	}
	return b, sl, nil
}

// tellCompany mails each enabled member of the company's team, in their
// language, what content says.
func (s *Service) tellCompany(ctx context.Context, t *tx, exhibitorID int64, sc scope, content func(expodesk.Lang, string) mail.Content) error {
	company, err := t.ExhibitorGetByID(ctx, exhibitorID)
	if err != nil {
		return err
	}
	contacts, err := t.ExhibitorContacts(ctx, exhibitorID)
	if err != nil {
		return err
	}
	for _, m := range contacts {
		if err := t.mail(ctx, m.Email, m.Lang, content(m.Lang, company.DisplayName(m.Lang)), sc); err != nil {
			return err
		}
	}
	return nil
}

// OrganizerCancelBooking cancels booking id of expo expoID with a reason,
// whatever the cancellation deadline (the deadline binds companies, not
// organizers), and tells the company's team why; the slot goes to the
// first in its waitlist who can take it.
func (s *Service) OrganizerCancelBooking(ctx context.Context, c Caller, expoID, id int64, reason string) (expodesk.Booking, error) {
	expo, err := s.ManagedExpo(ctx, c, expoID)
	if err != nil {
		return expodesk.Booking{}, err
	}
	reason = strings.TrimSpace(reason)
	if err := expodesk.ValidateCancelReason(reason); err != nil {
		return expodesk.Booking{}, err
	}
	var out expodesk.Booking
	err = s.write(ctx, c, func(t *tx) error {
		before, sl, err := s.managedBooking(ctx, c, t, expoID, id)
		if err != nil {
			return err
		}
		stage, err := t.StageGet(ctx, sl.StageID)
		if err != nil {
			return err
		}
		if out, err = t.BookingCancel(ctx, id, &c.Principal.UserID); err != nil {
			return err
		}
		sc := bookingScope(sl, out.ExhibitorID)
		after := bookingAudit(out)
		after["reason"] = reason
		if err := t.audit(ctx, expodesk.ActionBookingOrganizerCancel, "booking", id, sc, bookingAudit(before), after); err != nil {
			return err
		}
		if err := s.tellCompany(ctx, t, out.ExhibitorID, sc, func(l expodesk.Lang, company string) mail.Content {
			return mail.BookingCancelled{Company: company, Expo: expo.Name.In(l), Stage: stage.Name.In(l),
				Start: sl.StartsAt, Zone: expo.Location(), Reason: reason}
		}); err != nil {
			return err
		}
		return s.passOn(ctx, t, sl.ID, out.ExhibitorID)
	})
	return out, err
}

// BookingCompanies lists the companies the caller may book slots of expo
// expoID for: its approved ones, a coordinator's in their pavilion only.
func (s *Service) BookingCompanies(ctx context.Context, c Caller, expoID int64) ([]postgres.ExhibitorOption, error) {
	if _, err := s.ManagedExpo(ctx, c, expoID); err != nil {
		return nil, err
	}
	return s.store.BookingCompanyOptions(ctx, expoID, c.Principal.PavilionID)
}

// OrganizerBookSlot books slot slotID of expo expoID for company
// exhibitorID on its behalf, with the organizer as the audit's actor. The
// rules of BookSlot hold (approved participation, free, not blocked, not
// started, quota, no overlap) except the booking window: it binds
// companies racing for slots, and an organizer places a company before it
// opens or after it closes. A company the caller may not book for is a
// problem at the exhibitor field; another pavilion's slot is not found.
func (s *Service) OrganizerBookSlot(ctx context.Context, c Caller, expoID, slotID, exhibitorID int64) (expodesk.Booking, error) {
	companies, err := s.BookingCompanies(ctx, c, expoID)
	if err != nil {
		return expodesk.Booking{}, err
	}
	known := false
	for _, o := range companies {
		known = known || o.ID == exhibitorID
	}
	var out expodesk.Booking
	err = s.write(ctx, c, func(t *tx) error {
		sl, err := t.BookableSlotGet(ctx, slotID)
		if errors.Is(err, expodesk.ErrNotFound) || (err == nil && (sl.ExpoID != expoID || !expodesk.CanManageStage(c.Principal, sl.PavilionID))) {
			return s.refuse(ctx, c, "slot", slotID, expodesk.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if !known {
			p := expodesk.Problems{}
			p.Add("exhibitor", "validation.choice", nil)
			return p.Err()
		}
		held, err := t.BookingActiveForSlot(ctx, slotID)
		if err == nil && held.ExhibitorID == exhibitorID {
			return expodesk.ErrSlotTaken
		}
		var made bool
		if out, made, err = s.book(ctx, c, t, expoID, slotID, exhibitorID, expodesk.BookingText{}, false); err != nil || !made {
			return err
		}
		expo, err := t.ExpoGetByID(ctx, expoID)
		if err != nil {
			return err
		}
		stage, err := t.StageGet(ctx, sl.StageID)
		if err != nil {
			return err
		}
		return s.tellCompany(ctx, t, exhibitorID, bookingScope(sl, exhibitorID), func(l expodesk.Lang, company string) mail.Content {
			return mail.BookingMadeFor{Company: company, Expo: expo.Name.In(l), Stage: stage.Name.In(l),
				Start: sl.StartsAt, Zone: expo.Location(), BookingsLink: s.link(urls.ExhibitorBooking(out.ID))}
		})
	})
	return out, err
}

// OrganizerMoveBooking moves booking id of expo expoID to slot toSlot of
// the same expo, in one transaction: the company's participation and the
// booking locked, the target free, not blocked, not started, on a stage
// the caller manages, and the company elsewhere at no moment of it (its
// booking being moved aside); then the audit entry and mail to its team.
// The window, quota and deadlines bind companies, not organizers. The slot
// left goes to the first in its waitlist who can take it.
func (s *Service) OrganizerMoveBooking(ctx context.Context, c Caller, expoID, id, toSlot int64) (expodesk.Booking, error) {
	expo, err := s.ManagedExpo(ctx, c, expoID)
	if err != nil {
		return expodesk.Booking{}, err
	}
	var out expodesk.Booking
	err = s.write(ctx, c, func(t *tx) error {
		before, from, err := s.managedBooking(ctx, c, t, expoID, id)
		if err != nil {
			return err
		}
		to, err := t.BookableSlotGet(ctx, toSlot)
		if errors.Is(err, expodesk.ErrNotFound) || (err == nil && (to.ExpoID != expoID || !expodesk.CanManageStage(c.Principal, to.PavilionID))) {
			p := expodesk.Problems{}
			p.Add("to", "validation.choice", nil)
			return p.Err()
		}
		if err != nil {
			return err
		}
		if to.ID == from.ID {
			out = before
			return nil
		}
		switch _, err := t.BookingActiveForSlot(ctx, toSlot); {
		case err == nil:
			return expodesk.ErrSlotTaken
		case !errors.Is(err, expodesk.ErrNotFound):
			return err
		}
		if to.Blocked {
			return expodesk.ErrSlotBlocked
		}
		if !to.StartsAt.After(s.now()) {
			return expodesk.ErrSlotPast
		}
		if overlaps, err := t.BookingOverlapsOther(ctx, before.ExhibitorID, id, to.StartsAt, to.EndsAt); err != nil {
			return err
		} else if overlaps {
			return expodesk.ErrBookingOverlap
		}
		if out, err = t.BookingMove(ctx, id, toSlot); err != nil {
			return err
		}
		fromStage, err := t.StageGet(ctx, from.StageID)
		if err != nil {
			return err
		}
		toStage, err := t.StageGet(ctx, to.StageID)
		if err != nil {
			return err
		}
		sc := bookingScope(to, out.ExhibitorID)
		if err := t.audit(ctx, expodesk.ActionBookingMove, "booking", id, sc, bookingAudit(before), bookingAudit(out)); err != nil {
			return err
		}
		if err := s.tellCompany(ctx, t, out.ExhibitorID, sc, func(l expodesk.Lang, company string) mail.Content {
			return mail.BookingMoved{Company: company, Expo: expo.Name.In(l), FromStage: fromStage.Name.In(l), ToStage: toStage.Name.In(l),
				FromStart: from.StartsAt, ToStart: to.StartsAt, Zone: expo.Location()}
		}); err != nil {
			return err
		}
		return s.passOn(ctx, t, from.ID, out.ExhibitorID)
	})
	return out, err
}
