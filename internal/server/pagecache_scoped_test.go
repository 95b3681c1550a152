package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"expodesk/internal/expodesk"
)

// Pages of the fixture (seed), in English. taihu-sensing is approved at
// iotswc-test (Barcelona) only, with a booking there; nube-catalana at
// Barcelona, and the test approves xishan-iot at wiot-test (Wuxi) only.
const (
	pgBcnDirectory = "/expos/iotswc-test/exhibitors?lang=en"
	pgBcnSearch    = "/expos/iotswc-test/exhibitors?lang=en&q=quasar"
	pgBcnPavilion  = "/expos/iotswc-test/pavilions/wuxi-pavilion?lang=en"
	pgBcnExpo      = "/expos/iotswc-test?lang=en"
	pgBcnAgenda    = "/expos/iotswc-test/agenda?lang=en"
	pgWuxDirectory = "/expos/wiot-test/exhibitors?lang=en"
	pgWuxExpo      = "/expos/wiot-test?lang=en"
	pgWuxAgenda    = "/expos/wiot-test/agenda?lang=en"
	pgSensing      = "/exhibitors/taihu-sensing?lang=en"
	pgCloud        = "/exhibitors/nube-catalana?lang=en"
	pgXishan       = "/exhibitors/xishan-iot?lang=en"
	pgHome         = "/?lang=en"
)

var scopedPages = []string{pgBcnDirectory, pgBcnSearch, pgBcnPavilion, pgBcnExpo, pgBcnAgenda, pgWuxDirectory, pgWuxExpo,
	pgWuxAgenda, pgSensing, pgCloud, pgXishan, pgHome}

