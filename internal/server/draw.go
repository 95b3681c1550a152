package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
	"expodesk/web"
)

// The fair draw (issue 9, item 5): the organizer's page to set up and run
// a scope's draw, the company's page to rank slots and read why it got
// what it got, and the public page with each draw's seed and time. Every
// rule is the service's (service/draw.go).

// The one-time messages of the draw.
const (
	flashDrawSaved     flashKey = "draw.saved"
	flashDrawRemoved   flashKey = "draw.removed"
	flashDrawRun       flashKey = "draw.run_done"
	flashRankingSaved  flashKey = "draw.ranking_saved"
	flashRankingWithdr flashKey = "draw.ranking_withdrawn"
)

// drawScopes lists the booking scopes of an expo with their draws: the
// expo's own and each pavilion's with rules of its own (a pavilion's draw
// whose rules were removed since is left out: its stages follow the expo's).
func (s *Server) drawScopes(r *http.Request, expo expodesk.Expo) ([]web.DrawScope, error) {
	ctx := r.Context()
	draws, err := s.store.DrawsOfExpo(ctx, expo.ID)
	if err != nil {
		return nil, err
	}
	own, err := s.store.BookingRulesOfPavilions(ctx, expo.ID)
	if err != nil {
		return nil, err
	}
	scopes := []web.DrawScope{{}}
	for _, pr := range own {
		pv, err := s.store.PavilionGetByID(ctx, *pr.PavilionID)
		if err != nil {
			return nil, err
		}
		scopes = append(scopes, web.DrawScope{Pavilion: &pv})
	}
	for i := range scopes {
		for _, d := range draws {
			if samePavilion(d.PavilionID, scopes[i].Pavilion) {
				scopes[i].Draw = &d
			}
		}
		if d := scopes[i].Draw; d != nil && d.Run != nil {
			if scopes[i].Entries, err = s.store.DrawEntries(ctx, d.ID); err != nil {
				return nil, err
			}
		}
	}
	return scopes, nil
}

func samePavilion(id *int64, pv *expodesk.Pavilion) bool {
	if id == nil || pv == nil {
		return id == nil && pv == nil
	}
	return *id == pv.ID
}

func drawValues(d *expodesk.Draw, prefix string, zone *time.Location) url.Values {
	v := url.Values{prefix + "max_choices": {"3"}}
	if d != nil {
		v.Set(prefix+"opens_at", d.OpensAt.In(zone).Format(dateTimeLayout))
		v.Set(prefix+"closes_at", d.ClosesAt.In(zone).Format(dateTimeLayout))
		v.Set(prefix+"max_choices", strconv.Itoa(d.MaxChoices))
	}
	return v
}

// organizerDrawView builds the organizer's draw page: the expo's own scope
// for an expo-wide organizer, the pavilions the caller manages; forms
// holds what was typed in a form shown again (by prefix); notice is why
// the last action did nothing.
func (s *Server) organizerDrawView(r *http.Request, expo expodesk.Expo, forms map[string]web.FormState, notice string) (templ.Component, error) {
	ctx := r.Context()
	p := principal(r)
	if !p.IsExpoOrganizer() && p.ExpoID != expo.ID {
		return nil, expodesk.ErrNotFound
	}
	scopes, err := s.drawScopes(r, expo)
	if err != nil {
		return nil, err
	}
	v := web.OrganizerDrawView{Expo: expo, Now: s.now(), Flash: s.popFlash(r), Notice: notice}
	for _, sc := range scopes {
		prefix := ""
		if sc.Pavilion != nil {
			prefix = pavilionPrefix(sc.Pavilion.ID)
		}
		if (sc.Pavilion == nil && !expodesk.CanManageExpos(p)) || (sc.Pavilion != nil && !expodesk.CanManagePavilion(p, sc.Pavilion.ID)) {
			continue
		}
		os := web.OrganizerDrawScope{DrawScope: sc, Prefix: prefix, Form: web.FormState{Values: drawValues(sc.Draw, prefix, expo.Location())}}
		if fs, ok := forms[prefix]; ok {
			os.Form = fs
		}
		if sc.Draw != nil && sc.Draw.Run == nil {
			reqs, err := s.store.DrawRequests(ctx, sc.Draw.ID)
			if err != nil {
				return nil, err
			}
			os.Rankings = len(reqs)
		}
		v.Scopes = append(v.Scopes, os)
	}
	// A coordinator whose pavilion books under the expo's rules is told so.
	if p.PavilionID != 0 && len(v.Scopes) == 0 {
		pv, err := s.store.PavilionGetByID(ctx, p.PavilionID)
		if err != nil {
			return nil, err
		}
		v.Scopes = append(v.Scopes, web.OrganizerDrawScope{DrawScope: web.DrawScope{Pavilion: &pv}, NeedsRules: true})
	}
	return web.OrganizerDrawPage(web.Page{Title: web.TD(ctx, "draw.organizer_title",
		map[string]any{"Expo": web.In(ctx, expo.Name)})}, v), nil
}

