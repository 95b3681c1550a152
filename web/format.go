package web

import (
	"context"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"expodesk/internal/expodesk"
)

// monthName and weekdayName come from the catalogs so that all three
// languages read naturally (5月, mayo, May).
func monthName(ctx context.Context, m time.Month) string {
	return T(ctx, fmt.Sprintf("month.%d", int(m)))
}

func weekdayName(ctx context.Context, d time.Weekday) string {
	return T(ctx, fmt.Sprintf("weekday.%d", int(d)))
}

// Date formats a calendar day: "Tuesday 11 May 2027", "2027年5月11日 星期二",
// "martes, 11 de mayo de 2027".
func Date(ctx context.Context, d time.Time) string {
	return TD(ctx, "date.long", map[string]any{
		"Weekday": weekdayName(ctx, d.Weekday()), "Day": d.Day(),
		"Month": monthName(ctx, d.Month()), "Year": d.Year(),
	})
}

// ShortDate formats a day without the weekday: "11 May 2027".
func ShortDate(ctx context.Context, d time.Time) string {
	return TD(ctx, "date.short", map[string]any{"Day": d.Day(), "Month": monthName(ctx, d.Month()), "Year": d.Year()})
}

// DateRange formats an expo's days: "11–13 May 2027", "2027年5月11日至13日".
func DateRange(ctx context.Context, first, last time.Time) string {
	data := map[string]any{
		"Day1": first.Day(), "Month1": monthName(ctx, first.Month()), "Year1": first.Year(),
		"Day2": last.Day(), "Month2": monthName(ctx, last.Month()), "Year2": last.Year(),
		"MonthNum1": int(first.Month()), "MonthNum2": int(last.Month()),
	}
	switch {
	case first.Equal(last):
		return ShortDate(ctx, first)
	case first.Year() == last.Year() && first.Month() == last.Month():
		return TD(ctx, "date.range_month", data)
	case first.Year() == last.Year():
		return TD(ctx, "date.range_year", data)
	}
	return TD(ctx, "date.range", data)
}

// Clock formats a time in loc with the zone's abbreviation: "10:30 CET".
func Clock(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("15:04 ") + expodesk.ZoneAbbr(t, loc)
}

// ClockRange formats a slot: "10:30–11:00 CET".
func ClockRange(start, end time.Time, loc *time.Location) string {
	return start.In(loc).Format("15:04") + "–" + end.In(loc).Format("15:04") + " " + expodesk.ZoneAbbr(start, loc)
}

// ISO formats t for a <time datetime> attribute.
func ISO(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// ISODate formats a day for a <time datetime> attribute.
func ISODate(d time.Time) string { return d.Format("2006-01-02") }

var langTags = map[expodesk.Lang]language.Tag{
	expodesk.EN: language.English, expodesk.ZH: language.SimplifiedChinese, expodesk.ES: language.Spanish,
}

// Country returns a country's name in the request's language ("China", "中国", "China").
func Country(ctx context.Context, code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if n := display.Regions(langTags[Lang(ctx)]).Name(r); n != "" {
		return n
	}
	return code
}

// HostOf returns a URL without its scheme and trailing slash, for display.
func HostOf(raw string) string {
	s := strings.TrimPrefix(strings.TrimPrefix(raw, "https://"), "http://")
	return strings.TrimSuffix(s, "/")
}

// SafeURL returns u when it is an http(s) URL, "" otherwise, so that no
// user-supplied link can run script.
func SafeURL(u string) string {
	if expodesk.SafeURL(u) {
		return u
	}
	return ""
}

// Itoa formats an int.
func Itoa(n int) string { return fmt.Sprint(n) }
