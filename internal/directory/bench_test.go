package directory

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
)

// The benchmarks run against the database BENCH_DATABASE_URL names: the one
// `BENCH_KEEP=true make bench` leaves running (10,000 generated exhibitors;
// iotswc-2027 has 7,209 approved participations):
//
//	BENCH_DATABASE_URL=… go test ./internal/directory -run '^$' -bench DirectorySearch -benchtime 200x

// benchTerms are what search as you type sends, prefix by prefix, in three
// languages (docs/benchmarks.md, "Where a directory miss goes", measured the same terms).
var benchTerms = []string{"l", "lo", "lorawan", "s", "se", "sen", "sensor", "网", "网关", "传感", "传感器", "无锡",
	"智能", "c", "cá", "cám", "señ", "señal", "españa", "ma", "smart 无锡"}

func benchStore(b *testing.B) (*postgres.Store, expodesk.Expo) {
	b.Helper()
	url := os.Getenv("BENCH_DATABASE_URL")
	if url == "" {
		b.Skip("BENCH_DATABASE_URL names no benchmark database")
	}
	ctx := context.Background()
	pool, err := postgres.Open(ctx, url, 4)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	store := postgres.New(pool, time.Now)
	expo, err := store.ExpoGet(ctx, "iotswc-2027")
	if err != nil {
		b.Fatal(err)
	}
	return store, expo
}

// heapAfterGC is the live heap.
func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkDirectorySearch answers page 1 of each term for the whole expo,
// from the model and from the store's Directory query; it reports a load
// (query and build) and the snapshot's memory.
func BenchmarkDirectorySearch(b *testing.B) {
	store, expo := benchStore(b)
	ctx := context.Background()
	m := New(store.DirectoryRows, store.DirectoryOrders, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var snap *snapshot
	// A reload: the rows, placed in the orders already read.
	b.Run("reload", func(b *testing.B) {
		for b.Loop() {
			rows, err := store.DirectoryRows(ctx, expo.ID)
			if err != nil {
				b.Fatal(err)
			}
			if err := m.placeRows(ctx, rows); err != nil {
				b.Fatal(err)
			}
			snap = build(1, rows)
		}
		b.ReportMetric(float64(len(snap.rows)), "rows")
	})
	// Reading the orders again (after a rename or a new company).
	b.Run("orders", func(b *testing.B) {
		for b.Loop() {
			if _, err := store.DirectoryOrders(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	snap = nil
	before := heapAfterGC()
	rows, err := store.DirectoryRows(ctx, expo.ID)
	if err != nil {
		b.Fatal(err)
	}
	if err := m.placeRows(ctx, rows); err != nil {
		b.Fatal(err)
	}
	snap = build(1, rows)
	rows = nil
	mem := float64(heapAfterGC()-before) / (1 << 20)
	b.Logf("iotswc-2027: %d rows, %.1f MB in memory (%.2f KB a row; signatures %d bits a row)",
		len(snap.rows), mem, mem*1024/float64(len(snap.rows)), snap.words*64)
	for _, term := range benchTerms {
		q := expodesk.DirectoryQuery{ExpoID: expo.ID, Text: term, Lang: expodesk.EN}.Clean()
		b.Run("model/"+term, func(b *testing.B) {
			var p expodesk.DirectoryPage
			for b.Loop() {
				p = snap.search(q)
			}
			b.ReportMetric(float64(p.Total), "matches")
		})
		b.Run("postgres/"+term, func(b *testing.B) {
			var p expodesk.DirectoryPage
			for b.Loop() {
				if p, err = store.Directory(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(p.Total), "matches")
		})
	}
	runtime.KeepAlive(snap)
}

// BenchmarkDirectorySearch100k estimates an expo of 100,000 approved
// participations: the benchmark database's rows repeated (other ids, the
// same texts and interleaved orders) into one snapshot, its memory and
// each term's page 1.
func BenchmarkDirectorySearch100k(b *testing.B) {
	store, expo := benchStore(b)
	ctx := context.Background()
	base, err := store.DirectoryRows(ctx, expo.ID)
	if err != nil {
		b.Fatal(err)
	}
	m := New(store.DirectoryRows, store.DirectoryOrders, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := m.placeRows(ctx, base); err != nil {
		b.Fatal(err)
	}
	const n = 100_000
	before := heapAfterGC()
	rows := make([]Row, 0, n)
	for k := 0; len(rows) < n; k++ {
		for _, r := range base {
			if len(rows) == n {
				break
			}
			// Copies of the strings, as rows loaded from the database have.
			r.Search = string([]byte(r.Search))
			r.SearchNames = string([]byte(r.SearchNames))
			r.Slug = fmt.Sprintf("%s-%d", r.Slug, k)
			r.ID += int64(k) * 1_000_000
			r.RankEN = r.RankEN*20 + int32(k)
			r.RankZH = r.RankZH*20 + int32(k)
			r.RankES = r.RankES*20 + int32(k)
			rows = append(rows, r)
		}
	}
	start := time.Now()
	snap := build(1, rows)
	took := time.Since(start)
	rows = nil
	mem := float64(heapAfterGC()-before) / (1 << 20)
	b.Logf("%d rows: %.1f MB in memory (%.2f KB a row), built in %s", len(snap.rows), mem, mem*1024/float64(len(snap.rows)), took)
	for _, term := range benchTerms {
		q := expodesk.DirectoryQuery{ExpoID: expo.ID, Text: term, Lang: expodesk.EN}.Clean()
		b.Run("model/"+term, func(b *testing.B) {
			var p expodesk.DirectoryPage
			for b.Loop() {
				p = snap.search(q)
			}
			b.ReportMetric(float64(p.Total), "matches")
		})
	}
	runtime.KeepAlive(snap)
}

// BenchmarkDirectoryBuild indexes the expo's rows once loaded: what a
// snapshot costs the instance's CPU apart from the query.
func BenchmarkDirectoryBuild(b *testing.B) {
	store, expo := benchStore(b)
	m := New(store.DirectoryRows, store.DirectoryOrders, slog.New(slog.NewTextHandler(io.Discard, nil)))
	rows, err := store.DirectoryRows(context.Background(), expo.ID)
	if err != nil {
		b.Fatal(err)
	}
	if err := m.placeRows(context.Background(), rows); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		build(1, slices.Clone(rows))
	}
	b.ReportMetric(float64(len(rows)), "rows")
}
