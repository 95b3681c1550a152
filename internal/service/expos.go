package service

import (
	"context"
	"slices"

	"expodesk/internal/expodesk"
)

// expoScope is the audit scope of a change to an expo.
func expoScope(id int64) scope { return scope{ExpoID: &id} }

// pavilionScope is the audit scope of a change to a pavilion, so that its
// coordinator sees it in their part of the audit log.
func pavilionScope(pv expodesk.Pavilion) scope { return scope{ExpoID: &pv.ExpoID, PavilionID: &pv.ID} }

// expoManager applies the rule of expo-wide changes: a visitor must sign
// in, anyone but an expo-wide organizer is refused (and recorded).
func (s *Service) expoManager(ctx context.Context, c Caller, objectType string, id int64) error {
	if c.Principal == nil {
		return expodesk.Errorf(expodesk.EUNAUTHORIZED, "error.unauthorized")
	}
	if !expodesk.CanManageExpos(c.Principal) {
		return s.refuse(ctx, c, objectType, id, expodesk.ErrForbidden)
	}
	return nil
}

// CreateExpo creates an expo; only expo-wide organizers may. A slug another
// expo has is a problem on the slug field.
func (s *Service) CreateExpo(ctx context.Context, c Caller, e expodesk.Expo) (expodesk.Expo, error) {
	if err := s.expoManager(ctx, c, "expo", 0); err != nil {
		return e, err
	}
	if err := e.Validate(); err != nil {
		return e, err
	}
	var out expodesk.Expo
	err := s.write(ctx, c, func(t *tx) error {
		var err error
		if out, err = t.ExpoCreate(ctx, e); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionExpoCreate, "expo", out.ID, expoScope(out.ID), nil, out)
	})
	return out, err
}

// UpdateExpo replaces the editable fields of expo id.
func (s *Service) UpdateExpo(ctx context.Context, c Caller, id int64, e expodesk.Expo) (expodesk.Expo, error) {
	if err := s.expoManager(ctx, c, "expo", id); err != nil {
		return e, err
	}
	before, err := s.store.ExpoGetByID(ctx, id)
	if err != nil {
		return e, err
	}
	e.ID = id
	if err := e.Validate(); err != nil {
		return e, err
	}
	var out expodesk.Expo
	err = s.write(ctx, c, func(t *tx) error {
		var err error
		if out, err = t.ExpoUpdate(ctx, e); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionExpoUpdate, "expo", id, expoScope(id), before, out)
	})
	return out, err
}

// SetExpoArchived archives an expo (it leaves the public home page; its
// pages and data stay) or restores it.
func (s *Service) SetExpoArchived(ctx context.Context, c Caller, id int64, archived bool) (expodesk.Expo, error) {
	if err := s.expoManager(ctx, c, "expo", id); err != nil {
		return expodesk.Expo{}, err
	}
	if _, err := s.store.ExpoGetByID(ctx, id); err != nil {
		return expodesk.Expo{}, err
	}
	action := expodesk.ActionExpoRestore
	if archived {
		action = expodesk.ActionExpoArchive
	}
	var out expodesk.Expo
	err := s.write(ctx, c, func(t *tx) error {
		var err error
		if out, err = t.ExpoSetArchived(ctx, id, archived); err != nil {
			return err
		}
		return t.audit(ctx, action, "expo", id, expoScope(id), nil, map[string]any{"archived": archived})
	})
	return out, err
}

// SetSisters links (or unlinks) two expos as sisters; the link is
// symmetric. An expo chosen as its own sister, or one that does not exist
// (a forged form), is a problem on the sister field.
func (s *Service) SetSisters(ctx context.Context, c Caller, expoID, sisterID int64, linked bool) error {
	if err := s.expoManager(ctx, c, "expo", expoID); err != nil {
		return err
	}
	if _, err := s.store.ExpoGetByID(ctx, expoID); err != nil {
		return err
	}
	p := expodesk.Problems{}
	if sisterID == expoID {
		p.Add("sister", "validation.sister_self", nil)
	} else if _, err := s.store.ExpoGetByID(ctx, sisterID); err != nil {
		if expodesk.ErrorOf(err) == nil || expodesk.ErrorOf(err).Code != expodesk.ENOTFOUND {
			return err
		}
		p.Add("sister", "validation.choice", nil)
	}
	if err := p.Err(); err != nil {
		return err
	}
	action := expodesk.ActionExpoUnlink
	if linked {
		action = expodesk.ActionExpoLinkSister
	}
	return s.write(ctx, c, func(t *tx) error {
		var err error
		if linked {
			err = t.ExpoLinkSisters(ctx, expoID, sisterID)
		} else {
			err = t.ExpoUnlinkSisters(ctx, expoID, sisterID)
		}
		if err != nil {
			return err
		}
		return t.audit(ctx, action, "expo", expoID, expoScope(expoID), nil, map[string]any{"sister_id": sisterID})
	})
}