func (s *Server) organizerDraw(w http.ResponseWriter, r *http.Request) {
	expo, err := s.urlExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c, err := s.organizerDrawView(r, expo, nil, "")
	s.renderPage(w, r, c, err)
}

// drawScopeOf reads the scope a draw route names: a pavilion's, or the
// expo's own where the route has no {pavilion}.
func drawScopeOf(r *http.Request) (*int64, string) {
	raw := chi.URLParam(r, "pavilion")
	if raw == "" {
		return nil, ""
	}
	id, _ := strconv.ParseInt(raw, 10, 64)
	return &id, pavilionPrefix(id)
}

// drawNotice shows a draw operation's refusal (already run, not closed,
// a pavilion without rules) on the page with its status, or reports that
// err is no such refusal.
func (s *Server) drawNotice(w http.ResponseWriter, r *http.Request, err error, zone *time.Location, page func(notice string) (templ.Component, error)) bool {
	e := expodesk.ErrorOf(err)
	if e == nil || len(e.Problems) > 0 || !(strings.HasPrefix(e.Message, "draw.") || strings.HasPrefix(e.Message, "booking.")) {
		return false
	}
	c, perr := page(web.BookingMessage(r.Context(), e, zone))
	if perr != nil {
		s.renderError(w, r, perr)
		return true
	}
	s.render(w, r, statusOf(e.Code), c)
	return true
}

// organizerDrawSave sets up or changes a scope's draw.
func (s *Server) organizerDrawSave(w http.ResponseWriter, r *http.Request) {
	expo, f, ok := loadedForm(s, w, r, s.urlExpo)
	if !ok {
		return
	}
	var err error
	pavilion, prefix := drawScopeOf(r)
	zone := expo.Location()
	in := expodesk.Draw{OpensAt: f.dateTime(prefix+"opens_at", zone, true), ClosesAt: f.dateTime(prefix+"closes_at", zone, true),
		MaxChoices: int(f.integer(prefix+"max_choices", 0, 1000, true))} // the range is the domain's rule
	if f.err() == nil {
		_, err = s.svc.SetDraw(r.Context(), s.caller(r), expo.ID, pavilion, in)
		err = prefixed(err, prefix)
	}
	if s.drawNotice(w, r, err, expo.Location(), func(n string) (templ.Component, error) { return s.organizerDrawView(r, expo, nil, n) }) {
		return
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerDraw(expo.Slug), flash: flashDrawSaved,
		page: func(fs web.FormState) (templ.Component, error) {
			return s.organizerDrawView(r, expo, map[string]web.FormState{prefix: fs}, "")
		}})
}

// organizerDrawDelete removes a scope's draw before it runs.
func (s *Server) organizerDrawDelete(w http.ResponseWriter, r *http.Request) {
	s.organizerDrawAction(w, r, flashDrawRemoved, func(expo expodesk.Expo, pavilion *int64) error {
		return s.svc.RemoveDraw(r.Context(), s.caller(r), expo.ID, pavilion)
	})
}

// organizerDrawRun runs a scope's draw once its request period has closed.
func (s *Server) organizerDrawRun(w http.ResponseWriter, r *http.Request) {
	s.organizerDrawAction(w, r, flashDrawRun, func(expo expodesk.Expo, pavilion *int64) error {
		_, err := s.svc.RunDraw(r.Context(), s.caller(r), expo.ID, pavilion)
		return err
	})
}

func (s *Server) organizerDrawAction(w http.ResponseWriter, r *http.Request, done flashKey, op func(expodesk.Expo, *int64) error) {
	expo, err := s.urlExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if _, err := parseForm(w, r); err != nil {
		s.renderError(w, r, err)
		return
	}
	pavilion, _ := drawScopeOf(r)
	err = op(expo, pavilion)
	if err == nil {
		s.flash(r.Context(), done)
		http.Redirect(w, r, urls.OrganizerDraw(expo.Slug), http.StatusSeeOther)
		return
	}
	if !s.drawNotice(w, r, err, expo.Location(), func(n string) (templ.Component, error) { return s.organizerDrawView(r, expo, nil, n) }) {
		s.renderError(w, r, err)
	}
}

