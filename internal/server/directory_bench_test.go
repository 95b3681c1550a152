package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"expodesk/internal/i18n"
	"expodesk/internal/mail"
	"expodesk/internal/postgres"
)

// benchServer is a server without the page cache over the database
// BENCH_DATABASE_URL names: the one `BENCH_KEEP=true make bench` leaves
// running with its 10,000 generated exhibitors (iotswc-2027, wuxi-pavilion).
// Every request it answers is a miss: what a first view, or a new search
// term, costs. Run with
//
//	BENCH_DATABASE_URL=… go test ./internal/server -run '^$' -bench Miss -cpuprofile cpu.out
func benchServer(b *testing.B) *Server {
	b.Helper()
	dbURL := os.Getenv("BENCH_DATABASE_URL")
	if dbURL == "" {
		b.Skip("BENCH_DATABASE_URL is not set (BENCH_KEEP=true make bench prints a database to use)")
	}
	pool, err := pgxpool.New(context.Background(), dbURL)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	catalog, err := i18n.Load()
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(ContextHandler{slog.NewTextHandler(io.Discard, nil)})
	return New(Config{Addr: "127.0.0.1:0", BaseURL: "http://bench.invalid"},
		Deps{Store: postgres.New(pool, time.Now), Pool: pool, Catalog: catalog, Log: log, Now: time.Now,
			Passwords: testHasher(), Mail: mail.NewComposer(catalog)})
}

// benchGet serves one GET through the whole router and fails on anything but 200.
func benchGet(b *testing.B, srv *Server, path string, htmx bool) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s: %d", path, rec.Code)
	}
}

// BenchmarkDirectoryMiss renders the pavilion and the expo directory on every request.
func BenchmarkDirectoryMiss(b *testing.B) {
	srv := benchServer(b)
	for _, path := range []string{"/expos/iotswc-2027/pavilions/wuxi-pavilion", "/expos/iotswc-2027/exhibitors"} {
		b.Run(path, func(b *testing.B) {
			for b.Loop() {
				benchGet(b, srv, path, false)
			}
		})
	}
}

// searchTerms are what a visitor types, keystroke by keystroke, in the three
// languages: one-letter prefixes, accents, ñ, two-character Chinese words.
var searchTerms = []string{
	"l", "lo", "lor", "lora", "loraw", "lorawan",
	"s", "se", "sen", "sens", "senso", "sensor", "sensors",
	"网", "网关", "传感", "传感器", "物联网", "无锡", "智能",
	"c", "cá", "cám", "cáma", "cámaras",
	"señ", "señal", "teleñ", "españa", "ciber", "nube",
	"ma", "mai", "main", "maint", "predictive maint", "gas sens",
}

// BenchmarkSearchMiss asks for a new search term on every request, as
// search-as-you-type does: the htmx fragment of the expo directory.
func BenchmarkSearchMiss(b *testing.B) {
	srv := benchServer(b)
	for _, frag := range []bool{true, false} {
		b.Run(fmt.Sprintf("fragment=%v", frag), func(b *testing.B) {
			i := 0
			for b.Loop() {
				q := searchTerms[i%len(searchTerms)]
				i++
				benchGet(b, srv, "/expos/iotswc-2027/exhibitors?q="+url.QueryEscape(q), frag)
			}
		})
	}
}

// BenchmarkSearchMissTerm times each term on its own, to see which plans are bad.
func BenchmarkSearchMissTerm(b *testing.B) {
	srv := benchServer(b)
	for _, q := range searchTerms {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				benchGet(b, srv, "/expos/iotswc-2027/exhibitors?q="+url.QueryEscape(q), true)
			}
		})
	}
}
