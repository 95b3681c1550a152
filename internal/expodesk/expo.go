package expodesk

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Expo is one edition of a fair.
type Expo struct {
	ID                  int64
	Slug                string
	Name                Text
	City                Text
	Country             string // ISO 3166-1 alpha-2
	Venue               Text
	TimeZone            string // IANA name
	FirstDay            time.Time
	LastDay             time.Time
	Website             string
	BookingOpensAt      *time.Time
	BookingClosesAt     *time.Time
	SlotQuota           int
	CancelHoursBefore   int
	ApplicationsOpenAt  *time.Time
	ApplicationsCloseAt *time.Time
	// ArchivedAt is set once organizers archive the expo: it leaves the
	// public home page and the console's list of current expos.
	ArchivedAt *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Location returns the expo's time zone; UTC if the stored name is unknown to
// this binary (which embeds the tz database, so that means a bad row).
func (e Expo) Location() *time.Location {
	return LoadLocation(e.TimeZone)
}

// LoadLocation returns the named zone, or UTC when the name is unknown.
func LoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" || name == "Local" {
		return time.UTC
	}
	return loc
}

// ZoneAbbr returns the zone's abbreviation at t ("CET", "CEST", "CST"),
// or its UTC offset where the tz database has no letters ("+04").
func ZoneAbbr(t time.Time, loc *time.Location) string {
	name, off := t.In(loc).Zone()
	if name != "" && (name[0] < '0' || name[0] > '9') && name[0] != '+' && name[0] != '-' {
		return name
	}
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	if off%3600 == 0 {
		return fmt.Sprintf("UTC%s%d", sign, off/3600)
	}
	return fmt.Sprintf("UTC%s%d:%02d", sign, off/3600, off%3600/60)
}

// Days returns the expo's days, first to last.
func (e Expo) Days() []time.Time {
	var days []time.Time
	for d := e.FirstDay; !d.After(e.LastDay) && len(days) < 62; d = d.AddDate(0, 0, 1) {
		days = append(days, d)
	}
	return days
}

// Validate reports what is wrong with e as a form would show it.
func (e Expo) Validate() error {
	p := Problems{}
	checkSlug(p, "slug", e.Slug)
	checkText(p, "name", e.Name, 200, true)
	checkText(p, "city", e.City, 100, true)
	checkText(p, "venue", e.Venue, 200, false)
	checkCountry(p, "country", e.Country)
	if e.TimeZone == "" {
		p.Add("time_zone", "validation.required", nil)
	} else if _, err := time.LoadLocation(e.TimeZone); err != nil || e.TimeZone == "Local" {
		p.Add("time_zone", "validation.time_zone", nil)
	}
	if e.FirstDay.IsZero() {
		p.Add("first_day", "validation.required", nil)
	}
	if e.LastDay.IsZero() {
		p.Add("last_day", "validation.required", nil)
	} else if e.LastDay.Before(e.FirstDay) {
		p.Add("last_day", "validation.after_first_day", nil)
	} else if e.LastDay.Sub(e.FirstDay) > 60*24*time.Hour {
		p.Add("last_day", "validation.expo_too_long", nil)
	}
	checkURL(p, "website", e.Website)
	if e.SlotQuota < 0 || e.SlotQuota > 1000 {
		p.Add("slot_quota", "validation.range", map[string]any{"Min": 0, "Max": 1000})
	}
	if e.CancelHoursBefore < 0 || e.CancelHoursBefore > 8760 {
		p.Add("cancel_hours_before", "validation.range", map[string]any{"Min": 0, "Max": 8760})
	}
	if e.BookingOpensAt != nil && e.BookingClosesAt != nil && !e.BookingClosesAt.After(*e.BookingOpensAt) {
		p.Add("booking_closes_at", "validation.after_opens", nil)
	}
	if e.ApplicationsOpenAt != nil && e.ApplicationsCloseAt != nil && !e.ApplicationsCloseAt.After(*e.ApplicationsOpenAt) {
		p.Add("applications_close_at", "validation.after_opens", nil)
	}
	return p.Err()
}

// Pavilion is a named area inside one expo.
type Pavilion struct {
	ID          int64
	ExpoID      int64
	Slug        string
	Name        Text
	Host        Text
	Hall        string
	Description Text
	Position    int
}

// Validate reports what is wrong with p.
func (pv Pavilion) Validate() error {
	p := Problems{}
	checkSlug(p, "slug", pv.Slug)
	checkText(p, "name", pv.Name, 200, true)
	checkText(p, "host", pv.Host, 200, false)
	checkText(p, "description", pv.Description, 4000, false)
	checkLen(p, "hall", pv.Hall, 80)
	return p.Err()
}

// Sector is an entry of the fixed, extensible sector list.
type Sector struct {
	Code     string
	Name     Text
	Position int
}

// checkText checks each language of t for length and, when required, that at
// least one is present. Field names are field_en, field_zh, field_es.
func checkText(p Problems, field string, t Text, max int, required bool) {
	if required && strings.TrimSpace(t.EN+t.ZH+t.ES) == "" {
		p.Add(field+"_en", "validation.one_language_required", nil)
	}
	for _, l := range Langs {
		checkLen(p, field+"_"+string(l), t.Get(l), max)
	}
}

func checkLen(p Problems, field, v string, max int) {
	if !utf8.ValidString(v) {
		p.Add(field, "validation.encoding", nil)
	} else if utf8.RuneCountInString(v) > max {
		p.Add(field, "validation.too_long", map[string]any{"Max": max})
	}
}

func checkRequired(p Problems, field, v string, max int) {
	if strings.TrimSpace(v) == "" {
		p.Add(field, "validation.required", nil)
		return
	}
	checkLen(p, field, v, max)
}

func checkCountry(p Problems, field, v string) {
	if len(v) != 2 || v[0] < 'A' || v[0] > 'Z' || v[1] < 'A' || v[1] > 'Z' {
		p.Add(field, "validation.country", nil)
	}
}

// checkURL accepts an empty value or an absolute http(s) URL with a host.
func checkURL(p Problems, field, v string) {
	if v == "" {
		return
	}
	if !SafeURL(v) {
		p.Add(field, "validation.url", nil)
	}
	checkLen(p, field, v, 500)
}

// SafeURL reports whether v is an absolute http or https URL with a host, the
// only kind of user-supplied link the pages render.
func SafeURL(v string) bool {
	u, err := url.Parse(v)
	if err != nil || u.Host == "" {
		return false
	}
	return u.Scheme == "http" || u.Scheme == "https"
}

// PavilionSummary is a pavilion with the number of its approved exhibitors.
type PavilionSummary struct {
	Pavilion
	Exhibitors int
}

// ExpoCounts are the figures an expo's page shows.
type ExpoCounts struct {
	Exhibitors  int
	Pavilions   int
	Countries   int
	Slots       int
	BookedSlots int
}
