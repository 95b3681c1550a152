package ical_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	arran "github.com/arran4/golang-ical"
	goical "github.com/emersion/go-ical"

	"expodesk/internal/ical"
	"expodesk/internal/ical/icaltest"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

var stamp = time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)

// longChinese is long enough that every line holding it must be folded, and
// its three-byte characters meet the 75-octet limit at every offset.
const longChinese = "无锡物联网企业在巴塞罗那路演：传感器、云计算、工业互联网、车联网、智慧城市与智能家居的最新项目和合作机会介绍"

const tricky = "Sensors, clouds; and a back\\slash\nSecond line\r\nThird line, with 中文"

// madridFeed has sessions on either side of the spring DST change
// (28 March 2027, 02:00 CET → 03:00 CEST) and one in November (CET again).
func madridFeed(t *testing.T) (ical.Feed, []time.Time) {
	t.Helper()
	madrid := mustZone(t, "Europe/Madrid")
	starts := []time.Time{
		time.Date(2027, 3, 27, 10, 30, 0, 0, madrid), // CET, +01:00
		time.Date(2027, 3, 29, 10, 30, 0, 0, madrid), // CEST, +02:00
		time.Date(2027, 11, 16, 9, 0, 0, 0, madrid),  // CET again
	}
	f := ical.Feed{Name: "Roadshow agenda · IoT Solutions World Congress", Zone: madrid, Stamp: stamp, Language: "en"}
	for i, s := range starts {
		f.Events = append(f.Events, ical.Event{
			UID:         fmt.Sprintf("booking-%d@expodesk", i+1),
			Start:       s,
			End:         s.Add(30 * time.Minute),
			Summary:     longChinese,
			Description: tricky,
			Location:    "Wuxi Stage, Hall 2; Gran Via",
			URL:         "https://expo.example.org/exhibitors/taihu-sensing",
		})
	}
	return f, starts
}

func write(t *testing.T, f ical.Feed) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := ical.Write(&buf, f); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

