package server

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"expodesk/internal/expodesk"
)

// modelInstance is a server of e answering directory pages from the
// in-memory directory, listening for changes, with or without the page cache.
func modelInstance(t *testing.T, e *testEnv, pageCache bool) (*Server, *httptest.Server) {
	t.Helper()
	cfg := e.cfg
	cfg.PageCache = pageCache
	cfg.DirectoryModel = true
	srv := New(cfg, e.deps)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.ListenForChanges(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return srv, ts
}

// warmModel fetches an expo's directory until the instance's model holds
// it (the first request of an expo is the store's; the load follows).
func warmModel(t *testing.T, srv *Server, ts *httptest.Server, expo expodesk.Expo) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		fetch(t, ts, "/expos/"+expo.Slug+"/exhibitors?lang=en&warm=1")
		if _, ok := srv.dir.Directory(context.Background(), expo, expodesk.DirectoryQuery{ExpoID: expo.ID}); ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the directory model of %s did not load", expo.Slug)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestDirectoryModelTwoInstances: two instances answering directory pages
// from memory (one behind the page cache, one without it) show a profile
// edit, an approval and a withdrawal made through the store once its
// notification has reached them, in search results and listings, and the
// answer comes from the model, not from the store's fallback.
func TestDirectoryModelTwoInstances(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.seed()
	ctx := context.Background()
	srvA, tsA := modelInstance(t, e, true)
	srvB, tsB := modelInstance(t, e, false)
	for _, i := range []struct {
		srv *Server
		ts  *httptest.Server
	}{{srvA, tsA}, {srvB, tsB}} {
		warmModel(t, i.srv, i.ts, f.Barcelona)
		warmModel(t, i.srv, i.ts, f.Wuxi)
	}
	fromModel := func(srv *Server, expo expodesk.Expo, text, slug string) bool {
		t.Helper()
		// PostgreSQL answers while a reload is under way (the page above
		// showed the change already); the model answers once it holds it.
		var p expodesk.DirectoryPage
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			var ok bool
			if p, ok = srv.dir.Directory(ctx, expo, expodesk.DirectoryQuery{ExpoID: expo.ID, Text: text, Lang: expodesk.EN}); ok {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the model of an instance did not answer for %s", expo.Slug)
			}
		}
		for _, e := range p.Entries {
			if e.Slug == slug {
				return true
			}
		}
		return false
	}
	for _, tc := range []struct {
		name   string
		change func()
		path   string
		shows  string
		check  func(srv *Server) bool
	}{{
		name: "ProfileEdit",
		change: func() {
			x := f.Sensing
			x.Name.EN = "Taihu Sensing Zyxwv"
			if _, err := e.store.ExhibitorUpdateProfile(ctx, x); err != nil {
				t.Fatal(err)
			}
		},
		path: "/expos/iotswc-test/exhibitors?lang=en&q=ZYXWV", shows: "Taihu Sensing Zyxwv",
		check: func(srv *Server) bool { return fromModel(srv, f.Barcelona, "zyxwv", f.Sensing.Slug) },
	}, {
		name: "Approval",
		change: func() {
			if _, err := e.store.ParticipationCreate(ctx, expodesk.Participation{ExpoID: f.Wuxi.ID, ExhibitorID: f.Cloud.ID,
				Status: expodesk.StatusApproved}); err != nil {
				t.Fatal(err)
			}
		},
		path: "/expos/wiot-test/exhibitors?lang=en", shows: "Nube Catalana",
		check: func(srv *Server) bool { return fromModel(srv, f.Wuxi, "", f.Cloud.Slug) },
	}, {
		name: "Withdrawal",
		change: func() {
			if _, err := e.pool.Exec(ctx, `UPDATE participation SET status = 'withdrawn' WHERE exhibitor_id = $1 AND expo_id = $2`,
				f.Sensing.ID, f.Barcelona.ID); err != nil {
				t.Fatal(err)
			}
		},
		path: "/expos/iotswc-test/pavilions/wuxi-pavilion?lang=en", shows: "!Taihu Sensing",
		check: func(srv *Server) bool { return !fromModel(srv, f.Barcelona, "", f.Sensing.Slug) },
	}} {
		t.Run(tc.name, func(t *testing.T) {
			// Both instances show the old state first (and the cached one stores it).
			for _, ts := range []*httptest.Server{tsA, tsB} {
				_, body := fetch(t, ts, tc.path)
				if absent, ok := strings.CutPrefix(tc.shows, "!"); ok != strings.Contains(body, absent) {
					t.Fatalf("%s shows the change before it was made", tc.path)
				}
			}
			tc.change()
			for _, i := range []struct {
				srv *Server
				ts  *httptest.Server
			}{{srvA, tsA}, {srvB, tsB}} {
				waitFor(t, i.ts, tc.path, tc.shows)
				if !tc.check(i.srv) {
					t.Errorf("the page shows the change but the model does not")
				}
			}
		})
	}
}
