package service

import (
	"context"
	"errors"
	"slices"
	"strings"

	"expodesk/internal/expodesk"
)

// Delegations and their members (O4, O6). An expo-wide organizer manages
// every delegation; a pavilion coordinator the visits their pavilion hosts
// (delegation.host_pavilion_id), and a visit hosted by another pavilion or
// by the whole expo is not found for them. Exhibitors are refused outright:
// member personal data is for organizers only.

// delegationAudit is what the audit log records of a delegation.
func delegationAudit(d expodesk.Delegation) map[string]any {
	return map[string]any{"name": d.Name, "origin": d.Origin, "kind": d.Kind, "leader": d.Leader,
		"home_time_zone": d.HomeTimeZone, "lang": d.Lang, "arrives_at": d.ArrivesAt, "departs_at": d.DepartsAt,
		"status": d.Status, "host_pavilion_id": d.HostPavilionID, "sectors": d.Sectors}
}

// memberAudit is what the audit log records of a member. Its personal
// fields are those postgres.MemberPersonalFields names, which erasure
// removes from every entry about the member.
func memberAudit(m expodesk.DelegationMember) map[string]any {
	return map[string]any{"delegation_id": m.DelegationID,
		"family_name": m.FamilyName, "given_name": m.GivenName,
		"romanized_family_name": m.RomanizedFamilyName, "romanized_given_name": m.RomanizedGivenName,
		"title": m.Title, "email": m.Email, "phone": m.Phone, "passport_name": m.PassportName,
		"name_order": m.NameOrder, "organisation": m.Organisation, "protocol_role": m.ProtocolRole,
		"letter_status": m.LetterStatus, "letter_requested_on": m.LetterRequestedOn, "letter_issued_on": m.LetterIssuedOn,
		"position": m.Position}
}

// DelegationExpo returns expo expoID if the caller may work with its
// delegations: an expo-wide organizer any expo, a coordinator their
// pavilion's (where they see the visits their pavilion hosts).
func (s *Service) DelegationExpo(ctx context.Context, c Caller, expoID int64) (expodesk.Expo, error) {
	return s.ManagedExpo(ctx, c, expoID)
}

// ManagedDelegation returns delegation id if the caller may manage it;
// another pavilion's or an expo-wide visit is not found for a coordinator
// (and the attempt recorded), and exhibitors are refused.
func (s *Service) ManagedDelegation(ctx context.Context, c Caller, id int64) (expodesk.Delegation, error) {
	return s.managedDelegation(ctx, c, s.store.DelegationGet, id)
}

func (s *Service) managedDelegation(ctx context.Context, c Caller,
	get func(context.Context, int64) (expodesk.Delegation, error), id int64) (expodesk.Delegation, error) {
	if err := s.organizerOf(ctx, c, "delegation", id); err != nil {
		return expodesk.Delegation{}, err
	}
	d, err := get(ctx, id)
	if errors.Is(err, expodesk.ErrNotFound) {
		return d, s.refuse(ctx, c, "delegation", id, err)
	}
	if err != nil {
		return d, err
	}
	if !expodesk.CanManageDelegation(c.Principal, d.ExpoID, d.HostPavilionID) {
		return expodesk.Delegation{}, s.refuse(ctx, c, "delegation", id, expodesk.ErrNotFound)
	}
	return d, nil
}

// cleanDelegation trims what a form may carry around the values.
func cleanDelegation(d expodesk.Delegation) expodesk.Delegation {
	for _, l := range expodesk.Langs {
		d.Name = d.Name.Set(l, strings.TrimSpace(d.Name.Get(l)))
	}
	d.Origin, d.Leader = strings.TrimSpace(d.Origin), strings.TrimSpace(d.Leader)
	d.HomeTimeZone, d.Notes = strings.TrimSpace(d.HomeTimeZone), strings.TrimSpace(d.Notes)
	if d.HostPavilionID != nil && *d.HostPavilionID == 0 {
		d.HostPavilionID = nil
	}
	d.Sectors = slices.Compact(slices.Sorted(slices.Values(d.Sectors)))
	return d
}

