package server

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	arran "github.com/arran4/golang-ical"
	goical "github.com/emersion/go-ical"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
)

// visitorCatalog returns the translator for lang, for expected page texts.
func visitorCatalog(t *testing.T) func(expodesk.Lang) *i18n.Localizer {
	t.Helper()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c.Localizer
}

// htmlLangOf is the lang attribute a page in l carries.
func htmlLangOf(l expodesk.Lang) string {
	if l == expodesk.ZH {
		return "zh-Hans"
	}
	return string(l)
}

// leaksInternals reports what in a body looks like an internal error or stack trace.
var leaksInternals = regexp.MustCompile(`goroutine \d|\.go:\d+|panic|pgx|SQLSTATE|ERROR:|expodesk internal|runtime\.`)

func TestVisitorPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.seed()
	loc := visitorCatalog(t)
	for _, tc := range []struct {
		name, path string
		h1         func(expodesk.Lang) string
	}{
		{"Home", "/", func(l expodesk.Lang) string { return loc(l).T("home.title") }},
		{"Expo", "/expos/iotswc-test", func(l expodesk.Lang) string { return f.Barcelona.Name.In(l) }},
		{"SisterExpo", "/expos/wiot-test", func(l expodesk.Lang) string { return f.Wuxi.Name.In(l) }},
		{"Directory", "/expos/iotswc-test/exhibitors", func(l expodesk.Lang) string { return loc(l).T("directory.title") }},
		{"Pavilion", "/expos/iotswc-test/pavilions/wuxi-pavilion", func(l expodesk.Lang) string { return f.WuxiPavilion.Name.In(l) }},
		{"Exhibitor", "/exhibitors/taihu-sensing", func(l expodesk.Lang) string { return f.Sensing.Name.In(l) }},
		{"ExhibitorSpanishOnly", "/exhibitors/nube-catalana", func(expodesk.Lang) string { return "Nube Catalana" }},
		{"Agenda", "/expos/iotswc-test/agenda", func(l expodesk.Lang) string { return loc(l).T("agenda.title") }},
		{"PavilionAgenda", "/expos/iotswc-test/pavilions/wuxi-pavilion/agenda", func(l expodesk.Lang) string { return loc(l).T("agenda.title") }},
		{"EmptyAgenda", "/expos/wiot-test/agenda", func(l expodesk.Lang) string { return loc(l).T("agenda.title") }},
	} {
		for _, lang := range expodesk.Langs {
			t.Run(tc.name+"/"+string(lang), func(t *testing.T) {
				resp, body := e.get(tc.path + "?lang=" + string(lang))
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("GET %s = %d", tc.path, resp.StatusCode)
				}
				if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
					t.Errorf("Content-Type = %q", ct)
				}
				d := doc(t, body)
				if got := d.Find("html").AttrOr("lang", ""); got != htmlLangOf(lang) {
					t.Errorf("<html lang> = %q, want %q", got, htmlLangOf(lang))
				}
				h1 := d.Find("h1")
				if h1.Length() != 1 {
					t.Fatalf("%d <h1> on the page", h1.Length())
				}
				if got, want := strings.TrimSpace(h1.Text()), tc.h1(lang); got != want || want == "" {
					t.Errorf("<h1> = %q, want %q", got, want)
				}
				if title := d.Find("title").Text(); !strings.HasSuffix(title, "expodesk") {
					t.Errorf("<title> = %q", title)
				}
				// The language switch links this page in all three languages.
				sw := d.Find(".lang-switch a")
				if sw.Length() != 3 {
					t.Fatalf("language switch has %d links", sw.Length())
				}
				sw.Each(func(i int, a *goquery.Selection) {
					want := expodesk.Langs[i]
					u, err := url.Parse(a.AttrOr("href", ""))
					if err != nil {
						t.Fatal(err)
					}
					if u.Path != tc.path || u.Query().Get("lang") != string(want) || a.AttrOr("hreflang", "") != htmlLangOf(want) {
						t.Errorf("switch link %d = %q hreflang %q, want %s?lang=%s", i, a.AttrOr("href", ""), a.AttrOr("hreflang", ""), tc.path, want)
					}
					if _, cur := a.Attr("aria-current"); cur != (want == lang) {
						t.Errorf("switch link %s aria-current = %v", want, cur)
					}
				})
				if d.Find(`link[rel="alternate"][hreflang]`).Length() != 3 {
					t.Error("missing hreflang alternates")
				}
				if leaksInternals.MatchString(body) {
					t.Errorf("page shows internals: %q", leaksInternals.FindString(body))
				}
			})
		}
	}
}

func TestVisitorLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	for _, tc := range []struct {
		name       string
		query      string
		cookie     string
		accept     string
		want       expodesk.Lang
		wantCookie string // the lang cookie set, "" for none
	}{
		{"Default", "", "", "", expodesk.EN, ""},
		{"AcceptChinaChinese", "", "", "zh-CN,zh;q=0.9", expodesk.ZH, ""},
		{"AcceptPlainChinese", "", "", "zh", expodesk.ZH, ""},
		{"AcceptMexicanSpanish", "", "", "es-MX", expodesk.ES, ""},
		{"AcceptLatinAmericanSpanish", "", "", "es-419,es;q=0.9,en;q=0.5", expodesk.ES, ""},
		{"AcceptEnglishFirst", "", "", "en-US,en;q=0.9,zh;q=0.8", expodesk.EN, ""},
		{"AcceptSecondChoice", "", "", "fr-FR,fr;q=0.9,es;q=0.8", expodesk.ES, ""},
		{"AcceptUnsupported", "", "", "fr-FR,de;q=0.9", expodesk.EN, ""},
		{"AcceptGarbage", "", "", ";;;===,,q=zz", expodesk.EN, ""},
		{"AcceptHuge", "", "", strings.Repeat("zh-CN,", 2000), expodesk.EN, ""},
		{"AcceptStar", "", "", "*", expodesk.EN, ""},
		{"CookieBeatsAccept", "", "es", "zh-CN", expodesk.ES, ""},
		{"BadCookieIgnored", "", "xx", "zh-CN", expodesk.ZH, ""},
		{"QueryBeatsCookie", "zh", "es", "en", expodesk.ZH, "zh"},
		{"QuerySetsCookie", "es", "", "", expodesk.ES, "es"},
		{"UnknownQueryIgnored", "xx", "es", "zh-CN", expodesk.ES, ""},
		{"UnknownQueryFallsToAccept", "xx", "", "zh-CN", expodesk.ZH, ""},
		// Tags as BCP 47 writes them, the pages' own hreflang (zh-Hans) first.
		{"UpperCaseQuery", "ZH", "", "", expodesk.ZH, "zh"},
		{"QueryHreflangTag", "zh-Hans", "", "", expodesk.ZH, "zh"},
		{"QueryLowerCaseScript", "zh-hans", "", "en", expodesk.ZH, "zh"},
		{"QueryChinaTag", "zh-CN", "", "", expodesk.ZH, "zh"},
		{"QueryScriptAndRegion", "zh-Hans-CN", "", "", expodesk.ZH, "zh"},
		{"QueryUnderscore", "zh_CN", "", "", expodesk.ZH, "zh"},
		{"QuerySpainTag", "es-ES", "", "", expodesk.ES, "es"},
		{"QueryBritishTag", "en-GB", "es", "", expodesk.EN, "en"},
		{"CookieTag", "", "zh-Hans", "es", expodesk.ZH, ""},
		{"QueryUnsupportedTag", "fr-FR", "", "es", expodesk.ES, ""},
		{"QueryNearMiss", "zhx", "", "es", expodesk.ES, ""},
		{"InvalidUTF8Query", "%ff", "", "es", expodesk.ES, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := "/expos/iotswc-test"
			if tc.query != "" {
				path += "?lang=" + tc.query
			}
			req, err := http.NewRequest(http.MethodGet, e.ts.URL+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.accept != "" {
				req.Header.Set("Accept-Language", tc.accept)
			}
			if tc.cookie != "" {
				req.AddCookie(&http.Cookie{Name: "lang", Value: tc.cookie})
			}
			resp, body := e.do(req)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if got := doc(t, body).Find("html").AttrOr("lang", ""); got != htmlLangOf(tc.want) {
				t.Errorf("<html lang> = %q, want %q", got, htmlLangOf(tc.want))
			}
			var set *http.Cookie
			for _, c := range resp.Cookies() {
				if c.Name == "lang" {
					set = c
				}
			}
			switch {
			case tc.wantCookie == "" && set != nil:
				t.Errorf("lang cookie set to %q", set.Value)
			case tc.wantCookie != "" && set == nil:
				t.Errorf("lang cookie not set")
			case set != nil:
				if set.Value != tc.wantCookie || set.Path != "/" || !set.HttpOnly || set.SameSite != http.SameSiteLaxMode || set.MaxAge < 86400 {
					t.Errorf("lang cookie = %+v", set)
				}
			}
			if v := strings.Join(resp.Header.Values("Vary"), ","); !strings.Contains(v, "Accept-Language") || !strings.Contains(v, "Cookie") {
				t.Errorf("Vary = %q", v)
			}
		})
	}

	t.Run("RememberedAcrossRequests", func(t *testing.T) {
		jarClient := *e.client
		jar := newJar(t)
		jarClient.Jar = jar
		get := func(path, accept string) string {
			req, _ := http.NewRequest(http.MethodGet, e.ts.URL+path, nil)
			req.Header.Set("Accept-Language", accept)
			resp, err := jarClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			d, err := goquery.NewDocumentFromReader(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			return d.Find("html").AttrOr("lang", "")
		}
		if got := get("/?lang=zh", "es"); got != "zh-Hans" {
			t.Fatalf("after ?lang=zh: %q", got)
		}
		for _, p := range []string{"/expos/iotswc-test", "/exhibitors/taihu-sensing", "/expos/iotswc-test/agenda"} {
			if got := get(p, "es"); got != "zh-Hans" {
				t.Errorf("GET %s after choosing zh = %q, want zh-Hans", p, got)
			}
		}
	})
}

func TestVisitorNotFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	loc := visitorCatalog(t)
	for _, tc := range []struct{ name, path string }{
		{"UnknownExpo", "/expos/nope"},
		{"UnknownExpoDirectory", "/expos/nope/exhibitors"},
		{"UnknownExpoAgenda", "/expos/nope/agenda"},
		{"UnknownExpoFeed", "/expos/nope/agenda.ics"},
		{"UnknownPavilion", "/expos/iotswc-test/pavilions/nope"},
		{"UnknownPavilionAgenda", "/expos/iotswc-test/pavilions/nope/agenda"},
		{"UnknownPavilionFeed", "/expos/iotswc-test/pavilions/nope/agenda.ics"},
		{"PavilionOfAnotherExpo", "/expos/wiot-test/pavilions/wuxi-pavilion"},
		{"UnknownExhibitor", "/exhibitors/nope"},
		{"UnknownExhibitorFeed", "/exhibitors/nope/agenda.ics"},
		{"UnknownExhibitorLogo", "/exhibitors/nope/logo"},
		{"ExhibitorWithoutLogo", "/exhibitors/taihu-sensing/logo"},
		{"AppliedOnlyExhibitor", "/exhibitors/applied-only"},
		{"AppliedOnlyExhibitorFeed", "/exhibitors/applied-only/agenda.ics"},
		{"UnknownPath", "/nope/at/all"},
		{"NULInSlug", "/expos/%00"},
		{"InvalidUTF8Slug", "/exhibitors/%ff%fe"},
		{"ChineseSlug", "/exhibitors/%E5%A4%AA%E6%B9%96"},
		{"LongSlug", "/expos/" + strings.Repeat("a", 5000)},
		{"UpperCaseSlug", "/expos/IOTSWC-TEST"},
		{"DotDot", "/expos/../../etc/passwd"},
	} {
		for _, lang := range []expodesk.Lang{expodesk.EN, expodesk.ZH} {
			t.Run(tc.name+"/"+string(lang), func(t *testing.T) {
				resp, body := e.get(tc.path, "Accept-Language", string(lang))
				if resp.StatusCode != http.StatusNotFound {
					t.Fatalf("GET %s = %d, want 404", tc.path, resp.StatusCode)
				}
				d := doc(t, body)
				if got, want := strings.TrimSpace(d.Find("h1").Text()), loc(lang).T("error.not_found_title"); got != want {
					t.Errorf("<h1> = %q, want %q", got, want)
				}
				if d.Find("html").AttrOr("lang", "") != htmlLangOf(lang) {
					t.Errorf("404 page not in %s", lang)
				}
				if !strings.Contains(body, loc(lang).T("error.not_found")) {
					t.Error("404 page without its message")
				}
				if leaksInternals.MatchString(body) {
					t.Errorf("404 page shows internals: %q", leaksInternals.FindString(body))
				}
				if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
					t.Errorf("Cache-Control = %q", cc)
				}
			})
		}
	}
}

