// Package icaltest reads calendar feeds the way strict clients do, for
// tests: RFC 5545's line rules, the properties every event must carry, two
// parsers that share no code with the writer (emersion/go-ical and
// arran4/golang-ical's parser), and times resolved through the feed's own
// VTIMEZONE rather than Go's tz database.
package icaltest

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	arran "github.com/arran4/golang-ical"
	goical "github.com/emersion/go-ical"
)

// CheckLines checks RFC 5545 §3.1: CRLF line endings, at most 75 octets a
// line, folding that never splits a UTF-8 sequence, and a VCALENDAR around it all.
func CheckLines(t testing.TB, raw []byte) {
	t.Helper()
	if !bytes.HasSuffix(raw, []byte("\r\n")) {
		t.Error("the feed does not end with CRLF")
	}
	lines := strings.Split(strings.TrimSuffix(string(raw), "\r\n"), "\r\n")
	for i, l := range lines {
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d holds a bare CR or LF: %q", i+1, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d has %d octets: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 sequence: %q", i+1, l)
		}
	}
	if !strings.HasPrefix(lines[0], "BEGIN:VCALENDAR") || lines[len(lines)-1] != "END:VCALENDAR" {
		t.Errorf("first/last lines %q / %q", lines[0], lines[len(lines)-1])
	}
}

// Unfolded returns the logical lines of a feed.
func Unfolded(raw []byte) []string {
	s := strings.ReplaceAll(string(raw), "\r\n ", "")
	s = strings.ReplaceAll(s, "\r\n\t", "")
	return strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
}

// Decode parses a feed with emersion/go-ical and re-encodes it, which runs
// that library's own checks of required and unique properties.
func Decode(t testing.TB, raw []byte) *goical.Calendar {
	t.Helper()
	cal, err := goical.NewDecoder(bytes.NewReader(raw)).Decode()
	if err != nil {
		t.Fatalf("emersion/go-ical cannot parse the feed: %v", err)
	}
	if err := goical.NewEncoder(io.Discard).Encode(cal); err != nil {
		t.Errorf("emersion/go-ical refuses the feed as a calendar: %v", err)
	}
	return cal
}

// Check runs every check of this package on a served feed and returns it
// parsed: the line rules, both parsers (which must see the same events),
// VERSION and PRODID, and for each event a unique UID, DTSTAMP, CREATED
// and LAST-MODIFIED in UTC with CREATED ≤ LAST-MODIFIED ≤ DTSTAMP, DTSTART
// before DTEND, a SEQUENCE that is a non-negative integer and a STATUS an
// event may have.
func Check(t testing.TB, raw []byte) *goical.Calendar {
	t.Helper()
	CheckLines(t, raw)
	cal := Decode(t, raw)
	if v, _ := cal.Props.Text(goical.PropVersion); v != "2.0" {
		t.Errorf("VERSION = %q", v)
	}
	if v, _ := cal.Props.Text(goical.PropProductID); v == "" {
		t.Error("no PRODID")
	}
	other, err := arran.ParseCalendar(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("arran4/golang-ical cannot parse the feed: %v", err)
	}
	if a, b := len(other.Events()), len(cal.Events()); a != b {
		t.Errorf("arran4/golang-ical sees %d events, emersion/go-ical %d", a, b)
	}
	seen := map[string]bool{}
	for i, ev := range cal.Events() {
		uid, _ := ev.Props.Text(goical.PropUID)
		if uid == "" || seen[uid] {
			t.Errorf("event %d: UID %q missing or not unique", i+1, uid)
		}
		seen[uid] = true
		stamp := utc(t, ev.Component, goical.PropDateTimeStamp, true)
		created := utc(t, ev.Component, goical.PropCreated, false)
		modified := utc(t, ev.Component, goical.PropLastModified, false)
		if !modified.IsZero() && modified.After(stamp) || !created.IsZero() && (created.After(stamp) || !modified.IsZero() && created.After(modified)) {
			t.Errorf("event %s: CREATED %v, LAST-MODIFIED %v, DTSTAMP %v out of order", uid, created, modified, stamp)
		}
		start, err := ev.DateTimeStart(nil)
		if err != nil {
			t.Errorf("event %s: DTSTART: %v", uid, err)
		}
		if end, err := ev.DateTimeEnd(nil); err != nil || !end.After(start) {
			t.Errorf("event %s: DTEND %v (%v) not after DTSTART %v", uid, end, err, start)
		}
		if p := ev.Props.Get(goical.PropSequence); p != nil {
			if n, err := strconv.Atoi(p.Value); err != nil || n < 0 {
				t.Errorf("event %s: SEQUENCE %q", uid, p.Value)
			}
		}
		if p := ev.Props.Get(goical.PropStatus); p != nil && p.Value != "TENTATIVE" && p.Value != "CONFIRMED" && p.Value != "CANCELLED" {
			t.Errorf("event %s: STATUS %q is not one an event may have", uid, p.Value)
		}
	}
	return cal
}