func TestWriteMadridAcrossDST(t *testing.T) {
	t.Parallel()
	f, starts := madridFeed(t)
	raw := write(t, f)

	t.Run("Lines", func(t *testing.T) { icaltest.CheckLines(t, raw) })
	t.Run("ChineseIsFolded", func(t *testing.T) {
		folded := 0
		for _, l := range strings.Split(string(raw), "\r\n") {
			if strings.HasPrefix(l, " ") && strings.ContainsFunc(l, func(r rune) bool { return r > 0x2E80 }) {
				folded++
			}
		}
		if folded == 0 {
			t.Error("the long Chinese summary was not folded")
		}
	})

	cal := icaltest.Decode(t, raw)
	t.Run("CalendarProperties", func(t *testing.T) {
		if v, _ := cal.Props.Text(goical.PropVersion); v != "2.0" {
			t.Errorf("VERSION = %q", v)
		}
		if v, _ := cal.Props.Text(goical.PropProductID); !strings.HasPrefix(v, "-//expodesk//") {
			t.Errorf("PRODID = %q", v)
		}
		if v, _ := cal.Props.Text(goical.PropCalendarScale); v != "GREGORIAN" {
			t.Errorf("CALSCALE = %q", v)
		}
		if v, _ := cal.Props.Text(goical.PropMethod); v != "PUBLISH" {
			t.Errorf("METHOD = %q", v)
		}
		if v, _ := cal.Props.Text("X-WR-CALNAME"); v != f.Name {
			t.Errorf("X-WR-CALNAME = %q", v)
		}
	})

	events := cal.Events()
	if len(events) != len(starts) {
		t.Fatalf("%d events, want %d", len(events), len(starts))
	}
	obs := icaltest.VTimezone(t, cal, "Europe/Madrid")
	for i, ev := range events {
		t.Run(fmt.Sprintf("Event%d", i+1), func(t *testing.T) {
			if uid, _ := ev.Props.Text(goical.PropUID); uid != f.Events[i].UID {
				t.Errorf("UID = %q", uid)
			}
			ds, err := ev.Props.DateTime(goical.PropDateTimeStamp, nil)
			if err != nil || !ds.Equal(stamp) {
				t.Errorf("DTSTAMP = %v, %v", ds, err)
			}
			if p := ev.Props.Get(goical.PropDateTimeStamp); !strings.HasSuffix(p.Value, "Z") {
				t.Errorf("DTSTAMP %q is not UTC", p.Value)
			}
			start := ev.Props.Get(goical.PropDateTimeStart)
			if start.Params.Get(goical.ParamTimezoneID) != "Europe/Madrid" {
				t.Errorf("DTSTART params %v", start.Params)
			}
			if strings.HasSuffix(start.Value, "Z") {
				t.Errorf("DTSTART %q is UTC, want Madrid local time", start.Value)
			}
			want := starts[i]
			if got, err := ev.DateTimeStart(nil); err != nil || !got.Equal(want) {
				t.Errorf("DTSTART resolves to %v (%v), want %v", got, err, want)
			}
			if got, err := ev.DateTimeEnd(nil); err != nil || !got.Equal(want.Add(30*time.Minute)) {
				t.Errorf("DTEND resolves to %v (%v)", got, err)
			}
			// The same wall time resolved through the feed's own VTIMEZONE.
			local, err := time.Parse("20060102T150405", start.Value)
			if err != nil {
				t.Fatal(err)
			}
			o := icaltest.OffsetAt(t, obs, want.UTC())
			if got := local.Add(-time.Duration(o.To) * time.Second); !got.Equal(want) {
				t.Errorf("through the VTIMEZONE, %s is %v, want %v", start.Value, got, want)
			}
			if wantName, wantOff := want.Zone(); o.To != wantOff || o.Name != wantName {
				t.Errorf("VTIMEZONE says %s %+d at %v, want %s %+d", o.Name, o.To, want, wantName, wantOff)
			}
			if s, _ := ev.Props.Text(goical.PropSummary); s != longChinese {
				t.Errorf("SUMMARY = %q", s)
			}
			// TEXT escaping: commas, semicolons, backslashes and newlines come back as written
			// (a CRLF inside text is written as one line break).
			if d, _ := ev.Props.Text(goical.PropDescription); d != strings.ReplaceAll(tricky, "\r\n", "\n") {
				t.Errorf("DESCRIPTION = %q", d)
			}
			if l, _ := ev.Props.Text(goical.PropLocation); l != "Wuxi Stage, Hall 2; Gran Via" {
				t.Errorf("LOCATION = %q", l)
			}
			if u, err := ev.Props.URI(goical.PropURL); err != nil || u.String() != f.Events[i].URL {
				t.Errorf("URL = %v, %v", u, err)
			}
		})
	}

	t.Run("VTimezoneOffsets", func(t *testing.T) {
		for _, tc := range []struct {
			at     time.Time
			name   string
			offset int
		}{
			{time.Date(2027, 3, 28, 0, 59, 59, 0, time.UTC), "CET", 3600},
			{time.Date(2027, 3, 28, 1, 0, 0, 0, time.UTC), "CEST", 7200},
			{time.Date(2027, 7, 1, 12, 0, 0, 0, time.UTC), "CEST", 7200},
			{time.Date(2027, 10, 31, 0, 59, 59, 0, time.UTC), "CEST", 7200},
			{time.Date(2027, 10, 31, 1, 0, 0, 0, time.UTC), "CET", 3600},
			{time.Date(2027, 12, 31, 12, 0, 0, 0, time.UTC), "CET", 3600},
		} {
			o := icaltest.OffsetAt(t, obs, tc.at)
			if o.Name != tc.name || o.To != tc.offset {
				t.Errorf("at %v: %s %+d, want %s %+d", tc.at, o.Name, o.To, tc.name, tc.offset)
			}
			if (o.Kind == goical.CompTimezoneDaylight) != (tc.name == "CEST") {
				t.Errorf("at %v: a %s observance for %s", tc.at, o.Kind, tc.name)
			}
		}
		// Each transition moves from the previous observance's offset.
		for i := 1; i < len(obs); i++ {
			if obs[i].From != obs[i-1].To {
				t.Errorf("observance %d starts from %+d, previous ends at %+d", i, obs[i].From, obs[i-1].To)
			}
		}
	})

	t.Run("ArranParser", func(t *testing.T) {
		cal, err := arran.ParseCalendar(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("arran4/golang-ical cannot parse the feed: %v", err)
		}
		evs := cal.Events()
		if len(evs) != len(starts) {
			t.Fatalf("%d events", len(evs))
		}
		for i, ev := range evs {
			if ev.Id() != f.Events[i].UID {
				t.Errorf("UID = %q", ev.Id())
			}
			if got, err := ev.GetStartAt(); err != nil || !got.Equal(starts[i]) {
				t.Errorf("event %d starts %v (%v), want %v", i, got, err, starts[i])
			}
			if got, err := ev.GetEndAt(); err != nil || !got.Equal(starts[i].Add(30*time.Minute)) {
				t.Errorf("event %d ends %v (%v)", i, got, err)
			}
			if got, err := ev.GetDtStampTime(); err != nil || !got.Equal(stamp) {
				t.Errorf("event %d DTSTAMP %v (%v)", i, got, err)
			}
			if p := ev.GetProperty(arran.ComponentPropertySummary); p == nil || p.Value != longChinese {
				t.Errorf("event %d SUMMARY %+v", i, p)
			}
		}
		var version, prodid string
		for _, p := range cal.CalendarProperties {
			switch p.IANAToken {
			case "VERSION":
				version = p.Value
			case "PRODID":
				prodid = p.Value
			}
		}
		if version != "2.0" || prodid == "" {
			t.Errorf("VERSION %q PRODID %q", version, prodid)
		}
	})

	t.Run("RawEscaping", func(t *testing.T) {
		var desc string
		for _, l := range icaltest.Unfolded(raw) {
			if strings.HasPrefix(l, "DESCRIPTION:") {
				desc = l
				break
			}
		}
		want := `DESCRIPTION:Sensors\, clouds\; and a back\\slash\nSecond line\nThird line\, with 中文`
		if desc != want {
			t.Errorf("raw DESCRIPTION\n got %q\nwant %q", desc, want)
		}
	})
}