func TestVisitorHiddenExhibitor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	for _, path := range []string{
		"/expos/iotswc-test/exhibitors",
		"/expos/iotswc-test/exhibitors?q=applied",
		"/expos/iotswc-test/exhibitors?country=GB",
		"/expos/iotswc-test/pavilions/wuxi-pavilion",
		"/expos/iotswc-test/pavilions/wuxi-pavilion?q=Applied+Only",
	} {
		t.Run(path, func(t *testing.T) {
			resp, body := e.get(path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			results, err := doc(t, body).Find("#results").Html()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(results, "applied-only") || strings.Contains(results, "Applied Only") {
				t.Error("an exhibitor that only applied is listed")
			}
		})
	}
	t.Run("CountsLeaveItOut", func(t *testing.T) {
		_, body := e.get("/expos/iotswc-test/pavilions/wuxi-pavilion?lang=en")
		if got := strings.TrimSpace(doc(t, body).Find(".result-count").Text()); got != "1 exhibitor found" {
			t.Errorf("result count = %q", got)
		}
		if strings.Contains(body, "Great Britain") || strings.Contains(body, `value="GB"`) {
			t.Error("the applicant's country is offered as a filter")
		}
	})
}

func TestVisitorDirectory(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	cards := func(t *testing.T, body string) []string {
		t.Helper()
		var out []string
		doc(t, body).Find("#results .exhibitor-card h3 a").Each(func(_ int, a *goquery.Selection) {
			out = append(out, a.AttrOr("href", ""))
		})
		return out
	}
	for _, tc := range []struct {
		name, query string
		want        []string
	}{
		{"All", "", []string{"/exhibitors/nube-catalana", "/exhibitors/taihu-sensing"}},
		{"SearchChinese", "q=" + url.QueryEscape("无锡"), []string{"/exhibitors/taihu-sensing"}},
		{"SearchWithoutAccent", "q=energia", []string{"/exhibitors/nube-catalana"}},
		{"SectorFilter", "sector=energy", []string{"/exhibitors/nube-catalana"}},
		{"CountryFilter", "country=CN", []string{"/exhibitors/taihu-sensing"}},
		{"NoMatch", "q=zzzz", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.get("/expos/iotswc-test/exhibitors?" + tc.query)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			got := cards(t, body)
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("cards %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("FormKeepsFilters", func(t *testing.T) {
		_, body := e.get("/expos/iotswc-test/exhibitors?q=" + url.QueryEscape("无锡") + "&sector=sensors&country=CN")
		d := doc(t, body)
		if v := d.Find("input#q").AttrOr("value", ""); v != "无锡" {
			t.Errorf("search box = %q", v)
		}
		if v := d.Find("select#sector option[selected]").AttrOr("value", ""); v != "sensors" {
			t.Errorf("selected sector = %q", v)
		}
		if v := d.Find("select#country option[selected]").AttrOr("value", ""); v != "CN" {
			t.Errorf("selected country = %q", v)
		}
	})
	t.Run("HTMXPartial", func(t *testing.T) {
		resp, body := e.get("/expos/iotswc-test/exhibitors?q=taihu", "HX-Request", "true")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if strings.Contains(body, "<html") || strings.Contains(body, "<head") || strings.Contains(body, "<form") {
			t.Error("the htmx answer carries the whole page")
		}
		if !strings.HasPrefix(strings.TrimSpace(body), `<section id="results"`) {
			t.Errorf("the htmx answer does not start with #results: %.80q", body)
		}
		if got := cards(t, body); len(got) != 1 || got[0] != "/exhibitors/taihu-sensing" {
			t.Errorf("cards %v", got)
		}
		if !strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "HX-Request") {
			t.Errorf("Vary = %q", resp.Header.Values("Vary"))
		}
	})
	t.Run("FullPageVariesOnHTMX", func(t *testing.T) {
		resp, body := e.get("/expos/iotswc-test/exhibitors?q=taihu")
		if !strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "HX-Request") {
			t.Errorf("Vary = %q", resp.Header.Values("Vary"))
		}
		if !strings.Contains(body, "<html") || doc(t, body).Find("section#results").Length() != 1 {
			t.Error("the full page lacks its frame or #results")
		}
	})
	t.Run("HTMXHistoryRestoreGetsFullPage", func(t *testing.T) {
		_, body := e.get("/expos/iotswc-test/exhibitors", "HX-Request", "true", "HX-History-Restore-Request", "true")
		if !strings.Contains(body, "<html") {
			t.Error("a history restore got only the partial")
		}
	})
}

