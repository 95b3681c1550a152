package expodesk

import (
	"testing"
	"time"
)

func TestPlanWarnings(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2027, 5, 11, h, m, 0, 0, time.UTC) }
	d := Delegation{ArrivesAt: at(8, 0), DepartsAt: at(20, 0)}
	entries := []PlanEntry{
		{Key: "a", StartsAt: at(9, 0), EndsAt: at(10, 0), Hall: "2"},
		{Key: "b", StartsAt: at(9, 30), EndsAt: at(10, 30)},                                           // overlaps a
		{Key: "c", StartsAt: at(10, 35), EndsAt: at(11, 0), Hall: "3"},                                // hall 2 → 3? b has no hall: from b
		{Key: "d", StartsAt: at(11, 5), EndsAt: at(11, 30), Hall: "5", ExhibitorID: 7, Meeting: true}, // 5 min after c, other hall; on stage
		{Key: "e", StartsAt: at(19, 30), EndsAt: at(20, 30)},                                          // outside the stay
		{Key: "f", StartsAt: at(12, 0), EndsAt: at(12, 30), Hall: "5"},                                // same hall as d: no travel warning
	}
	talks := []Presentation{{ExhibitorID: 7, StartsAt: at(11, 0), EndsAt: at(11, 15)}, {ExhibitorID: 8, StartsAt: at(11, 0), EndsAt: at(12, 0)}}
	got := PlanWarnings(entries, talks, d)
	kinds := func(key string) []WarningKind {
		var out []WarningKind
		for _, w := range got[key] {
			out = append(out, w.Kind)
		}
		return out
	}
	want := map[string][]WarningKind{
		"a": {WarnOverlap}, "b": {WarnOverlap}, "c": nil,
		"d": {WarnOnStage, WarnNoTravelGap}, "e": {WarnOutsideStay}, "f": nil,
	}
	for key, w := range want {
		if g := kinds(key); len(g) != len(w) || (len(w) > 0 && !equalKinds(g, w)) {
			t.Errorf("%s: warnings %v, want %v", key, g, w)
		}
	}
	if w := got["d"][1]; w.Minutes != 5 || w.FromHall != "3" || w.ToHall != "5" || w.Other != "c" {
		t.Errorf("travel warning %+v", w)
	}
}

func equalKinds(a, b []WarningKind) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCheckTimesOutsideStay(t *testing.T) {
	madrid, _ := time.LoadLocation("Europe/Madrid")
	d := Delegation{ArrivesAt: time.Date(2027, 3, 27, 12, 0, 0, 0, madrid), DepartsAt: time.Date(2027, 3, 29, 12, 0, 0, 0, madrid)}
	p := Problems{}
	CheckTimes(p, time.Date(2027, 3, 29, 11, 30, 0, 0, madrid), time.Date(2027, 3, 29, 12, 30, 0, 0, madrid), d, madrid, "s", "e")
	m, ok := p["s"]
	if !ok || m.Key != "itinerary.outside_stay" || m.Data["Arrives"] != "2027-03-27 12:00 CET" || m.Data["Departs"] != "2027-03-29 12:00 CEST" {
		t.Errorf("problems %+v", p)
	}
}
