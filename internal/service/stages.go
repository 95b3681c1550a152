package service

import (
	"context"
	"errors"
	"time"

	"expodesk/internal/expodesk"
)

// Stages and their slots (O1, O6): an expo-wide organizer manages every
// stage of an expo, a pavilion coordinator their pavilion's only; anyone
// else's stage or slot is not found.

// stageScope is the audit scope of a change to a stage or its slots, so
// that a pavilion's coordinator sees it in their part of the audit log.
func stageScope(st expodesk.Stage) scope { return scope{ExpoID: &st.ExpoID, PavilionID: st.PavilionID} }

// organizerOf applies the first rule of the stage console: a visitor must
// sign in, a signed-in person who is no organizer is refused.
func (s *Service) organizerOf(ctx context.Context, c Caller, objectType string, id int64) error {
	if c.Principal == nil {
		return expodesk.Errorf(expodesk.EUNAUTHORIZED, "error.unauthorized")
	}
	if !c.Principal.IsOrganizer() {
		return s.refuse(ctx, c, objectType, id, expodesk.ErrForbidden)
	}
	return nil
}

// ManagedExpo returns the expo id if the caller may manage stages in it: an
// expo-wide organizer any expo, a coordinator their pavilion's expo; any
// other is not found.
func (s *Service) ManagedExpo(ctx context.Context, c Caller, expoID int64) (expodesk.Expo, error) {
	if err := s.organizerOf(ctx, c, "expo", expoID); err != nil {
		return expodesk.Expo{}, err
	}
	if !c.Principal.IsExpoOrganizer() && c.Principal.ExpoID != expoID {
		return expodesk.Expo{}, s.refuse(ctx, c, "expo", expoID, expodesk.ErrNotFound)
	}
	return s.store.ExpoGetByID(ctx, expoID)
}

// ManagedStage returns stage id of expo expoID if the caller may manage
// it; a stage of another pavilion, an expo-wide one for a coordinator, or
// one under another expo is not found.
func (s *Service) ManagedStage(ctx context.Context, c Caller, expoID, id int64) (expodesk.Stage, error) {
	if err := s.organizerOf(ctx, c, "stage", id); err != nil {
		return expodesk.Stage{}, err
	}
	st, err := s.store.StageGet(ctx, id)
	if err != nil {
		return st, err
	}
	if st.ExpoID != expoID {
		return expodesk.Stage{}, expodesk.ErrNotFound
	}
	if !expodesk.CanManageStage(c.Principal, st.PavilionID) {
		return expodesk.Stage{}, s.refuse(ctx, c, "stage", id, expodesk.ErrNotFound)
	}
	return st, nil
}

// checkStagePavilion checks the pavilion a stage is put in: one of the
// expo's, and one the caller may manage (a coordinator cannot make an
// expo-wide stage or one in another pavilion). A forged choice is a
// problem on the pavilion field.
func (s *Service) checkStagePavilion(ctx context.Context, c Caller, st expodesk.Stage, p expodesk.Problems) error {
	if st.PavilionID != nil {
		pv, err := s.store.PavilionGetByID(ctx, *st.PavilionID)
		switch {
		case errors.Is(err, expodesk.ErrNotFound) || (err == nil && pv.ExpoID != st.ExpoID):
			p.Add("pavilion", "validation.choice", nil)
			return nil
		case err != nil:
			return err
		}
	}
	if !expodesk.CanManageStage(c.Principal, st.PavilionID) {
		s.RecordRefusal(ctx, c, "stage", "pavilion")
		p.Add("pavilion", "validation.choice", nil)
	}
	return nil
}

// validateStage is a stage's own rules and its pavilion's.
func (s *Service) validateStage(ctx context.Context, c Caller, st expodesk.Stage) error {
	p := expodesk.Problems{}
	if err := st.Validate(); err != nil {
		e := expodesk.ErrorOf(err)
		if e == nil || e.Code != expodesk.EINVALID {
			return err
		}
		for f, m := range e.Problems {
			p.Add(f, m.Key, m.Data)
		}
	}
	if st.Position < 0 || st.Position > 10000 {
		p.Add("position", "validation.range", map[string]any{"Min": 0, "Max": 10000})
	}
	if err := s.checkStagePavilion(ctx, c, st, p); err != nil {
		return err
	}
	return p.Err()
}

