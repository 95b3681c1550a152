package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"expodesk/internal/exhibitorcsv"
	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
	"expodesk/web"
)

// The organizer console for delegations (O4): an expo's list with filters
// and search, the invitation letters to print, the spreadsheet export, one
// delegation's page with its members, and their forms. Times are typed in
// the expo's zone and shown in both the expo's and the delegation's home
// zone. Personal data of members is shown on these organizer pages only.

// The one-time messages of delegations.
const (
	flashDelegationSaved  flashKey = "delegations.saved"
	flashDelegationStatus flashKey = "delegations.status_saved"
	flashMemberAdded      flashKey = "delegations.member_added"
	flashMemberSaved      flashKey = "delegations.member_saved"
	flashMemberMoved      flashKey = "delegations.member_moved"
	flashMemberRemoved    flashKey = "delegations.member_removed"
	flashMemberErased     flashKey = "delegations.member_erased"
)

// delegationExpo is the expo the URL names, if the caller may work with its
// delegations (a coordinator their pavilion's expo only).
func (s *Server) delegationExpo(r *http.Request) (expodesk.Expo, error) {
	e, err := s.urlExpo(r)
	if err != nil {
		return e, err
	}
	return s.svc.DelegationExpo(r.Context(), s.caller(r), e.ID)
}

// urlManagedDelegation is the delegation the URL names with its expo, if the
// caller may manage it (another pavilion's visit is not found).
func (s *Server) urlManagedDelegation(r *http.Request) (expodesk.Expo, expodesk.Delegation, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "delegation"), 10, 64)
	if err != nil {
		return expodesk.Expo{}, expodesk.Delegation{}, expodesk.ErrNotFound
	}
	d, err := s.svc.ManagedDelegation(r.Context(), s.caller(r), id)
	if err != nil {
		return expodesk.Expo{}, d, err
	}
	e, err := s.store.ExpoGetByID(r.Context(), d.ExpoID)
	return e, d, err
}