// validateDelegation is a delegation's own rules, its sectors' and its
// host pavilion's: one of the delegation's expo, and one the caller may
// manage (a coordinator hosts visits in their own pavilion only). A forged
// choice is a problem on the field.
func (s *Service) validateDelegation(ctx context.Context, c Caller, d expodesk.Delegation) error {
	sectors, err := s.store.SectorList(ctx)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, sc := range sectors {
		known[sc.Code] = true
	}
	p := expodesk.Problems{}
	if err := d.Validate(known); err != nil {
		e := expodesk.ErrorOf(err)
		if e == nil || e.Code != expodesk.EINVALID {
			return err
		}
		for f, m := range e.Problems {
			p.Add(f, m.Key, m.Data)
		}
	}
	if d.HostPavilionID != nil {
		pv, err := s.store.PavilionGetByID(ctx, *d.HostPavilionID)
		switch {
		case errors.Is(err, expodesk.ErrNotFound) || (err == nil && pv.ExpoID != d.ExpoID):
			p.Add("host_pavilion", "validation.choice", nil)
		case err != nil:
			return err
		}
	}
	if _, bad := p["host_pavilion"]; !bad && !expodesk.CanManageDelegation(c.Principal, d.ExpoID, d.HostPavilionID) {
		s.RecordRefusal(ctx, c, "delegation", "host_pavilion")
		p.Add("host_pavilion", "delegations.host_not_yours", nil)
	}
	return p.Err()
}

// CreateDelegation creates a delegation visiting expo d.ExpoID, planned; a
// coordinator creates visits hosted by their own pavilion only.
func (s *Service) CreateDelegation(ctx context.Context, c Caller, d expodesk.Delegation) (expodesk.Delegation, error) {
	if _, err := s.DelegationExpo(ctx, c, d.ExpoID); err != nil {
		return d, err
	}
	d = cleanDelegation(d)
	d.Status = expodesk.DelegationPlanned
	if err := s.validateDelegation(ctx, c, d); err != nil {
		return d, err
	}
	var out expodesk.Delegation
	err := s.write(ctx, c, func(t *tx) error {
		var err error
		if out, err = t.DelegationCreate(ctx, d); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionDelegationCreate, "delegation", out.ID, delegationScope(out), nil, delegationAudit(out))
	})
	return out, err
}

// UpdateDelegation replaces a delegation's editable fields (not its
// status, which moves with SetDelegationStatus).
func (s *Service) UpdateDelegation(ctx context.Context, c Caller, id int64, d expodesk.Delegation) (expodesk.Delegation, error) {
	before, err := s.ManagedDelegation(ctx, c, id)
	if err != nil {
		return d, err
	}
	d = cleanDelegation(d)
	d.ID, d.ExpoID, d.Status = id, before.ExpoID, before.Status
	if err := s.validateDelegation(ctx, c, d); err != nil {
		return d, err
	}
	var out expodesk.Delegation
	err = s.write(ctx, c, func(t *tx) error {
		locked, err := s.managedDelegation(ctx, c, t.DelegationGetForUpdate, id)
		if err != nil {
			return err
		}
		if out, err = t.DelegationUpdate(ctx, d); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionDelegationUpdate, "delegation", id, delegationScope(out),
			delegationAudit(locked), delegationAudit(out))
	})
	return out, err
}

// SetDelegationStatus moves a delegation planned → confirmed → arrived, or
// to cancelled before it arrived. Any other move is a problem on the status
// field that says which moves there are.
func (s *Service) SetDelegationStatus(ctx context.Context, c Caller, id int64, to expodesk.DelegationStatus) (expodesk.Delegation, error) {
	var out expodesk.Delegation
	err := s.write(ctx, c, func(t *tx) error {
		before, err := s.managedDelegation(ctx, c, t.DelegationGetForUpdate, id)
		if err != nil {
			return err
		}
		if !expodesk.CanMoveDelegation(before.Status, to) {
			p := expodesk.Problems{}
			p.Add("status", "delegations.bad_transition", map[string]any{"From": string(before.Status), "To": string(to)})
			return p.Err()
		}
		if out, err = t.DelegationSetStatus(ctx, id, before.Status, to); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionDelegationStatus, "delegation", id, delegationScope(out),
			map[string]any{"status": before.Status}, map[string]any{"status": out.Status})
	})
	return out, err
}

