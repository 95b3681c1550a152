package server

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
	"expodesk/internal/service"
	"expodesk/internal/urls"
	"expodesk/web"
)

// The public application form (E5): open to anyone while an expo's call
// is open, throttled per client address and per applicant address.

// flashApplicationSent is set after an application (or a repeated one:
// they are answered alike) and turns the form into its thanks.
const flashApplicationSent flashKey = "apply.sent"

// Application limits, counted before the form is checked, so that a flood
// of bad forms is stopped too. Per address: an office behind one address
// may send a few; per applicant address: the mail each one causes.
func applyAddrLimit(ip string) limit { return limit{"apply:ip:" + addrGroup(ip), 10, time.Hour} }
func applyEmailLimit(email string) limit {
	return limit{"apply:email:" + strings.ToLower(email), 3, time.Hour}
}

// applyView is expo e's application page with the form as fs holds it.
func (s *Server) applyView(r *http.Request, e expodesk.Expo, fs web.FormState) (templ.Component, error) {
	ctx := r.Context()
	v := web.ApplyView{Expo: e, State: e.CallAt(s.now()), Form: fs}
	if v.State == expodesk.CallOpen {
		var err error
		if v.Sectors, err = s.store.SectorList(ctx); err != nil {
			return nil, err
		}
		list, err := s.store.PavilionList(ctx, e.ID)
		if err != nil {
			return nil, err
		}
		v.Pavilions = []web.Option{{Value: "", Label: web.T(ctx, "apply.no_pavilion")}}
		for _, pv := range list {
			v.Pavilions = append(v.Pavilions, web.Option{Value: itoa(pv.ID), Label: web.In(ctx, pv.Name)})
		}
	}
	return s.applyPage(r, v), nil
}

func (s *Server) applyPage(r *http.Request, v web.ApplyView) templ.Component {
	return web.ApplyPage(web.Page{Title: web.TD(r.Context(), "apply.title", map[string]any{"Expo": web.In(r.Context(), v.Expo.Name)}),
		Crumbs: []web.Crumb{{Label: web.T(r.Context(), "nav.expos"), Href: urls.Home()},
			{Label: web.In(r.Context(), v.Expo.Name), Href: urls.Expo(v.Expo.Slug)}, {Label: web.T(r.Context(), "apply.link")}}}, v)
}

// applyForm shows the form while the call is open, else when it opens or
// that it closed; after a submission, the thanks.
func (s *Server) applyForm(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := s.urlExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	// The page depends on the clock and, after a submission, on the session.
	w.Header().Set("Cache-Control", "no-store")
	if s.sessions.GetString(ctx, sessFlash) == string(flashApplicationSent) {
		s.sessions.Remove(ctx, sessFlash)
		s.render(w, r, http.StatusOK, s.applyPage(r, web.ApplyView{Expo: e, State: e.CallAt(s.now()), Sent: true}))
		return
	}
	c, err := s.applyView(r, e, web.FormState{Values: web.ApplyValues(web.Lang(ctx))})
	s.renderPage(w, r, c, err)
}

// apply records an application. A call that is not open answers 409 with
// the page that says when it opens or that it closed, and changes nothing.
func (s *Server) apply(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := s.urlExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	limits := []limit{applyAddrLimit(s.clientIP(r))}
	if email := strings.TrimSpace(f.raw("contact_email")); email != "" && len(email) <= 254 {
		limits = append(limits, applyEmailLimit(email))
	}
	if err := s.hit(ctx, limits...); err != nil {
		s.renderThrottledOrError(w, r, err)
		return
	}
	closed := func() {
		s.render(w, r, http.StatusConflict, s.applyPage(r, web.ApplyView{Expo: e, State: e.CallAt(s.now())}))
	}
	if e.CallAt(s.now()) != expodesk.CallOpen {
		closed()
		return
	}
	sectors, err := s.store.SectorList(ctx)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	codes := make([]string, len(sectors))
	for i, sc := range sectors {
		codes[i] = sc.Code
	}
	in := service.Application{
		PavilionID:     f.id("pavilion"),
		LegalName:      f.text("legal_name", 200, true),
		Name:           f.texts("name", 200, true),
		Description:    f.paragraphsIn("description", 4000),
		Sectors:        f.choices("sectors", codes),
		Country:        strings.ToUpper(f.text("country", 2, true)),
		City:           f.text("city", 100, false),
		Website:        f.text("website", 500, false),
		Phone:          f.text("phone", 40, false),
		RegistrationID: f.text("registration_id", 32, false),
		Contact:        expodesk.Applicant{Name: f.personName(), Email: f.email("contact_email"), Lang: f.lang("lang")},
		Note:           f.paragraphs("note", expodesk.MaxNoteLen, false),
	}
	if f.err() == nil {
		_, err = s.svc.Apply(ctx, s.caller(r), e.ID, in)
	} else {
		// Every problem at once: the company's too, not only the form's.
		err = s.svc.CheckApplication(ctx, e.ID, in)
	}
	if errors.Is(err, expodesk.ErrCallClosed) {
		closed()
		return
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.ExpoApply(e.Slug), flash: flashApplicationSent,
		page: func(fs web.FormState) (templ.Component, error) { return s.applyView(r, e, fs) }})
}