// TestVisitorBadInput sends what a careless link, a bot or an attacker might,
// and expects a normal page every time.
func TestVisitorBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	long := url.QueryEscape(strings.Repeat("传感器 sensor ", 800)) // ~10 KB before encoding
	for _, path := range []string{"/expos/iotswc-test/exhibitors", "/expos/iotswc-test/pavilions/wuxi-pavilion"} {
		for _, tc := range []struct{ name, query string }{
			{"PageNegative", "page=-1"},
			{"PageZero", "page=0"},
			{"PageHuge", "page=999999"},
			{"PageOverflow", "page=99999999999999999999999"},
			{"PageNotANumber", "page=abc"},
			{"PageFloat", "page=1.5"},
			{"PageTwice", "page=1&page=2"},
			{"Query10KB", "q=" + long},
			{"QueryInvalidUTF8", "q=%ff%fe"},
			{"QueryNUL", "q=tai%00hu"},
			{"QueryControl", "q=%1b%5b31m"},
			{"QueryLikeMeta", "q=%25_%5C"},
			{"QuerySQL", "q=%27%3B+DROP+TABLE+exhibitor%3B--"},
			{"QueryHTML", "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"},
			{"QueryManyWords", "q=" + strings.Repeat("a+", 300)},
			{"SectorUnknown", "sector=unknown"},
			{"SectorInvalid", "sector=%ff%00"},
			{"CountryUnknown", "country=zzz"},
			{"CountryLowerCase", "country=cn"},
			{"CountryNonASCII", "country=%E4%B8%AD"},
			{"LangUnknown", "lang=xx"},
			{"Everything", "q=%ff&sector=x&country=zzz&page=-5&lang=%00"},
		} {
			t.Run(path+"/"+tc.name, func(t *testing.T) {
				resp, body := e.get(path + "?" + tc.query)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("GET %s?%s = %d, want 200", path, tc.query, resp.StatusCode)
				}
				d := doc(t, body)
				if d.Find("section#results").Length() != 1 {
					t.Error("no results section")
				}
				if v := d.Find("input#q").AttrOr("value", ""); utf8.RuneCountInString(v) > 100 || !utf8.ValidString(v) {
					t.Errorf("search box holds %d runes (valid UTF-8: %v)", utf8.RuneCountInString(v), utf8.ValidString(v))
				}
				if strings.Contains(body, "<script>alert(1)") {
					t.Error("search text echoed unescaped")
				}
				if leaksInternals.MatchString(body) {
					t.Errorf("page shows internals: %q", leaksInternals.FindString(body))
				}
			})
		}
	}
	t.Run("PagePastEndShowsLastPage", func(t *testing.T) {
		_, body := e.get("/expos/iotswc-test/exhibitors?page=999999")
		if n := doc(t, body).Find("#results .exhibitor-card").Length(); n != 2 {
			t.Errorf("%d cards on a page past the end, want the last page's 2", n)
		}
	})
	t.Run("UnknownSectorShowsEveryone", func(t *testing.T) {
		_, body := e.get("/expos/iotswc-test/exhibitors?sector=unknown&country=zzz")
		d := doc(t, body)
		if n := d.Find("#results .exhibitor-card").Length(); n != 2 {
			t.Errorf("%d cards, want every exhibitor", n)
		}
		if d.Find("select#sector option[selected]").Length() != 0 {
			t.Error("an unknown sector is shown as selected")
		}
	})
	for _, tc := range []struct{ name, query string }{
		{"TZUnknown", "tz=Not/AZone"},
		{"TZLocal", "tz=Local"},
		{"TZEmpty", "tz="},
		{"TZPath", "tz=../../../../etc/passwd"},
		{"TZLong", "tz=" + strings.Repeat("Europe/", 2000)},
		{"TZInvalidUTF8", "tz=%ff%00"},
		{"TZSameAsExpo", "tz=Europe/Madrid"},
	} {
		t.Run("Agenda/"+tc.name, func(t *testing.T) {
			resp, body := e.get("/expos/iotswc-test/agenda?" + tc.query)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			d := doc(t, body)
			if n := d.Find(".alt-time").Length(); n != 0 {
				t.Errorf("%d viewer times shown for %s", n, tc.query)
			}
			if n := d.Find(".slot").Length(); n != 4 {
				t.Errorf("%d slots, want 4", n)
			}
			if leaksInternals.MatchString(body) {
				t.Errorf("page shows internals: %q", leaksInternals.FindString(body))
			}
		})
	}
}