// utc reads a UTC DATE-TIME property (zero when absent and not required).
func utc(t testing.TB, c *goical.Component, prop string, required bool) time.Time {
	t.Helper()
	p := c.Props.Get(prop)
	if p == nil {
		if required {
			t.Errorf("an event without %s", prop)
		}
		return time.Time{}
	}
	v, err := time.Parse("20060102T150405Z", p.Value)
	if err != nil {
		t.Errorf("%s %q is not a UTC date-time: %v", prop, p.Value, err)
	}
	return v
}

// Observance is a STANDARD or DAYLIGHT part of a VTIMEZONE.
type Observance struct {
	Kind     string
	Onset    time.Time // UTC
	From, To int       // offsets in seconds
	Name     string
}

func parseOffset(t testing.TB, s string) int {
	t.Helper()
	var hh, mm int
	if len(s) != 5 || (s[0] != '+' && s[0] != '-') {
		t.Fatalf("offset %q", s)
	}
	if _, err := fmt.Sscanf(s[1:], "%02d%02d", &hh, &mm); err != nil {
		t.Fatalf("offset %q: %v", s, err)
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	return sign * (hh*3600 + mm*60)
}

// VTimezone returns the observances of the feed's VTIMEZONE with the given TZID.
func VTimezone(t testing.TB, cal *goical.Calendar, tzid string) []Observance {
	t.Helper()
	var found []*goical.Component
	for _, c := range cal.Children {
		if c.Name == goical.CompTimezone {
			if id, _ := c.Props.Text(goical.PropTimezoneID); id == tzid {
				found = append(found, c)
			}
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d VTIMEZONEs with TZID %s", len(found), tzid)
	}
	var out []Observance
	for _, c := range found[0].Children {
		if c.Name != goical.CompTimezoneStandard && c.Name != goical.CompTimezoneDaylight {
			t.Errorf("unexpected %s in VTIMEZONE", c.Name)
			continue
		}
		o := Observance{Kind: c.Name}
		o.From = parseOffset(t, c.Props.Get(goical.PropTimezoneOffsetFrom).Value)
		o.To = parseOffset(t, c.Props.Get(goical.PropTimezoneOffsetTo).Value)
		if p := c.Props.Get(goical.PropTimezoneName); p != nil {
			o.Name = p.Value
		}
		start := c.Props.Get(goical.PropDateTimeStart)
		if start == nil || len(start.Params) != 0 {
			t.Fatalf("observance DTSTART %+v", start)
		}
		// An onset is local time in the offset in force before it.
		local, err := time.Parse("20060102T150405", start.Value)
		if err != nil {
			t.Fatalf("observance DTSTART %q: %v", start.Value, err)
		}
		o.Onset = local.Add(-time.Duration(o.From) * time.Second)
		if c.Props.Get(goical.PropRecurrenceRule) != nil {
			t.Error("observance with an RRULE: this package resolves only explicit onsets")
		}
		out = append(out, o)
	}
	return out
}

// OffsetAt resolves a UTC instant through the observances, independently of Go's tz code.
func OffsetAt(t testing.TB, obs []Observance, at time.Time) Observance {
	t.Helper()
	var best *Observance
	for i := range obs {
		if !obs[i].Onset.After(at) && (best == nil || obs[i].Onset.After(best.Onset)) {
			best = &obs[i]
		}
	}
	if best == nil {
		t.Fatalf("no observance covers %v", at)
	}
	return *best
}

// Resolve is the instant of an event's DTSTART or DTEND read through the
// feed's own VTIMEZONE (a UTC value as it is).
func Resolve(t testing.TB, cal *goical.Calendar, ev goical.Event, prop string) time.Time {
	t.Helper()
	p := ev.Props.Get(prop)
	if p == nil {
		t.Fatalf("no %s", prop)
	}
	if strings.HasSuffix(p.Value, "Z") {
		v, err := time.Parse("20060102T150405Z", p.Value)
		if err != nil {
			t.Fatalf("%s %q: %v", prop, p.Value, err)
		}
		return v
	}
	local, err := time.Parse("20060102T150405", p.Value)
	if err != nil {
		t.Fatalf("%s %q: %v", prop, p.Value, err)
	}
	obs := VTimezone(t, cal, p.Params.Get(goical.ParamTimezoneID))
	for _, o := range obs {
		if at := local.Add(-time.Duration(o.To) * time.Second); OffsetAt(t, obs, at).To == o.To {
			return at
		}
	}
	t.Fatalf("%s %s falls in no observance of its VTIMEZONE", prop, p.Value)
	return time.Time{}
}

// Event finds the event with the given UID (nil when the feed has none).
func Event(cal *goical.Calendar, uid string) *goical.Event {
	for _, ev := range cal.Events() {
		if v, _ := ev.Props.Text(goical.PropUID); v == uid {
			return &ev
		}
	}
	return nil
}

// Value is the raw value of an event's property ("" when absent).
func Value(ev *goical.Event, prop string) string {
	if p := ev.Props.Get(prop); p != nil {
		return p.Value
	}
	return ""
}