// participationShow is an organizer's review page of one participation:
// its application (note, contact, rejection reason) and, once approved,
// the company's profile at approval and now, field by field.
func (s *Server) participationShow(w http.ResponseWriter, r *http.Request) {
	id := urlID(r, "participation")
	v, err := s.svc.ReviewParticipation(r.Context(), s.caller(r), id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.ParticipationPage(web.Page{Title: v.Company.DisplayName(web.Lang(r.Context()))},
		web.ParticipationView{Record: v.Record, Company: v.Company, Expo: v.Expo, Diff: v.Diff}))
}

// participationsBulk approves or rejects the ticked participations of an
// expo. Each row is decided on its own: the rows that cannot move are
// named on the list page (200), the others are changed in one
// transaction; when every row moved, the list is shown again with a flash.
func (s *Server) participationsBulk(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := s.urlExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if p := principal(r); !p.IsExpoOrganizer() && p.ExpoID != e.ID {
		s.renderError(w, r, expodesk.ErrNotFound)
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	back := participationsQuery(f.raw("filter_status"), f.raw("filter_q"), f.raw("filter_pavilion"), f.raw("filter_incomplete"))
	var ids []int64
	for _, v := range f.Values["ids"] {
		n := parseID(v)
		if n == 0 {
			f.Problems.Add("ids", "validation.choice", nil)
			break
		}
		ids = append(ids, n)
	}
	in := service.StatusChange{
		Status: expodesk.ParticipationStatus(f.choice("bulk_status", []string{string(expodesk.StatusApproved), string(expodesk.StatusRejected)}, true)),
		Reason: f.text("bulk_reason", expodesk.MaxReasonLen, false)}
	var rows []service.BulkRow
	if f.err() == nil {
		rows, err = s.svc.SetParticipationStatuses(ctx, s.caller(r), e.ID, ids, in)
	}
	if err == nil && f.err() == nil {
		report := web.BulkReport{}
		for _, row := range rows {
			if row.Err == nil {
				report.Decided++
				continue
			}
			name := row.Name.In(web.Lang(ctx))
			if name == "" {
				name = row.LegalName
			}
			if name == "" {
				name = web.TD(ctx, "apply.bulk_unknown_row", map[string]any{"ID": row.ID})
			}
			report.Skipped = append(report.Skipped, web.BulkSkip{Name: name, Message: errorText(ctx, row.Err)})
		}
		if len(report.Skipped) > 0 {
			v, err := s.participationsData(r, e, back, 0, web.FormState{})
			if err != nil {
				s.renderError(w, r, err)
				return
			}
			v.Bulk = &report
			s.render(w, r, http.StatusOK, participationsPage(r, v))
			return
		}
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerParticipations(e.Slug, back), flash: flashBulkDecided,
		page: func(fs web.FormState) (templ.Component, error) {
			v, err := s.participationsData(r, e, back, 0, web.FormState{})
			v.BulkForm = fs
			return participationsPage(r, v), err
		}})
}

// flashBulkDecided follows a bulk decision in which every row moved.
const flashBulkDecided flashKey = "apply.bulk_done"