func TestVisitorAgendaTimes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	slotTimes := func(d *goquery.Document) []string {
		var out []string
		d.Find(".slot time").Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
		return out
	}
	t.Run("ExpoZone", func(t *testing.T) {
		_, body := e.get("/expos/iotswc-test/agenda?lang=en")
		d := doc(t, body)
		want := []string{"10:30–11:00 CEST", "11:00–11:30 CEST", "11:30–12:00 CEST", "12:00–12:30 CEST"}
		if got := slotTimes(d); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("times %v, want %v", got, want)
		}
		if dt := d.Find(".slot time").First().AttrOr("datetime", ""); dt != "2027-05-11T08:30:00Z" {
			t.Errorf("datetime = %q", dt)
		}
		first := d.Find(".slot").First()
		if title := strings.TrimSpace(first.Find("strong").Text()); title != "传感器赋能智慧城市" {
			t.Errorf("booked title = %q", title)
		}
		if lang := first.Find("strong").AttrOr("lang", ""); lang != "zh-Hans" {
			t.Errorf("booked title lang = %q", lang)
		}
		if href := first.Find("a").AttrOr("href", ""); href != "/exhibitors/taihu-sensing" {
			t.Errorf("presenter link = %q", href)
		}
		if free := d.Find(".slot .badge.free").Length(); free != 3 {
			t.Errorf("%d free slots, want 3", free)
		}
		if !strings.Contains(body, "Europe/Madrid") || d.Find(".alt-time").Length() != 0 {
			t.Error("the expo's zone is not named, or a viewer zone is shown unasked")
		}
		if d.Find(`a[href="/expos/iotswc-test/agenda.ics?lang=en"]`).Length() == 0 {
			t.Error("no link to the calendar feed")
		}
	})
	t.Run("ViewerZoneBeside", func(t *testing.T) {
		_, body := e.get("/expos/iotswc-test/agenda?lang=en&tz=Asia/Shanghai")
		d := doc(t, body)
		alt := d.Find(".slot .alt-time")
		if alt.Length() != 4 || !strings.Contains(alt.First().Text(), "16:30–17:00 CST") {
			t.Errorf("viewer times: %d, first %q", alt.Length(), alt.First().Text())
		}
		if got := slotTimes(d); len(got) == 0 || got[0] != "10:30–11:00 CEST" {
			t.Errorf("expo times replaced: %v", got)
		}
		if v := d.Find("select#tz option[selected]").AttrOr("value", ""); v != "Asia/Shanghai" {
			t.Errorf("selected zone = %q", v)
		}
	})
	t.Run("ViewerZoneNotListed", func(t *testing.T) {
		_, body := e.get("/expos/iotswc-test/agenda?tz=America/Argentina/Ushuaia")
		d := doc(t, body)
		if v := d.Find("select#tz option[selected]").AttrOr("value", ""); v != "America/Argentina/Ushuaia" {
			t.Errorf("selected zone = %q", v)
		}
		if !strings.Contains(d.Find(".alt-time").First().Text(), "05:30–06:00") {
			t.Errorf("viewer time = %q", d.Find(".alt-time").First().Text())
		}
	})
	t.Run("ExhibitorPageSlots", func(t *testing.T) {
		_, body := e.get("/exhibitors/taihu-sensing?lang=en")
		d := doc(t, body)
		if got := strings.TrimSpace(d.Find(".slot .alt-time").First().Text()); got != "10:30–11:00 CEST" {
			t.Errorf("exhibitor slot time = %q", got)
		}
		if !strings.Contains(d.Find(".slot strong").Text(), "传感器赋能智慧城市") {
			t.Error("exhibitor page lacks its booked title")
		}
	})
	t.Run("PavilionAgendaHasOnlyItsStages", func(t *testing.T) {
		_, body := e.get("/expos/iotswc-test/pavilions/wuxi-pavilion/agenda")
		if n := doc(t, body).Find(".slot").Length(); n != 4 {
			t.Errorf("%d slots", n)
		}
	})
}

func TestVisitorHeaders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	nonce := regexp.MustCompile(`'nonce-([A-Za-z0-9+/=]{16,})'`)
	seen := map[string]bool{}
	for _, path := range []string{"/", "/expos/iotswc-test/exhibitors", "/exhibitors/taihu-sensing",
		"/expos/iotswc-test/agenda", "/expos/nope", "/expos/iotswc-test/agenda.ics", "/static/app.css", "/livez"} {
		t.Run(path, func(t *testing.T) {
			resp, _ := e.get(path)
			h := resp.Header
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "*") {
				t.Errorf("CSP is loose: %q", csp)
			}
			m := nonce.FindStringSubmatch(csp)
			if m == nil {
				t.Errorf("CSP without a nonce: %q", csp)
			} else if seen[m[1]] {
				t.Errorf("nonce %q reused", m[1])
			} else {
				seen[m[1]] = true
			}
			for k, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"Referrer-Policy":        "strict-origin-when-cross-origin",
				"X-Frame-Options":        "DENY",
			} {
				if got := h.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			if id := h.Get("X-Request-Id"); len(id) < 8 {
				t.Errorf("X-Request-Id = %q", id)
			}
			if h.Get("Strict-Transport-Security") != "" {
				t.Error("HSTS sent over plain HTTP")
			}
		})
	}
	t.Run("NoThirdPartyHosts", func(t *testing.T) {
		_, body := e.get("/exhibitors/nube-catalana")
		d := doc(t, body)
		d.Find("script[src], link[href]:not([rel=alternate]), img[src]").Each(func(_ int, s *goquery.Selection) {
			ref := s.AttrOr("src", s.AttrOr("href", ""))
			if !strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, "//") {
				t.Errorf("loads %q from elsewhere", ref)
			}
		})
		// Alternate-language links are absolute (as search engines want), on the site's own origin.
		d.Find("link[rel=alternate][hreflang]").Each(func(_ int, s *goquery.Selection) {
			if ref := s.AttrOr("href", ""); !strings.HasPrefix(ref, e.cfg.BaseURL+"/") {
				t.Errorf("alternate link %q is not on %s", ref, e.cfg.BaseURL)
			}
		})
		// The company's own website is a link, never a loaded resource, and leaks no referrer.
		a := d.Find(`a[href="https://nube.example.es"]`)
		if a.Length() != 1 || !strings.Contains(a.AttrOr("rel", ""), "noopener") {
			t.Errorf("website link: %d, rel %q", a.Length(), a.AttrOr("rel", ""))
		}
	})
}

