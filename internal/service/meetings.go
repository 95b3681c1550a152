package service

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/mail"
	"expodesk/internal/urls"
)

// Meetings with exhibitors (O4, E4): an organizer requests one between a
// delegation and a company approved at its expo; the company's team is
// mailed in each member's language and answers in its portal — accepts,
// declines with a note, or proposes another time, which the organizer
// takes or turns down. The team sees the delegation's name and the names
// and titles of the meeting's attendees, never other members, other
// delegations' meetings or another company's.

// meetingScope is the audit scope of a change to a meeting: its expo and
// the company, so that the company's own entries can be told apart.
func meetingScope(d expodesk.Delegation, exhibitorID int64) scope {
	sc := delegationScope(d)
	sc.ExhibitorID = &exhibitorID
	return sc
}

// meetingAudit is what the audit log records of a meeting.
func meetingAudit(m expodesk.Meeting) map[string]any {
	out := map[string]any{"status": m.Status, "exhibitor_id": m.ExhibitorID, "starts_at": m.StartsAt, "ends_at": m.EndsAt,
		"location": m.Location}
	if m.ProposedStartsAt != nil {
		out["proposed_starts_at"], out["proposed_ends_at"] = *m.ProposedStartsAt, *m.ProposedEndsAt
	}
	if m.ResponseNote != "" {
		out["note"] = m.ResponseNote
	}
	return out
}

// MeetingInput is a meeting request as a form gives it. Attendees are ids
// of the delegation's members; none chosen means its head.
type MeetingInput struct {
	ExhibitorID int64
	StartsAt    time.Time
	EndsAt      time.Time
	Location    string
	Topic       string
	Attendees   []int64
}

// RequestMeeting requests a meeting between delegation delegationID and a
// company, and mails the company's team. A company not approved at the
// delegation's expo is a problem on the exhibitor field; a time outside the
// stay one on the start. A clash with the plan is shown on the itinerary,
// not refused.
func (s *Service) RequestMeeting(ctx context.Context, c Caller, delegationID int64, in MeetingInput) (expodesk.Meeting, error) {
	var out expodesk.Meeting
	err := s.write(ctx, c, func(t *tx) error {
		d, err := s.managedDelegation(ctx, c, t.DelegationGetForUpdate, delegationID)
		if err != nil {
			return err
		}
		e, err := t.ExpoGetByID(ctx, d.ExpoID)
		if err != nil {
			return err
		}
		m := expodesk.Meeting{DelegationID: d.ID, ExhibitorID: in.ExhibitorID, StartsAt: in.StartsAt, EndsAt: in.EndsAt,
			Location: strings.TrimSpace(in.Location), Topic: strings.TrimSpace(in.Topic), Status: expodesk.MeetingRequested}
		p := expodesk.Problems{}
		if err := expodesk.ValidateMeetingRequest(m, d, e.Location()); err != nil {
			p = expodesk.ErrorOf(err).Problems
		}
		if in.ExhibitorID != 0 {
			ok, err := t.ApprovedAt(ctx, e.ID, in.ExhibitorID)
			if err != nil {
				return err
			}
			if !ok {
				p.Add("exhibitor", expodesk.ErrNotApprovedThere.Message, nil)
			}
		}
		members, err := t.DelegationMembers(ctx, d.ID)
		if err != nil {
			return err
		}
		attendees := attendeesOf(members, in.Attendees)
		if attendees == nil {
			p.Add("attendees", "validation.choice", nil)
		}
		if err := p.Err(); err != nil {
			return err
		}
		if out, err = t.MeetingCreate(ctx, m, &c.Principal.UserID); err != nil {
			return err
		}
		if err := t.MeetingAttendeesAdd(ctx, out.ID, attendees); err != nil {
			return err
		}
		after := meetingAudit(out)
		after["attendees"] = attendees
		sc := meetingScope(d, out.ExhibitorID)
		if err := t.audit(ctx, expodesk.ActionMeetingRequest, "meeting", out.ID, sc, nil, after); err != nil {
			return err
		}
		link := s.link(urls.ExhibitorMeeting(out.ID))
		return s.tellCompany(ctx, t, out.ExhibitorID, sc, func(l expodesk.Lang, company string) mail.Content {
			return mail.MeetingRequested{Company: company, Delegation: d.Name.In(l), Origin: d.Origin, Expo: e.Name.In(l),
				Start: out.StartsAt, End: out.EndsAt, Zone: e.Location(), Location: out.Location, Topic: out.Topic, Link: link}
		})
	})
	return out, err
}

