package web

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestGroupAgenda(t *testing.T) {
	t.Parallel()
	madrid := zone(t, "Europe/Madrid")
	at := func(d, hh, mm int) time.Time { return time.Date(2027, 5, d, hh, mm, 0, 0, madrid) }
	wuxi, euro := int64(1), int64(2)
	item := func(stage int64, pavilion *int64, pavilionName string, start time.Time) expodesk.AgendaItem {
		// Both pavilions call their stage "Roadshow stage", with no location.
		return expodesk.AgendaItem{SlotID: start.Unix() + stage, StageID: stage, StageName: expodesk.Text{EN: "Roadshow stage"},
			PavilionID: pavilion, PavilionName: expodesk.Text{EN: pavilionName}, StartsAt: start, EndsAt: start.Add(30 * time.Minute)}
	}
	items := []expodesk.AgendaItem{
		item(10, &wuxi, "Wuxi Pavilion", at(11, 10, 0)),
		item(20, &euro, "European Pavilion", at(11, 10, 0)),
		item(10, &wuxi, "Wuxi Pavilion", at(11, 10, 30)),
		item(20, &euro, "European Pavilion", at(11, 11, 0)),
		// 00:30 Madrid on the 12th is still the 11th in UTC: it belongs to the 12th.
		item(10, &wuxi, "Wuxi Pavilion", at(12, 0, 30)),
	}
	days := GroupAgenda(items, madrid)
	if len(days) != 2 {
		t.Fatalf("%d days, want 2", len(days))
	}
	if got := days[0].Date.Format("2006-01-02"); got != "2027-05-11" {
		t.Errorf("first day %s", got)
	}
	if got := days[1].Date.Format("2006-01-02"); got != "2027-05-12" {
		t.Errorf("second day %s", got)
	}
	t.Run("StagesWithTheSameNameStayApart", func(t *testing.T) {
		st := days[0].Stages
		if len(st) != 2 {
			t.Fatalf("%d stages on the first day, want 2", len(st))
		}
		for i, want := range []struct {
			pavilion string
			items    int
		}{{"Wuxi Pavilion", 2}, {"European Pavilion", 2}} {
			if st[i].PavilionName.EN != want.pavilion || len(st[i].Items) != want.items {
				t.Errorf("stage %d: %s with %d items, want %s with %d", i, st[i].PavilionName.EN, len(st[i].Items), want.pavilion, want.items)
			}
		}
	})
	t.Run("Empty", func(t *testing.T) {
		if got := GroupAgenda(nil, madrid); len(got) != 0 {
			t.Errorf("%v", got)
		}
	})
}

func TestClock(t *testing.T) {
	t.Parallel()
	start := time.Date(2027, 5, 11, 8, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		zone, want string
	}{
		{"Europe/Madrid", "10:30–11:00 CEST"},
		{"Asia/Shanghai", "16:30–17:00 CST"},
		{"Asia/Dubai", "12:30–13:00 UTC+4"},        // the tz database has no letters here
		{"Asia/Kolkata", "14:00–14:30 IST"},        // half-hour offset with letters
		{"Asia/Kathmandu", "14:15–14:45 UTC+5:45"}, // and without
		{"America/Sao_Paulo", "05:30–06:00 UTC-3"},
		{"UTC", "08:30–09:00 UTC"},
	} {
		t.Run(tc.zone, func(t *testing.T) {
			if got := ClockRange(start, start.Add(30*time.Minute), zone(t, tc.zone)); got != tc.want {
				t.Errorf("ClockRange = %q, want %q", got, tc.want)
			}
		})
	}
	winter := time.Date(2027, 11, 16, 9, 0, 0, 0, time.UTC)
	if got := Clock(winter, zone(t, "Europe/Madrid")); got != "10:00 CET" {
		t.Errorf("Clock in November = %q, want 10:00 CET", got)
	}
}

// ctxIn returns a request context in lang for a URL.
func ctxIn(t *testing.T, lang expodesk.Lang, raw string) context.Context {
	t.Helper()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return WithRequest(context.Background(), Request{Lang: lang, Loc: c.Localizer(lang), URL: u})
}

