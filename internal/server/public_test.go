package server

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/klauspost/compress/zstd"
	"golang.org/x/net/html"

	"expodesk/internal/expodesk"
)

// publicPages are the visitor pages of the seed fixture, one of each kind.
var publicPages = []string{
	"/",
	"/expos/iotswc-test",
	"/expos/iotswc-test/exhibitors",
	"/expos/iotswc-test/pavilions/wuxi-pavilion",
	"/exhibitors/taihu-sensing",
	"/exhibitors/nube-catalana",
	"/expos/iotswc-test/agenda",
	"/expos/iotswc-test/agenda?tz=Asia/Tokyo",
	"/expos/iotswc-test/pavilions/wuxi-pavilion/agenda",
}

// TestPublicMarkup checks what the W3C checker reported on public pages, in
// every language: no attribute HTML does not define (htmx's hx-* must be
// written data-hx-*), no id twice, every id reference resolving, and no
// text beside an element in a flex .meta item (it becomes an item of its
// own, with a gap: "Barcelona , Spain").
func TestPublicMarkup(t *testing.T) {
	e := newEnv(t)
	f := e.seed()
	e.stageLocation(f, `{"en": "Hall 2, 2-E01", "zh": "2号馆，2-E01", "es": "Pabellón 2, 2-E01"}`)
	for _, lang := range expodesk.Langs {
		for _, path := range publicPages {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			p := path + sep + "lang=" + string(lang)
			t.Run(p, func(t *testing.T) {
				resp, body := e.get(p)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("status %d", resp.StatusCode)
				}
				for _, problem := range markupProblems(t, body) {
					t.Error(problem)
				}
			})
		}
	}
}

// markupProblems lists what a validator would refuse in an HTML page.
func markupProblems(t *testing.T, body string) []string {
	t.Helper()
	root, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var problems []string
	ids := map[string]int{}
	var refs []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				switch {
				case strings.HasPrefix(a.Key, "hx-"):
					problems = append(problems, "<"+n.Data+"> has non-standard attribute "+a.Key+" (write data-"+a.Key+")")
				case a.Key == "id":
					ids[a.Val]++
				case a.Key == "for" || a.Key == "aria-labelledby" || a.Key == "aria-describedby" || a.Key == "aria-controls":
					refs = append(refs, strings.Fields(a.Val)...)
				}
			}
			if n.Data == "li" && hasClass(n.Parent, "meta") {
				var text, elems bool
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					text = text || (c.Type == html.TextNode && strings.TrimSpace(c.Data) != "")
					elems = elems || c.Type == html.ElementNode
				}
				if text && elems {
					problems = append(problems, "a .meta item mixes text and elements: "+renderNode(n))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	for id, n := range ids {
		if n > 1 {
			problems = append(problems, "duplicate id "+id)
		}
	}
	for _, ref := range refs {
		if ids[ref] == 0 {
			problems = append(problems, "reference to missing id "+ref)
		}
	}
	return problems
}

func hasClass(n *html.Node, class string) bool {
	if n == nil {
		return false
	}
	for _, a := range n.Attr {
		if a.Key == "class" && strings.Contains(" "+a.Val+" ", " "+class+" ") {
			return true
		}
	}
	return false
}

func renderNode(n *html.Node) string {
	var b strings.Builder
	_ = html.Render(&b, n)
	return b.String()
}

// stageLocation sets the fixture stage's location, as stored (a JSON text).
func (e *testEnv) stageLocation(f fixture, location string) {
	e.t.Helper()
	if _, err := e.pool.Exec(context.Background(), `UPDATE stage SET location = $2 WHERE id = $1`, f.Stage.ID, location); err != nil {
		e.t.Fatal(err)
	}
}

func TestPublicExpoPlace(t *testing.T) {
	e := newEnv(t)
	e.seed()
	for lang, want := range map[string]string{"en": "Barcelona, Spain", "es": "Barcelona, España", "zh": "巴塞罗那, 西班牙"} {
		_, body := e.get("/expos/iotswc-test?lang=" + lang)
		found := false
		doc(t, body).Find(".meta li").Each(func(_ int, li *goquery.Selection) {
			if strings.TrimSpace(li.Text()) == want {
				found = true
			}
		})
		if !found {
			t.Errorf("%s: no .meta item reads %q", lang, want)
		}
	}
}

