package server

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"expodesk/internal/urls"
	"expodesk/web"
)

// rawClient talks to a test server without Go's transparent gzip, so that
// a test sets Accept-Encoding itself and reads the bytes as sent.
func rawClient(t *testing.T) *http.Client {
	t.Helper()
	tr := &http.Transport{DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// send requests base+path with method and header pairs, and reads the body.
func send(t *testing.T, c *http.Client, method, base, path string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// decoded is a body sent in coding, decompressed.
func decoded(t *testing.T, coding, body string) string {
	t.Helper()
	var r io.Reader
	switch coding {
	case "":
		return body
	case codingGzip:
		zr, err := gzip.NewReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case codingZstd:
		zr, err := zstd.NewReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		r = zr
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// wantNotModified fails unless resp is a 304 for the representation etag:
// no body, none of the body's headers, the page's caching headers.
func wantNotModified(t *testing.T, what string, resp *http.Response, body, etag, cacheControl string) {
	t.Helper()
	h := resp.Header
	if resp.StatusCode != http.StatusNotModified || body != "" {
		t.Fatalf("%s: %d with %d bytes, want 304 and no body", what, resp.StatusCode, len(body))
	}
	if h.Get("ETag") != etag || h.Get("Cache-Control") != cacheControl {
		t.Errorf("%s: ETag %q, Cache-Control %q; want %q, %q", what, h.Get("ETag"), h.Get("Cache-Control"), etag, cacheControl)
	}
	for _, k := range []string{"Content-Length", "Content-Type", "Content-Encoding", "Content-Disposition"} {
		if _, ok := h[k]; ok {
			t.Errorf("%s: a 304 with %s %q", what, k, h.Get(k))
		}
	}
	if !strings.Contains(strings.Join(h.Values("Vary"), ","), "Accept-Encoding") {
		t.Errorf("%s: a 304 without the 200's Vary (%q)", what, h.Values("Vary"))
	}
}

// taggedPages are the visitor pages of the fixture, with the Cache-Control
// each carries; every one is public and tagged.
var taggedPages = []struct{ path, cacheControl string }{
	{"/", pageCacheControl},
	{"/expos/iotswc-test", pageCacheControl},
	{"/expos/iotswc-test/exhibitors", pageCacheControl},
	{"/expos/iotswc-test/exhibitors?q=sens", pageCacheControl},
	{"/expos/iotswc-test/pavilions/wuxi-pavilion", pageCacheControl},
	{"/exhibitors/taihu-sensing", pageCacheControl},
	{"/expos/iotswc-test/agenda", pageCacheControl},
	{"/expos/iotswc-test/pavilions/wuxi-pavilion/agenda", pageCacheControl},
	{"/expos/iotswc-test/agenda.ics?lang=es", feedCacheControl},
	{"/expos/iotswc-test/pavilions/wuxi-pavilion/agenda.ics", feedCacheControl},
	{"/exhibitors/taihu-sensing/agenda.ics", feedCacheControl},
	{"/expos/iotswc-test/draw", pageCacheControl},
	{"/robots.txt", "public, max-age=86400"},
	{"/api/v1/expos/iotswc-test", apiCacheControl},
	{"/api/v1/expos/iotswc-test/pavilions/wuxi-pavilion/exhibitors", apiCacheControl},
}

// TestHTTPCachePublicPages: every public page a visitor reads carries a
// strong ETag of its body and a public Cache-Control with
// stale-while-revalidate, varies on what it is chosen by, and answers a
// current tag with 304 (GET and HEAD, weak comparison, lists, "*"), in
// every coding; with the page cache (a hit answers 304 without rendering)
// and without it (PAGE_CACHE=false: the page is rendered, hashed and
// compared). The clock stands still, so that the feeds' DTSTAMP does.
func TestHTTPCachePublicPages(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, envOptions{Clock: newTestClock()})
	e.seed()
	_, cached := cachedInstance(t, e)
	c := rawClient(t)
	for name, base := range map[string]string{"Uncached": e.ts.URL, "Cached": cached.URL} {
		for _, pg := range taggedPages {
			t.Run(name+pg.path, func(t *testing.T) {
				resp, page := send(t, c, "GET", base, pg.path, "Accept-Encoding", "identity")
				h := resp.Header
				etag := h.Get("ETag")
				if resp.StatusCode != http.StatusOK || etag != strongETag([]byte(page)) {
					t.Fatalf("%d, ETag %q, want 200 and the strong hash of the body %q", resp.StatusCode, etag, strongETag([]byte(page)))
				}
				if cc := h.Get("Cache-Control"); cc != pg.cacheControl || !strings.Contains(cc, "stale-while-revalidate=") && !strings.HasPrefix(pg.path, "/robots") {
					t.Errorf("Cache-Control %q, want %q", cc, pg.cacheControl)
				}
				if _, ok := h["Set-Cookie"]; ok {
					t.Errorf("a public page sets a cookie: %q", h.Values("Set-Cookie"))
				}
				vary := strings.Join(h.Values("Vary"), ",")
				for _, v := range []string{"Accept-Encoding", "Accept-Language", "Cookie"} {
					if !strings.Contains(vary, v) {
						t.Errorf("Vary %q lacks %s, which the page is chosen by", vary, v)
					}
				}
				if strings.Contains(pg.path, "/exhibitors?") && (!strings.Contains(vary, "HX-Request") || !strings.Contains(vary, "HX-History-Restore-Request")) {
					t.Errorf("the directory's Vary %q lacks the htmx headers", vary)
				}

				for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, `W/"x,y", ` + etag, "*"} {
					resp, body := send(t, c, "GET", base, pg.path, "If-None-Match", inm, "Accept-Encoding", "identity")
					wantNotModified(t, "If-None-Match: "+inm, resp, body, etag, pg.cacheControl)
					if name == "Cached" && resp.Header.Get("X-Cache") != "hit" && !strings.Contains(pg.path, "draw") && !strings.Contains(pg.path, "robots") {
						t.Errorf("If-None-Match: %s: X-Cache %q, want the 304 from the page cache", inm, resp.Header.Get("X-Cache"))
					}
				}
				// Two If-None-Match lines are one list.
				resp, body := send(t, c, "GET", base, pg.path, "If-None-Match", `"other"`, "If-None-Match", etag, "Accept-Encoding", "identity")
				wantNotModified(t, "two If-None-Match lines", resp, body, etag, pg.cacheControl)
				resp, body = send(t, c, "HEAD", base, pg.path, "If-None-Match", etag)
				wantNotModified(t, "HEAD", resp, body, etag, pg.cacheControl)
				for _, inm := range []string{`"other"`, strings.TrimSuffix(etag, `"`) + `x"`, strings.Trim(etag, `"`)} {
					if resp, got := send(t, c, "GET", base, pg.path, "If-None-Match", inm, "Accept-Encoding", "identity"); resp.StatusCode != http.StatusOK || got != page {
						t.Errorf("If-None-Match: %s: %d, want 200", inm, resp.StatusCode)
					}
				}

				// Compressed, the page is another representation with a tag
				// of its own; a client holding any of them gets a 304 with
				// the tag it holds.
				for _, coding := range []string{codingGzip, codingZstd} {
					resp, zbody := send(t, c, "GET", base, pg.path, "Accept-Encoding", coding)
					if resp.Header.Get("Content-Encoding") != coding {
						continue // too small to compress (robots.txt)
					}
					ztag := resp.Header.Get("ETag")
					if ztag != codedETag(etag, coding) || decoded(t, coding, zbody) != page {
						t.Errorf("%s: ETag %q, want %q of the same page", coding, ztag, codedETag(etag, coding))
					}
					resp, b := send(t, c, "GET", base, pg.path, "If-None-Match", ztag, "Accept-Encoding", coding)
					wantNotModified(t, coding+" tag", resp, b, ztag, pg.cacheControl)
					resp, b = send(t, c, "GET", base, pg.path, "If-None-Match", etag, "Accept-Encoding", coding)
					wantNotModified(t, "identity tag, "+coding+" accepted", resp, b, etag, pg.cacheControl)
					resp, b = send(t, c, "GET", base, pg.path, "If-None-Match", `"old", `+ztag, "Accept-Encoding", "identity")
					wantNotModified(t, coding+" tag, identity asked", resp, b, ztag, pg.cacheControl)
					resp, b = send(t, c, "GET", base, pg.path, "If-None-Match", "*", "Accept-Encoding", coding)
					wantNotModified(t, "* with "+coding, resp, b, ztag, pg.cacheControl)
				}
			})
		}
	}
}

// TestHTTPCacheStatic: static files and the favicon are tagged with their
// content version, and a held copy answers 304 in any coding.
func TestHTTPCacheStatic(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := rawClient(t)
	for _, tc := range []struct{ path, version, cacheControl string }{
		{urls.Static("app.css", web.AssetVersion("app.css")), web.AssetVersion("app.css"), "public, max-age=31536000, immutable"},
		{"/static/app.css", web.AssetVersion("app.css"), "public, max-age=300"},
		{"/favicon.ico", web.AssetVersion("favicon.png"), "public, max-age=86400"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			etag := `"` + tc.version + `"`
			resp, _ := send(t, c, "GET", e.ts.URL, tc.path)
			if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") != etag || tc.version == "" {
				t.Fatalf("%d, ETag %q, want %q", resp.StatusCode, resp.Header.Get("ETag"), etag)
			}
			resp, body := send(t, c, "GET", e.ts.URL, tc.path, "If-None-Match", "W/"+etag)
			wantNotModified(t, "identity", resp, body, etag, tc.cacheControl)
			resp, _ = send(t, c, "GET", e.ts.URL, tc.path, "Accept-Encoding", "gzip")
			if resp.Header.Get("Content-Encoding") == codingGzip {
				gz := codedETag(etag, codingGzip)
				if resp.Header.Get("ETag") != gz {
					t.Errorf("gzip: ETag %q, want %q", resp.Header.Get("ETag"), gz)
				}
				resp, body = send(t, c, "GET", e.ts.URL, tc.path, "If-None-Match", gz, "Accept-Encoding", "gzip")
				wantNotModified(t, "gzip", resp, body, gz, tc.cacheControl)
			}
		})
	}
}

// TestHTTPCacheNotShared: what differs by person or by request is never
// public and has no tag: a signed-in user's view of the public pages (their
// name is in the header), errors, the redirect to sign in, forms, the
// shared itinerary; a response that sets a cookie is the browser's only.
func TestHTTPCacheNotShared(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	_, cached := cachedInstance(t, e)
	anon := rawClient(t)
	for name, base := range map[string]string{"Uncached": e.ts.URL, "Cached": cached.URL} {
		t.Run(name, func(t *testing.T) {
			jordi := e.newClientOf(t, base)
			jordi.signIn(w.ExhibitorB)
			for _, pg := range taggedPages {
				_, public := send(t, anon, "GET", base, pg.path)
				resp, body := jordi.get(pg.path)
				h := resp.Header
				if resp.StatusCode != http.StatusOK || h.Get("Cache-Control") != signedInCacheControl || h.Get("ETag") != "" {
					t.Errorf("signed in, %s: %d, Cache-Control %q, ETag %q; want 200, %q and no tag",
						pg.path, resp.StatusCode, h.Get("Cache-Control"), h.Get("ETag"), signedInCacheControl)
				}
				if pg.cacheControl == pageCacheControl && !strings.Contains(body, `action="`+urls.SignOut()+`"`) {
					t.Errorf("signed in, %s: the page does not show the user signed in", pg.path)
				}
				// The visitors' tag is not a signed-in user's.
				etag := strongETag([]byte(public))
				if resp, _ := jordi.get(pg.path, "If-None-Match", etag); resp.StatusCode != http.StatusOK || resp.Header.Get("X-Cache") == "hit" {
					t.Errorf("signed in, %s with the visitors' tag: %d (X-Cache %q), want the user's own 200",
						pg.path, resp.StatusCode, resp.Header.Get("X-Cache"))
				}
			}
			// A signed-in browser's static file: the session's cookie makes
			// it private, with its freshness kept.
			resp, _ := jordi.get(urls.Static("app.css", web.AssetVersion("app.css")))
			if cc := resp.Header.Get("Cache-Control"); len(resp.Header.Values("Set-Cookie")) == 0 || cc != "private, max-age=31536000, immutable" {
				t.Errorf("static file with the session's cookie: Cache-Control %q, Set-Cookie %q", cc, resp.Header.Values("Set-Cookie"))
			}
		})
	}
	for _, tc := range []struct {
		name, path string
		status     int
	}{
		{"NotFound", "/expos/no-such-expo", http.StatusNotFound},
		{"APINotFound", "/api/v1/expos/no-such-expo", http.StatusNotFound},
		{"APIBadParameter", "/api/v1/expos/iotswc-test/exhibitors?page=-1", http.StatusBadRequest},
		{"SignInRedirect", "/organizer", http.StatusSeeOther},
		{"ApplyForm", "/expos/iotswc-test/apply", http.StatusOK},
		{"SignInForm", "/signin", http.StatusOK},
		{"SharedItinerary", "/d/no-such-token", http.StatusNotFound},
	} {
		for name, base := range map[string]string{"Uncached": e.ts.URL, "Cached": cached.URL} {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				resp, _ := send(t, anon, "GET", base, tc.path)
				cc := resp.Header.Get("Cache-Control")
				if resp.StatusCode != tc.status || strings.Contains(cc, "public") || resp.Header.Get("ETag") != "" {
					t.Errorf("%d, Cache-Control %q, ETag %q; want %d, not public, no tag", resp.StatusCode, cc, resp.Header.Get("ETag"), tc.status)
				}
				if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusSeeOther && !strings.Contains(cc, "no-store") {
					t.Errorf("an error with Cache-Control %q, want no-store", cc)
				}
			})
		}
	}
	t.Run("LanguageChosenInTheURL", func(t *testing.T) {
		const page = "/expos/iotswc-test/exhibitors?lang=zh"
		for name, base := range map[string]string{"Uncached": e.ts.URL, "Cached": cached.URL} {
			// The visit that sets the cookie is the browser's only ...
			resp, body := send(t, anon, "GET", base, page)
			if len(resp.Header.Values("Set-Cookie")) == 0 || !strings.HasPrefix(resp.Header.Get("Cache-Control"), "private,") {
				t.Errorf("%s: Set-Cookie %q with Cache-Control %q, want private", name, resp.Header.Values("Set-Cookie"), resp.Header.Get("Cache-Control"))
			}
			if !strings.Contains(body, `lang="zh-Hans"`) {
				t.Errorf("%s: the page is not in Chinese", name)
			}
			// ... the next ones, the cookie held, are anyone's with that cookie.
			resp, _ = send(t, anon, "GET", base, page, "Cookie", "lang=zh")
			if len(resp.Header.Values("Set-Cookie")) != 0 || resp.Header.Get("Cache-Control") != pageCacheControl || resp.Header.Get("ETag") == "" {
				t.Errorf("%s, cookie held: Set-Cookie %q, Cache-Control %q, ETag %q", name, resp.Header.Values("Set-Cookie"),
					resp.Header.Get("Cache-Control"), resp.Header.Get("ETag"))
			}
		}
	})
}