// errorText is what a row's error says in the reader's language: its
// first field problem, or its message.
func errorText(ctx context.Context, err error) string {
	loc := i18n.From(ctx)
	e := expodesk.ErrorOf(err)
	if e == nil {
		return loc.T("error.internal")
	}
	if len(e.Problems) > 0 {
		fields := slices.Sorted(maps.Keys(e.Problems))
		return loc.M(e.Problems[fields[0]])
	}
	return loc.T(e.Message, e.Data)
}

// parseID reads a positive id; 0 when s is not one.
func parseID(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// urlID reads the positive id in the URL parameter name; 0 when it is not one.
func urlID(r *http.Request, name string) int64 { return parseID(chi.URLParam(r, name)) }

// flashInvitedMany follows a many-line invitation that went out.
const flashInvitedMany flashKey = "apply.many_sent"

// inviteLines reads a pasted list, one contact a line: email, company slug,
// family name and optionally given name, separated by commas, semicolons
// or tabs (as spreadsheets copy them). Blank lines are skipped; a line
// with too few parts is a problem of its own.
func inviteLines(raw string) ([]service.InviteLine, []web.LineProblem) {
	var lines []service.InviteLine
	var bad []web.LineProblem
	for i, text := range strings.Split(raw, "\n") {
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		parts := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || r == '\t' })
		for j := range parts {
			parts[j] = strings.TrimSpace(parts[j])
		}
		if len(parts) < 3 || len(parts) > 4 {
			bad = append(bad, web.LineProblem{Line: i + 1, Text: text, Message: "apply.many_format"})
			continue
		}
		l := service.InviteLine{Line: i + 1, Email: parts[0], CompanySlug: strings.ToLower(parts[1]),
			Name: expodesk.PersonName{FamilyName: parts[2]}}
		if len(parts) == 4 {
			l.Name.GivenName = parts[3]
		}
		l.Name.NameOrder = expodesk.GuessNameOrder(l.Name.FamilyName)
		lines = append(lines, l)
	}
	return lines, bad
}

// usersInviteMany invites the pasted contacts as exhibitor users of their
// companies: nothing is sent until every line is right, and each line's
// problems are listed with its number.
func (s *Server) usersInviteMany(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	raw := f.paragraphs("lines", 20000, true)
	lang := f.lang("many_lang")
	lines, bad := inviteLines(raw)
	loc := i18n.From(ctx)
	for i := range bad {
		bad[i].Message = loc.T(bad[i].Message)
	}
	if len(lines)+len(bad) > service.MaxInviteLines {
		f.Problems.Add("lines", "apply.many_too_many", map[string]any{"Max": service.MaxInviteLines})
	}
	if f.err() == nil && len(bad) == 0 {
		limits := make([]limit, len(lines))
		for i := range limits {
			limits[i] = inviteActorLimit(principal(r).UserID)
		}
		if err = s.hit(ctx, limits...); err == nil {
			_, err = s.svc.InviteMany(ctx, s.caller(r), lines, lang)
		}
	} else if len(lines) > 0 && len(lines) <= service.MaxInviteLines {
		err = s.svc.CheckInviteLines(ctx, s.caller(r), lines, lang)
	}
	var lp service.LineProblems
	if errors.As(err, &lp) {
		err = nil
		text := map[int]string{}
		for _, l := range strings.Split(raw, "\n") {
			text[len(text)+1] = strings.TrimSpace(l)
		}
		for _, n := range slices.Sorted(maps.Keys(lp)) {
			for _, field := range slices.Sorted(maps.Keys(lp[n])) {
				bad = append(bad, web.LineProblem{Line: n, Text: text[n], Message: loc.M(lp[n][field])})
			}
		}
	}
	slices.SortStableFunc(bad, func(a, b web.LineProblem) int { return a.Line - b.Line })
	if len(bad) > 0 {
		f.Problems.Add("lines", "apply.many_fix", nil)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerUsers(), flash: flashInvitedMany,
		page: func(fs web.FormState) (templ.Component, error) {
			v, err := s.usersView(r, web.FormState{Values: map[string][]string{"lang": {string(web.Lang(ctx))}}})
			v.Many = web.InviteManyView{Form: fs, Lines: bad}
			return web.UsersPage(web.Page{Title: web.T(ctx, "organizer.users")}, v), err
		}})
}