// attendeesOf returns the chosen members (ids of d's members, none erased),
// or the delegation's head when none was chosen; nil when a chosen id is
// not one of them (a forged form).
func attendeesOf(members []expodesk.DelegationMember, chosen []int64) []int64 {
	out := []int64{}
	if len(chosen) == 0 {
		for _, m := range members {
			if m.ProtocolRole == expodesk.ProtocolHead && m.ErasedAt == nil {
				out = append(out, m.ID)
			}
		}
		return out
	}
	for _, id := range chosen {
		i := slices.IndexFunc(members, func(m expodesk.DelegationMember) bool { return m.ID == id && m.ErasedAt == nil })
		if i < 0 {
			return nil
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// CompanyMeeting is a meeting as the company's team sees it.
type CompanyMeeting struct {
	Meeting   expodesk.MeetingRow
	Attendees []expodesk.MeetingAttendee
}

// exhibitorOf applies the first rule of the exhibitor's meetings: a
// visitor must sign in, anyone but a team member is refused.
func (s *Service) exhibitorOf(ctx context.Context, c Caller, id int64) error {
	if c.Principal == nil {
		return expodesk.Errorf(expodesk.EUNAUTHORIZED, "error.unauthorized")
	}
	if !c.Principal.IsExhibitor() {
		return s.refuse(ctx, c, "meeting", id, expodesk.ErrForbidden)
	}
	return nil
}

// CompanyMeetings lists the caller's company's meetings with delegations.
func (s *Service) CompanyMeetings(ctx context.Context, c Caller) ([]expodesk.MeetingRow, error) {
	if err := s.exhibitorOf(ctx, c, 0); err != nil {
		return nil, err
	}
	return s.store.MeetingRowsOfExhibitor(ctx, c.Principal.ExhibitorID)
}

// CompanyMeetingGet returns meeting id for the caller's company, with its
// attendees' names and titles; another company's meeting is not found.
func (s *Service) CompanyMeetingGet(ctx context.Context, c Caller, id int64) (CompanyMeeting, error) {
	if err := s.exhibitorOf(ctx, c, id); err != nil {
		return CompanyMeeting{}, err
	}
	m, err := s.store.MeetingRowGet(ctx, id)
	if errors.Is(err, expodesk.ErrNotFound) || (err == nil && !expodesk.CanSeeMeeting(c.Principal, m.ExhibitorID)) {
		return CompanyMeeting{}, s.refuse(ctx, c, "meeting", id, expodesk.ErrNotFound)
	}
	if err != nil {
		return CompanyMeeting{}, err
	}
	att, err := s.store.MeetingAttendees(ctx, []int64{id})
	return CompanyMeeting{Meeting: m, Attendees: att}, err
}

// companyMeeting locks meeting id in t if it is the caller's company's,
// with its delegation and expo.
func (s *Service) companyMeeting(ctx context.Context, c Caller, t *tx, id int64) (expodesk.Meeting, expodesk.Delegation, expodesk.Expo, error) {
	if err := s.exhibitorOf(ctx, c, id); err != nil {
		return expodesk.Meeting{}, expodesk.Delegation{}, expodesk.Expo{}, err
	}
	m, err := t.MeetingLock(ctx, id)
	if errors.Is(err, expodesk.ErrNotFound) || (err == nil && !expodesk.CanSeeMeeting(c.Principal, m.ExhibitorID)) {
		return m, expodesk.Delegation{}, expodesk.Expo{}, s.refuse(ctx, c, "meeting", id, expodesk.ErrNotFound)
	}
	if err != nil {
		return m, expodesk.Delegation{}, expodesk.Expo{}, err
	}
	d, err := t.DelegationGet(ctx, m.DelegationID)
	if err != nil {
		return m, d, expodesk.Expo{}, err
	}
	e, err := t.ExpoGetByID(ctx, d.ExpoID)
	return m, d, e, err
}

// tellRequester mails the organizer who requested m, in their language,
// when their account still exists and is enabled.
func (s *Service) tellRequester(ctx context.Context, t *tx, m expodesk.Meeting, sc scope, content func(expodesk.Lang) mail.Content) error {
	if m.RequestedBy == nil {
		return nil
	}
	u, err := t.UserGet(ctx, *m.RequestedBy)
	if errors.Is(err, expodesk.ErrNotFound) || (err == nil && u.DisabledAt != nil) {
		return nil
	}
	if err != nil {
		return err
	}
	return t.mail(ctx, u.Email, u.Lang, content(u.Lang), sc)
}

// AnswerMeeting accepts or declines meeting id for the caller's company,
// with an optional note, and tells the organizer who requested it. A
// meeting answered meanwhile, cancelled or of another company is not
// answered (a conflict; another company's is not found).
func (s *Service) AnswerMeeting(ctx context.Context, c Caller, id int64, answer expodesk.MeetingAnswer, note string) (expodesk.Meeting, error) {
	note = strings.TrimSpace(note)
	p := expodesk.Problems{}
	if answer != expodesk.AnswerAccept && answer != expodesk.AnswerDecline {
		p.Add("answer", "validation.choice", nil)
	}
	expodesk.ValidateMeetingNote(p, "note", note)
	var out expodesk.Meeting
	err := s.write(ctx, c, func(t *tx) error {
		before, d, e, err := s.companyMeeting(ctx, c, t, id)
		if err != nil {
			return err
		}
		if err := p.Err(); err != nil {
			return err
		}
		if !expodesk.CanAnswerMeeting(before.Status) {
			return expodesk.ErrMeetingAnswered
		}
		m := before
		m.Status = expodesk.MeetingAccepted
		if answer == expodesk.AnswerDecline {
			m.Status = expodesk.MeetingDeclined
		}
		now := s.now()
		m.ResponseNote, m.RespondedBy, m.RespondedAt = note, &c.Principal.UserID, &now
		m.ProposedStartsAt, m.ProposedEndsAt = nil, nil
		if out, err = t.MeetingSet(ctx, m, before.Status); err != nil {
			return err
		}
		sc := meetingScope(d, m.ExhibitorID)
		if err := t.audit(ctx, expodesk.ActionMeetingAnswer, "meeting", id, sc, meetingAudit(before), meetingAudit(out)); err != nil {
			return err
		}
		company, err := t.ExhibitorGetByID(ctx, m.ExhibitorID)
		if err != nil {
			return err
		}
		link := s.link(urls.OrganizerItinerary(d.ID))
		return s.tellRequester(ctx, t, out, sc, func(l expodesk.Lang) mail.Content {
			return mail.MeetingAnswered{Company: company.DisplayName(l), Delegation: d.Name.In(l), Status: out.Status,
				Start: out.StartsAt, Zone: e.Location(), Note: note, Link: link}
		})
	})
	return out, err
}

// ProposeMeetingTime answers meeting id for the caller's company with
// another time (within the delegation's stay, and not the time asked for),
// which the organizer then takes or turns down.
func (s *Service) ProposeMeetingTime(ctx context.Context, c Caller, id int64, start, end time.Time, note string) (expodesk.Meeting, error) {
	note = strings.TrimSpace(note)
	var out expodesk.Meeting
	err := s.write(ctx, c, func(t *tx) error {
		before, d, e, err := s.companyMeeting(ctx, c, t, id)
		if err != nil {
			return err
		}
		p := expodesk.Problems{}
		expodesk.CheckTimes(p, start, end, d, e.Location(), "proposed_starts_at", "proposed_ends_at")
		if !start.IsZero() && start.Equal(before.StartsAt) && end.Equal(before.EndsAt) {
			p.Add("proposed_starts_at", "meetings.same_time", nil)
		}
		expodesk.ValidateMeetingNote(p, "proposal_note", note)
		if err := p.Err(); err != nil {
			return err
		}
		if !expodesk.CanAnswerMeeting(before.Status) {
			return expodesk.ErrMeetingAnswered
		}
		m := before
		now := s.now()
		m.Status, m.ProposedStartsAt, m.ProposedEndsAt = expodesk.MeetingProposed, &start, &end
		m.ResponseNote, m.RespondedBy, m.RespondedAt = note, &c.Principal.UserID, &now
		if out, err = t.MeetingSet(ctx, m, before.Status); err != nil {
			return err
		}
		sc := meetingScope(d, m.ExhibitorID)
		if err := t.audit(ctx, expodesk.ActionMeetingPropose, "meeting", id, sc, meetingAudit(before), meetingAudit(out)); err != nil {
			return err
		}
		company, err := t.ExhibitorGetByID(ctx, m.ExhibitorID)
		if err != nil {
			return err
		}
		link := s.link(urls.OrganizerItinerary(d.ID))
		return s.tellRequester(ctx, t, out, sc, func(l expodesk.Lang) mail.Content {
			return mail.MeetingAnswered{Company: company.DisplayName(l), Delegation: d.Name.In(l), Status: expodesk.MeetingProposed,
				Start: start, Zone: e.Location(), Note: note, Link: link}
		})
	})
	return out, err
}

// plannedMeeting locks meeting id of delegation delegationID for the
// organizer planning it; a meeting of another delegation is not found.
func (s *Service) plannedMeeting(ctx context.Context, c Caller, t *tx, delegationID, id int64) (expodesk.Meeting, expodesk.Delegation, expodesk.Expo, error) {
	d, err := s.managedDelegation(ctx, c, t.DelegationGetForUpdate, delegationID)
	if err != nil {
		return expodesk.Meeting{}, d, expodesk.Expo{}, err
	}
	m, err := t.MeetingLock(ctx, id)
	if errors.Is(err, expodesk.ErrNotFound) || (err == nil && m.DelegationID != d.ID) {
		return m, d, expodesk.Expo{}, s.refuse(ctx, c, "meeting", id, expodesk.ErrNotFound)
	}
	if err != nil {
		return m, d, expodesk.Expo{}, err
	}
	e, err := t.ExpoGetByID(ctx, d.ExpoID)
	return m, d, e, err
}

// DecideProposal takes (the meeting moves to the proposed time, accepted)
// or turns down (back to a request the company may answer again) the
// company's proposal of another time for meeting id, and tells its team.
func (s *Service) DecideProposal(ctx context.Context, c Caller, delegationID, id int64, take bool) (expodesk.Meeting, error) {
	var out expodesk.Meeting
	err := s.write(ctx, c, func(t *tx) error {
		before, d, e, err := s.plannedMeeting(ctx, c, t, delegationID, id)
		if err != nil {
			return err
		}
		if before.Status != expodesk.MeetingProposed || before.ProposedStartsAt == nil {
			return expodesk.ErrNoProposal
		}
		m := before
		change := "turned_down"
		m.Status = expodesk.MeetingRequested
		if take {
			p := expodesk.Problems{}
			expodesk.CheckTimes(p, *m.ProposedStartsAt, *m.ProposedEndsAt, d, e.Location(), "proposal", "proposal")
			if err := p.Err(); err != nil {
				return err
			}
			change = "taken"
			m.Status, m.StartsAt, m.EndsAt = expodesk.MeetingAccepted, *m.ProposedStartsAt, *m.ProposedEndsAt
		}
		m.ProposedStartsAt, m.ProposedEndsAt = nil, nil
		if out, err = t.MeetingSet(ctx, m, before.Status); err != nil {
			return err
		}
		sc := meetingScope(d, m.ExhibitorID)
		if err := t.audit(ctx, expodesk.ActionMeetingProposal, "meeting", id, sc, meetingAudit(before), meetingAudit(out)); err != nil {
			return err
		}
		start := out.StartsAt
		if !take {
			start = *before.ProposedStartsAt
		}
		link := s.link(urls.ExhibitorMeeting(id))
		return s.tellCompany(ctx, t, out.ExhibitorID, sc, func(l expodesk.Lang, company string) mail.Content {
			return mail.MeetingChanged{Company: company, Delegation: d.Name.In(l), Change: change, Start: start, Zone: e.Location(), Link: link}
		})
	})
	return out, err
}

// CancelMeeting cancels meeting id of delegation delegationID (one still
// standing) and tells the company's team.
func (s *Service) CancelMeeting(ctx context.Context, c Caller, delegationID, id int64) (expodesk.Meeting, error) {
	var out expodesk.Meeting
	err := s.write(ctx, c, func(t *tx) error {
		before, d, e, err := s.plannedMeeting(ctx, c, t, delegationID, id)
		if err != nil {
			return err
		}
		if !before.Standing() {
			return expodesk.ErrMeetingAnswered
		}
		m := before
		m.Status, m.ProposedStartsAt, m.ProposedEndsAt = expodesk.MeetingCancelled, nil, nil
		if out, err = t.MeetingSet(ctx, m, before.Status); err != nil {
			return err
		}
		sc := meetingScope(d, m.ExhibitorID)
		if err := t.audit(ctx, expodesk.ActionMeetingCancel, "meeting", id, sc, meetingAudit(before), meetingAudit(out)); err != nil {
			return err
		}
		link := s.link(urls.ExhibitorMeeting(id))
		return s.tellCompany(ctx, t, out.ExhibitorID, sc, func(l expodesk.Lang, company string) mail.Content {
			return mail.MeetingChanged{Company: company, Delegation: d.Name.In(l), Change: "cancelled", Start: out.StartsAt, Zone: e.Location(), Link: link}
		})
	})
	return out, err
}