// CreateStage creates a stage of expo st.ExpoID, in a pavilion or
// expo-wide; a coordinator only in their own pavilion.
func (s *Service) CreateStage(ctx context.Context, c Caller, st expodesk.Stage) (expodesk.Stage, error) {
	if _, err := s.ManagedExpo(ctx, c, st.ExpoID); err != nil {
		return st, err
	}
	if err := s.validateStage(ctx, c, st); err != nil {
		return st, err
	}
	var out expodesk.Stage
	err := s.write(ctx, c, func(t *tx) error {
		var err error
		if out, err = t.StageCreate(ctx, st); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionStageCreate, "stage", out.ID, stageScope(out), nil, out)
	})
	return out, err
}

// UpdateStage replaces the editable fields of a stage, its pavilion and
// place in the order included.
func (s *Service) UpdateStage(ctx context.Context, c Caller, expoID, id int64, st expodesk.Stage) (expodesk.Stage, error) {
	before, err := s.ManagedStage(ctx, c, expoID, id)
	if err != nil {
		return st, err
	}
	st.ID, st.ExpoID = id, before.ExpoID
	if err := s.validateStage(ctx, c, st); err != nil {
		return st, err
	}
	var out expodesk.Stage
	err = s.write(ctx, c, func(t *tx) error {
		var err error
		if out, err = t.StageUpdate(ctx, st); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionStageUpdate, "stage", id, stageScope(out), before, out)
	})
	return out, err
}

// DeleteStage deletes a stage and its slots, unless one of them holds an
// active booking (ErrStageHasBookings: those are moved or cancelled first).
func (s *Service) DeleteStage(ctx context.Context, c Caller, expoID, id int64) error {
	st, err := s.ManagedStage(ctx, c, expoID, id)
	if err != nil {
		return err
	}
	return s.write(ctx, c, func(t *tx) error {
		n, err := t.StageLockForDelete(ctx, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return &expodesk.Error{Code: expodesk.ECONFLICT, Message: expodesk.ErrStageHasBookings.Message,
				Data: map[string]any{"Count": n}}
		}
		if err := t.StageDelete(ctx, id); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionStageDelete, "stage", id, stageScope(st), st, nil)
	})
}

// PreviewSlots validates a plan for a stage the caller manages and returns
// the slots it would create, each with the existing slots it overlaps. It
// writes nothing.
func (s *Service) PreviewSlots(ctx context.Context, c Caller, expoID int64, plan expodesk.SlotPlan) (expodesk.SlotPreview, error) {
	st, err := s.ManagedStage(ctx, c, expoID, plan.StageID)
	if err != nil {
		return expodesk.SlotPreview{}, err
	}
	e, err := s.store.ExpoGetByID(ctx, st.ExpoID)
	if err != nil {
		return expodesk.SlotPreview{}, err
	}
	if err := plan.Validate(e); err != nil {
		return expodesk.SlotPreview{}, err
	}
	loc := e.Location()
	pv := expodesk.SlotPreview{Plan: plan, Changes: expodesk.ClockChanges(plan.Day, loc), DayLength: expodesk.DayLength(plan.Day, loc)}
	slots := plan.Slots()
	existing, err := s.store.SlotListOverlapping(ctx, st.ID, plan.FirstStart, plan.LastEnd)
	if err != nil {
		return pv, err
	}
	for _, sl := range slots {
		p := expodesk.PreviewSlot{Slot: sl}
		for _, x := range existing {
			if expodesk.Overlaps(sl.StartsAt, sl.EndsAt, x.StartsAt, x.EndsAt) {
				p.Clashes = append(p.Clashes, x)
			}
		}
		if len(p.Clashes) > 0 {
			pv.Clashes++
		}
		pv.Slots = append(pv.Slots, p)
	}
	if n := len(slots); n > 0 {
		pv.Leftover = plan.LastEnd.Sub(slots[n-1].EndsAt)
	}
	return pv, nil
}