func TestWriteShanghaiNoDST(t *testing.T) {
	t.Parallel()
	shanghai := mustZone(t, "Asia/Shanghai")
	start := time.Date(2027, 10, 26, 10, 30, 0, 0, shanghai)
	f := ical.Feed{Name: "路演日程 · 世界物联网博览会", Zone: shanghai, Stamp: stamp, Language: "zh",
		Events: []ical.Event{{UID: "booking-7@expodesk", Start: start, End: start.Add(30 * time.Minute),
			Summary: "欧洲馆路演", Description: "一、二；三\\四", Location: "欧洲馆"}}}
	raw := write(t, f)
	icaltest.CheckLines(t, raw)
	cal := icaltest.Decode(t, raw)
	obs := icaltest.VTimezone(t, cal, "Asia/Shanghai")
	for _, o := range obs {
		if o.Kind != goical.CompTimezoneStandard || o.To != 8*3600 || o.From != 8*3600 || o.Name != "CST" {
			t.Errorf("observance %+v, want STANDARD CST +0800 only", o)
		}
	}
	ev := cal.Events()[0]
	if got, err := ev.DateTimeStart(nil); err != nil || !got.Equal(start) || got.UTC().Hour() != 2 {
		t.Errorf("DTSTART = %v, %v; want %v (02:30 UTC)", got, err, start)
	}
	if v := ev.Props.Get(goical.PropDateTimeStart).Value; v != "20271026T103000" {
		t.Errorf("DTSTART value %q", v)
	}
	if d, _ := ev.Props.Text(goical.PropDescription); d != "一、二；三\\四" {
		t.Errorf("DESCRIPTION = %q", d)
	}
	if name, _ := cal.Props.Text("X-WR-CALNAME"); name != f.Name {
		t.Errorf("X-WR-CALNAME = %q", name)
	}
	if _, err := arran.ParseCalendar(bytes.NewReader(raw)); err != nil {
		t.Errorf("arran4/golang-ical: %v", err)
	}
}

// TestWriteEventInOtherZone: a feed has one zone, and an event at another
// expo keeps its instant.
func TestWriteEventInOtherZone(t *testing.T) {
	t.Parallel()
	madrid := mustZone(t, "Europe/Madrid")
	wuxi := time.Date(2027, 10, 26, 10, 30, 0, 0, mustZone(t, "Asia/Shanghai"))
	raw := write(t, ical.Feed{Name: "Taihu Sensing", Zone: madrid, Stamp: stamp, Language: "en",
		Events: []ical.Event{{UID: "b@expodesk", Start: wuxi, End: wuxi.Add(time.Hour), Summary: "Wuxi talk"}}})
	cal := icaltest.Decode(t, raw)
	if got, err := cal.Events()[0].DateTimeStart(nil); err != nil || !got.Equal(wuxi) {
		t.Errorf("DTSTART = %v, %v; want %v", got, err, wuxi)
	}
	obs := icaltest.VTimezone(t, cal, "Europe/Madrid")
	if o := icaltest.OffsetAt(t, obs, wuxi.UTC()); o.To != 7200 {
		t.Errorf("Madrid offset on 26 October 2027 = %+d, want +7200 (CEST until the 31st)", o.To)
	}
}