func TestVisitorMethodsAndOperations(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	loc := visitorCatalog(t)
	for _, tc := range []struct{ name, method, path string }{
		{"PostHome", http.MethodPost, "/"},
		{"PostDirectory", http.MethodPost, "/expos/iotswc-test/exhibitors"},
		{"DeleteExhibitor", http.MethodDelete, "/exhibitors/taihu-sensing"},
		{"PutAgenda", http.MethodPut, "/expos/iotswc-test/agenda"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, e.ts.URL+tc.path, strings.NewReader("x=1"))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Accept-Language", "es")
			resp, body := e.do(req)
			if resp.StatusCode != http.StatusMethodNotAllowed {
				t.Fatalf("%s %s = %d, want 405", tc.method, tc.path, resp.StatusCode)
			}
			if !strings.Contains(body, loc(expodesk.ES).T("error.method")) {
				t.Error("405 page without its translated message")
			}
		})
	}
	t.Run("Livez", func(t *testing.T) {
		resp, body := e.get("/livez")
		if resp.StatusCode != http.StatusOK || strings.TrimSpace(body) != "ok" {
			t.Errorf("livez = %d %q", resp.StatusCode, body)
		}
	})
	t.Run("ReadyzMigrated", func(t *testing.T) {
		resp, body := e.get("/readyz")
		if resp.StatusCode != http.StatusOK || strings.TrimSpace(body) != "ready" {
			t.Errorf("readyz = %d %q", resp.StatusCode, body)
		}
		if resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("readyz Cache-Control = %q", resp.Header.Get("Cache-Control"))
		}
	})
	t.Run("ReadyzBehind", func(t *testing.T) {
		if _, err := e.pool.Exec(t.Context(), `UPDATE schema_migrations SET version = version - 1`); err != nil {
			t.Fatal(err)
		}
		defer e.pool.Exec(t.Context(), `UPDATE schema_migrations SET version = version + 1`) //nolint:errcheck
		if resp, _ := e.get("/readyz"); resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("readyz on an old schema = %d, want 503", resp.StatusCode)
		}
	})
	t.Run("Robots", func(t *testing.T) {
		resp, body := e.get("/robots.txt")
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Disallow: /organizer/") {
			t.Errorf("robots = %d %q", resp.StatusCode, body)
		}
	})
}

func TestVisitorStatic(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	_, home := e.get("/")
	d := doc(t, home)
	css := d.Find(`link[rel="stylesheet"]`).AttrOr("href", "")
	htmx := ""
	// htmx is loaded by the pages that use it: the directory.
	_, directory := e.get("/expos/iotswc-test/exhibitors")
	doc(t, directory).Find("script[src]").Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.AttrOr("src", ""), "htmx") {
			htmx = s.AttrOr("src", "")
		}
	})
	for _, tc := range []struct {
		name, path, contentType, cache string
	}{
		{"VersionedCSS", css, "text/css; charset=utf-8", "public, max-age=31536000, immutable"},
		{"VersionedHTMX", htmx, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		{"UnversionedCSS", "/static/app.css", "text/css; charset=utf-8", "public, max-age=300"},
		{"WrongVersion", "/static/app.css?v=0000", "text/css; charset=utf-8", "public, max-age=300"},
		{"Favicon", "/favicon.ico", "image/png", "public, max-age=86400"},
		{"FaviconSVG", "/static/favicon.svg", "image/svg+xml", "public, max-age=300"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.HasPrefix(tc.path, "/") {
				t.Fatalf("asset path %q not found on the home page", tc.path)
			}
			resp, body := e.get(tc.path)
			if resp.StatusCode != http.StatusOK || len(body) == 0 {
				t.Fatalf("GET %s = %d (%d bytes)", tc.path, resp.StatusCode, len(body))
			}
			if ct := resp.Header.Get("Content-Type"); ct != tc.contentType {
				t.Errorf("Content-Type = %q, want %q", ct, tc.contentType)
			}
			if cc := resp.Header.Get("Cache-Control"); cc != tc.cache {
				t.Errorf("Cache-Control = %q, want %q", cc, tc.cache)
			}
			if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Error("no nosniff")
			}
		})
	}
	for _, tc := range []struct{ name, path string }{
		{"NoListingVendor", "/static/vendor/"},
		{"NoListingVendorNoSlash", "/static/vendor"},
		{"NoListingRoot", "/static/"},
		{"Missing", "/static/nope.css"},
		{"DotDot", "/static/../go.mod"},
		{"EncodedDotDot", "/static/%2e%2e/web.go"},
		{"TemplateSource", "/static/../layout.templ"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.get(tc.path)
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", tc.path, resp.StatusCode)
			}
			if strings.Contains(body, "htmx.min.js") && !strings.Contains(body, "<html") {
				t.Error("a directory listing")
			}
		})
	}
}

// TestVisitorInternalError breaks the database under a running server: the
// visitor gets the 500 page with a reference, never the error itself.
func TestVisitorInternalError(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	loc := visitorCatalog(t)
	e.pool.Close()
	for _, path := range []string{"/", "/expos/iotswc-test", "/expos/iotswc-test/exhibitors?q=x",
		"/exhibitors/taihu-sensing", "/expos/iotswc-test/agenda", "/expos/iotswc-test/agenda.ics"} {
		t.Run(path, func(t *testing.T) {
			resp, body := e.get(path, "Accept-Language", "zh-CN")
			if resp.StatusCode != http.StatusInternalServerError {
				t.Fatalf("status %d, want 500", resp.StatusCode)
			}
			id := resp.Header.Get("X-Request-Id")
			if id == "" || !strings.Contains(body, id) {
				t.Errorf("the page does not show the request id %q", id)
			}
			d := doc(t, body)
			if got := strings.TrimSpace(d.Find("h1").Text()); got != loc(expodesk.ZH).T("error.internal_title") {
				t.Errorf("<h1> = %q", got)
			}
			for _, leak := range []string{"closed pool", "pool", "connect", "postgres", "list expos", "get expo"} {
				if strings.Contains(strings.ToLower(d.Find("main").Text()), leak) {
					t.Errorf("the page shows %q", leak)
				}
			}
			if leaksInternals.MatchString(body) {
				t.Errorf("page shows internals: %q", leaksInternals.FindString(body))
			}
			if resp.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control = %q", resp.Header.Get("Cache-Control"))
			}
		})
	}
	t.Run("ReadyzUnavailable", func(t *testing.T) {
		if resp, _ := e.get("/readyz"); resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("readyz = %d, want 503", resp.StatusCode)
		}
	})
	t.Run("LivezStillOK", func(t *testing.T) {
		if resp, _ := e.get("/livez"); resp.StatusCode != http.StatusOK {
			t.Errorf("livez = %d", resp.StatusCode)
		}
	})
}