// cleanMember trims a member's fields and fills what is derived: the name
// order from the family name's script when none is chosen, and the
// romanised name from the name when both romanised fields are empty.
func cleanMember(m expodesk.DelegationMember) expodesk.DelegationMember {
	for _, f := range []*string{&m.FamilyName, &m.GivenName, &m.RomanizedFamilyName, &m.RomanizedGivenName,
		&m.Title, &m.Organisation, &m.Email, &m.Phone, &m.PassportName} {
		*f = strings.TrimSpace(*f)
	}
	if m.NameOrder == "" {
		m.NameOrder = expodesk.GuessNameOrder(m.FamilyName)
	}
	if m.RomanizedFamilyName == "" && m.RomanizedGivenName == "" {
		m.RomanizedFamilyName, m.RomanizedGivenName = expodesk.Romanize(m.FamilyName, true), expodesk.Romanize(m.GivenName, false)
	}
	return m
}

// AddMember adds a member to a delegation, last in protocol order.
func (s *Service) AddMember(ctx context.Context, c Caller, delegationID int64, m expodesk.DelegationMember) (expodesk.DelegationMember, error) {
	if _, err := s.ManagedDelegation(ctx, c, delegationID); err != nil {
		return m, err
	}
	m = cleanMember(m)
	m.DelegationID, m.Position = delegationID, 0
	if err := m.Validate(); err != nil {
		return m, err
	}
	var out expodesk.DelegationMember
	err := s.write(ctx, c, func(t *tx) error {
		d, err := s.managedDelegation(ctx, c, t.DelegationGetForUpdate, delegationID)
		if err != nil {
			return err
		}
		if out, err = t.DelegationMemberCreate(ctx, m); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionMemberAdd, "delegation_member", out.ID, delegationScope(d), nil, memberAudit(out))
	})
	return out, err
}

// ManagedMember returns member id of delegation delegationID, with the
// delegation, if the caller may manage the delegation.
func (s *Service) ManagedMember(ctx context.Context, c Caller, delegationID, id int64) (expodesk.Delegation, expodesk.DelegationMember, error) {
	d, err := s.ManagedDelegation(ctx, c, delegationID)
	if err != nil {
		return d, expodesk.DelegationMember{}, err
	}
	m, err := s.store.DelegationMemberGet(ctx, delegationID, id)
	return d, m, err
}

// memberWrite runs fn on member id of delegation delegationID in one
// transaction, the delegation and the member locked and checked first.
func (s *Service) memberWrite(ctx context.Context, c Caller, delegationID, id int64,
	fn func(t *tx, d expodesk.Delegation, m expodesk.DelegationMember) error) error {
	return s.write(ctx, c, func(t *tx) error {
		d, err := s.managedDelegation(ctx, c, t.DelegationGetForUpdate, delegationID)
		if err != nil {
			return err
		}
		m, err := t.DelegationMemberGetForUpdate(ctx, delegationID, id)
		if err != nil {
			return err
		}
		return fn(t, d, m)
	})
}