// TestPublicHreflangAbsolute: hreflang alternates are absolute URLs on the
// configured origin, whatever Host the request names.
func TestPublicHreflangAbsolute(t *testing.T) {
	e := newEnvWith(t, envOptions{Config: Config{BaseURL: "https://expo.example.org"}})
	e.seed()
	for _, path := range []string{"/", "/expos/iotswc-test/exhibitors?q=taihu&lang=zh"} {
		req, err := http.NewRequest(http.MethodGet, e.ts.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = "evil.example"
		_, body := e.do(req)
		links := doc(t, body).Find(`link[rel="alternate"][hreflang]`)
		if links.Length() != 3 {
			t.Fatalf("%s: %d hreflang links, want 3", path, links.Length())
		}
		links.Each(func(_ int, l *goquery.Selection) {
			href := l.AttrOr("href", "")
			if !strings.HasPrefix(href, "https://expo.example.org/") || strings.Contains(href, "evil") {
				t.Errorf("%s: hreflang %s href %q, want an absolute URL on BASE_URL", path, l.AttrOr("hreflang", ""), href)
			}
		})
	}
}

// TestPublicLongQueryNotEchoed: a 10 KB ?q= is not repeated into the
// language links, hreflang alternates and pagination; they keep the 100
// characters the directory reads.
func TestPublicLongQueryNotEchoed(t *testing.T) {
	e := newEnv(t)
	e.seed()
	_, plain := e.get("/expos/iotswc-test/exhibitors?q=taihu")
	long := "taihu" + strings.Repeat("x", 10_000)
	resp, body := e.get("/expos/iotswc-test/exhibitors?q=" + long + "&junk=" + strings.Repeat("y", 5000))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if grown := len(body) - len(plain); grown > 4000 {
		t.Errorf("the page grew by %d bytes for a 15 KB query", grown)
	}
	d := doc(t, body)
	d.Find(`.lang-switch a, link[hreflang]`).Each(func(_ int, a *goquery.Selection) {
		href := a.AttrOr("href", "")
		if len(href) > 400 {
			t.Errorf("language link of %d bytes", len(href))
		}
		if !strings.Contains(href, "q=taihu"+strings.Repeat("x", 95)) {
			t.Errorf("language link lost the search: %.80s", href)
		}
	})
}

// TestPublicCompression: pages, feeds and static files are compressed for
// clients that accept it, decode to the same bytes, and carry one Vary.
func TestPublicCompression(t *testing.T) {
	e := newEnv(t)
	e.seed()
	for _, path := range []string{"/expos/iotswc-test/exhibitors", "/expos/iotswc-test/agenda.ics", "/static/app.css"} {
		t.Run(path, func(t *testing.T) {
			_, plain := e.get(path)
			resp, raw := e.get(path, "Accept-Encoding", "gzip")
			if got := resp.Header.Get("Content-Encoding"); got != "gzip" {
				t.Fatalf("Content-Encoding %q, want gzip", got)
			}
			if got := gunzip(t, []byte(raw)); got != plain {
				t.Errorf("gzip body decodes to %d bytes, the plain one has %d", len(got), len(plain))
			}
			if len(raw) >= len(plain) {
				t.Errorf("compressed %d bytes, plain %d", len(raw), len(plain))
			}
			if vary := resp.Header.Values("Vary"); len(vary) != 1 || !strings.Contains(vary[0], "Accept-Encoding") {
				t.Errorf("Vary = %q, want one header naming Accept-Encoding", vary)
			}
			resp, _ = e.get(path, "Accept-Encoding", "identity")
			if got := resp.Header.Get("Content-Encoding"); got != "" {
				t.Errorf("identity asked, got %q", got)
			}
		})
	}
	t.Run("OneVaryOnPages", func(t *testing.T) {
		resp, _ := e.get("/expos/iotswc-test/exhibitors")
		vary := resp.Header.Values("Vary")
		if len(vary) != 1 {
			t.Fatalf("%d Vary headers: %q", len(vary), vary)
		}
		for _, want := range []string{"Accept-Encoding", "Accept-Language", "Cookie", "HX-Request"} {
			if !strings.Contains(vary[0], want) {
				t.Errorf("Vary %q lacks %s", vary[0], want)
			}
		}
	})
}

// TestPageCacheStoresCompressed: a page is stored as rendered; the first hit
// that takes a coding compresses it once, the hits after send those same
// bytes, and they decode to the page a miss sent.
func TestPageCacheStoresCompressed(t *testing.T) {
	e := newEnv(t)
	e.seed()
	srv, ts := cachedInstance(t, e)
	const path = "/expos/iotswc-test/exhibitors?lang=en"
	miss, plain := fetch(t, ts, path)
	if miss.Header.Get("X-Cache") == "hit" {
		t.Fatal("first request was a hit")
	}
	var stored *cachedPage
	for _, k := range srv.pages.pages.Keys() {
		if strings.HasSuffix(k, "/expos/iotswc-test/exhibitors?lang=en") {
			stored, _ = srv.pages.pages.Peek(k)
		}
	}
	if stored == nil {
		t.Fatal("the page was not stored")
	}
	if stored.gzip != nil || stored.zstd != nil {
		t.Fatal("the page was compressed before any client asked for a coding")
	}
	for _, accept := range []string{"gzip", "zstd"} {
		if resp, _ := fetch(t, ts, path, "Accept-Encoding", accept); resp.Header.Get("Content-Encoding") != accept {
			t.Fatalf("Accept-Encoding %s: Content-Encoding %q", accept, resp.Header.Get("Content-Encoding"))
		}
	}
	if len(stored.gzip) == 0 || len(stored.zstd) == 0 {
		t.Fatalf("the page was not kept compressed: gzip %d, zstd %d bytes", len(stored.gzip), len(stored.zstd))
	}
	for _, tc := range []struct{ accept, want string }{
		{"gzip", "gzip"},
		{"gzip, deflate, br, zstd", "zstd"},
		{"zstd;q=0.5, gzip", "gzip"},
		{"identity", ""},
	} {
		t.Run(tc.accept, func(t *testing.T) {
			resp, raw := fetch(t, ts, path, "Accept-Encoding", tc.accept)
			if resp.Header.Get("X-Cache") != "hit" {
				t.Fatal("not a hit")
			}
			if got := resp.Header.Get("Content-Encoding"); got != tc.want {
				t.Fatalf("Content-Encoding %q, want %q", got, tc.want)
			}
			if vary := resp.Header.Values("Vary"); len(vary) != 1 || !strings.Contains(vary[0], "Accept-Encoding") {
				t.Errorf("Vary = %q", vary)
			}
			var decoded string
			switch tc.want {
			case "gzip":
				if raw != string(stored.gzip) {
					t.Error("the hit did not send the stored gzip bytes")
				}
				decoded = gunzip(t, []byte(raw))
			case "zstd":
				if raw != string(stored.zstd) {
					t.Error("the hit did not send the stored zstd bytes")
				}
				dec, err := zstd.NewReader(nil)
				if err != nil {
					t.Fatal(err)
				}
				b, err := dec.DecodeAll([]byte(raw), nil)
				dec.Close()
				if err != nil {
					t.Fatal(err)
				}
				decoded = string(b)
			default:
				decoded = raw
			}
			if decoded != plain {
				t.Errorf("the hit decodes to %d bytes, the miss sent %d", len(decoded), len(plain))
			}
		})
	}
}

// rawRequest sends a request line as written: Go's client rewrites a path
// that starts with // into an absolute URL.
func rawRequest(t *testing.T, e *testEnv, method, target string) *http.Response {
	t.Helper()
	conn, err := net.Dial("tcp", e.ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nSec-Fetch-Site: same-origin\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
		method, target, e.ts.Listener.Addr().String())
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestMethodNotAllowedAllow: a 405 says which methods the URL serves.
func TestMethodNotAllowedAllow(t *testing.T) {
	e := newEnv(t)
	e.seed()
	for _, tc := range []struct{ method, path, want string }{
		{http.MethodPost, "/expos/iotswc-test", "GET, HEAD"},
		{http.MethodDelete, "/expos/iotswc-test/agenda.ics", "GET, HEAD"},
		{http.MethodPut, "/signin", "GET, HEAD, POST"},
		{http.MethodGet, "/signout", "POST"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, e.ts.URL+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			resp, _ := e.do(req)
			if resp.StatusCode != http.StatusMethodNotAllowed {
				t.Fatalf("status %d, want 405", resp.StatusCode)
			}
			if got := resp.Header.Get("Allow"); got != tc.want {
				t.Errorf("Allow %q, want %q", got, tc.want)
			}
		})
	}
}

// TestTrailingSlashRedirect: a known URL with a trailing slash redirects to
// the URL without it, keeping the query, and never to another host.
func TestTrailingSlashRedirect(t *testing.T) {
	e := newEnv(t)
	e.seed()
	for _, tc := range []struct {
		name, method, path string
		status             int
		location           string
	}{
		{"Expo", "GET", "/expos/iotswc-test/", http.StatusMovedPermanently, "/expos/iotswc-test"},
		{"KeepsQuery", "GET", "/expos/iotswc-test/exhibitors/?q=taihu&lang=zh", http.StatusMovedPermanently, "/expos/iotswc-test/exhibitors?q=taihu&lang=zh"},
		{"ManySlashes", "GET", "/expos/iotswc-test///", http.StatusMovedPermanently, "/expos/iotswc-test"},
		{"LeadingSlashes", "GET", "///expos/iotswc-test/", http.StatusMovedPermanently, "/expos/iotswc-test"},
		{"PostKeepsMethod", "POST", "/signin/", http.StatusPermanentRedirect, "/signin"},
		{"OtherHost", "GET", "//evil.example/", http.StatusNotFound, ""},
		{"OtherHostPath", "GET", "//evil.example/expos/", http.StatusNotFound, ""},
		{"Backslash", "GET", "/%5Cevil.example/", http.StatusNotFound, ""},
		{"Unknown", "GET", "/nothing-here/", http.StatusNotFound, ""},
		{"UnderWildcard", "GET", "/static/vendor/", http.StatusNotFound, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := rawRequest(t, e, tc.method, tc.path)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d (Location %q)", resp.StatusCode, tc.status, resp.Header.Get("Location"))
			}
			if got := resp.Header.Get("Location"); got != tc.location {
				t.Errorf("Location %q, want %q", got, tc.location)
			}
		})
	}
}

