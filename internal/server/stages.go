package server

import (
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

// The organizer console for stages and slots (O1, O5 part, O6): stages
// created and edited, a day's slots generated after a preview, single
// slots moved, blocked or deleted, and the booked/free grid. Times are
// typed and shown in the expo's zone.

// managedExpo is the expo the URL names, if the caller may manage stages in
// it (a coordinator their pavilion's expo only).
func (s *Server) managedExpo(r *http.Request) (expodesk.Expo, error) {
	e, err := s.urlExpo(r)
	if err != nil {
		return e, err
	}
	return s.svc.ManagedExpo(r.Context(), s.caller(r), e.ID)
}

// urlStage is the expo and the stage the URL names, if the caller may
// manage the stage (another pavilion's is not found).
func (s *Server) urlStage(r *http.Request) (expodesk.Expo, expodesk.Stage, error) {
	e, err := s.urlExpo(r)
	if err != nil {
		return e, expodesk.Stage{}, err
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "stage"), 10, 64)
	if err != nil {
		return e, expodesk.Stage{}, expodesk.ErrNotFound
	}
	st, err := s.svc.ManagedStage(r.Context(), s.caller(r), e.ID, id)
	return e, st, err
}

// urlSlot is the expo and the slot the URL names, if the caller may manage
// its stage.
func (s *Server) urlSlot(r *http.Request) (expodesk.Expo, expodesk.SlotRow, error) {
	e, err := s.urlExpo(r)
	if err != nil {
		return e, expodesk.SlotRow{}, err
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "slot"), 10, 64)
	if err != nil {
		return e, expodesk.SlotRow{}, expodesk.ErrNotFound
	}
	sl, err := s.svc.ManagedSlot(r.Context(), s.caller(r), e.ID, id)
	return e, sl, err
}

// queryForm reads a GET form (the generation preview, the grid's filters)
// with the same typed readers as a posted one.
func queryForm(r *http.Request) *form {
	return &form{Values: r.URL.Query(), Problems: expodesk.Problems{}}
}

// clockOn returns a time of day ("10:30") typed for the calendar day day
// in zone, as an instant: a time the clocks skip that day is refused, a
// time they show twice is the first of the two (as dateTime reads them).
func (f *form) clockOn(name string, day time.Time, zone *time.Location, required bool) time.Time {
	v := f.text(name, 8, required)
	if v == "" {
		return time.Time{}
	}
	layout := "15:04"
	if len(v) == len("15:04:05") {
		layout = "15:04:05"
	}
	clock, err := time.Parse(layout, v)
	if err != nil {
		f.Problems.Add(name, "slots.clock_invalid", nil)
		return time.Time{}
	}
	if day.IsZero() {
		return time.Time{}
	}
	local := time.Date(day.Year(), day.Month(), day.Day(), clock.Hour(), clock.Minute(), clock.Second(), 0, time.UTC)
	t, ok := inZone(local, zone)
	if !ok {
		f.Problems.Add(name, "validation.time_skipped", map[string]any{"Time": local.Format("15:04")})
		return time.Time{}
	}
	return t
}

// stagePavilionOptions are the places a caller may put a stage: expo-wide or
// any pavilion for an expo-wide organizer, their own pavilion for a
// coordinator.
func (s *Server) stagePavilionOptions(r *http.Request, e expodesk.Expo) ([]web.Option, error) {
	p := principal(r)
	return s.placeOptions(r, e, web.T(r.Context(), "stages.expo_wide"),
		func(pavilion *int64) bool { return expodesk.CanManageStage(p, pavilion) })
}