func TestDates(t *testing.T) {
	t.Parallel()
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name        string
		lang        expodesk.Lang
		first, last time.Time
		want        string
	}{
		{"SameMonthEN", expodesk.EN, d(2027, 5, 11), d(2027, 5, 13), "11–13 May 2027"},
		{"SameMonthZH", expodesk.ZH, d(2027, 5, 11), d(2027, 5, 13), "2027年5月11日至13日"},
		{"SameMonthES", expodesk.ES, d(2027, 5, 11), d(2027, 5, 13), "11–13 de mayo de 2027"},
		{"OneDay", expodesk.EN, d(2027, 5, 11), d(2027, 5, 11), "11 May 2027"},
		{"AcrossMonthsZH", expodesk.ZH, d(2027, 10, 30), d(2027, 11, 1), "2027年10月30日至11月1日"},
		{"AcrossYearsES", expodesk.ES, d(2027, 12, 30), d(2028, 1, 2), "30 de diciembre de 2027 – 2 de enero de 2028"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := DateRange(ctxIn(t, tc.lang, "/"), tc.first, tc.last); got != tc.want {
				t.Errorf("DateRange = %q, want %q", got, tc.want)
			}
		})
	}
	if got := Date(ctxIn(t, expodesk.ZH, "/"), d(2027, 5, 11)); !strings.HasPrefix(got, "2027年5月11日") || !strings.Contains(got, "星期二") {
		t.Errorf("Date(zh) = %q", got)
	}
}

func TestURLs(t *testing.T) {
	t.Parallel()
	ctx := ctxIn(t, expodesk.EN, "/expos/iotswc-2027/exhibitors?q=%E6%97%A0%E9%94%A1&page=3&lang=en")
	t.Run("LangURLKeepsTheQuery", func(t *testing.T) {
		u, err := url.Parse(LangURL(ctx, expodesk.ZH))
		if err != nil {
			t.Fatal(err)
		}
		if u.Path != "/expos/iotswc-2027/exhibitors" || u.Query().Get("lang") != "zh" || u.Query().Get("q") != "无锡" || u.Query().Get("page") != "3" {
			t.Errorf("LangURL = %q", u)
		}
	})
	t.Run("WithQueryDropsLang", func(t *testing.T) {
		u, err := url.Parse(WithQuery(ctx, "page", "4"))
		if err != nil {
			t.Fatal(err)
		}
		if u.Query().Get("page") != "4" || u.Query().Has("lang") || u.Query().Get("q") != "无锡" {
			t.Errorf("WithQuery = %q", u)
		}
		if u, _ := url.Parse(WithQuery(ctx, "page", "")); u.Query().Has("page") {
			t.Errorf("WithQuery with an empty value keeps the key: %q", u)
		}
	})
	t.Run("SafeURL", func(t *testing.T) {
		if SafeURL("javascript:alert(1)") != "" || SafeURL("https://nube.example.es") != "https://nube.example.es" {
			t.Error("SafeURL lets a script URL through or drops a good one")
		}
	})
}

func TestPageWindow(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		page, pages int
		want        []int
	}{
		{"One", 1, 1, []int{1}},
		{"Few", 2, 3, []int{1, 2, 3}},
		{"Start", 1, 20, []int{1, 2, 3, 0, 20}},
		{"Middle", 10, 20, []int{1, 0, 8, 9, 10, 11, 12, 0, 20}},
		{"End", 20, 20, []int{1, 0, 18, 19, 20}},
		{"NoGapOfOne", 4, 20, []int{1, 2, 3, 4, 5, 6, 0, 20}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := pageWindow(tc.page, tc.pages); !slices.Equal(got, tc.want) {
				t.Errorf("pageWindow(%d, %d) = %v, want %v", tc.page, tc.pages, got, tc.want)
			}
		})
	}
}

func TestLocalLinksStayOnSite(t *testing.T) {
	for _, raw := range []string{"//evil.example/x", "///evil.example", "/\\evil.example/x", "/%2F%2Fevil.example"} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		ctx := WithRequest(context.Background(), Request{Lang: expodesk.EN, URL: u})
		for _, link := range []string{LangURL(ctx, expodesk.ZH), WithQuery(ctx, "page", "2")} {
			if !strings.HasPrefix(link, "/") || strings.HasPrefix(link, "//") || strings.HasPrefix(link, "/\\") {
				t.Errorf("%q gave the link %q, which leaves the site", raw, link)
			}
		}
	}
}
