// Package ical writes iCalendar feeds (RFC 5545) of roadshow sessions with
// arran4/golang-ical. Times carry the expo's TZID and the feed includes a
// VTIMEZONE built from Go's tz database, so calendar apps show "10:30" in
// Barcelona and convert correctly elsewhere.
package ical

import (
	"fmt"
	"io"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
)

// Event is one session in a feed. UID names it for good: a calendar that
// meets the UID again replaces its copy when Sequence is higher (or equal
// with a later DTSTAMP), so a moved or cancelled session updates instead
// of appearing twice.
type Event struct {
	UID         string
	Start, End  time.Time
	Summary     string
	Description string
	Location    string
	URL         string
	// Sequence counts the event's revisions (SEQUENCE, 0 for the first).
	Sequence int
	// Cancelled marks the event STATUS:CANCELLED (else CONFIRMED).
	Cancelled bool
	// Transparent events do not make their time busy (TRANSP), for what a
	// subscriber may attend rather than must (a keynote, a break).
	Transparent bool
	// Created and Modified are when the event was made and last revised
	// (CREATED, LAST-MODIFIED); zero leaves them out. Neither is written
	// later than the feed's Stamp, as RFC 5545 reads them.
	Created, Modified time.Time
}

// Feed is a calendar of events in one time zone.
type Feed struct {
	Name     string
	Zone     *time.Location
	Events   []Event
	Stamp    time.Time // DTSTAMP: when the feed was generated
	Language string
}

const localFormat = "20060102T150405"

// Write serializes the feed.
func Write(w io.Writer, f Feed) error {
	cal := ics.NewCalendar()
	cal.SetProductId("-//expodesk//roadshow agenda//" + f.Language)
	cal.SetMethod(ics.MethodPublish)
	cal.SetCalscale("GREGORIAN")
	cal.SetXWRCalName(text(f.Name))
	cal.SetName(text(f.Name))
	cal.SetXWRTimezone(f.Zone.String())
	cal.SetRefreshInterval("PT1H")
	cal.SetXPublishedTTL("PT1H")

	// The VTIMEZONE is written even for a feed without events: RFC 5545 wants
	// at least one component in a calendar, and strict parsers refuse none.
	from, to := f.Stamp, f.Stamp
	if from.IsZero() {
		from, to = time.Now(), time.Now()
	}
	if len(f.Events) > 0 {
		from, to = f.Events[0].Start, f.Events[0].End
		for _, e := range f.Events {
			if e.Start.Before(from) {
				from = e.Start
			}
			if e.End.After(to) {
				to = e.End
			}
		}
	}
	cal.AddVTimezone(timezone(f.Zone, from, to))
	tzid := ics.WithTZID(f.Zone.String())
	for _, e := range f.Events {
		ev := cal.AddEvent(e.UID)
		ev.SetDtStampTime(f.Stamp)
		ev.SetProperty(ics.ComponentPropertyDtStart, e.Start.In(f.Zone).Format(localFormat), tzid)
		ev.SetProperty(ics.ComponentPropertyDtEnd, e.End.In(f.Zone).Format(localFormat), tzid)
		ev.SetSummary(text(e.Summary))
		if e.Description != "" {
			ev.SetDescription(text(e.Description))
		}
		if e.Location != "" {
			ev.SetLocation(text(e.Location))
		}
		if e.URL != "" {
			ev.SetURL(e.URL)
		}
		modified := e.Modified
		if !modified.IsZero() {
			modified = earliest(modified, f.Stamp)
			ev.SetLastModifiedAt(modified)
		}
		if !e.Created.IsZero() {
			created := earliest(e.Created, f.Stamp)
			if !modified.IsZero() {
				created = earliest(created, modified)
			}
			ev.SetCreatedTime(created)
		}
		ev.SetSequence(e.Sequence)
		if e.Cancelled {
			ev.SetStatus(ics.ObjectStatusCancelled)
		} else {
			ev.SetStatus(ics.ObjectStatusConfirmed)
		}
		if e.Transparent {
			ev.SetTimeTransparency(ics.TransparencyTransparent)
		} else {
			ev.SetTimeTransparency(ics.TransparencyOpaque)
		}
	}
	// RFC 5545 lines end in CRLF; the library's default is the platform's newline.
	if err := cal.SerializeTo(w, ics.WithNewLineWindows); err != nil {
		return fmt.Errorf("write calendar: %w", err)
	}
	return nil
}

// text prepares a TEXT value: the library escapes \n but not \r, and
// RFC 5545 allows no other control character than a tab, so a textarea's
// CRLF becomes one line break and other controls are dropped.
func text(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, s)
}

// timezone builds a VTIMEZONE for loc that is exact between from and to
// (with a year's margin): one observance for the offset in force at the
// start, then one per transition, each with its own onset.
func timezone(loc *time.Location, from, to time.Time) *ics.VTimezone {
	tz := ics.NewTimezone(loc.String())
	start := from.AddDate(-1, 0, 0).In(loc)
	end := to.AddDate(1, 0, 0)
	_, prevOff := start.Zone()
	add := func(onset time.Time, offFrom, offTo int, name string, dst bool) {
		var c *ics.ComponentBase
		if dst {
			d := &ics.Daylight{}
			tz.Components = append(tz.Components, d)
			c = &d.ComponentBase
		} else {
			s := tz.AddStandard()
			c = &s.ComponentBase
		}
		// An onset is written in the local time in force before it.
		c.SetProperty(ics.ComponentPropertyDtStart, onset.In(time.FixedZone("", offFrom)).Format(localFormat))
		c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), offset(offFrom))
		c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), offset(offTo))
		if name != "" {
			c.SetProperty(ics.ComponentProperty(ics.PropertyTzname), name)
		}
	}
	name, _ := start.Zone()
	add(start, prevOff, prevOff, name, start.IsDST())
	for t := start; t.Before(end); t = t.Add(24 * time.Hour) {
		next := t.Add(24 * time.Hour)
		if _, off := next.In(loc).Zone(); off != prevOff {
			at := transition(loc, t, next, prevOff)
			n, _ := at.In(loc).Zone()
			add(at, prevOff, off, n, at.In(loc).IsDST())
			prevOff = off
		}
	}
	return tz
}

// transition finds the first second in (lo, hi] whose offset differs from off.
func transition(loc *time.Location, lo, hi time.Time, off int) time.Time {
	for hi.Sub(lo) > time.Second {
		mid := lo.Add(hi.Sub(lo) / 2)
		if _, o := mid.In(loc).Zone(); o == off {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi.Truncate(time.Second)
}

// earliest is the earlier of a and b; a clock a little ahead of the
// server's (the database's) must not date a revision after the feed.
func earliest(a, b time.Time) time.Time {
	if b.IsZero() || a.Before(b) {
		return a
	}
	return b
}

func offset(seconds int) string {
	sign := "+"
	if seconds < 0 {
		sign, seconds = "-", -seconds
	}
	return fmt.Sprintf("%s%02d%02d", sign, seconds/3600, seconds%3600/60)
}
