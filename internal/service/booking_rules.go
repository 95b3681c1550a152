package service

import (
	"context"

	"expodesk/internal/expodesk"
)

// SetExpoBookingRules replaces an expo's own booking rules (window, quota,
// cancellation deadline, title language, publication deadline); only
// expo-wide organizers may. A quota below zero and the like are problems
// at their fields, and nothing changes.
func (s *Service) SetExpoBookingRules(ctx context.Context, c Caller, expoID int64, r expodesk.BookingRules) (expodesk.BookingRules, error) {
	if err := s.expoManager(ctx, c, "expo", expoID); err != nil {
		return r, err
	}
	before, err := s.store.BookingRulesOfExpo(ctx, expoID)
	if err != nil {
		return r, err
	}
	r.ExpoID, r.PavilionID = expoID, nil
	if err := r.Validate(); err != nil {
		return r, err
	}
	var out expodesk.BookingRules
	err = s.write(ctx, c, func(t *tx) error {
		var err error
		if out, err = t.BookingRulesSetExpo(ctx, r); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionBookingRulesSet, "expo", expoID, expoScope(expoID), before, out)
	})
	return out, err
}

// SetPavilionBookingRules gives a pavilion of expo expoID booking rules of
// its own for its stages, or replaces them. A coordinator may for their
// own pavilion only; another pavilion is not found.
func (s *Service) SetPavilionBookingRules(ctx context.Context, c Caller, expoID, pavilionID int64, r expodesk.BookingRules) (expodesk.BookingRules, error) {
	pv, err := s.ManagedPavilion(ctx, c, expoID, pavilionID)
	if err != nil {
		return r, err
	}
	r.ExpoID, r.PavilionID = expoID, &pv.ID
	if err := r.Validate(); err != nil {
		return r, err
	}
	var out expodesk.BookingRules
	err = s.write(ctx, c, func(t *tx) error {
		var err error
		if out, err = t.BookingRulesSetPavilion(ctx, r); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionBookingRulesSet, "pavilion", pv.ID, pavilionScope(pv), nil, out)
	})
	return out, err
}

// RemovePavilionBookingRules puts a pavilion's stages back under the
// expo's rules. A coordinator may for their own pavilion only.
func (s *Service) RemovePavilionBookingRules(ctx context.Context, c Caller, expoID, pavilionID int64) error {
	pv, err := s.ManagedPavilion(ctx, c, expoID, pavilionID)
	if err != nil {
		return err
	}
	return s.write(ctx, c, func(t *tx) error {
		had, err := t.BookingRulesDeletePavilion(ctx, pv.ID)
		if err != nil || !had {
			return err
		}
		return t.audit(ctx, expodesk.ActionBookingRulesRemove, "pavilion", pv.ID, pavilionScope(pv), nil, nil)
	})
}