// TestHTTPCacheChangeAcrossInstances: two instances over one database give
// a page the same tag (a CDN in front of both sees one representation);
// after a committed change, once the notification is in, the old tag no
// longer answers 304 on either, and the new page has a new tag.
func TestHTTPCacheChangeAcrossInstances(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.seed()
	_, tsA := cachedInstance(t, e)
	_, tsB := cachedInstance(t, e)
	c := rawClient(t)
	const page = "/expos/iotswc-test/pavilions/wuxi-pavilion?lang=en"
	rA, _ := send(t, c, "GET", tsA.URL, page, "Accept-Encoding", "gzip")
	rB, _ := send(t, c, "GET", tsB.URL, page, "Accept-Encoding", "gzip")
	old := rA.Header.Get("ETag")
	if old == "" || rB.Header.Get("ETag") != old {
		t.Fatalf("ETags %q and %q, want one tag for one page", old, rB.Header.Get("ETag"))
	}
	for _, ts := range []*httptest.Server{tsA, tsB} {
		if resp, _ := send(t, c, "GET", ts.URL, page, "If-None-Match", old, "Accept-Encoding", "gzip"); resp.StatusCode != http.StatusNotModified ||
			resp.Header.Get("X-Cache") != "hit" {
			t.Fatalf("before the change: %d (X-Cache %q), want a 304 from the cache", resp.StatusCode, resp.Header.Get("X-Cache"))
		}
	}
	if _, err := e.pool.Exec(context.Background(),
		`UPDATE exhibitor SET name = jsonb_set(name, '{en}', '"Taihu Sensing Renamed"') WHERE id = $1`, f.Sensing.ID); err != nil {
		t.Fatal(err)
	}
	var fresh string
	for _, ts := range []*httptest.Server{tsA, tsB} {
		deadline := time.Now().Add(5 * time.Second)
		for {
			resp, body := send(t, c, "GET", ts.URL, page, "If-None-Match", old, "Accept-Encoding", "gzip")
			if resp.StatusCode == http.StatusOK && strings.Contains(decoded(t, codingGzip, body), "Taihu Sensing Renamed") {
				if tag := resp.Header.Get("ETag"); tag == old || fresh != "" && tag != fresh {
					t.Fatalf("after the change: ETag %q (old %q, other instance %q)", tag, old, fresh)
				}
				fresh = resp.Header.Get("ETag")
				break
			}
			if resp.StatusCode != http.StatusNotModified && resp.StatusCode != http.StatusOK {
				t.Fatalf("after the change: %d", resp.StatusCode)
			}
			if time.Now().After(deadline) {
				t.Fatalf("an instance kept answering the tag from before the change (%d)", resp.StatusCode)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	for _, ts := range []*httptest.Server{tsA, tsB} {
		if resp, _ := send(t, c, "GET", ts.URL, page, "If-None-Match", fresh, "Accept-Encoding", "gzip"); resp.StatusCode != http.StatusNotModified {
			t.Errorf("the new tag: %d, want 304", resp.StatusCode)
		}
	}
}

// TestHTTPCacheHitDoesNotRender: with the page cache, a page is rendered
// once; conditional requests after it are 304s from the stored page, and a
// signed-out client's unconditional request is the stored body. Without the
// page cache every request renders, and a current tag still answers 304.
func TestHTTPCacheHitDoesNotRender(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, withCache := range []bool{true, false} {
		cfg := e.cfg
		cfg.PageCache = withCache
		srv := New(cfg, e.deps)
		if withCache {
			srv.pages.Listening(true)
		}
		var renders atomic.Int64
		h := srv.cached(func(w http.ResponseWriter, r *http.Request) {
			renders.Add(1)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write(bytes.Repeat([]byte("<p>Taihu Sensing</p>"), 100))
		})
		get := func(headers ...string) *httptest.ResponseRecorder {
			r := httptest.NewRequest(http.MethodGet, "/expos/x/exhibitors", nil)
			for i := 0; i+1 < len(headers); i += 2 {
				r.Header.Set(headers[i], headers[i+1])
			}
			w := httptest.NewRecorder()
			h(w, r)
			return w
		}
		first := get()
		etag := first.Header().Get("ETag")
		if first.Code != http.StatusOK || etag != strongETag(first.Body.Bytes()) {
			t.Fatalf("page cache %v: %d, ETag %q", withCache, first.Code, etag)
		}
		for _, inm := range []string{etag, codedETag(etag, codingZstd), "*"} {
			if w := get("If-None-Match", inm, "Accept-Encoding", "gzip, zstd"); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
				t.Errorf("page cache %v, If-None-Match %s: %d with %d bytes", withCache, inm, w.Code, w.Body.Len())
			}
		}
		if w := get("Accept-Encoding", "zstd"); w.Code != http.StatusOK || withCache && (w.Header().Get("Content-Encoding") != codingZstd ||
			w.Header().Get("ETag") != codedETag(etag, codingZstd)) {
			t.Errorf("page cache %v, zstd: %d, Content-Encoding %q, ETag %q", withCache, w.Code, w.Header().Get("Content-Encoding"), w.Header().Get("ETag"))
		}
		want := int64(1)
		if !withCache {
			want = 5
		}
		if n := renders.Load(); n != want {
			t.Errorf("page cache %v: rendered %d times for 5 requests, want %d", withCache, n, want)
		}
	}
}

// TestMatchingTag: If-None-Match's weak comparison, lists and "*" (RFC 9110
// 13.1.2, 13.2.2); the tags are the page's, the request's own first.
func TestMatchingTag(t *testing.T) {
	t.Parallel()
	tags := []string{`"a-gzip"`, `"a"`, `"a-zstd"`}
	for _, tc := range []struct{ header, want string }{
		{`"a"`, `"a"`},
		{`W/"a"`, `"a"`},
		{`"a-zstd"`, `"a-zstd"`},
		{`"b", "a"`, `"a"`},
		{`"b",W/"a-zstd"`, `"a-zstd"`},
		{` "a" , "a-gzip" `, `"a-gzip"`}, // the request's own tag first
		{`"x,y", "a"`, `"a"`},            // a comma inside a tag is part of it
		{`*`, `"a-gzip"`},
		{`"b", *`, `"a-gzip"`},
		{`"b"`, ""},
		{`a`, ""},  // unquoted: not a tag
		{`"a`, ""}, // unterminated
		{`W/`, ""},
		{`"A"`, ""}, // tags are case-sensitive
		{`, ,`, ""},
		{``, ""},
	} {
		if got := matchingTag(tc.header, tags...); got != tc.want {
			t.Errorf("If-None-Match %s: %q, want %q", tc.header, got, tc.want)
		}
	}
	if got := codedETag(`"abc"`, codingGzip); got != `"abc-gzip"` {
		t.Errorf("codedETag: %s", got)
	}
	if got := codedETag(`"abc"`, ""); got != `"abc"` {
		t.Errorf("codedETag identity: %s", got)
	}
}

// TestKeepPrivate: a response that sets a cookie loses "public", and keeps
// its freshness for the browser.
func TestKeepPrivate(t *testing.T) {
	t.Parallel()
	h := http.Header{"Cache-Control": {pageCacheControl, `no-cache="Set-Cookie"`}, "Set-Cookie": {"a=b"}, "Etag": {`"x"`}}
	keepPrivate(h)
	if got := h.Values("Cache-Control"); got[0] != "private, max-age=30, stale-while-revalidate=60" || got[1] != `no-cache="Set-Cookie"` {
		t.Errorf("Cache-Control %q", got)
	}
	h = http.Header{"Cache-Control": {pageCacheControl}}
	if keepPrivate(h); h.Get("Cache-Control") != pageCacheControl {
		t.Errorf("without a cookie: %q", h.Get("Cache-Control"))
	}
}

// TestHTTPCacheEarlyNotModified: a revalidation without cookies is answered
// before the session and routing middleware (notModifiedEarly); its 304 is
// the one the full chain answers a request with a cookie, header for
// header, and the access log still names its route.
func TestHTTPCacheEarlyNotModified(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, envOptions{KeepLogs: true})
	e.seed()
	_, ts := cachedInstance(t, e)
	c := rawClient(t)
	const page = "/expos/iotswc-test/pavilions/wuxi-pavilion"
	resp, _ := send(t, c, "GET", ts.URL, page, "Accept-Encoding", "gzip")
	etag := resp.Header.Get("ETag")
	early, _ := send(t, c, "GET", ts.URL, page, "If-None-Match", etag, "Accept-Encoding", "gzip")
	late, _ := send(t, c, "GET", ts.URL, page, "If-None-Match", etag, "Accept-Encoding", "gzip", "Cookie", "unrelated=1")
	for _, r := range []*http.Response{early, late} {
		if r.StatusCode != http.StatusNotModified {
			t.Fatalf("%d, want 304", r.StatusCode)
		}
	}
	for _, h := range []http.Header{early.Header, late.Header} {
		h.Del("Date")
		h.Del("X-Request-Id")
	}
	if !reflect.DeepEqual(early.Header, late.Header) {
		t.Errorf("the early 304's headers\n%v\ndiffer from the full chain's\n%v", early.Header, late.Header)
	}
	if n := strings.Count(e.logs.String(), "route=/expos/{expo}/pavilions/{pavilion} status=304"); n != 2 {
		t.Errorf("%d access log lines name the 304s' route, want 2:\n%s", n, e.logs.String())
	}
}

// TestChoosesPreference: the early 304 leaves to the full chain exactly the
// queries that set ?lang= or ?tz= (escaped or not); a search that merely
// contains the word is still answered early.
func TestChoosesPreference(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]bool{
		"":                false,
		"q=sensor":        false,
		"q=language":      false,
		"q=tz&page=2":     false,
		"q=lang%20uage":   false,
		"lang=es":         true,
		"q=x&lang=zh":     true,
		"tz=Asia%2FTokyo": true,
		"%6Cang=es":       true,
		"q=a&%74z=UTC":    true,
		"lang":            true,
		"q=%zz":           true, // unreadable: the full chain answers it
		"language=es&q=x": false,
	} {
		if got := choosesPreference(raw); got != want {
			t.Errorf("choosesPreference(%q) = %v, want %v", raw, got, want)
		}
	}
}

