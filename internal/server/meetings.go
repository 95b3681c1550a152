package server

import (
	"net/http"

	"github.com/a-h/templ"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
	"expodesk/web"
)

// An exhibitor's meetings with delegations (E4): the list, one meeting's
// page, accepting or declining with a note, or proposing another time.
// Another company's meeting is not found (the service decides).

// The one-time messages of an exhibitor's meetings.
const (
	flashMeetingAccepted flashKey = "meetings.accepted"
	flashMeetingDeclined flashKey = "meetings.declined"
	flashMeetingProposed flashKey = "meetings.proposed"
)

func (s *Server) companyMeetings(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	list, err := s.svc.CompanyMeetings(ctx, s.caller(r))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.CompanyMeetingsPage(web.Page{Title: web.T(ctx, "meetings.title")},
		web.CompanyMeetingsView{Meetings: list, Flash: s.popFlash(r)}))
}

// companyMeetingPage is one meeting's page with the answer or the proposal
// form sent back.
func (s *Server) companyMeetingPage(r *http.Request, id int64, answer, propose web.FormState) (templ.Component, error) {
	ctx := r.Context()
	m, err := s.svc.CompanyMeetingGet(ctx, s.caller(r), id)
	if err != nil {
		return nil, err
	}
	return web.CompanyMeetingPage(web.Page{Title: web.In(ctx, m.Meeting.DelegationName),
		Crumbs: []web.Crumb{{Label: web.T(ctx, "meetings.title"), Href: urls.ExhibitorMeetings()}, {Label: web.In(ctx, m.Meeting.DelegationName)}}},
		web.CompanyMeetingView{Meeting: m.Meeting, Attendees: m.Attendees, Answer: answer, Propose: propose, Flash: s.popFlash(r)}), nil
}

func (s *Server) companyMeeting(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "meeting")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c, err := s.companyMeetingPage(r, id, web.FormState{}, web.FormState{})
	s.renderPage(w, r, c, err)
}

func (s *Server) companyMeetingAnswer(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "meeting")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	answer := expodesk.MeetingAnswer(f.choice("answer", []string{string(expodesk.AnswerAccept), string(expodesk.AnswerDecline)}, true))
	note := f.paragraphs("note", expodesk.MaxMeetingNote, false)
	if f.err() == nil {
		_, err = s.svc.AnswerMeeting(r.Context(), s.caller(r), id, answer, note)
	} else {
		// The company's own meeting only: another's is not found, whatever the form says.
		_, err = s.svc.CompanyMeetingGet(r.Context(), s.caller(r), id)
	}
	flash := flashMeetingAccepted
	if answer == expodesk.AnswerDecline {
		flash = flashMeetingDeclined
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.ExhibitorMeeting(id), flash: flash,
		page: func(fs web.FormState) (templ.Component, error) {
			return s.companyMeetingPage(r, id, fs, web.FormState{})
		}})
}

func (s *Server) companyMeetingPropose(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := pathID(r, "meeting")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	m, err := s.svc.CompanyMeetingGet(ctx, s.caller(r), id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	zone := expodesk.LoadLocation(m.Meeting.ExpoTimeZone)
	start, end := f.dateTime("proposed_starts_at", zone, true), f.dateTime("proposed_ends_at", zone, true)
	note := f.paragraphs("proposal_note", expodesk.MaxMeetingNote, false)
	if f.err() == nil {
		_, err = s.svc.ProposeMeetingTime(ctx, s.caller(r), id, start, end, note)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.ExhibitorMeeting(id), flash: flashMeetingProposed,
		page: func(fs web.FormState) (templ.Component, error) {
			return s.companyMeetingPage(r, id, web.FormState{}, fs)
		}})
}
