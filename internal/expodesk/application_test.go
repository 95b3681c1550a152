package expodesk

import (
	"testing"
	"time"
)

func TestCallAt(t *testing.T) {
	t.Parallel()
	now := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	before, after := now.Add(-time.Hour), now.Add(time.Hour)
	for _, tc := range []struct {
		name          string
		opens, closes *time.Time
		archived      bool
		want          CallState
	}{
		{"NoDates", nil, nil, false, CallNone},
		{"Open", &before, &after, false, CallOpen},
		{"OpensLater", &after, nil, false, CallNotYet},
		{"OnlyOpens", &before, nil, false, CallOpen},
		{"OnlyCloses", nil, &after, false, CallOpen},
		{"ClosedAtTheMinute", &before, &now, false, CallClosed},
		{"Archived", &before, &after, true, CallClosed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := Expo{ApplicationsOpenAt: tc.opens, ApplicationsCloseAt: tc.closes}
			if tc.archived {
				e.ArchivedAt = &now
			}
			if got := e.CallAt(now); got != tc.want {
				t.Errorf("CallAt = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestDiffProfile(t *testing.T) {
	t.Parallel()
	then := ProfileSnapshot{Name: Text{EN: "Cloudsense"}, Sectors: []string{"sensors", "cloud"}, Country: "CN"}
	now := then
	now.Name = Text{EN: "Cloudsense", ZH: "云感"}
	now.Sectors = []string{"cloud", "sensors"} // same set, another order
	changed := 0
	for _, d := range DiffProfile(then, now) {
		if d.Changed {
			changed++
			if d.Field != "name_zh" || d.Now != "云感" {
				t.Errorf("unexpected change %+v", d)
			}
		}
	}
	if changed != 1 {
		t.Errorf("%d changes, want 1", changed)
	}
}
