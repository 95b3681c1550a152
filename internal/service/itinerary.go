package service

import (
	"context"
	"errors"
	"strings"
	"time"

	"expodesk/internal/expodesk"
)

// Itineraries (O4): an organizer plans a delegation's days item by item —
// visits to a pavilion or a company's booth, roadshow slots attended, free
// items — and sees clashes flagged as warnings while planning. An item
// outside the delegation's stay is refused. Who may plan is who may manage
// the delegation (ManagedDelegation): expo-wide organizers, and the
// coordinator of the pavilion hosting the visit.

// delegationScope is the audit scope of a change to a delegation's plan.
func delegationScope(d expodesk.Delegation) scope {
	return scope{ExpoID: &d.ExpoID, PavilionID: d.HostPavilionID}
}

// ItemInput is an itinerary item as a form gives it: ids of what it is
// about (0 for none), which the operation checks against the expo. A
// roadshow item takes its times, company and pavilion from the slot.
type ItemInput struct {
	Kind        expodesk.ItineraryKind
	StartsAt    time.Time
	EndsAt      time.Time
	PavilionID  int64
	ExhibitorID int64
	SlotID      int64
	Title       string
	Location    string
	Notes       string
}

// resolveItem turns in into an item of delegation d at expo e, with a
// problem on the field of each id the expo does not know (a forged form).
func (s *Service) resolveItem(ctx context.Context, t *tx, d expodesk.Delegation, e expodesk.Expo, in ItemInput) (expodesk.ItineraryItem, error) {
	it := expodesk.ItineraryItem{DelegationID: d.ID, Kind: in.Kind, StartsAt: in.StartsAt, EndsAt: in.EndsAt,
		Title: strings.TrimSpace(in.Title), Location: strings.TrimSpace(in.Location), Notes: strings.TrimSpace(in.Notes)}
	p := expodesk.Problems{}
	switch in.Kind {
	case expodesk.ItineraryVisit:
		if in.PavilionID != 0 {
			pv, err := t.PavilionGetByID(ctx, in.PavilionID)
			switch {
			case errors.Is(err, expodesk.ErrNotFound) || (err == nil && pv.ExpoID != e.ID):
				p.Add("pavilion", "validation.choice", nil)
			case err != nil:
				return it, err
			default:
				it.PavilionID = &pv.ID
			}
		}
		if in.ExhibitorID != 0 {
			ok, err := t.ApprovedAt(ctx, e.ID, in.ExhibitorID)
			if err != nil {
				return it, err
			}
			if !ok {
				p.Add("exhibitor", "meetings.not_approved", nil)
			} else {
				it.ExhibitorID = &in.ExhibitorID
			}
		}
	case expodesk.ItineraryRoadshow:
		if in.SlotID != 0 {
			sl, err := t.BookedSlotGet(ctx, e.ID, in.SlotID)
			switch {
			case errors.Is(err, expodesk.ErrNotFound):
				p.Add("slot", "validation.choice", nil)
			case err != nil:
				return it, err
			default:
				it.SlotID, it.ExhibitorID, it.PavilionID = &sl.SlotID, &sl.ExhibitorID, sl.PavilionID
				it.StartsAt, it.EndsAt = sl.StartsAt, sl.EndsAt
			}
		}
	}
	if _, bad := p["slot"]; !bad {
		if err := it.Validate(d, e.Location()); err != nil {
			for f, m := range expodesk.ErrorOf(err).Problems {
				p.Add(f, m.Key, m.Data)
			}
		}
	}
	return it, p.Err()
}

// itemAudit is what the audit log records of an item.
func itemAudit(it expodesk.ItineraryItem) map[string]any {
	return map[string]any{"kind": it.Kind, "starts_at": it.StartsAt, "ends_at": it.EndsAt,
		"pavilion_id": it.PavilionID, "exhibitor_id": it.ExhibitorID, "slot_id": it.SlotID,
		"title": it.Title, "location": it.Location}
}

// AddItineraryItem adds an item to delegation delegationID's itinerary.
// Problems are field-level: an item outside the stay, an end before its
// start, a pavilion, company or slot the expo does not have (or a company
// not approved there). Clashes with the rest of the plan are not refused:
// the itinerary shows them as warnings.
func (s *Service) AddItineraryItem(ctx context.Context, c Caller, delegationID int64, in ItemInput) (expodesk.ItineraryItem, error) {
	var out expodesk.ItineraryItem
	err := s.write(ctx, c, func(t *tx) error {
		d, err := s.managedDelegation(ctx, c, t.DelegationGetForUpdate, delegationID)
		if err != nil {
			return err
		}
		e, err := t.ExpoGetByID(ctx, d.ExpoID)
		if err != nil {
			return err
		}
		it, err := s.resolveItem(ctx, t, d, e, in)
		if err != nil {
			return err
		}
		if out, err = t.ItineraryItemCreate(ctx, it); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionItineraryAdd, "itinerary_item", out.ID, delegationScope(d), nil, itemAudit(out))
	})
	return out, err
}

// ItineraryItem returns item id of delegation delegationID if the caller may plan it.
func (s *Service) ItineraryItem(ctx context.Context, c Caller, delegationID, id int64) (expodesk.Delegation, expodesk.ItineraryItem, error) {
	d, err := s.ManagedDelegation(ctx, c, delegationID)
	if err != nil {
		return d, expodesk.ItineraryItem{}, err
	}
	it, err := s.store.ItineraryItemGet(ctx, d.ID, id)
	return d, it, err
}