func newJar(t *testing.T) http.CookieJar {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return jar
}

// TestVisitorFeeds reads the served calendar feeds with two parsers that
// share no code with the one that wrote them.
func TestVisitorFeeds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.seed()
	start := time.Date(2027, 5, 11, 10, 30, 0, 0, f.Barcelona.Location())
	for _, tc := range []struct {
		name, path, lang string
		events           int
		calName          string
	}{
		{"Expo", "/expos/iotswc-test/agenda.ics", "en", 1, "Roadshow agenda · IoT Solutions World Congress"},
		{"ExpoChinese", "/expos/iotswc-test/agenda.ics", "zh", 1, "路演日程 · 物联网解决方案世界大会"},
		{"Pavilion", "/expos/iotswc-test/pavilions/wuxi-pavilion/agenda.ics", "es", 1, ""},
		{"Exhibitor", "/exhibitors/taihu-sensing/agenda.ics", "en", 1, "Taihu Sensing"},
		{"ExhibitorWithoutSessions", "/exhibitors/nube-catalana/agenda.ics", "es", 0, "Nube Catalana"},
		{"ExpoWithoutSlots", "/expos/wiot-test/agenda.ics", "zh", 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.get(tc.path + "?lang=" + tc.lang)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "inline; filename=") || !strings.HasSuffix(cd, `.ics"`) {
				t.Errorf("Content-Disposition = %q", cd)
			}
			for i, l := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
				if len(l) > 75 || strings.ContainsAny(l, "\r\n") || !utf8.ValidString(l) {
					t.Errorf("line %d: %q", i+1, l)
				}
			}
			cal, err := goical.NewDecoder(strings.NewReader(body)).Decode()
			if err != nil {
				t.Fatalf("emersion/go-ical: %v", err)
			}
			if err := goical.NewEncoder(&bytes.Buffer{}).Encode(cal); err != nil {
				t.Errorf("emersion/go-ical refuses the feed: %v", err)
			}
			if v, _ := cal.Props.Text(goical.PropVersion); v != "2.0" {
				t.Errorf("VERSION = %q", v)
			}
			if v, _ := cal.Props.Text(goical.PropProductID); v != "-//expodesk//roadshow agenda//"+tc.lang {
				t.Errorf("PRODID = %q", v)
			}
			if name, _ := cal.Props.Text("X-WR-CALNAME"); tc.calName != "" && name != tc.calName {
				t.Errorf("X-WR-CALNAME = %q, want %q", name, tc.calName)
			}
			evs := cal.Events()
			if len(evs) != tc.events {
				t.Fatalf("%d events, want %d (free slots are left out)", len(evs), tc.events)
			}
			if other, err := arran.ParseCalendar(strings.NewReader(body)); err != nil {
				t.Errorf("arran4/golang-ical: %v", err)
			} else if len(other.Events()) != tc.events {
				t.Errorf("arran4/golang-ical sees %d events", len(other.Events()))
			}
			if tc.events == 0 {
				return
			}
			ev := evs[0]
			if uid, _ := ev.Props.Text(goical.PropUID); uid != "booking-"+strconv.FormatInt(f.Booking.ID, 10)+"@expodesk" {
				t.Errorf("UID = %q", uid)
			}
			if ev.Props.Get(goical.PropDateTimeStamp) == nil {
				t.Error("no DTSTAMP")
			}
			ds := ev.Props.Get(goical.PropDateTimeStart)
			if ds.Params.Get(goical.ParamTimezoneID) != "Europe/Madrid" || ds.Value != "20270511T103000" {
				t.Errorf("DTSTART;%v:%s", ds.Params, ds.Value)
			}
			if got, err := ev.DateTimeStart(nil); err != nil || !got.Equal(start) {
				t.Errorf("DTSTART = %v, %v; want %v", got, err, start)
			}
			if got, err := ev.DateTimeEnd(nil); err != nil || !got.Equal(start.Add(30*time.Minute)) {
				t.Errorf("DTEND = %v, %v", got, err)
			}
			if s, _ := ev.Props.Text(goical.PropSummary); !strings.HasPrefix(s, "传感器赋能智慧城市 — ") {
				t.Errorf("SUMMARY = %q", s)
			}
			if d, _ := ev.Props.Text(goical.PropDescription); !strings.Contains(d, "How MEMS sensors feed city platforms.") {
				t.Errorf("DESCRIPTION = %q", d)
			}
			if u, err := ev.Props.URI(goical.PropURL); err != nil || u.String() != e.ts.URL+"/exhibitors/taihu-sensing" {
				t.Errorf("URL = %v, %v", u, err)
			}
			var tz *goical.Component
			for _, c := range cal.Children {
				if c.Name == goical.CompTimezone {
					tz = c
				}
			}
			if tz == nil {
				t.Fatal("no VTIMEZONE")
			}
			if id, _ := tz.Props.Text(goical.PropTimezoneID); id != "Europe/Madrid" {
				t.Errorf("VTIMEZONE TZID = %q", id)
			}
		})
	}
	t.Run("CRLFAbstract", func(t *testing.T) {
		// A textarea submits CRLF; the feed must still parse strictly.
		if _, err := e.pool.Exec(t.Context(), `UPDATE booking SET abstracts = jsonb_build_object('zh', $1::text) WHERE id = $2`,
			"Line one\r\nLine two; with, punctuation\\", f.Booking.ID); err != nil {
			t.Fatal(err)
		}
		_, body := e.get("/exhibitors/taihu-sensing/agenda.ics")
		cal, err := goical.NewDecoder(strings.NewReader(body)).Decode()
		if err != nil {
			t.Fatal(err)
		}
		if err := goical.NewEncoder(&bytes.Buffer{}).Encode(cal); err != nil {
			t.Errorf("emersion/go-ical refuses the feed: %v", err)
		}
		if d, _ := cal.Events()[0].Props.Text(goical.PropDescription); !strings.Contains(d, "Line one\nLine two; with, punctuation\\") {
			t.Errorf("DESCRIPTION = %q", d)
		}
	})
}