// GenerateSlots creates a day's slots on a stage the caller manages, all in
// one transaction: if one of them overlaps a slot the stage already has,
// none is created and the answer is ErrSlotsOverlap.
func (s *Service) GenerateSlots(ctx context.Context, c Caller, expoID int64, plan expodesk.SlotPlan) ([]expodesk.Slot, error) {
	st, err := s.ManagedStage(ctx, c, expoID, plan.StageID)
	if err != nil {
		return nil, err
	}
	e, err := s.store.ExpoGetByID(ctx, st.ExpoID)
	if err != nil {
		return nil, err
	}
	if err := plan.Validate(e); err != nil {
		return nil, err
	}
	var out []expodesk.Slot
	err = s.write(ctx, c, func(t *tx) error {
		var err error
		if out, err = t.SlotCreateMany(ctx, st.ID, plan.Slots()); err != nil {
			if errors.Is(err, expodesk.ErrSlotOverlap) {
				return expodesk.ErrSlotsOverlap
			}
			return err
		}
		return t.audit(ctx, expodesk.ActionSlotsGenerate, "stage", st.ID, stageScope(st), nil, map[string]any{
			"day": plan.Day.Format(time.DateOnly), "first_start": plan.FirstStart, "last_end": plan.LastEnd,
			"length_minutes": int(plan.Length / time.Minute), "break_minutes": int(plan.Break / time.Minute),
			"slots": len(out)})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ManagedSlot returns slot id of expo expoID, with its booking, if the
// caller may manage its stage; any other is not found.
func (s *Service) ManagedSlot(ctx context.Context, c Caller, expoID, id int64) (expodesk.SlotRow, error) {
	if err := s.organizerOf(ctx, c, "slot", id); err != nil {
		return expodesk.SlotRow{}, err
	}
	sl, err := s.store.SlotGetRow(ctx, id)
	if err != nil {
		return sl, err
	}
	if sl.ExpoID != expoID {
		return expodesk.SlotRow{}, expodesk.ErrNotFound
	}
	if !expodesk.CanManageStage(c.Principal, sl.PavilionID) {
		return expodesk.SlotRow{}, s.refuse(ctx, c, "slot", id, expodesk.ErrNotFound)
	}
	return sl, nil
}

// slotAudit is what the audit log records of a slot.
func slotAudit(sl expodesk.Slot, label expodesk.Text) map[string]any {
	return map[string]any{"stage_id": sl.StageID, "starts_at": sl.StartsAt, "ends_at": sl.EndsAt,
		"blocked": sl.Blocked, "label": label}
}

// bookedError is ErrSlotBooked naming the company that holds the slot.
func bookedError(sl expodesk.SlotRow) error {
	name, _ := sl.ExhibitorName.Resolve(expodesk.EN)
	if name == "" {
		name = sl.ExhibitorLegalName
	}
	return &expodesk.Error{Code: expodesk.ECONFLICT, Message: expodesk.ErrSlotBooked.Message,
		Data: map[string]any{"Company": name}}
}

// UpdateSlot moves a slot, blocks or unblocks it and sets its label. A slot
// an active booking holds is left as it is (ErrSlotBooked): its company
// would otherwise present at a time it did not choose, or not at all. An
// overlap with another slot of the stage is ErrSlotOverlap.
func (s *Service) UpdateSlot(ctx context.Context, c Caller, expoID, id int64, ch expodesk.SlotChange) error {
	before, err := s.ManagedSlot(ctx, c, expoID, id)
	if err != nil {
		return err
	}
	e, err := s.store.ExpoGetByID(ctx, expoID)
	if err != nil {
		return err
	}
	if err := ch.Validate(e); err != nil {
		return err
	}
	return s.write(ctx, c, func(t *tx) error {
		cur, err := t.SlotLockRow(ctx, id)
		if err != nil {
			return err
		}
		if cur.Booked() {
			return bookedError(cur)
		}
		if err := t.SlotUpdate(ctx, id, ch); err != nil {
			return err
		}
		after := expodesk.Slot{ID: id, StageID: cur.StageID, StartsAt: ch.StartsAt, EndsAt: ch.EndsAt, Blocked: ch.Blocked}
		return t.audit(ctx, expodesk.ActionSlotUpdate, "slot", id, slotScope(before),
			slotAudit(cur.Slot, cur.Label), slotAudit(after, ch.Label))
	})
}

// slotScope is the audit scope of a change to a slot.
func slotScope(sl expodesk.SlotRow) scope {
	return scope{ExpoID: &sl.ExpoID, PavilionID: sl.PavilionID}
}

// DeleteSlot deletes a slot, unless an active booking holds it (ErrSlotBooked).
func (s *Service) DeleteSlot(ctx context.Context, c Caller, expoID, id int64) error {
	before, err := s.ManagedSlot(ctx, c, expoID, id)
	if err != nil {
		return err
	}
	return s.write(ctx, c, func(t *tx) error {
		cur, err := t.SlotLockRow(ctx, id)
		if err != nil {
			return err
		}
		if cur.Booked() {
			return bookedError(cur)
		}
		if err := t.SlotDelete(ctx, id); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionSlotDelete, "slot", id, slotScope(before), slotAudit(cur.Slot, cur.Label), nil)
	})
}