// placeOptions are "none" (labelled none) and the pavilions of expo e
// for which allowed holds (nil: no pavilion), as a select offers them.
func (s *Server) placeOptions(r *http.Request, e expodesk.Expo, none string, allowed func(*int64) bool) ([]web.Option, error) {
	ctx := r.Context()
	list, err := s.store.PavilionList(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	var opts []web.Option
	if allowed(nil) {
		opts = append(opts, web.Option{Value: "", Label: none})
	}
	for _, pv := range list {
		if allowed(&pv.ID) {
			opts = append(opts, web.Option{Value: itoa(pv.ID), Label: web.In(ctx, pv.Name)})
		}
	}
	return opts, nil
}

// readStage reads the stage form. The pavilion is a choice; an id the form
// did not offer is the service's to refuse.
func readStage(f *form) expodesk.Stage {
	st := expodesk.Stage{Name: f.texts("name", 120, true), Location: f.texts("location", 120, false),
		Slug: f.text("slug", 80, true), Position: int(f.integer("position", 0, 10000, false))}
	if v := strings.TrimSpace(f.raw("pavilion")); v != "" {
		if id := f.id("pavilion"); id != 0 {
			st.PavilionID = &id
		} else {
			f.Problems.Add("pavilion", "validation.choice", nil)
		}
	}
	return st
}

func stageValues(st expodesk.Stage) url.Values {
	v := url.Values{"slug": {st.Slug}, "position": {strconv.Itoa(st.Position)}}
	if st.PavilionID != nil {
		v.Set("pavilion", itoa(*st.PavilionID))
	}
	for _, l := range expodesk.Langs {
		v.Set("name_"+string(l), st.Name.Get(l))
		v.Set("location_"+string(l), st.Location.Get(l))
	}
	return v
}

func (s *Server) stages(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := s.managedExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	list, err := s.store.StageListScoped(ctx, e.ID, principal(r).PavilionID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	pavilions, err := s.store.PavilionList(ctx, e.ID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := web.StagesView{Expo: e, Flash: s.popFlash(r)}
	for _, st := range list {
		it := web.StageItem{Stage: st}
		for _, pv := range pavilions {
			if st.PavilionID != nil && pv.ID == *st.PavilionID {
				it.PavilionName = pv.Name
			}
		}
		v.Stages = append(v.Stages, it)
	}
	s.render(w, r, http.StatusOK, web.StagesPage(web.Page{Title: web.T(ctx, "stages.title")}, v))
}

func (s *Server) stagePage(r *http.Request, e expodesk.Expo, st *expodesk.Stage, fs web.FormState) (templ.Component, error) {
	opts, err := s.stagePavilionOptions(r, e)
	if err != nil {
		return nil, err
	}
	title := web.T(r.Context(), "stages.new")
	if st != nil {
		title = web.In(r.Context(), st.Name)
	}
	return web.StageFormPage(web.Page{Title: title}, web.StageFormView{Expo: e, Stage: st, Form: fs,
		PavilionOptions: opts, Flash: s.popFlash(r)}), nil
}

func (s *Server) stageNew(w http.ResponseWriter, r *http.Request) {
	e, err := s.managedExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := url.Values{"position": {"10"}}
	if p := principal(r); !p.IsExpoOrganizer() {
		v.Set("pavilion", itoa(p.PavilionID))
	}
	c, err := s.stagePage(r, e, nil, web.FormState{Values: v})
	s.renderPage(w, r, c, err)
}

func (s *Server) stageCreate(w http.ResponseWriter, r *http.Request) {
	e, f, ok := loadedForm(s, w, r, s.managedExpo)
	if !ok {
		return
	}
	var err error
	st := readStage(f)
	st.ExpoID = e.ID
	if f.err() == nil {
		st, err = s.svc.CreateStage(r.Context(), s.caller(r), st)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerStage(e.Slug, st.ID), flash: flashStageSaved,
		page: func(fs web.FormState) (templ.Component, error) { return s.stagePage(r, e, nil, fs) }})
}

func (s *Server) stageEdit(w http.ResponseWriter, r *http.Request) {
	e, st, err := s.urlStage(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c, err := s.stagePage(r, e, &st, web.FormState{Values: stageValues(st)})
	s.renderPage(w, r, c, err)
}

func (s *Server) stageUpdate(w http.ResponseWriter, r *http.Request) {
	e, st, f, ok := loadedForm2(s, w, r, s.urlStage)
	if !ok {
		return
	}
	var err error
	in := readStage(f)
	if f.err() == nil {
		_, err = s.svc.UpdateStage(r.Context(), s.caller(r), e.ID, st.ID, in)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerStage(e.Slug, st.ID), flash: flashStageSaved,
		page: func(fs web.FormState) (templ.Component, error) { return s.stagePage(r, e, &st, fs) }})
}

func (s *Server) stageDelete(w http.ResponseWriter, r *http.Request) {
	e, st, err := s.urlStage(r)
	if err == nil {
		err = s.svc.DeleteStage(r.Context(), s.caller(r), e.ID, st.ID)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(r.Context(), flashStageDeleted)
	http.Redirect(w, r, urls.OrganizerStages(e.Slug), http.StatusSeeOther)
}

// planFields are the fields of the generation form, which the preview's
// save button posts again as typed.
var planFields = []string{"day", "first_start", "last_end", "length", "break"}

// readPlan reads the generation form: a day of the expo, the first start
// and last end as wall times of that day in the expo's zone, the slot
// length and the break in minutes. Out-of-range numbers are the plan's to
// explain (a length of zero, over twelve hours).
func readPlan(f *form, e expodesk.Expo, stageID int64) expodesk.SlotPlan {
	zone := e.Location()
	p := expodesk.SlotPlan{StageID: stageID, Day: f.date("day", true)}
	p.FirstStart = f.clockOn("first_start", p.Day, zone, true)
	p.LastEnd = f.clockOn("last_end", p.Day, zone, true)
	p.Length = time.Duration(f.integer("length", -100000, 100000, true)) * time.Minute
	p.Break = time.Duration(f.integer("break", -100000, 100000, false)) * time.Minute
	return p
}

// generatePage is the generation form with the preview of plan when it
// could be read and validated (preview nil otherwise).
func (s *Server) generatePage(r *http.Request, e expodesk.Expo, st expodesk.Stage, fs web.FormState,
	preview *expodesk.SlotPreview) templ.Component {
	ctx := r.Context()
	v := web.GenerateView{Expo: e, Stage: st, Form: fs, Preview: preview}
	for _, d := range e.Days() {
		v.Days = append(v.Days, web.Option{Value: d.Format(dateLayout), Label: web.Date(ctx, d)})
	}
	for _, name := range planFields {
		v.Hidden = append(v.Hidden, web.Option{Value: name, Label: fs.Get(name)})
	}
	return web.GeneratePage(web.Page{Title: web.T(ctx, "slots.generate_title")}, v)
}

// slotsGenerateForm shows the generation form and, once it was filled in,
// the preview of the slots it would create; it writes nothing.
func (s *Server) slotsGenerateForm(w http.ResponseWriter, r *http.Request) {
	e, st, err := s.urlStage(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	f := queryForm(r)
	if f.raw("first_start") == "" && f.raw("last_end") == "" && f.raw("length") == "" {
		day := f.raw("day")
		if day == "" {
			day = e.FirstDay.Format(dateLayout)
		}
		s.render(w, r, http.StatusOK, s.generatePage(r, e, st, web.FormState{Values: url.Values{
			"day": {day}, "first_start": {"10:00"}, "last_end": {"13:00"}, "length": {"30"}, "break": {"0"}}}, nil))
		return
	}
	plan := readPlan(f, e, st.ID)
	var preview *expodesk.SlotPreview
	if f.err() == nil {
		pv, err := s.svc.PreviewSlots(r.Context(), s.caller(r), e.ID, plan)
		if err != nil && !f.absorb(err) {
			s.renderError(w, r, err)
			return
		}
		if err == nil {
			preview = &pv
		}
	}
	status := http.StatusOK
	if f.err() != nil {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, s.generatePage(r, e, st, web.FormState{Values: f.Values, Problems: f.Problems}, preview))
}

// slotsGenerate creates the previewed slots, all or none.
func (s *Server) slotsGenerate(w http.ResponseWriter, r *http.Request) {
	e, st, f, ok := loadedForm2(s, w, r, s.urlStage)
	if !ok {
		return
	}
	var err error
	plan := readPlan(f, e, st.ID)
	if f.err() == nil {
		_, err = s.svc.GenerateSlots(r.Context(), s.caller(r), e.ID, plan)
	}
	done := urls.OrganizerSlotGrid(e.Slug, url.Values{"day": {plan.Day.Format(dateLayout)}, "stage": {itoa(st.ID)}})
	s.finish(w, r, submission{f: f, err: err, done: done, flash: flashSlotsGenerated,
		page: func(fs web.FormState) (templ.Component, error) {
			// Show again what clashes now, if the plan itself is sound.
			var preview *expodesk.SlotPreview
			if pv, err := s.svc.PreviewSlots(r.Context(), s.caller(r), e.ID, plan); err == nil {
				preview = &pv
			}
			return s.generatePage(r, e, st, fs, preview), nil
		}})
}

func slotValues(e expodesk.Expo, sl expodesk.SlotRow) url.Values {
	zone := e.Location()
	v := url.Values{"starts_at": {sl.StartsAt.In(zone).Format(dateTimeLayout)}, "ends_at": {sl.EndsAt.In(zone).Format(dateTimeLayout)}}
	if sl.Blocked {
		v.Set("blocked", "on")
	}
	for _, l := range expodesk.Langs {
		v.Set("label_"+string(l), sl.Label.Get(l))
	}
	return v
}

func (s *Server) slotPage(r *http.Request, e expodesk.Expo, sl expodesk.SlotRow, fs web.FormState) templ.Component {
	return web.SlotFormPage(web.Page{Title: web.T(r.Context(), "slots.edit_title")},
		web.SlotFormView{Expo: e, Slot: sl, Form: fs, Flash: s.popFlash(r), Companies: s.bookingCompanyOptions(r, e, sl), MoveTo: s.moveOptions(r, e, sl)})
}

func (s *Server) slotEdit(w http.ResponseWriter, r *http.Request) {
	e, sl, err := s.urlSlot(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, s.slotPage(r, e, sl, web.FormState{Values: slotValues(e, sl)}))
}

func (s *Server) slotUpdate(w http.ResponseWriter, r *http.Request) {
	e, sl, f, ok := loadedForm2(s, w, r, s.urlSlot)
	if !ok {
		return
	}
	var err error
	zone := e.Location()
	ch := expodesk.SlotChange{StartsAt: f.dateTime("starts_at", zone, true), EndsAt: f.dateTime("ends_at", zone, true),
		Blocked: f.boolean("blocked"), Label: f.texts("label", 120, false)}
	if f.err() == nil {
		err = s.svc.UpdateSlot(r.Context(), s.caller(r), e.ID, sl.ID, ch)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerSlot(e.Slug, sl.ID), flash: flashSlotSaved,
		page: func(fs web.FormState) (templ.Component, error) { return s.slotPage(r, e, sl, fs), nil }})
}

func (s *Server) slotDelete(w http.ResponseWriter, r *http.Request) {
	e, sl, err := s.urlSlot(r)
	if err == nil {
		err = s.svc.DeleteSlot(r.Context(), s.caller(r), e.ID, sl.ID)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(r.Context(), flashSlotDeleted)
	day := sl.StartsAt.In(e.Location()).Format(dateLayout)
	http.Redirect(w, r, urls.OrganizerSlotGrid(e.Slug, url.Values{"day": {day}, "stage": {itoa(sl.StageID)}}), http.StatusSeeOther)
}

// slotGrid shows each stage's slots of a day as booked, free or blocked,
// with the company that holds each booked one: a coordinator's pavilion's
// stages only. A day outside the expo is a problem on the day field; a
// stage the caller may not manage is not found.
func (s *Server) slotGrid(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := s.managedExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	f := queryForm(r)
	day := f.date("day", false)
	if day.IsZero() {
		day = e.FirstDay
	} else if day.Before(e.FirstDay) || day.After(e.LastDay) {
		f.Problems.Add("day", "slots.day_outside_expo", map[string]any{
			"First": e.FirstDay.Format(dateLayout), "Last": e.LastDay.Format(dateLayout)})
		day = e.FirstDay
	}
	var stageID int64
	if f.raw("stage") != "" {
		if stageID = f.id("stage"); stageID == 0 {
			s.renderError(w, r, expodesk.ErrNotFound)
			return
		}
		if _, err := s.svc.ManagedStage(ctx, s.caller(r), e.ID, stageID); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	p := principal(r)
	list, err := s.store.StageListScoped(ctx, e.ID, p.PavilionID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	zone := e.Location()
	from := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, zone)
	to := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, zone)
	rows, err := s.store.SlotGrid(ctx, e.ID, p.PavilionID, stageID, from, to)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := web.GridView{Expo: e, Day: day, Flash: s.popFlash(r),
		StageOptions: []web.Option{{Value: "", Label: web.T(ctx, "slots.all_stages")}}}
	for _, d := range e.Days() {
		v.Days = append(v.Days, web.Option{Value: d.Format(dateLayout), Label: web.Date(ctx, d)})
	}
	for _, st := range list {
		v.StageOptions = append(v.StageOptions, web.Option{Value: itoa(st.ID), Label: web.In(ctx, st.Name)})
		if stageID != 0 && st.ID != stageID {
			continue
		}
		g := web.GridStage{Stage: st}
		for _, sl := range rows {
			if sl.StageID != st.ID {
				continue
			}
			g.Slots = append(g.Slots, sl)
			switch web.SlotStatus(sl) {
			case "booked":
				g.Booked++
			case "blocked":
				g.Blocked++
			default:
				g.Free++
			}
		}
		v.Stages = append(v.Stages, g)
	}
	fv := url.Values{"day": {day.Format(dateLayout)}}
	if stageID != 0 {
		fv.Set("stage", itoa(stageID))
	}
	v.Form = web.FormState{Values: fv, Problems: f.Problems}
	status := http.StatusOK
	if len(f.Problems) > 0 {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, web.GridPage(web.Page{Title: web.T(ctx, "slots.grid_title")}, v))
}