// TestEarlyNotModifiedLanguage: the early 304 finds the page in the
// language Accept-Language asks for (a request without a cookie or ?lang=
// has no other), and no other language's page.
func TestEarlyNotModifiedLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	srv, ts := cachedInstance(t, e)
	c := rawClient(t)
	const page = "/expos/iotswc-test/pavilions/wuxi-pavilion"
	resp, _ := send(t, c, "GET", ts.URL, page, "Accept-Language", "zh-CN,zh;q=0.9", "Accept-Encoding", "gzip")
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != http.StatusOK || etag == "" {
		t.Fatalf("%d, ETag %q", resp.StatusCode, etag)
	}
	// The Spanish page is stored too: what tells them apart is the language.
	if resp, _ := send(t, c, "GET", ts.URL, page, "Accept-Language", "es-ES", "Accept-Encoding", "gzip"); resp.Header.Get("ETag") == etag {
		t.Fatalf("the Spanish and Chinese pages share the tag %s", etag)
	}
	revalidate := func(acceptLang string) bool {
		r := httptest.NewRequest("GET", page, nil)
		r.Header.Set("If-None-Match", etag)
		r.Header.Set("Accept-Encoding", "gzip")
		r.Header.Set("Accept-Language", acceptLang)
		_, _, ok := srv.earlyNotModified(r)
		return ok
	}
	if !revalidate("zh-CN,zh;q=0.9") {
		t.Error("the Chinese page's tag, asked in Chinese, is not answered early")
	}
	if revalidate("es-ES") {
		t.Error("the Chinese page's tag is answered early for a Spanish reader")
	}
}