// TestPublicFeeds: feed file names, languages and zones.
func TestPublicFeeds(t *testing.T) {
	e := newEnv(t)
	f := e.seed()
	e.stageLocation(f, `{"en": "Hall 2", "zh": "2号馆", "es": "Pabellón 2"}`)
	t.Run("FileNames", func(t *testing.T) {
		for path, want := range map[string]string{
			"/expos/iotswc-test/agenda.ics":                         `filename="iotswc-test.ics"`,
			"/expos/iotswc-test/pavilions/wuxi-pavilion/agenda.ics": `filename="iotswc-test-wuxi-pavilion.ics"`,
			"/exhibitors/taihu-sensing/agenda.ics":                  `filename="taihu-sensing.ics"`,
		} {
			resp, _ := e.get(path)
			if got := resp.Header.Get("Content-Disposition"); !strings.Contains(got, want) {
				t.Errorf("%s: Content-Disposition %q, want %s", path, got, want)
			}
		}
	})
	t.Run("LinksCarryLanguage", func(t *testing.T) {
		for _, tc := range []struct{ page, feed, location string }{
			{"/expos/iotswc-test/agenda?lang=zh", "/expos/iotswc-test/agenda.ics?lang=zh", "2号馆"},
			{"/expos/iotswc-test/pavilions/wuxi-pavilion/agenda?lang=es", "/expos/iotswc-test/pavilions/wuxi-pavilion/agenda.ics?lang=es", "Pabellón 2"},
			{"/exhibitors/taihu-sensing?lang=zh", "/exhibitors/taihu-sensing/agenda.ics?lang=zh", "2号馆"},
		} {
			_, body := e.get(tc.page)
			d := doc(t, body)
			if d.Find(`a[href="`+tc.feed+`"]`).Length() == 0 || d.Find(`link[type="text/calendar"][href="`+tc.feed+`"]`).Length() == 0 {
				t.Errorf("%s: no link or alternate to %s", tc.page, tc.feed)
				continue
			}
			// A calendar app sends no cookie and no Accept-Language.
			_, ics := e.get(tc.feed)
			if !strings.Contains(ics, tc.location) {
				t.Errorf("%s: the feed does not give the location as %q:\n%s", tc.feed, tc.location, ics)
			}
		}
	})
	t.Run("ExhibitorWithoutSessionsUsesExpoZone", func(t *testing.T) {
		_, ics := e.get("/exhibitors/nube-catalana/agenda.ics")
		if !strings.Contains(ics, "X-WR-TIMEZONE:Europe/Madrid") {
			t.Errorf("feed zone is not the expo's:\n%s", ics)
		}
	})
}

