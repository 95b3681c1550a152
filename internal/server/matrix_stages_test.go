package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

const s409 = http.StatusConflict

// stageFixture creates stages and slots for the stage console's rows of the
// matrix and cross-site tests: each call a new one, so that every role
// meets the same situation.
type stageFixture struct {
	e *testEnv
	w world
	// prefix starts the slugs of its stages; day is the day of its slots.
	prefix string
	day    int
	n      atomic.Int64
}

// stage creates a stage in Barcelona, in the Wuxi Pavilion or expo-wide (nil).
func (f *stageFixture) stage(pavilion *int64) expodesk.Stage {
	f.e.t.Helper()
	st, err := f.e.store.StageCreate(context.Background(), expodesk.Stage{ExpoID: f.w.Barcelona.ID, PavilionID: pavilion,
		Slug: fmt.Sprintf("%s-%d", f.prefix, f.n.Add(1)), Name: expodesk.Text{EN: "Matrix Stage"}})
	if err != nil {
		f.e.t.Fatal(err)
	}
	return st
}

// slot creates a slot on stage, on the fixture's day at a time no other
// call uses.
func (f *stageFixture) slot(stageID int64) expodesk.Slot {
	f.e.t.Helper()
	start := time.Date(2027, 5, f.day, 8, 0, 0, 0, f.w.Barcelona.Location()).Add(time.Duration(f.n.Add(1)) * 10 * time.Minute)
	sl, err := f.e.store.SlotCreate(context.Background(), expodesk.Slot{StageID: stageID, StartsAt: start, EndsAt: start.Add(5 * time.Minute)})
	if err != nil {
		f.e.t.Fatal(err)
	}
	return sl
}

// planForm is a valid generation form: three 30-minute slots on the expo's
// second day.
func planForm() url.Values {
	return url.Values{"day": {"2027-05-12"}, "first_start": {"09:00"}, "last_end": {"10:30"}, "length": {"30"}, "break": {"0"}}
}

