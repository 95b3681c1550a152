package server

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"expodesk/internal/expodesk"
)

// benchModelServer is benchServer answering directory pages from the
// in-memory directory, loaded before the benchmark. No listener runs: the
// benchmark database does not change, so the model is told it listens.
func benchModelServer(b *testing.B) *Server {
	return benchModelServerCache(b, false)
}

// benchModelServerCache is benchModelServer, with the page cache on (told
// it listens, as the model is) when cache is true.
func benchModelServerCache(b *testing.B, cache bool) *Server {
	b.Helper()
	srv := benchServer(b)
	srv.cfg.DirectoryModel = true
	srv.cfg.PageCache = cache
	srv2 := New(srv.cfg, Deps{Store: srv.store, Pool: srv.pool, Catalog: srv.catalog, Log: srv.log, Now: time.Now,
		Passwords: srv.passwords, Mail: srv.mail})
	b.Cleanup(srv2.dir.Close)
	srv2.dir.Listening(true)
	if cache {
		srv2.pages.Listening(true)
	}
	expo, err := srv2.store.ExpoGet(context.Background(), "iotswc-2027")
	if err != nil {
		b.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, ok := srv2.dir.Directory(context.Background(), expo, expodesk.DirectoryQuery{ExpoID: expo.ID}); ok {
			return srv2
		}
		if time.Now().After(deadline) {
			b.Fatal("the directory model did not load")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// BenchmarkSearchMissModel is BenchmarkSearchMiss answered from memory.
func BenchmarkSearchMissModel(b *testing.B) {
	srv := benchModelServer(b)
	for _, frag := range []bool{true, false} {
		b.Run(fmt.Sprintf("fragment=%v", frag), func(b *testing.B) {
			i := 0
			m := startCPU(b)
			for b.Loop() {
				q := searchTerms[i%len(searchTerms)]
				i++
				benchGet(b, srv, "/expos/iotswc-2027/exhibitors?q="+url.QueryEscape(q), frag)
			}
			m.report(b)
		})
	}
}

// BenchmarkDirectoryMissModel is BenchmarkDirectoryMiss answered from memory.
func BenchmarkDirectoryMissModel(b *testing.B) {
	srv := benchModelServer(b)
	for _, path := range []string{"/expos/iotswc-2027/pavilions/wuxi-pavilion", "/expos/iotswc-2027/exhibitors"} {
		b.Run(path, func(b *testing.B) {
			m := startCPU(b)
			for b.Loop() {
				benchGet(b, srv, path, false)
			}
			m.report(b)
		})
	}
}

// BenchmarkDirectoryFirstViewModel is a directory page's first view as a
// visitor meets it in production: the page cache on, the page not in it
// (dropped before each request), what pages share (the expo, the country
// list) remembered. Each request stores the page it rendered.
func BenchmarkDirectoryFirstViewModel(b *testing.B) {
	srv := benchModelServerCache(b, true)
	for _, path := range []string{"/expos/iotswc-2027/pavilions/wuxi-pavilion", "/expos/iotswc-2027/exhibitors"} {
		b.Run(path, func(b *testing.B) {
			m := startCPU(b)
			for b.Loop() {
				srv.pages.pages.Purge()
				benchGet(b, srv, path, false)
			}
			m.report(b)
		})
	}
}
