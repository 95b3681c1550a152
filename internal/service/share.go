package service

import (
	"context"

	"expodesk/internal/expodesk"
)

// The shared itinerary (O4): a secret link per delegation, for its leader,
// opens a read-only itinerary without signing in. The link holds 256
// random bits; the database keeps only their SHA-256, looked up through a
// unique index, so neither a database reader nor a timing measure learns a
// working link. Making a new link replaces the old one; revoking removes
// it, and both stop the old link at once.

// ShareItinerary makes a new secret link for delegation delegationID and
// returns its token, shown once: only its hash is kept.
func (s *Service) ShareItinerary(ctx context.Context, c Caller, delegationID int64) (string, error) {
	tok, hash, err := NewToken()
	if err != nil {
		return "", err
	}
	err = s.write(ctx, c, func(t *tx) error {
		d, err := s.managedDelegation(ctx, c, t.DelegationGetForUpdate, delegationID)
		if err != nil {
			return err
		}
		if err := t.DelegationSetShare(ctx, d.ID, hash); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionItineraryShare, "delegation", d.ID, delegationScope(d), nil, nil)
	})
	if err != nil {
		return "", err
	}
	return tok, nil
}

// RevokeShare revokes delegation delegationID's link: it is not found from now on.
func (s *Service) RevokeShare(ctx context.Context, c Caller, delegationID int64) error {
	return s.write(ctx, c, func(t *tx) error {
		d, err := s.managedDelegation(ctx, c, t.DelegationGetForUpdate, delegationID)
		if err != nil {
			return err
		}
		if err := t.DelegationSetShare(ctx, d.ID, nil); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionItineraryUnshare, "delegation", d.ID, delegationScope(d), nil, nil)
	})
}

// SharedItinerary returns the itinerary behind a shared link. A malformed,
// guessed or revoked token is not found, like any unknown page.
func (s *Service) SharedItinerary(ctx context.Context, tok string) (Itinerary, error) {
	if !ValidTokenShape(tok) {
		return Itinerary{}, expodesk.ErrNotFound
	}
	d, err := s.store.DelegationByShareHash(ctx, HashToken(tok))
	if err != nil {
		return Itinerary{}, err
	}
	return s.itinerary(ctx, d)
}