func TestVisitorLogo(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.seed()
	png := []byte("\x89PNG\r\n\x1a\nfake but stored as given")
	for _, id := range []int64{f.Sensing.ID, f.Hidden.ID} {
		if err := e.store.LogoPut(t.Context(), id, "image/png", png, 56, 56, "etag"+strconv.FormatInt(id, 10)); err != nil {
			t.Fatal(err)
		}
	}
	etag := "etag" + strconv.FormatInt(f.Sensing.ID, 10)
	t.Run("OK", func(t *testing.T) {
		resp, body := e.get("/exhibitors/taihu-sensing/logo")
		if resp.StatusCode != http.StatusOK || body != string(png) {
			t.Fatalf("status %d, %d bytes", resp.StatusCode, len(body))
		}
		h := resp.Header
		if h.Get("Content-Type") != "image/png" || h.Get("ETag") != `"`+etag+`"` || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("headers %v", h)
		}
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("CSP = %q", csp)
		}
		if cc := h.Get("Cache-Control"); cc != "public, max-age=300" {
			t.Errorf("Cache-Control = %q", cc)
		}
	})
	t.Run("VersionedIsImmutable", func(t *testing.T) {
		resp, _ := e.get("/exhibitors/taihu-sensing/logo?v=" + etag)
		if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("Cache-Control = %q", cc)
		}
	})
	t.Run("NotModified", func(t *testing.T) {
		resp, body := e.get("/exhibitors/taihu-sensing/logo", "If-None-Match", `"`+etag+`"`)
		if resp.StatusCode != http.StatusNotModified || body != "" {
			t.Errorf("status %d, %d bytes", resp.StatusCode, len(body))
		}
	})
	t.Run("CardShowsIt", func(t *testing.T) {
		_, body := e.get("/expos/iotswc-test/exhibitors")
		src := doc(t, body).Find(`#results img.logo`).AttrOr("src", "")
		if src != "/exhibitors/taihu-sensing/logo?v="+etag {
			t.Errorf("card logo src = %q", src)
		}
	})
	t.Run("NotPublicWithoutApproval", func(t *testing.T) {
		if resp, _ := e.get("/exhibitors/applied-only/logo"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("the logo of a company that only applied: status %d, want 404", resp.StatusCode)
		}
	})
}

// TestExhibitorPageAsStored: an exhibitor page assembled from one query and
// the remembered expos and pavilions is the store's full read, for a
// company in one expo with a pavilion and a booking, one in two expos (one
// without a pavilion), one only applied and an unknown slug; and a
// participation in an expo created after the places were remembered.
func TestExhibitorPageAsStored(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.seed()
	ctx := context.Background()
	srv, _ := cachedInstance(t, e)
	if _, err := e.store.ParticipationCreate(ctx, expodesk.Participation{ExpoID: f.Wuxi.ID, ExhibitorID: f.Cloud.ID,
		Booth: "W-7", Status: expodesk.StatusApproved}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.ParticipationCreate(ctx, expodesk.Participation{ExpoID: f.Wuxi.ID, ExhibitorID: f.Sensing.ID,
		PavilionID: &f.EuroPavilion.ID, Status: expodesk.StatusApproved}); err != nil {
		t.Fatal(err)
	}
	same := func(t *testing.T, slug string) {
		t.Helper()
		got, err := srv.exhibitorPage(ctx, slug)
		want, wantErr := e.store.ExhibitorPublicPage(ctx, slug)
		if !errors.Is(err, wantErr) && err != wantErr {
			t.Fatalf("%s: error %v, the store's %v", slug, err, wantErr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", slug, got, want)
		}
	}
	for _, slug := range []string{f.Sensing.Slug, f.Cloud.Slug} {
		same(t, slug)
	}
	for _, slug := range []string{f.Hidden.Slug, "nope", "bad\xffslug"} {
		if _, err := srv.exhibitorPage(ctx, slug); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("%s: %v, want not found", slug, err)
		}
	}
	page, err := srv.exhibitorPage(ctx, f.Sensing.Slug)
	if err != nil || len(page.Participations) != 2 || len(page.Slots) != 1 || page.Participations[1].Pavilion == nil ||
		page.Participations[1].Pavilion.Slug != "european-pavilion" {
		t.Fatalf("taihu-sensing: %+v, %v", page, err)
	}

	// A participation in an expo the remembered places do not hold yet
	// (created, its notification still on its way): the page is read whole.
	// The places remembered before the expo are put back after its
	// notification, as if it were late.
	before, err := srv.places(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gen := srv.pages.gen.Load()
	later, err := e.store.ExpoCreate(ctx, expodesk.Expo{Slug: "later-test", Name: expodesk.Text{EN: "Later Expo"},
		City: expodesk.Text{EN: "Wuxi"}, Country: "CN", TimeZone: "Asia/Shanghai",
		FirstDay: time.Date(2028, 10, 26, 0, 0, 0, 0, time.UTC), LastDay: time.Date(2028, 10, 27, 0, 0, 0, 0, time.UTC),
		SlotQuota: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.ParticipationCreate(ctx, expodesk.Participation{ExpoID: later.ID, ExhibitorID: f.Cloud.ID,
		Status: expodesk.StatusApproved}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the new expo's notification", func() bool { return srv.pages.gen.Load() != gen })
	srv.pages.facts.Add(srv.pages.stamp(nil)+"|places", before)
	if _, ok := before.expos[later.ID]; ok {
		t.Fatal("the places remembered before the expo hold it")
	}
	same(t, f.Cloud.Slug)
	if page, _ := srv.exhibitorPage(ctx, f.Cloud.Slug); len(page.Participations) != 3 {
		t.Errorf("nube-catalana after the new expo: %+v", page.Participations)
	}
}
