package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"expodesk/internal/expodesk"
)

// cachedInstance starts a server with the page cache over e's database and
// waits until its change listener is in place.
func cachedInstance(t *testing.T, e *testEnv) (*Server, *httptest.Server) {
	t.Helper()
	cfg := e.cfg
	cfg.PageCache = true
	srv := New(cfg, e.deps)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.ListenForChanges(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	deadline := time.Now().Add(10 * time.Second)
	for !srv.pages.listening.Load() {
		if time.Now().After(deadline) {
			t.Fatal("the change listener did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return srv, ts
}

// fetch GETs path from ts with header pairs, and reads the body.
func fetch(t *testing.T, ts *httptest.Server, path string, headers ...string) (*http.Response, string) {
	t.Helper()
	return send(t, ts.Client(), http.MethodGet, ts.URL, path, headers...)
}

func TestPageCache(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.seed()
	a, tsA := cachedInstance(t, e)
	_, tsB := cachedInstance(t, e)
	const page = "/expos/iotswc-test/pavilions/wuxi-pavilion?lang=en"

	t.Run("SecondVisitIsAHitWithItsOwnNonce", func(t *testing.T) {
		r1, b1 := fetch(t, tsA, page)
		r2, b2 := fetch(t, tsA, page)
		if r1.Header.Get("X-Cache") == "hit" || r2.Header.Get("X-Cache") != "hit" {
			t.Fatalf("X-Cache %q then %q, want a miss then a hit", r1.Header.Get("X-Cache"), r2.Header.Get("X-Cache"))
		}
		if b1 != b2 {
			t.Error("the cached page differs from the rendered one")
		}
		if r1.Header.Get("Content-Security-Policy") == r2.Header.Get("Content-Security-Policy") {
			t.Error("two responses share a CSP nonce")
		}
		if strings.Contains(b2, cacheNonce) {
			t.Error("the placeholder nonce leaked into a page")
		}
		if r2.Header.Get("Content-Type") != "text/html; charset=utf-8" || !strings.Contains(strings.Join(r2.Header.Values("Vary"), ","), "HX-Request") {
			t.Errorf("hit headers: Content-Type %q, Vary %q", r2.Header.Get("Content-Type"), r2.Header.Values("Vary"))
		}
	})

	t.Run("LanguagesAndFragmentsAreKeptApart", func(t *testing.T) {
		fetch(t, tsA, "/expos/iotswc-test/exhibitors?lang=zh")
		_, zh := fetch(t, tsA, "/expos/iotswc-test/exhibitors?lang=zh")
		_, en := fetch(t, tsA, "/expos/iotswc-test/exhibitors", "Accept-Language", "en")
		if !strings.Contains(zh, `lang="zh-Hans"`) || strings.Contains(en, `<html lang="zh-Hans"`) {
			t.Error("a cached page was served in another language")
		}
		fetch(t, tsA, "/expos/iotswc-test/exhibitors?q=Nube", "HX-Request", "true")
		_, frag := fetch(t, tsA, "/expos/iotswc-test/exhibitors?q=Nube", "HX-Request", "true")
		_, full := fetch(t, tsA, "/expos/iotswc-test/exhibitors?q=Nube")
		if strings.Contains(frag, "<html") || !strings.Contains(full, "<html") {
			t.Error("the htmx fragment and the full page share a cache entry")
		}
	})

	t.Run("ACommittedChangeReachesEveryInstance", func(t *testing.T) {
		fetch(t, tsA, page)
		fetch(t, tsB, page)
		if _, err := e.pool.Exec(context.Background(),
			`UPDATE exhibitor SET name = jsonb_set(name, '{en}', '"Taihu Sensing Renamed"') WHERE id = $1`, f.Sensing.ID); err != nil {
			t.Fatal(err)
		}
		for _, ts := range []*httptest.Server{tsA, tsB} {
			deadline := time.Now().Add(5 * time.Second)
			for {
				_, body := fetch(t, ts, page)
				if strings.Contains(body, "Taihu Sensing Renamed") {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("an instance kept serving the page from before the change")
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
	})

	t.Run("CountryFilterFollowsChanges", func(t *testing.T) {
		_, before := fetch(t, tsA, "/expos/iotswc-test/exhibitors?q=first&lang=en")
		if strings.Contains(before, `value="JP"`) {
			t.Fatal("fixture already lists Japan")
		}
		ctx := context.Background()
		x, err := e.store.ExhibitorCreate(ctx, expodesk.Exhibitor{Slug: "kyoto-iot", LegalName: "Kyoto IoT KK",
			Name: expodesk.Text{EN: "Kyoto IoT"}, Country: "JP"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.store.ParticipationCreate(ctx, expodesk.Participation{ExpoID: f.Barcelona.ID, ExhibitorID: x.ID,
			Status: expodesk.StatusApproved}); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for {
			// A search never asked before: only the country list could be stale.
			_, body := fetch(t, tsA, "/expos/iotswc-test/exhibitors?q=second&lang=en")
			if strings.Contains(body, `value="JP"`) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the country filter kept the list from before the change")
			}
			time.Sleep(20 * time.Millisecond)
		}
	})

	t.Run("NoListenerNoCache", func(t *testing.T) {
		a.pages.Listening(false)
		defer a.pages.Listening(true)
		fetch(t, tsA, page)
		if r, _ := fetch(t, tsA, page); r.Header.Get("X-Cache") == "hit" {
			t.Error("served from the cache while no change notifications arrive")
		}
	})

	t.Run("ErrorsAreNotCached", func(t *testing.T) {
		fetch(t, tsA, "/expos/no-such-expo")
		if r, _ := fetch(t, tsA, "/expos/no-such-expo"); r.Header.Get("X-Cache") == "hit" || r.StatusCode != http.StatusNotFound {
			t.Errorf("404 page: status %d, X-Cache %q", r.StatusCode, r.Header.Get("X-Cache"))
		}
	})
}

// TestPageCacheNonceSwap: a cached page with an inline script gets each
// request's own nonce, never the placeholder or another request's.
func TestPageCacheNonceSwap(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cfg := e.cfg
	cfg.PageCache = true
	srv := New(cfg, e.deps)
	srv.pages.Listening(true)
	h := srv.cached(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<script nonce="` + templ.GetNonce(r.Context()) + `">1</script>`))
	})
	for i, nonce := range []string{"first-nonce", "second-nonce"} {
		r := httptest.NewRequest(http.MethodGet, "/x", nil)
		r = r.WithContext(templ.WithNonce(r.Context(), nonce))
		w := httptest.NewRecorder()
		h(w, r)
		want := `<script nonce="` + nonce + `">1</script>`
		if w.Body.String() != want {
			t.Errorf("request %d: body %q, want %q", i, w.Body.String(), want)
		}
		if hit := w.Header().Get("X-Cache") == "hit"; hit != (i == 1) {
			t.Errorf("request %d: X-Cache %q", i, w.Header().Get("X-Cache"))
		}
	}
}

// TestPageCacheKeys: made-up parameters are never cached (they could fill the
// cache), and the known ones name one page whatever their order.
func TestPageCacheKeys(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	_, ts := cachedInstance(t, e)
	fetch(t, ts, "/expos/iotswc-test/exhibitors?junk=1")
	if r, _ := fetch(t, ts, "/expos/iotswc-test/exhibitors?junk=1"); r.Header.Get("X-Cache") == "hit" {
		t.Error("a URL with an unknown parameter was cached")
	}
	fetch(t, ts, "/expos/iotswc-test/exhibitors?q=sens&page=1")
	if r, _ := fetch(t, ts, "/expos/iotswc-test/exhibitors?page=1&q=sens"); r.Header.Get("X-Cache") != "hit" {
		t.Error("the same parameters in another order missed the cache")
	}
}