// TestPublicStageLocation: a stage's location is shown in the reader's
// language, marked with the language it falls back to.
func TestPublicStageLocation(t *testing.T) {
	e := newEnv(t)
	f := e.seed()
	e.stageLocation(f, `{"en": "Hall 2", "zh": "2号馆"}`)
	for _, tc := range []struct{ lang, text, htmlLang string }{
		{"en", "Hall 2", "en"},
		{"zh", "2号馆", "zh-Hans"},
		{"es", "Hall 2", "en"}, // no Spanish: English, marked so
	} {
		_, body := e.get("/expos/iotswc-test/agenda?lang=" + tc.lang)
		loc := doc(t, body).Find(`[data-testid="stage-location"]`)
		if loc.Length() != 1 || strings.TrimSpace(loc.Text()) != tc.text || loc.AttrOr("lang", "") != tc.htmlLang {
			t.Errorf("%s: stage location %q lang %q, want %q lang %q", tc.lang, loc.Text(), loc.AttrOr("lang", ""), tc.text, tc.htmlLang)
		}
	}
}

// TestPublicAgendaUnknownZone: an unknown ?tz= is said so on the page, in
// the reader's language, rather than ignored.
func TestPublicAgendaUnknownZone(t *testing.T) {
	e := newEnv(t)
	e.seed()
	for lang, want := range map[string]string{"en": "not a time zone", "zh": "无法识别时区", "es": "no es una zona horaria"} {
		_, body := e.get("/expos/iotswc-test/agenda?tz=Mars/Olympus_Mons&lang=" + lang)
		note := doc(t, body).Find(`[data-testid="unknown-tz"]`)
		if !strings.Contains(note.Text(), want) || !strings.Contains(note.Text(), "Mars/Olympus_Mons") {
			t.Errorf("%s: notice %q, want it to contain %q and the zone", lang, note.Text(), want)
		}
	}
	for _, tz := range []string{"", "Asia/Tokyo", "Europe/Madrid"} {
		_, body := e.get("/expos/iotswc-test/agenda?tz=" + tz)
		if doc(t, body).Find(`[data-testid="unknown-tz"]`).Length() != 0 {
			t.Errorf("tz=%q: unknown-zone notice shown", tz)
		}
	}
}

// TestPublicHTMXOnlyWhereUsed: htmx is loaded by the pages that use it, not
// by every page (its start-up scan is main-thread time the agenda wasted).
func TestPublicHTMXOnlyWhereUsed(t *testing.T) {
	e := newEnv(t)
	e.seed()
	for _, path := range publicPages {
		_, body := e.get(path)
		d := doc(t, body)
		uses := d.Find("[data-hx-get], [data-hx-post], [data-hx-boost]").Length() > 0
		loads := d.Find(`script[src*="htmx.min.js"]`).Length() > 0
		if uses != loads {
			t.Errorf("%s: uses htmx %v, loads it %v", path, uses, loads)
		}
	}
}