// UpdateItineraryItem changes item id of delegation delegationID, with the
// rules of AddItineraryItem; an item of another delegation is not found.
func (s *Service) UpdateItineraryItem(ctx context.Context, c Caller, delegationID, id int64, in ItemInput) (expodesk.ItineraryItem, error) {
	var out expodesk.ItineraryItem
	err := s.write(ctx, c, func(t *tx) error {
		d, err := s.managedDelegation(ctx, c, t.DelegationGetForUpdate, delegationID)
		if err != nil {
			return err
		}
		before, err := t.ItineraryItemGet(ctx, d.ID, id)
		if err != nil {
			return err
		}
		e, err := t.ExpoGetByID(ctx, d.ExpoID)
		if err != nil {
			return err
		}
		it, err := s.resolveItem(ctx, t, d, e, in)
		if err != nil {
			return err
		}
		it.ID = id
		if out, err = t.ItineraryItemUpdate(ctx, it); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionItineraryUpdate, "itinerary_item", id, delegationScope(d), itemAudit(before), itemAudit(out))
	})
	return out, err
}

// RemoveItineraryItem removes item id of delegation delegationID.
func (s *Service) RemoveItineraryItem(ctx context.Context, c Caller, delegationID, id int64) error {
	return s.write(ctx, c, func(t *tx) error {
		d, err := s.managedDelegation(ctx, c, t.DelegationGetForUpdate, delegationID)
		if err != nil {
			return err
		}
		before, err := t.ItineraryItemGet(ctx, d.ID, id)
		if err != nil {
			return err
		}
		if err := t.ItineraryItemDelete(ctx, d.ID, id); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionItineraryRemove, "itinerary_item", id, delegationScope(d), itemAudit(before), nil)
	})
}

// Itinerary is a delegation's whole plan as read: its items and meetings in
// order, who attends each meeting, and the warnings of each entry by key
// ("item-3", "meeting-7").
type Itinerary struct {
	Delegation expodesk.Delegation
	Expo       expodesk.Expo
	Items      []expodesk.ItineraryRow
	Meetings   []expodesk.MeetingRow
	Attendees  map[int64][]expodesk.MeetingAttendee
	Warnings   map[string][]expodesk.Warning
}

// ItemKey and MeetingKey name an entry of an itinerary in its warnings.
func ItemKey(id int64) string    { return "item-" + itoa(id) }
func MeetingKey(id int64) string { return "meeting-" + itoa(id) }

// DelegationItinerary returns the itinerary of delegation id for the
// organizer planning it.
func (s *Service) DelegationItinerary(ctx context.Context, c Caller, id int64) (Itinerary, error) {
	d, err := s.ManagedDelegation(ctx, c, id)
	if err != nil {
		return Itinerary{}, err
	}
	return s.itinerary(ctx, d)
}

// itinerary reads d's plan and checks it for clashes.
func (s *Service) itinerary(ctx context.Context, d expodesk.Delegation) (Itinerary, error) {
	out := Itinerary{Delegation: d}
	var err error
	if out.Expo, err = s.store.ExpoGetByID(ctx, d.ExpoID); err != nil {
		return out, err
	}
	if out.Items, err = s.store.ItineraryRows(ctx, d.ID); err != nil {
		return out, err
	}
	if out.Meetings, err = s.store.MeetingRowsOfDelegation(ctx, d.ID); err != nil {
		return out, err
	}
	ids := make([]int64, 0, len(out.Meetings))
	for _, m := range out.Meetings {
		ids = append(ids, m.ID)
	}
	att, err := s.store.MeetingAttendees(ctx, ids)
	if err != nil {
		return out, err
	}
	out.Attendees = map[int64][]expodesk.MeetingAttendee{}
	for _, a := range att {
		out.Attendees[a.MeetingID] = append(out.Attendees[a.MeetingID], a)
	}
	var entries []expodesk.PlanEntry
	from, to := d.ArrivesAt, d.DepartsAt
	for _, it := range out.Items {
		entries = append(entries, expodesk.PlanEntry{Key: ItemKey(it.ID), StartsAt: it.StartsAt, EndsAt: it.EndsAt, Hall: it.Hall})
		from, to = earlier(from, it.StartsAt), later(to, it.EndsAt)
	}
	for _, m := range out.Meetings {
		if !m.Standing() {
			continue
		}
		entries = append(entries, expodesk.PlanEntry{Key: MeetingKey(m.ID), StartsAt: m.StartsAt, EndsAt: m.EndsAt,
			Hall: m.Hall, ExhibitorID: m.ExhibitorID, Meeting: true})
		from, to = earlier(from, m.StartsAt), later(to, m.EndsAt)
	}
	talks, err := s.store.ExpoPresentations(ctx, d.ExpoID, from, to)
	if err != nil {
		return out, err
	}
	out.Warnings = expodesk.PlanWarnings(entries, talks, d)
	return out, nil
}

func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// BookedSlots lists the booked roadshow slots during delegation d's stay,
// which its itinerary may attend.
func (s *Service) BookedSlots(ctx context.Context, d expodesk.Delegation) ([]expodesk.BookedSlot, error) {
	return s.store.BookedSlots(ctx, d.ExpoID, d.ArrivesAt, d.DepartsAt)
}

// maxSuggestions bounds the suggested visits a page lists.
const maxSuggestions = 60

// SuggestedVisits ranks the approved exhibitors of delegation id's expo
// for it (O4): those sharing most of sectors (the delegation's sectors of
// interest, as the organizer picked them) first, then those in a pavilion
// of the delegation's home country, then those from that country.
func (s *Service) SuggestedVisits(ctx context.Context, c Caller, id int64, sectors []string) (expodesk.Delegation, []expodesk.SuggestedVisit, error) {
	d, err := s.ManagedDelegation(ctx, c, id)
	if err != nil {
		return d, nil, err
	}
	list, err := s.store.SuggestedVisits(ctx, d, sectors, d.HomeCountry(), maxSuggestions)
	return d, list, err
}