// UpdateMember replaces a member's fields. A romanised name the organizer
// never corrected follows a changed name; an erased member has nothing
// left to edit (ErrMemberErased).
func (s *Service) UpdateMember(ctx context.Context, c Caller, delegationID, id int64, in expodesk.DelegationMember) (expodesk.DelegationMember, error) {
	if _, err := s.ManagedDelegation(ctx, c, delegationID); err != nil {
		return in, err
	}
	in = cleanMember(in)
	in.ID, in.DelegationID = id, delegationID
	if err := in.Validate(); err != nil {
		return in, err
	}
	var out expodesk.DelegationMember
	err := s.memberWrite(ctx, c, delegationID, id, func(t *tx, d expodesk.Delegation, before expodesk.DelegationMember) error {
		if before.Erased() {
			return expodesk.ErrMemberErased
		}
		derived := expodesk.Romanize(before.FamilyName, true) == before.RomanizedFamilyName &&
			expodesk.Romanize(before.GivenName, false) == before.RomanizedGivenName
		if derived && in.RomanizedFamilyName == before.RomanizedFamilyName && in.RomanizedGivenName == before.RomanizedGivenName {
			in.RomanizedFamilyName, in.RomanizedGivenName = expodesk.Romanize(in.FamilyName, true), expodesk.Romanize(in.GivenName, false)
		}
		var err error
		if out, err = t.DelegationMemberUpdate(ctx, in); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionMemberUpdate, "delegation_member", id, delegationScope(d),
			memberAudit(before), memberAudit(out))
	})
	return out, err
}

// MoveMember moves a member one place up (earlier) or down in protocol
// order; the first cannot go up nor the last down, which changes nothing.
// The delegation's members are numbered 1, 2, 3… afterwards.
func (s *Service) MoveMember(ctx context.Context, c Caller, delegationID, id int64, up bool) error {
	return s.memberWrite(ctx, c, delegationID, id, func(t *tx, d expodesk.Delegation, m expodesk.DelegationMember) error {
		members, err := t.DelegationMembers(ctx, delegationID)
		if err != nil {
			return err
		}
		ids := make([]int64, len(members))
		at := -1
		for i, x := range members {
			ids[i] = x.ID
			if x.ID == id {
				at = i
			}
		}
		to := at + 1
		if up {
			to = at - 1
		}
		if at < 0 || to < 0 || to >= len(ids) {
			return nil
		}
		ids[at], ids[to] = ids[to], ids[at]
		if err := t.DelegationMembersOrder(ctx, delegationID, ids); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionMemberMove, "delegation_member", id, delegationScope(d),
			map[string]any{"position": at + 1}, map[string]any{"position": to + 1})
	})
}

// RemoveMember takes a member off a delegation (someone who no longer
// travels); the others keep their order.
func (s *Service) RemoveMember(ctx context.Context, c Caller, delegationID, id int64) error {
	return s.memberWrite(ctx, c, delegationID, id, func(t *tx, d expodesk.Delegation, m expodesk.DelegationMember) error {
		if err := t.DelegationMemberDelete(ctx, delegationID, id); err != nil {
			return err
		}
		before := memberAudit(m)
		if m.Erased() {
			before = map[string]any{"delegation_id": m.DelegationID, "erased": true}
		}
		return t.audit(ctx, expodesk.ActionMemberRemove, "delegation_member", id, delegationScope(d), before, nil)
	})
}

// EraseMember erases a member's personal data on request: the name, title,
// email, phone and passport name are blanked and the member is shown as an
// erased member; the row, its protocol role and organisation stay, so the
// itinerary and its history stay whole. The audit entry of the erasure
// holds no personal data, and the personal data of every earlier entry
// about the member is removed too (those entries keep what was done and
// when). Erasing twice is ErrMemberErased.
func (s *Service) EraseMember(ctx context.Context, c Caller, delegationID, id int64) error {
	return s.memberWrite(ctx, c, delegationID, id, func(t *tx, d expodesk.Delegation, m expodesk.DelegationMember) error {
		if m.Erased() {
			return expodesk.ErrMemberErased
		}
		out, err := t.DelegationMemberErase(ctx, delegationID, id)
		if err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionMemberErase, "delegation_member", id, delegationScope(d), nil,
			map[string]any{"delegation_id": out.DelegationID, "erased_at": out.ErasedAt, "position": out.Position,
				"protocol_role": out.ProtocolRole})
	})
}