// stageMatrixCases are the route × role matrix rows of the stage console.
// Everything is for organizers; a coordinator manages the Wuxi Pavilion's
// stages, and another pavilion's or an expo-wide stage is not found.
func stageMatrixCases(e *testEnv, w world) []matrixCase {
	f := &stageFixture{e: e, w: w, prefix: "matrix-stage", day: 13}
	bcn, wuxi := w.Barcelona.Slug, w.Wuxi.Slug
	wuxiPav := &w.WuxiPavilion.ID
	plain := f.stage(nil)
	plainSlot := f.slot(plain.ID)
	path := func(p string) func(role) string { return func(role) string { return p } }
	organizers := [roleCount]int{s303, s403, s403, s200, s200}
	expoWideOnly := [roleCount]int{s303, s403, s403, s404, s200}
	writes := func(coord, org int) [roleCount]int { return [roleCount]int{s401, s403, s403, coord, org} }
	return []matrixCase{
		{method: "GET", pattern: "/organizer/expos/{expo}/stages", path: path(urls.OrganizerStages(bcn)), want: organizers},
		{method: "GET", pattern: "/organizer/expos/{expo}/stages", object: "another expo", path: path(urls.OrganizerStages(wuxi)), want: expoWideOnly},
		{method: "POST", pattern: "/organizer/expos/{expo}/stages", object: "empty form", path: path(urls.OrganizerStages(bcn)), want: writes(s422, s422)},
		{method: "POST", pattern: "/organizer/expos/{expo}/stages", object: "another expo, empty form", path: path(urls.OrganizerStages(wuxi)), want: writes(s404, s422)},
		{method: "GET", pattern: "/organizer/expos/{expo}/stages/new", path: path(urls.OrganizerStageNew(bcn)), want: organizers},
		{method: "GET", pattern: "/organizer/expos/{expo}/stages/{stage}", object: "the Wuxi Pavilion's stage",
			path: path(urls.OrganizerStage(bcn, w.Stage.ID)), want: organizers},
		{method: "GET", pattern: "/organizer/expos/{expo}/stages/{stage}", object: "an expo-wide stage",
			path: path(urls.OrganizerStage(bcn, plain.ID)), want: expoWideOnly},
		{method: "GET", pattern: "/organizer/expos/{expo}/stages/{stage}", object: "a stage under another expo",
			path: path(urls.OrganizerStage(wuxi, w.Stage.ID)), want: [roleCount]int{s303, s403, s403, s404, s404}},
		{method: "GET", pattern: "/organizer/expos/{expo}/stages/{stage}", object: "not a number",
			path: path(urls.OrganizerStages(bcn) + "/abc"), want: [roleCount]int{s303, s403, s403, s404, s404}},
		{method: "POST", pattern: "/organizer/expos/{expo}/stages/{stage}", object: "the Wuxi Pavilion's stage, empty form",
			path: path(urls.OrganizerStage(bcn, w.Stage.ID)), want: writes(s422, s422)},
		{method: "POST", pattern: "/organizer/expos/{expo}/stages/{stage}", object: "an expo-wide stage, empty form",
			path: path(urls.OrganizerStage(bcn, plain.ID)), want: writes(s404, s422)},
		{method: "POST", pattern: "/organizer/expos/{expo}/stages/{stage}/delete", object: "a new stage in the Wuxi Pavilion",
			path: func(role) string { return urls.OrganizerStageDelete(bcn, f.stage(wuxiPav).ID) }, want: writes(s303, s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/stages/{stage}/delete", object: "a new expo-wide stage",
			path: func(role) string { return urls.OrganizerStageDelete(bcn, f.stage(nil).ID) }, want: writes(s404, s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/stages/{stage}/delete", object: "a stage with a booking",
			path: path(urls.OrganizerStageDelete(bcn, w.Stage.ID)), want: writes(s409, s409)},
		{method: "GET", pattern: "/organizer/expos/{expo}/stages/{stage}/generate", object: "the form",
			path: path(urls.OrganizerStageGenerate(bcn, w.Stage.ID, nil)), want: organizers},
		{method: "GET", pattern: "/organizer/expos/{expo}/stages/{stage}/generate", object: "a preview",
			path: path(urls.OrganizerStageGenerate(bcn, w.Stage.ID, planForm())), want: organizers},
		{method: "GET", pattern: "/organizer/expos/{expo}/stages/{stage}/generate", object: "a preview of a zero length",
			path: path(urls.OrganizerStageGenerate(bcn, w.Stage.ID, url.Values{"day": {"2027-05-12"}, "first_start": {"09:00"},
				"last_end": {"10:30"}, "length": {"0"}})), want: [roleCount]int{s303, s403, s403, s422, s422}},
		{method: "GET", pattern: "/organizer/expos/{expo}/stages/{stage}/generate", object: "an expo-wide stage",
			path: path(urls.OrganizerStageGenerate(bcn, plain.ID, planForm())), want: expoWideOnly},
		{method: "POST", pattern: "/organizer/expos/{expo}/stages/{stage}/generate", object: "empty form",
			path: path(urls.OrganizerStageGenerate(bcn, w.Stage.ID, nil)), want: writes(s422, s422)},
		{method: "POST", pattern: "/organizer/expos/{expo}/stages/{stage}/generate", object: "a new stage in the Wuxi Pavilion",
			path: func(role) string { return urls.OrganizerStageGenerate(bcn, f.stage(wuxiPav).ID, nil) }, form: planForm(), want: writes(s303, s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/stages/{stage}/generate", object: "a new expo-wide stage",
			path: func(role) string { return urls.OrganizerStageGenerate(bcn, f.stage(nil).ID, nil) }, form: planForm(), want: writes(s404, s303)},
		{method: "GET", pattern: "/organizer/expos/{expo}/slots/{slot}", object: "a booked slot of the Wuxi Pavilion",
			path: path(urls.OrganizerSlot(bcn, w.Slots[0].ID)), want: organizers},
		{method: "GET", pattern: "/organizer/expos/{expo}/slots/{slot}", object: "a slot of an expo-wide stage",
			path: path(urls.OrganizerSlot(bcn, plainSlot.ID)), want: expoWideOnly},
		{method: "GET", pattern: "/organizer/expos/{expo}/slots/{slot}", object: "a slot under another expo",
			path: path(urls.OrganizerSlot(wuxi, w.Slots[1].ID)), want: [roleCount]int{s303, s403, s403, s404, s404}},
		{method: "POST", pattern: "/organizer/expos/{expo}/slots/{slot}", object: "a free slot, empty form",
			path: path(urls.OrganizerSlot(bcn, w.Slots[1].ID)), want: writes(s422, s422)},
		{method: "POST", pattern: "/organizer/expos/{expo}/slots/{slot}", object: "a slot of an expo-wide stage, empty form",
			path: path(urls.OrganizerSlot(bcn, plainSlot.ID)), want: writes(s404, s422)},
		{method: "POST", pattern: "/organizer/expos/{expo}/slots/{slot}", object: "a booked slot, blocked",
			path: path(urls.OrganizerSlot(bcn, w.Slots[0].ID)), form: url.Values{"starts_at": {"2027-05-11T10:30"},
				"ends_at": {"2027-05-11T11:00"}, "blocked": {"on"}}, want: writes(s409, s409)},
		{method: "POST", pattern: "/organizer/expos/{expo}/slots/{slot}/delete", object: "a new slot in the Wuxi Pavilion",
			path: func(role) string { return urls.OrganizerSlotDelete(bcn, f.slot(w.Stage.ID).ID) }, want: writes(s303, s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/slots/{slot}/delete", object: "a new slot of an expo-wide stage",
			path: func(role) string { return urls.OrganizerSlotDelete(bcn, f.slot(plain.ID).ID) }, want: writes(s404, s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/slots/{slot}/delete", object: "a booked slot",
			path: path(urls.OrganizerSlotDelete(bcn, w.Slots[0].ID)), want: writes(s409, s409)},
		{method: "GET", pattern: "/organizer/expos/{expo}/grid", path: path(urls.OrganizerSlotGrid(bcn, url.Values{"day": {"2027-05-11"}})), want: organizers},
		{method: "GET", pattern: "/organizer/expos/{expo}/grid", object: "an expo-wide stage",
			path: path(urls.OrganizerSlotGrid(bcn, url.Values{"stage": {itoa(plain.ID)}})), want: expoWideOnly},
		{method: "GET", pattern: "/organizer/expos/{expo}/grid", object: "a day outside the expo",
			path: path(urls.OrganizerSlotGrid(bcn, url.Values{"day": {"2027-06-01"}})), want: [roleCount]int{s303, s403, s403, s422, s422}},
		{method: "GET", pattern: "/organizer/expos/{expo}/grid", object: "another expo",
			path: path(urls.OrganizerSlotGrid(wuxi, nil)), want: expoWideOnly},
	}
}

// stageCSRFCases are the stage console's forms for the cross-site test.
func stageCSRFCases(e *testEnv, w world) []csrfCase {
	f := &stageFixture{e: e, w: w, prefix: "csrf-stage", day: 12}
	bcn := w.Barcelona.Slug
	wuxiPav := &w.WuxiPavilion.ID
	return []csrfCase{
		{pattern: "/organizer/expos/{expo}/stages", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Coordinator), urls.OrganizerStages(bcn), url.Values{"name_en": {"CSRF Stage"},
				"slug": {fmt.Sprintf("csrf-new-stage-%d", f.n.Add(1))}, "pavilion": {itoa(w.WuxiPavilion.ID)}}
		}},
		{pattern: "/organizer/expos/{expo}/stages/{stage}", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			st := f.stage(wuxiPav)
			return e.signedIn(t, w.Coordinator), urls.OrganizerStage(bcn, st.ID), url.Values{"name_en": {"Renamed"},
				"slug": {st.Slug}, "pavilion": {itoa(w.WuxiPavilion.ID)}}
		}},
		{pattern: "/organizer/expos/{expo}/stages/{stage}/delete", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Organizer), urls.OrganizerStageDelete(bcn, f.stage(nil).ID), nil
		}},
		{pattern: "/organizer/expos/{expo}/stages/{stage}/generate", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Coordinator), urls.OrganizerStageGenerate(bcn, f.stage(wuxiPav).ID, nil), planForm()
		}},
		{pattern: "/organizer/expos/{expo}/slots/{slot}", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			sl := f.slot(w.Stage.ID)
			zone := w.Barcelona.Location()
			return e.signedIn(t, w.Coordinator), urls.OrganizerSlot(bcn, sl.ID), url.Values{
				"starts_at": {sl.StartsAt.In(zone).Format(dateTimeLayout)}, "ends_at": {sl.EndsAt.In(zone).Format(dateTimeLayout)},
				"blocked": {"on"}, "label_en": {"Keynote"}}
		}},
		{pattern: "/organizer/expos/{expo}/slots/{slot}/delete", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Organizer), urls.OrganizerSlotDelete(bcn, f.slot(w.Stage.ID).ID), nil
		}},
	}
}