// exhibitorDrawView builds a company's draw page; forms holds a ranking
// form shown again (by prefix).
func (s *Server) exhibitorDrawView(r *http.Request, expo expodesk.Expo, forms map[string]web.FormState, notice string) (templ.Component, error) {
	ctx := r.Context()
	company := principal(r).ExhibitorID
	scopes, err := s.drawScopes(r, expo)
	if err != nil {
		return nil, err
	}
	v := web.ExhibitorDrawView{Expo: expo, Now: s.now(), Flash: s.popFlash(r), Notice: notice}
	expos, err := s.store.ApprovedExposOf(ctx, company)
	if err != nil {
		return nil, err
	}
	for _, x := range expos {
		v.Approved = v.Approved || x.ID == expo.ID
	}
	for _, sc := range scopes {
		if sc.Draw == nil {
			continue
		}
		es := web.ExhibitorDrawScope{DrawScope: sc, Prefix: "d" + itoa(sc.Draw.ID) + "_"}
		if req, err := s.store.DrawRequestOf(ctx, sc.Draw.ID, company); err == nil {
			es.Request = &req
		} else if !errors.Is(err, expodesk.ErrNotFound) {
			return nil, err
		}
		for i := range sc.Entries {
			if sc.Entries[i].ExhibitorID == company {
				es.Mine = &sc.Entries[i]
			}
		}
		if sc.Draw.RequestsOpen(v.Now) {
			free, err := s.store.DrawFreeSlots(ctx, expo.ID, sc.Draw.PavilionID)
			if err != nil {
				return nil, err
			}
			es.Days = web.GroupFreeSlots(free, expo.Location())
			values := url.Values{}
			if es.Request != nil {
				for i, id := range es.Request.Choices {
					values.Set(es.Prefix+expodesk.DrawChoiceField(i+1), itoa(id))
				}
			}
			es.Form = web.FormState{Values: values}
			if fs, ok := forms[es.Prefix]; ok {
				es.Form = fs
			}
		}
		v.Scopes = append(v.Scopes, es)
	}
	return web.ExhibitorDrawPage(web.Page{Title: web.TD(ctx, "draw.exhibitor_title",
		map[string]any{"Expo": web.In(ctx, expo.Name)})}, v), nil
}

func (s *Server) exhibitorDraw(w http.ResponseWriter, r *http.Request) {
	expo, err := s.urlExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c, err := s.exhibitorDrawView(r, expo, nil, "")
	s.renderPage(w, r, c, err)
}

// exhibitorDrawRanking saves the company's ranking: choice_1… in order,
// an empty rank skipped; a rank beyond the draw's MaxChoices is a problem
// at its field.
func (s *Server) exhibitorDrawRanking(w http.ResponseWriter, r *http.Request) {
	expo, f, ok := loadedForm(s, w, r, s.urlExpo)
	if !ok {
		return
	}
	var err error
	drawID, _ := strconv.ParseInt(chi.URLParam(r, "draw"), 10, 64)
	prefix := "d" + itoa(drawID) + "_"
	var ranked []int64
	for n := 1; n <= expodesk.MaxDrawChoices+1; n++ {
		ranked = append(ranked, f.id(prefix+expodesk.DrawChoiceField(n)))
	}
	_, err = s.svc.SetDrawRanking(r.Context(), s.caller(r), expo.ID, drawID, ranked)
	err = prefixed(err, prefix)
	if s.drawNotice(w, r, err, expo.Location(), func(n string) (templ.Component, error) { return s.exhibitorDrawView(r, expo, nil, n) }) {
		return
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.ExhibitorDraw(expo.Slug), flash: flashRankingSaved,
		page: func(fs web.FormState) (templ.Component, error) {
			return s.exhibitorDrawView(r, expo, map[string]web.FormState{prefix: fs}, "")
		}})
}

// exhibitorDrawWithdraw withdraws one of the company's rankings.
func (s *Server) exhibitorDrawWithdraw(w http.ResponseWriter, r *http.Request) {
	if _, err := parseForm(w, r); err != nil {
		s.renderError(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(chi.URLParam(r, "request"), 10, 64)
	req, err := s.svc.WithdrawDrawRanking(r.Context(), s.caller(r), id)
	var expo expodesk.Expo
	if d, derr := s.store.DrawGet(r.Context(), req.DrawID); derr == nil {
		expo, derr = s.store.ExpoGetByID(r.Context(), d.ExpoID)
		if err == nil {
			err = derr
		}
	} else if err == nil {
		err = derr
	}
	if err == nil {
		s.flash(r.Context(), flashRankingWithdr)
		http.Redirect(w, r, urls.ExhibitorDraw(expo.Slug), http.StatusSeeOther)
		return
	}
	if expo.ID == 0 || !s.drawNotice(w, r, err, expo.Location(), func(n string) (templ.Component, error) { return s.exhibitorDrawView(r, expo, nil, n) }) {
		s.renderError(w, r, err)
	}
}

// expoDraw is the public page of an expo's draws: each one's request
// period and, once run, its seed, time and number of participants (the
// order with companies' names is for the expo's approved companies).
func (s *Server) expoDraw(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	expo, err := s.urlExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	scopes, err := s.drawScopes(r, expo)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := web.PublicDrawView{Expo: expo}
	for _, sc := range scopes {
		if sc.Draw != nil {
			sc.Entries = nil
			v.Scopes = append(v.Scopes, sc)
		}
	}
	s.render(w, r, http.StatusOK, web.PublicDrawPage(web.Page{Title: web.TD(ctx, "draw.public_title",
		map[string]any{"Expo": web.In(ctx, expo.Name)})}, v))
}