// TestPageCacheScopedChanges: a change to a company's profile, sectors or
// logo makes stale only the pages that show the company (its page, the
// pages of the expos where it is approved or booked), a participation only
// its company's page, its expo's pages and the home page; on every
// instance, and the dropped pages show the change. Any other table still
// makes everything stale.
func TestPageCacheScopedChanges(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.seed()
	ctx := context.Background()
	xishan, err := e.store.ExhibitorCreate(ctx, expodesk.Exhibitor{Slug: "xishan-iot", LegalName: "Xishan IoT Co",
		Name: expodesk.Text{EN: "Xishan IoT"}, Country: "CN"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.ParticipationCreate(ctx, expodesk.Participation{ExpoID: f.Wuxi.ID, ExhibitorID: xishan.ID,
		Status: expodesk.StatusApproved}); err != nil {
		t.Fatal(err)
	}
	_, tsA := cachedInstance(t, e)
	_, tsB := cachedInstance(t, e)
	exec := func(sql string, args ...any) func() {
		return func() {
			if _, err := e.pool.Exec(ctx, sql, args...); err != nil {
				t.Fatal(err)
			}
		}
	}

	for _, tc := range []struct {
		name   string
		change func()
		// probe is a dropped page and what it shows (or, with "!", no
		// longer shows) once the change is in.
		probe, shows string
		dropped      []string // besides probe
	}{{
		name: "ProfileEdit",
		change: func() {
			x := f.Sensing
			x.Name.EN = "Taihu Sensing Renamed"
			x.Sectors = []string{"sensors"}
			if _, err := e.store.ExhibitorUpdateProfile(ctx, x); err != nil {
				t.Fatal(err)
			}
		},
		probe: pgBcnDirectory, shows: "Taihu Sensing Renamed",
		dropped: []string{pgBcnSearch, pgBcnPavilion, pgBcnExpo, pgBcnAgenda, pgSensing},
	}, {
		// A description changes what searches find and the company's own
		// page, not a card: the listings stay.
		name:   "DescriptionOnly",
		change: exec(`UPDATE exhibitor SET description = jsonb_set(description, '{en}', '"Quasar gateways"') WHERE id = $1`, f.Sensing.ID),
		probe:  pgBcnSearch, shows: "Taihu Sensing",
		dropped: []string{pgSensing},
	}, {
		name:   "SectorsOnly",
		change: exec(`INSERT INTO exhibitor_sector (exhibitor_id, sector_code) VALUES ($1, 'energy')`, f.Sensing.ID),
		probe:  pgSensing, shows: "Energy",
		dropped: []string{pgBcnDirectory, pgBcnSearch, pgBcnPavilion, pgBcnExpo, pgBcnAgenda},
	}, {
		name: "Logo",
		change: func() {
			if err := e.store.LogoPut(ctx, f.Sensing.ID, "image/png", []byte("png"), 1, 1, "etag-scoped-1"); err != nil {
				t.Fatal(err)
			}
		},
		probe: pgBcnPavilion, shows: "etag-scoped-1",
		dropped: []string{pgBcnDirectory, pgBcnSearch, pgBcnExpo, pgBcnAgenda, pgSensing},
	}, {
		name: "ParticipationApproved",
		change: func() {
			if _, err := e.store.ParticipationCreate(ctx, expodesk.Participation{ExpoID: f.Wuxi.ID, ExhibitorID: f.Cloud.ID,
				Status: expodesk.StatusApproved}); err != nil {
				t.Fatal(err)
			}
		},
		probe: pgWuxDirectory, shows: "Nube Catalana",
		// Nube Catalana's Barcelona pages show nothing of its Wuxi participation.
		dropped: []string{pgWuxExpo, pgWuxAgenda, pgCloud, pgHome},
	}, {
		name:   "ParticipationWithdrawn",
		change: exec(`UPDATE participation SET status = 'withdrawn' WHERE exhibitor_id = $1 AND expo_id = $2`, xishan.ID, f.Wuxi.ID),
		probe:  pgWuxDirectory, shows: "!Xishan IoT",
		dropped: []string{pgWuxExpo, pgWuxAgenda, pgXishan, pgHome},
	}, {
		// An exhibitor page takes its expos' names from remembered rows.
		name:   "ExpoRenamed",
		change: exec(`UPDATE expo SET name = jsonb_set(name, '{en}', '"Renamed Congress"') WHERE id = $1`, f.Barcelona.ID),
		probe:  pgSensing, shows: "Renamed Congress",
		dropped: scopedPages,
	}, {
		name:   "OtherTableEverything",
		change: exec(`UPDATE pavilion SET hall = '9' WHERE id = $1`, f.WuxiPavilion.ID),
		probe:  pgBcnPavilion, shows: "Hall 9",
		dropped: scopedPages,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			// Warm both instances: every page a hit.
			for _, ts := range []*httptest.Server{tsA, tsB} {
				for _, p := range scopedPages {
					r, _ := fetch(t, ts, p)
					if r.StatusCode != http.StatusOK && p != pgXishan {
						t.Fatalf("%s: %d", p, r.StatusCode)
					}
					fetch(t, ts, p)
				}
			}
			dropped := map[string]bool{tc.probe: true}
			for _, p := range tc.dropped {
				dropped[p] = true
			}
			// Which of the warm pages are hits now (before any is fetched again).
			tc.change()
			for _, ts := range []*httptest.Server{tsA, tsB} {
				waitFor(t, ts, tc.probe, tc.shows)
				for _, p := range scopedPages {
					if p == tc.probe {
						continue
					}
					r, _ := fetch(t, ts, p)
					if r.StatusCode != http.StatusOK {
						continue // a page the change took away (withdrawn) or never there
					}
					hit := r.Header.Get("X-Cache") == "hit"
					if dropped[p] && hit {
						t.Errorf("%s still served from the cache after the change", p)
					}
					if !dropped[p] && !hit {
						t.Errorf("%s was dropped by a change it cannot show", p)
					}
				}
			}
		})
	}
}

// waitFor fetches path until it shows want, or no longer shows what follows
// a leading "!" (the change's notification has reached the instance), for
// at most five seconds.
func waitFor(t *testing.T, ts *httptest.Server, path, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, body := fetch(t, ts, path)
		if absent, ok := strings.CutPrefix(want, "!"); ok && !strings.Contains(body, absent) ||
			!ok && strings.Contains(body, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never showed %q after the change", path, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestNotifiedClasses: the payloads of migrations 000017, 000024 and 000036 and
// what they make stale; anything else is everything.
func TestNotifiedClasses(t *testing.T) {
	for _, tc := range []struct {
		payload string
		want    []string
	}{
		{"booking taihu-sensing", []string{"agenda", "exhibitor:taihu-sensing"}},
		{"exhibitor a,b x,y", []string{"exhibitor:a", "exhibitor:b", "expo:x", "expo:y"}},
		{"exhibitor a ", []string{"exhibitor:a"}},
		{"exhibitor-text a,b x", []string{"exhibitor:a", "exhibitor:b", "text:x"}},
		{"participation a x", []string{"exhibitor:a", "expo:x", "home"}},
		{"", nil}, {"booking ", nil}, {"exhibitor ", nil}, {"something else", nil},
	} {
		got, ok := notifiedClasses(tc.payload)
		if ok != (tc.want != nil) || strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%q: %v %v, want %v", tc.payload, got, ok, tc.want)
		}
	}
}

// TestPageCacheSingleFlight: concurrent misses for one page render it once;
// the others wait and are served the stored page.
func TestPageCacheSingleFlight(t *testing.T) {
	t.Parallel()
	s := &Server{pages: NewPageCache()}
	s.pages.Listening(true)
	const n = 16
	var calls atomic.Int64
	release := make(chan struct{})
	h := s.cached(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		<-release
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<p>the directory</p>"))
	})
	var wg sync.WaitGroup
	bodies := make([]string, n)
	hits := make([]bool, n)
	for i := range n {
		wg.Go(func() {
			rec := httptest.NewRecorder()
			h(rec, httptest.NewRequest(http.MethodGet, "/expos/iotswc-test/exhibitors?q=sen", nil))
			bodies[i], hits[i] = rec.Body.String(), rec.Header().Get("X-Cache") == "hit"
		})
	}
	// Let the render finish once every other request waits for it.
	deadline := time.Now().Add(5 * time.Second)
	for s.pages.waiting.Load() < n-1 {
		if time.Now().After(deadline) {
			t.Fatalf("%d requests wait for the render, want %d", s.pages.waiting.Load(), n-1)
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if c := calls.Load(); c != 1 {
		t.Errorf("the handler ran %d times for %d concurrent misses, want once", c, n)
	}
	served := 0
	for i := range n {
		if bodies[i] != "<p>the directory</p>" {
			t.Errorf("request %d got %q", i, bodies[i])
		}
		if hits[i] {
			served++
		}
	}
	if served != n-1 {
		t.Errorf("%d requests served from the stored page, want %d", served, n-1)
	}

	t.Run("AChangeWhileRenderingIsNotStored", func(t *testing.T) {
		release := make(chan struct{})
		var calls atomic.Int64
		h := s.cached(func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) == 1 {
				<-release
			}
			_, _ = w.Write([]byte("page"))
		})
		done := make(chan struct{})
		go func() {
			h(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/expos/x/exhibitors", nil))
			close(done)
		}()
		for calls.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		s.pages.Notified("exhibitor a x")
		close(release)
		<-done
		rec := httptest.NewRecorder()
		h(rec, httptest.NewRequest(http.MethodGet, "/expos/x/exhibitors", nil))
		if rec.Header().Get("X-Cache") == "hit" || calls.Load() != 2 {
			t.Errorf("a page rendered across a change of its expo was stored (X-Cache %q, %d renders)",
				rec.Header().Get("X-Cache"), calls.Load())
		}
	})
}

// TestPageCacheFullMakesRoom: a cache at its byte budget drops its least
// recently used pages to store a new one asked for a second time, rather
// than refusing it and rendering that page on every request from then on;
// a page asked for once is not stored over another (a crawler's walk, a
// search's next keystroke), and a page changed since it was stored is
// stored again at once.
func TestPageCacheFullMakesRoom(t *testing.T) {
	t.Parallel()
	s := &Server{pages: NewPageCache()}
	s.pages.Listening(true)
	body := strings.Repeat("<p>a directory page</p>", 400) // ~9 KB, 8 pages' budget below
	h := s.cached(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(body + r.URL.RawQuery))
	})
	get := func(page int) bool {
		rec := httptest.NewRecorder()
		h(rec, httptest.NewRequest(http.MethodGet, "/expos/iotswc-test/exhibitors?page="+strconv.Itoa(page), nil))
		return rec.Header().Get("X-Cache") == "hit"
	}
	get(1)
	var one int64
	for _, k := range s.pages.pages.Keys() {
		p, _ := s.pages.pages.Peek(k)
		one = p.size()
	}
	s.pages.maxBytes = 8 * one
	for page := 2; page <= 8; page++ {
		get(page) // room for each
	}
	if !get(8) || !get(1) {
		t.Fatal("pages stored while the cache had room are not hits")
	}
	for page := 9; page <= 12; page++ {
		if get(page) {
			t.Errorf("page %d: a hit on its first request", page)
		}
	}
	if s.pages.pages.Len() != 8 {
		t.Errorf("%d pages stored, want the 8 stored before: first views do not push them out", s.pages.pages.Len())
	}
	for page := 9; page <= 12; page++ {
		if get(page) {
			t.Errorf("page %d: a hit on its second request, which renders and stores it", page)
		}
		if !get(page) {
			t.Errorf("page %d: not stored when asked for a second time", page)
		}
	}
	if get(2) {
		t.Error("the least recently used page is still stored past the budget")
	}
	if b := s.pages.bytes.Load(); b > s.pages.maxBytes {
		t.Errorf("%d bytes stored, budget %d", b, s.pages.maxBytes)
	}
	s.pages.Changed()
	for page := 13; page <= 20; page++ {
		get(page) // an empty cache has room
	}
	get(9) // asked for before the change
	if !get(9) {
		t.Error("a page rendered before a change is not stored again at once in a full cache")
	}
	get(21)
	if get(21) {
		t.Error("a page asked for once is stored in a full cache")
	}
}