// CreatePavilion adds a pavilion at the end of its expo's order; only
// expo-wide organizers may.
func (s *Service) CreatePavilion(ctx context.Context, c Caller, pv expodesk.Pavilion) (expodesk.Pavilion, error) {
	if err := s.expoManager(ctx, c, "pavilion", 0); err != nil {
		return pv, err
	}
	if _, err := s.store.ExpoGetByID(ctx, pv.ExpoID); err != nil {
		return pv, err
	}
	if err := pv.Validate(); err != nil {
		return pv, err
	}
	var out expodesk.Pavilion
	err := s.write(ctx, c, func(t *tx) error {
		var err error
		if pv.Position, err = t.PavilionNextPosition(ctx, pv.ExpoID); err != nil {
			return err
		}
		if out, err = t.PavilionCreate(ctx, pv); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionPavilionCreate, "pavilion", out.ID, pavilionScope(out), nil, out)
	})
	return out, err
}

// ManagedPavilion returns pavilion id of expo expoID if the caller may
// manage it: expo-wide organizers any, a coordinator their own; any other
// is not found (and the attempt recorded).
func (s *Service) ManagedPavilion(ctx context.Context, c Caller, expoID, id int64) (expodesk.Pavilion, error) {
	if c.Principal == nil {
		return expodesk.Pavilion{}, expodesk.Errorf(expodesk.EUNAUTHORIZED, "error.unauthorized")
	}
	if !expodesk.CanManagePavilion(c.Principal, id) {
		return expodesk.Pavilion{}, s.refuse(ctx, c, "pavilion", id, expodesk.ErrNotFound)
	}
	pv, err := s.store.PavilionGetByID(ctx, id)
	if err != nil {
		return pv, err
	}
	if pv.ExpoID != expoID {
		return expodesk.Pavilion{}, expodesk.ErrNotFound
	}
	return pv, nil
}

// UpdatePavilion replaces the editable fields of a pavilion (its place in
// the order is MovePavilion's). A coordinator may edit their own pavilion
// only; another is not found.
func (s *Service) UpdatePavilion(ctx context.Context, c Caller, expoID, id int64, pv expodesk.Pavilion) (expodesk.Pavilion, error) {
	before, err := s.ManagedPavilion(ctx, c, expoID, id)
	if err != nil {
		return pv, err
	}
	pv.ID, pv.ExpoID, pv.Position = id, before.ExpoID, before.Position
	if err := pv.Validate(); err != nil {
		return pv, err
	}
	var out expodesk.Pavilion
	err = s.write(ctx, c, func(t *tx) error {
		var err error
		if out, err = t.PavilionUpdate(ctx, pv); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionPavilionUpdate, "pavilion", id, pavilionScope(out), before, out)
	})
	return out, err
}

// MovePavilion moves a pavilion one place earlier (by < 0) or later in its
// expo's order; only expo-wide organizers may, as the order is the expo's.
// Moving the first one earlier changes nothing.
func (s *Service) MovePavilion(ctx context.Context, c Caller, expoID, id int64, by int) error {
	if err := s.expoManager(ctx, c, "pavilion", id); err != nil {
		return err
	}
	return s.write(ctx, c, func(t *tx) error {
		list, err := t.PavilionList(ctx, expoID)
		if err != nil {
			return err
		}
		ids := make([]int64, len(list))
		for i, pv := range list {
			ids[i] = pv.ID
		}
		i := slices.Index(ids, id)
		if i < 0 {
			return expodesk.ErrNotFound
		}
		j := i + 1
		if by < 0 {
			j = i - 1
		}
		if j >= 0 && j < len(ids) {
			ids[i], ids[j] = ids[j], ids[i]
		}
		if err := t.PavilionReorder(ctx, expoID, ids); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionPavilionMove, "pavilion", id, pavilionScope(list[i]), nil,
			map[string]any{"order": ids})
	})
}
