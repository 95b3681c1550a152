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
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

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
	pool, err := postgres.Open(context.Background(), dbURL, 20)
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

// cpuMeter reports CPU time per request, of this process and of the
// PostgreSQL cluster whose postmaster.pid BENCH_PG_PIDFILE names (its
// children: the backends): unlike wall time, it hardly moves when other
// work shares the machine's CPUs.
type cpuMeter struct {
	goStart, pgStart time.Duration
	pgPid            string
}

func startCPU(b *testing.B) *cpuMeter {
	m := &cpuMeter{}
	if f := os.Getenv("BENCH_PG_PIDFILE"); f != "" {
		if data, err := os.ReadFile(f); err == nil {
			m.pgPid = strings.TrimSpace(strings.SplitN(string(data), "\n", 2)[0])
		}
	}
	m.goStart, m.pgStart = goCPU(), pgCPU(m.pgPid)
	return m
}

func (m *cpuMeter) report(b *testing.B) {
	n := float64(b.N)
	b.ReportMetric(float64(goCPU()-m.goStart)/n/1e6, "go-cpu-ms/op")
	if m.pgPid != "" {
		b.ReportMetric(float64(pgCPU(m.pgPid)-m.pgStart)/n/1e6, "pg-cpu-ms/op")
	}
}

func goCPU() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// pgCPU is the user and system time of the postmaster's children: those
// running, and those gone (the postmaster's cutime and cstime).
func pgCPU(ppid string) time.Duration {
	if ppid == "" {
		return 0
	}
	// stat's fields after the command's closing parenthesis: state(3) ppid(4)
	// … utime(14) stime(15) cutime(16) cstime(17).
	fields := func(pid string) []string {
		data, err := os.ReadFile("/proc/" + pid + "/stat")
		if err != nil {
			return nil
		}
		i := strings.LastIndexByte(string(data), ')')
		return strings.Fields(string(data[i+1:]))
	}
	field := func(f []string, n int) int64 {
		v, _ := strconv.ParseInt(f[n-3], 10, 64)
		return v
	}
	var ticks int64
	if f := fields(ppid); len(f) >= 15 {
		ticks += field(f, 16) + field(f, 17)
	}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if f := fields(e.Name()); len(f) >= 15 && f[1] == ppid {
			ticks += field(f, 14) + field(f, 15)
		}
	}
	return time.Duration(ticks) * 10 * time.Millisecond // USER_HZ is 100 on Linux
}

// BenchmarkDirectoryMiss renders the pavilion and the expo directory on every request.
func BenchmarkDirectoryMiss(b *testing.B) {
	srv := benchServer(b)
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

// BenchmarkSearchMissTerm times each term on its own, to see which plans are bad.
func BenchmarkSearchMissTerm(b *testing.B) {
	srv := benchServer(b)
	for _, q := range searchTerms {
		b.Run(q, func(b *testing.B) {
			m := startCPU(b)
			for b.Loop() {
				benchGet(b, srv, "/expos/iotswc-2027/exhibitors?q="+url.QueryEscape(q), true)
			}
			m.report(b)
		})
	}
}

// BenchmarkExhibitorMiss renders a different approved company's page on each
// request, in turn: an exhibitor page's first view. With cache=true the
// page cache is on (told it listens, the database not changing), so the
// expos and pavilions are remembered; an unknown parameter makes each
// request a miss all the same.
func BenchmarkExhibitorMiss(b *testing.B) {
	for _, cache := range []bool{false, true} {
		b.Run(fmt.Sprintf("cache=%v", cache), func(b *testing.B) { benchExhibitorMiss(b, cache) })
	}
}

func benchExhibitorMiss(b *testing.B, cache bool) {
	srv := benchServer(b)
	if cache {
		srv.cfg.PageCache = true
		srv = New(srv.cfg, Deps{Store: srv.store, Pool: srv.pool, Catalog: srv.catalog, Log: srv.log, Now: time.Now,
			Passwords: srv.passwords, Mail: srv.mail})
		srv.pages.Listening(true)
	}
	rows, err := srv.pool.Query(context.Background(), `SELECT e.slug FROM exhibitor e
		JOIN participation p ON p.exhibitor_id = e.id JOIN expo x ON x.id = p.expo_id
		WHERE x.slug = 'iotswc-2027' AND p.status = 'approved' ORDER BY e.id LIMIT 2000`)
	if err != nil {
		b.Fatal(err)
	}
	var slugs []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			b.Fatal(err)
		}
		slugs = append(slugs, s)
	}
	if rows.Err() != nil || len(slugs) == 0 {
		b.Fatalf("no exhibitors: %v", rows.Err())
	}
	m := startCPU(b)
	i := 0
	for b.Loop() {
		benchGet(b, srv, "/exhibitors/"+slugs[i%len(slugs)]+"?n="+strconv.Itoa(i), false)
		i++
	}
	m.report(b)
}