func TestWriteEmptyFeed(t *testing.T) {
	t.Parallel()
	raw := write(t, ical.Feed{Name: "Nube Catalana", Zone: mustZone(t, "Europe/Madrid"), Stamp: stamp, Language: "es"})
	icaltest.CheckLines(t, raw)
	cal := icaltest.Decode(t, raw) // RFC 5545 wants at least one component in a calendar
	if n := len(cal.Events()); n != 0 {
		t.Errorf("%d events", n)
	}
	if _, err := arran.ParseCalendar(bytes.NewReader(raw)); err != nil {
		t.Errorf("arran4/golang-ical: %v", err)
	}
}

func TestWriteDropsControlCharacters(t *testing.T) {
	t.Parallel()
	start := time.Date(2027, 5, 11, 10, 30, 0, 0, mustZone(t, "Europe/Madrid"))
	raw := write(t, ical.Feed{Name: "Expo\r\nX-INJECTED:1", Zone: start.Location(), Stamp: stamp, Language: "en",
		Events: []ical.Event{{UID: "c@expodesk", Start: start, End: start.Add(time.Hour),
			Summary: "Bell\a and NUL\x00 and tab\tend", Description: "one\rtwo", Location: "Hall\x1b[31m 2"}}})
	icaltest.CheckLines(t, raw)
	for _, l := range icaltest.Unfolded(raw) {
		if strings.HasPrefix(l, "X-INJECTED") {
			t.Errorf("a newline in the calendar name started a property: %q", l)
		}
	}
	ev := icaltest.Decode(t, raw).Events()[0]
	for prop, want := range map[string]string{
		goical.PropSummary:     "Bell and NUL and tab\tend",
		goical.PropDescription: "one\ntwo",
		goical.PropLocation:    "Hall[31m 2",
	} {
		if got, _ := ev.Props.Text(prop); got != want {
			t.Errorf("%s = %q, want %q", prop, got, want)
		}
	}
}

// TestWriteRevisions: SEQUENCE, STATUS, TRANSP, CREATED and LAST-MODIFIED
// as a calendar compares them, with revision times never after DTSTAMP.
func TestWriteRevisions(t *testing.T) {
	t.Parallel()
	madrid := mustZone(t, "Europe/Madrid")
	start := time.Date(2027, 3, 29, 10, 30, 0, 0, madrid)
	created := stamp.Add(-48 * time.Hour)
	raw := write(t, ical.Feed{Name: "Revisions", Zone: madrid, Stamp: stamp, Language: "en", Events: []ical.Event{
		{UID: "booking-1@expodesk", Start: start, End: start.Add(30 * time.Minute), Summary: "Moved twice",
			Sequence: 2, Created: created, Modified: stamp.Add(-time.Hour)},
		{UID: "booking-2@expodesk", Start: start, End: start.Add(30 * time.Minute), Summary: "Cancelled: gone",
			Sequence: 1, Cancelled: true, Created: created, Modified: stamp.Add(time.Minute)}, // a clock ahead
		{UID: "slot-3@expodesk", Start: start.Add(time.Hour), End: start.Add(2 * time.Hour), Summary: "Keynote",
			Transparent: true},
	}})
	cal := icaltest.Check(t, raw)
	for _, tc := range []struct {
		uid, seq, status, transp, created, modified string
	}{
		{"booking-1@expodesk", "2", "CONFIRMED", "OPAQUE", "20270227T120000Z", "20270301T110000Z"},
		{"booking-2@expodesk", "1", "CANCELLED", "OPAQUE", "20270227T120000Z", "20270301T120000Z"},
		{"slot-3@expodesk", "0", "CONFIRMED", "TRANSPARENT", "", ""},
	} {
		ev := icaltest.Event(cal, tc.uid)
		if ev == nil {
			t.Fatalf("no event %s", tc.uid)
		}
		got := []string{icaltest.Value(ev, goical.PropSequence), icaltest.Value(ev, goical.PropStatus),
			icaltest.Value(ev, goical.PropTransparency), icaltest.Value(ev, goical.PropCreated), icaltest.Value(ev, goical.PropLastModified)}
		want := []string{tc.seq, tc.status, tc.transp, tc.created, tc.modified}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: SEQUENCE STATUS TRANSP CREATED LAST-MODIFIED = %q, want %q", tc.uid, got, want)
		}
		if got := icaltest.Resolve(t, cal, *ev, goical.PropDateTimeStart); !got.Equal(start) && tc.uid != "slot-3@expodesk" {
			t.Errorf("%s starts %v through the VTIMEZONE, want %v", tc.uid, got, start)
		}
	}
}