// urlMemberID is the member id the URL names (0 when malformed: not found).
func urlMemberID(r *http.Request) int64 {
	id, err := strconv.ParseInt(chi.URLParam(r, "member"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

func (s *Server) delegations(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := s.delegationExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	q := queryForm(r)
	v := web.DelegationsView{Expo: e, Flash: s.popFlash(r),
		Status: q.choice("status", statusValues(expodesk.DelegationStatuses), false),
		Kind:   q.choice("kind", statusValues(expodesk.DelegationKinds), false),
		Q:      q.text("q", 200, false)}
	if q.err() != nil {
		v.Q = ""
	}
	v.Rows, err = s.store.DelegationList(ctx, expodesk.DelegationFilter{ExpoID: e.ID, PavilionID: principal(r).PavilionID,
		Status: expodesk.DelegationStatus(v.Status), Kind: expodesk.DelegationKind(v.Kind), Q: v.Q})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.DelegationsPage(web.Page{Title: web.T(ctx, "delegations.title")}, v))
}

// statusValues are a list of string-typed values as strings, for a choice.
func statusValues[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// hostOptions are the pavilions the caller may have host a visit: the
// whole expo or any pavilion for an expo-wide organizer, their own
// pavilion for a coordinator.
func (s *Server) hostOptions(r *http.Request, e expodesk.Expo) ([]web.Option, error) {
	p := principal(r)
	return s.placeOptions(r, e, web.T(r.Context(), "delegations.whole_expo"),
		func(pavilion *int64) bool { return expodesk.CanManageDelegation(p, e.ID, pavilion) })
}

// readDelegation reads the delegation form; times are wall times in the
// expo's zone. The host pavilion and sectors are the service's to check.
func readDelegation(f *form, e expodesk.Expo, sectors []string) expodesk.Delegation {
	zone := e.Location()
	d := expodesk.Delegation{ExpoID: e.ID,
		Name:         f.texts("name", expodesk.MaxDelegationName, true),
		Origin:       f.text("origin", expodesk.MaxDelegationName, false),
		Leader:       f.text("leader", expodesk.MaxDelegationName, false),
		Kind:         expodesk.DelegationKind(f.choice("kind", statusValues(expodesk.DelegationKinds), true)),
		HomeTimeZone: f.text("home_time_zone", 64, true),
		Lang:         f.lang("lang"),
		ArrivesAt:    f.dateTime("arrives_at", zone, true),
		DepartsAt:    f.dateTime("departs_at", zone, true),
		Notes:        f.paragraphs("notes", expodesk.MaxDelegationNotes, false),
		Sectors:      f.choices("sectors", sectors),
	}
	if v := strings.TrimSpace(f.raw("host_pavilion")); v != "" {
		if id := f.id("host_pavilion"); id != 0 {
			d.HostPavilionID = &id
		} else {
			f.Problems.Add("host_pavilion", "validation.choice", nil)
		}
	}
	return d
}

func delegationValues(e expodesk.Expo, d expodesk.Delegation) url.Values {
	zone := e.Location()
	v := url.Values{"origin": {d.Origin}, "leader": {d.Leader}, "kind": {string(d.Kind)},
		"home_time_zone": {d.HomeTimeZone}, "lang": {string(d.Lang)}, "notes": {d.Notes}, "sectors": d.Sectors,
		"arrives_at": {d.ArrivesAt.In(zone).Format(dateTimeLayout)}, "departs_at": {d.DepartsAt.In(zone).Format(dateTimeLayout)}}
	if d.HostPavilionID != nil {
		v.Set("host_pavilion", itoa(*d.HostPavilionID))
	}
	for _, l := range expodesk.Langs {
		v.Set("name_"+string(l), d.Name.Get(l))
	}
	return v
}

// sectorCodes are the codes of the sector list, in its order.
func (s *Server) sectorCodes(ctx context.Context) ([]expodesk.Sector, []string, error) {
	list, err := s.store.SectorList(ctx)
	if err != nil {
		return nil, nil, err
	}
	codes := make([]string, len(list))
	for i, sc := range list {
		codes[i] = sc.Code
	}
	return list, codes, nil
}

func (s *Server) delegationFormPage(r *http.Request, e expodesk.Expo, d *expodesk.Delegation, fs web.FormState) (templ.Component, error) {
	ctx := r.Context()
	opts, err := s.hostOptions(r, e)
	if err != nil {
		return nil, err
	}
	sectors, _, err := s.sectorCodes(ctx)
	if err != nil {
		return nil, err
	}
	title := web.T(ctx, "delegations.new")
	if d != nil {
		title = web.In(ctx, d.Name)
	}
	return web.DelegationFormPage(web.Page{Title: title}, web.DelegationFormView{Expo: e, Delegation: d, Form: fs,
		HostOptions: opts, Sectors: sectors}), nil
}

func (s *Server) delegationNew(w http.ResponseWriter, r *http.Request) {
	e, err := s.delegationExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := url.Values{"kind": {string(expodesk.KindGovernment)}, "lang": {string(web.Lang(r.Context()))}}
	if p := principal(r); !p.IsExpoOrganizer() {
		v.Set("host_pavilion", itoa(p.PavilionID))
	}
	c, err := s.delegationFormPage(r, e, nil, web.FormState{Values: v})
	s.renderPage(w, r, c, err)
}

func (s *Server) delegationCreate(w http.ResponseWriter, r *http.Request) {
	e, f, ok := loadedForm(s, w, r, s.delegationExpo)
	if !ok {
		return
	}
	_, codes, err := s.sectorCodes(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := readDelegation(f, e, codes)
	if f.err() == nil {
		d, err = s.svc.CreateDelegation(r.Context(), s.caller(r), d)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerDelegation(d.ID), flash: flashDelegationSaved,
		page: func(fs web.FormState) (templ.Component, error) { return s.delegationFormPage(r, e, nil, fs) }})
}

func (s *Server) delegationEdit(w http.ResponseWriter, r *http.Request) {
	e, d, err := s.urlManagedDelegation(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c, err := s.delegationFormPage(r, e, &d, web.FormState{Values: delegationValues(e, d)})
	s.renderPage(w, r, c, err)
}

func (s *Server) delegationUpdate(w http.ResponseWriter, r *http.Request) {
	e, d, f, ok := loadedForm2(s, w, r, s.urlManagedDelegation)
	if !ok {
		return
	}
	_, codes, err := s.sectorCodes(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	in := readDelegation(f, e, codes)
	if f.err() == nil {
		_, err = s.svc.UpdateDelegation(r.Context(), s.caller(r), d.ID, in)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerDelegation(d.ID), flash: flashDelegationSaved,
		page: func(fs web.FormState) (templ.Component, error) { return s.delegationFormPage(r, e, &d, fs) }})
}

// delegationPage is a delegation's page; member is the add-a-member form
// and status the status buttons' answer, as submitted.
func (s *Server) delegationPage(r *http.Request, e expodesk.Expo, d expodesk.Delegation, member, status web.FormState) (templ.Component, error) {
	ctx := r.Context()
	v := web.DelegationView{Expo: e, Delegation: d, MemberForm: member, StatusForm: status, Flash: s.popFlash(r)}
	if d.HostPavilionID != nil {
		pv, err := s.store.PavilionGetByID(ctx, *d.HostPavilionID)
		if err != nil {
			return nil, err
		}
		v.HostPavilion = &pv
	}
	var err error
	if v.Sectors, _, err = s.sectorCodes(ctx); err != nil {
		return nil, err
	}
	if v.Members, err = s.store.DelegationMembers(ctx, d.ID); err != nil {
		return nil, err
	}
	return web.DelegationPage(web.Page{Title: web.In(ctx, d.Name)}, v), nil
}

// newMemberValues are the add-a-member form's first values.
func newMemberValues() url.Values {
	return url.Values{"protocol_role": {string(expodesk.ProtocolMember)}, "letter_status": {string(expodesk.LetterNotNeeded)}}
}

func (s *Server) delegationShow(w http.ResponseWriter, r *http.Request) {
	e, d, err := s.urlManagedDelegation(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c, err := s.delegationPage(r, e, d, web.FormState{Values: newMemberValues()}, web.FormState{})
	s.renderPage(w, r, c, err)
}

func (s *Server) delegationSetStatus(w http.ResponseWriter, r *http.Request) {
	e, d, f, ok := loadedForm2(s, w, r, s.urlManagedDelegation)
	if !ok {
		return
	}
	var err error
	to := expodesk.DelegationStatus(f.choice("status", statusValues(expodesk.DelegationStatuses), true))
	if f.err() == nil {
		_, err = s.svc.SetDelegationStatus(r.Context(), s.caller(r), d.ID, to)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerDelegation(d.ID), flash: flashDelegationStatus,
		page: func(fs web.FormState) (templ.Component, error) {
			return s.delegationPage(r, e, d, web.FormState{Values: newMemberValues()}, fs)
		}})
}

// readMember reads the member form. A name order left to the form is
// guessed from the family name's script; an empty romanised name is
// derived from the name (both by the service).
func readMember(f *form) expodesk.DelegationMember {
	m := expodesk.DelegationMember{
		PersonName: expodesk.PersonName{FamilyName: f.text("family_name", expodesk.MaxMemberName, true),
			GivenName: f.text("given_name", expodesk.MaxMemberName, false),
			NameOrder: expodesk.NameOrder(f.choice("name_order", []string{string(expodesk.NameEastern), string(expodesk.NameWestern)}, false))},
		RomanizedFamilyName: f.text("romanized_family_name", expodesk.MaxMemberName, false),
		RomanizedGivenName:  f.text("romanized_given_name", expodesk.MaxMemberName, false),
		Title:               f.text("title", expodesk.MaxMemberText, false),
		Organisation:        f.text("organisation", expodesk.MaxMemberText, false),
		Email:               f.text("email", 254, false),
		Phone:               f.text("phone", expodesk.MaxMemberPhone, false),
		PassportName:        f.text("passport_name", expodesk.MaxMemberText, false),
		ProtocolRole:        expodesk.ProtocolRole(f.choice("protocol_role", statusValues(expodesk.ProtocolRoles), true)),
		LetterStatus:        expodesk.LetterStatus(f.choice("letter_status", statusValues(expodesk.LetterStatuses), true)),
	}
	if _, bad := f.Problems["email"]; !bad && m.Email != "" && !expodesk.ValidEmail(m.Email) {
		f.Problems.Add("email", "validation.email", nil)
	}
	if d := f.date("letter_requested_on", false); !d.IsZero() {
		m.LetterRequestedOn = &d
	}
	if d := f.date("letter_issued_on", false); !d.IsZero() {
		m.LetterIssuedOn = &d
	}
	return m
}

func memberValues(m expodesk.DelegationMember) url.Values {
	v := url.Values{"family_name": {m.FamilyName}, "given_name": {m.GivenName}, "name_order": {string(m.NameOrder)},
		"romanized_family_name": {m.RomanizedFamilyName}, "romanized_given_name": {m.RomanizedGivenName},
		"title": {m.Title}, "organisation": {m.Organisation}, "email": {m.Email}, "phone": {m.Phone},
		"passport_name": {m.PassportName}, "protocol_role": {string(m.ProtocolRole)}, "letter_status": {string(m.LetterStatus)}}
	if m.LetterRequestedOn != nil {
		v.Set("letter_requested_on", m.LetterRequestedOn.Format(dateLayout))
	}
	if m.LetterIssuedOn != nil {
		v.Set("letter_issued_on", m.LetterIssuedOn.Format(dateLayout))
	}
	return v
}

func (s *Server) memberAdd(w http.ResponseWriter, r *http.Request) {
	e, d, f, ok := loadedForm2(s, w, r, s.urlManagedDelegation)
	if !ok {
		return
	}
	var err error
	m := readMember(f)
	if f.err() == nil {
		_, err = s.svc.AddMember(r.Context(), s.caller(r), d.ID, m)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerDelegation(d.ID), flash: flashMemberAdded,
		page: func(fs web.FormState) (templ.Component, error) { return s.delegationPage(r, e, d, fs, web.FormState{}) }})
}

func (s *Server) memberPage(r *http.Request, e expodesk.Expo, d expodesk.Delegation, m expodesk.DelegationMember, fs web.FormState) templ.Component {
	return web.MemberFormPage(web.Page{Title: web.MemberLabel(r.Context(), m)},
		web.MemberFormView{Expo: e, Delegation: d, Member: m, Form: fs})
}

// urlMember is the delegation and the member the URL names, if the caller
// may manage the delegation; another delegation's member is not found.
func (s *Server) urlMember(r *http.Request) (expodesk.Expo, expodesk.Delegation, expodesk.DelegationMember, error) {
	e, d, err := s.urlManagedDelegation(r)
	if err != nil {
		return e, d, expodesk.DelegationMember{}, err
	}
	_, m, err := s.svc.ManagedMember(r.Context(), s.caller(r), d.ID, urlMemberID(r))
	return e, d, m, err
}

func (s *Server) memberEdit(w http.ResponseWriter, r *http.Request) {
	e, d, m, err := s.urlMember(r)
	if err == nil && m.Erased() {
		err = expodesk.ErrMemberErased
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, s.memberPage(r, e, d, m, web.FormState{Values: memberValues(m)}))
}

func (s *Server) memberUpdate(w http.ResponseWriter, r *http.Request) {
	e, d, m, err := s.urlMember(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	in := readMember(f)
	if f.err() == nil {
		_, err = s.svc.UpdateMember(r.Context(), s.caller(r), d.ID, m.ID, in)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerDelegation(d.ID), flash: flashMemberSaved,
		page: func(fs web.FormState) (templ.Component, error) { return s.memberPage(r, e, d, m, fs), nil }})
}

// memberAction runs one of the member buttons' operations (move, remove,
// erase) and goes back to the delegation's page with its message.
func (s *Server) memberAction(w http.ResponseWriter, r *http.Request, flash flashKey,
	op func(ctx context.Context, f *form, d expodesk.Delegation, member int64) error) {
	_, d, err := s.urlManagedDelegation(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	f, err := parseForm(w, r)
	if err == nil {
		err = op(r.Context(), f, d, urlMemberID(r))
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(r.Context(), flash)
	http.Redirect(w, r, urls.OrganizerDelegation(d.ID), http.StatusSeeOther)
}

func (s *Server) memberMove(w http.ResponseWriter, r *http.Request) {
	s.memberAction(w, r, flashMemberMoved, func(ctx context.Context, f *form, d expodesk.Delegation, member int64) error {
		dir := f.choice("direction", []string{"up", "down"}, true)
		if err := f.err(); err != nil {
			return err
		}
		return s.svc.MoveMember(ctx, s.caller(r), d.ID, member, dir == "up")
	})
}

func (s *Server) memberRemove(w http.ResponseWriter, r *http.Request) {
	s.memberAction(w, r, flashMemberRemoved, func(ctx context.Context, _ *form, d expodesk.Delegation, member int64) error {
		return s.svc.RemoveMember(ctx, s.caller(r), d.ID, member)
	})
}

func (s *Server) memberErase(w http.ResponseWriter, r *http.Request) {
	s.memberAction(w, r, flashMemberErased, func(ctx context.Context, _ *form, d expodesk.Delegation, member int64) error {
		return s.svc.EraseMember(ctx, s.caller(r), d.ID, member)
	})
}

// delegationLetters is the printable list of the invitation letters of the
// expo's delegations the caller manages, for the consulate workflow.
func (s *Server) delegationLetters(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := s.delegationExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	rows, err := s.store.DelegationLetters(ctx, e.ID, principal(r).PavilionID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.LettersPage(web.Page{Title: web.T(ctx, "delegations.letters_title")},
		web.LettersView{Expo: e, Groups: web.GroupLetters(rows)}))
}

// delegationColumns are the export's columns: one row per member, the
// delegation's columns repeated, and one row for a delegation without
// members. Times are in the expo's zone, with the zone named.
var delegationColumns = []string{"delegation_id", "name_en", "name_zh", "name_es", "origin", "kind", "status",
	"leader", "host_pavilion", "home_time_zone", "arrives_at", "departs_at", "time_zone", "sectors", "notes",
	"member_order", "family_name", "given_name", "name_order", "full_name", "romanized_name", "title", "organisation",
	"protocol_role", "email", "phone", "passport_name", "letter_status", "letter_requested_on", "letter_issued_on", "erased"}

// writeGuardedCSV writes a spreadsheet as the console's exports are: UTF-8
// with a byte-order mark, CRLF, every cell guarded against formulas.
func writeGuardedCSV(header []string, rows [][]string) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	_ = cw.Write(header)
	for _, rec := range rows {
		for i, v := range rec {
			rec[i] = exhibitorcsv.Cell(v)
		}
		if err := cw.Write(rec); err != nil {
			return nil, err
		}
	}
	cw.Flush()
	return buf.Bytes(), cw.Error()
}

// delegationsCSV answers the delegations of an expo the caller manages,
// with their members, as a spreadsheet.
func (s *Server) delegationsCSV(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := s.delegationExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	pavilion := principal(r).PavilionID
	list, err := s.store.DelegationList(ctx, expodesk.DelegationFilter{ExpoID: e.ID, PavilionID: pavilion})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	members, err := s.store.DelegationMembersOfExpo(ctx, e.ID, pavilion)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	byDelegation := map[int64][]expodesk.DelegationMember{}
	for _, m := range members {
		byDelegation[m.DelegationID] = append(byDelegation[m.DelegationID], m)
	}
	zone := e.Location()
	stamp := func(t time.Time) string { return t.In(zone).Format("2006-01-02 15:04") }
	var rows [][]string
	for _, d := range list {
		host := ""
		if d.HostPavilionID != nil {
			host = web.In(ctx, d.HostPavilionName)
		}
		head := []string{itoa(d.ID), d.Name.EN, d.Name.ZH, d.Name.ES, d.Origin, string(d.Kind), string(d.Status),
			d.Leader, host, d.HomeTimeZone, stamp(d.ArrivesAt), stamp(d.DepartsAt), e.TimeZone,
			strings.Join(d.Sectors, exhibitorcsv.SectorSeparator), d.Notes}
		ms := byDelegation[d.ID]
		if len(ms) == 0 {
			rows = append(rows, append(slices.Clone(head), make([]string, len(delegationColumns)-len(head))...))
		}
		for i, m := range ms {
			erased := ""
			if m.Erased() {
				erased = "yes"
			}
			rows = append(rows, append(slices.Clone(head), strconv.Itoa(i+1), m.FamilyName, m.GivenName, string(m.NameOrder),
				m.String(), m.Romanized().String(), m.Title, m.Organisation, string(m.ProtocolRole), m.Email, m.Phone,
				m.PassportName, string(m.LetterStatus), dateValue(m.LetterRequestedOn), dateValue(m.LetterIssuedOn), erased))
		}
	}
	body, err := writeGuardedCSV(delegationColumns, rows)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.sendCSV(w, s.csvName("delegations", e.Slug), body)
}

func dateValue(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(dateLayout)
}

// dashboardDelegations counts the dashboard's delegation figures in scope sc.
func (s *Server) dashboardDelegations(ctx context.Context, expoID int64, sc expodesk.PavilionScope) (web.DashboardDelegations, error) {
	v := web.DashboardDelegations{ByStatus: map[expodesk.DelegationStatus]int{}}
	counts, err := s.store.DashboardDelegations(ctx, expoID, sc)
	if err != nil {
		return v, err
	}
	for _, c := range counts {
		v.ByStatus[c.Status] += c.Count
		v.Total += c.Count
	}
	if v.LettersPending, err = s.store.DashboardLettersPending(ctx, expoID, sc); err != nil {
		return v, err
	}
	v.Meetings, err = s.store.DashboardMeetings(ctx, expoID, sc)
	return v, err
}
