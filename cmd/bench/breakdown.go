package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"
	"github.com/jackc/pgx/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
	"expodesk/internal/postgres"
	"expodesk/web"
)

// step is one part of a directory request, timed in this process, one call
// at a time, with nothing else running.
type step struct {
	Name       string
	PerOp      time.Duration
	Allocs     int64
	AllocBytes int64
}

// queryPlan is the EXPLAIN ANALYZE of one statement the store sent.
type queryPlan struct {
	Page      string // which measured page sent it
	SQL       string
	Args      []any
	Planning  time.Duration
	Execution time.Duration
	Text      string
	// The plan a server connection settles on: pgx prepares every statement
	// once per connection, and after five executions PostgreSQL may switch
	// to a generic plan that ignores the arguments' values.
	Settled          string // "generic" or "custom"
	SettledExecution time.Duration
	SettledText      string
}

// breakdown is where a directory request's time goes.
type breakdown struct {
	Steps     []step
	HTMLBytes int
	Plans     []queryPlan
}

// recorder is a pgx tracer that keeps every statement sent, with its arguments.
type recorder struct {
	queries []queryPlan
}

func (r *recorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	// A leading pgx.QueryExecMode (the store plans searches per term) is an
	// instruction to pgx, not a query parameter.
	args := d.Args
	if len(args) > 0 {
		if _, ok := args[0].(pgx.QueryExecMode); ok {
			args = args[1:]
		}
	}
	r.queries = append(r.queries, queryPlan{SQL: d.SQL, Args: args})
	return ctx
}

func (r *recorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// directoryView asks the store what the directory handler asks and builds
// the same view (internal/server/directory.go; kept in step by hand).
func directoryView(ctx context.Context, s *postgres.Store, expoSlug, pavilionSlug, text string) (web.DirectoryView, error) {
	expo, err := s.ExpoGet(ctx, expoSlug)
	if err != nil {
		return web.DirectoryView{}, err
	}
	v := web.DirectoryView{Expo: expo, Path: "/expos/" + expo.Slug + "/exhibitors"}
	if pavilionSlug != "" {
		pv, err := s.PavilionGet(ctx, expo.ID, pavilionSlug)
		if err != nil {
			return v, err
		}
		v.Pavilion = &pv
		v.Path = "/expos/" + expo.Slug + "/pavilions/" + pv.Slug
	}
	v.Query = expodesk.DirectoryQuery{ExpoID: expo.ID, Text: text, Lang: expodesk.EN}.Clean()
	if v.Pavilion != nil {
		v.Query.PavilionID = v.Pavilion.ID
	}
	if v.Sectors, err = s.SectorList(ctx); err != nil {
		return v, err
	}
	if v.Result, err = s.Directory(ctx, v.Query); err != nil {
		return v, err
	}
	v.Countries, err = s.DirectoryCountries(ctx, expo.ID, v.Query.PavilionID)
	return v, err
}

// renderContext is the request context the page components expect.
func renderContext(ctx context.Context, catalog *i18n.Catalog, path string) context.Context {
	ctx = templ.WithNonce(ctx, "bench")
	return web.WithRequest(ctx, web.Request{Lang: expodesk.EN, Loc: catalog.Localizer(expodesk.EN), URL: &url.URL{Path: path}})
}

// measureBreakdown times each store call and the rendering of the pavilion
// directory page, and explains every statement the directory pages send.
func measureBreakdown(ctx context.Context, dbURL string, ds dataset, searches []searchTerm) (breakdown, error) {
	var bd breakdown
	pool, err := postgres.Open(ctx, dbURL, 2)
	if err != nil {
		return bd, err
	}
	defer pool.Close()
	store := postgres.New(pool, time.Now)
	catalog, err := i18n.Load()
	if err != nil {
		return bd, err
	}
	v, err := directoryView(ctx, store, ds.Expo.Slug, ds.Pavilion.Slug, "")
	if err != nil {
		return bd, err
	}
	rctx := renderContext(ctx, catalog, v.Path)
	page := web.Page{Title: v.Pavilion.Name.EN, Description: v.Pavilion.Description.EN}
	var html bytes.Buffer
	if err := web.DirectoryPage(page, v).Render(rctx, &html); err != nil {
		return bd, fmt.Errorf("render directory: %w", err)
	}
	bd.HTMLBytes = html.Len()

	q := v.Query
	var errs []error
	timed := func(name string, fn func() error) {
		r := testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := fn(); err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", name, err))
					b.FailNow()
				}
			}
		})
		bd.Steps = append(bd.Steps, step{Name: name, PerOp: time.Duration(r.NsPerOp()),
			Allocs: r.AllocsPerOp(), AllocBytes: r.AllocedBytesPerOp()})
	}
	timed("ExpoGet", func() error { _, err := store.ExpoGet(ctx, ds.Expo.Slug); return err })
	timed("PavilionGet", func() error { _, err := store.PavilionGet(ctx, ds.Expo.ID, ds.Pavilion.Slug); return err })
	timed("SectorList", func() error { _, err := store.SectorList(ctx); return err })
	timed("Directory (count, then page 1 of 24 cards)", func() error { _, err := store.Directory(ctx, q); return err })
	timed("DirectoryCountries", func() error { _, err := store.DirectoryCountries(ctx, ds.Expo.ID, ds.Pavilion.ID); return err })
	timed("render web.DirectoryPage (templ, into a buffer)", func() error {
		html.Reset()
		return web.DirectoryPage(page, v).Render(rctx, &html)
	})
	for _, s := range searches {
		sq := expodesk.DirectoryQuery{ExpoID: ds.Expo.ID, Text: s.Text, Lang: expodesk.EN}.Clean()
		timed(fmt.Sprintf("Directory q=%s (whole expo; the search page)", s.Text), func() error {
			_, err := store.Directory(ctx, sq)
			return err
		})
	}
	if len(errs) > 0 {
		return bd, errs[0]
	}

	// Record what each measured directory page sends, then explain it.
	rec := &recorder{}
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		return bd, err
	}
	cfg.Tracer = rec
	traced, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return bd, fmt.Errorf("connect: %w", err)
	}
	defer traced.Close(ctx)
	tstore := postgres.New(traced, time.Now)
	pages := []struct{ name, pavilion, text string }{{"pavilion directory", ds.Pavilion.Slug, ""}}
	for _, s := range searches {
		pages = append(pages, struct{ name, pavilion, text string }{"search q=" + s.Text, "", s.Text})
	}
	for _, p := range pages {
		rec.queries = nil
		if _, err := directoryView(ctx, tstore, ds.Expo.Slug, p.pavilion, p.text); err != nil {
			return bd, err
		}
		recorded := rec.queries
		rec.queries = nil
		for _, qp := range recorded {
			qp.Page = p.name
			if err := explain(ctx, traced, &qp); err != nil {
				return bd, err
			}
			if err := explainSettled(ctx, traced, &qp); err != nil {
				return bd, err
			}
			bd.Plans = append(bd.Plans, qp)
		}
	}
	return bd, nil
}

var (
	planningTime  = regexp.MustCompile(`Planning Time: ([0-9.]+) ms`)
	executionTime = regexp.MustCompile(`Execution Time: ([0-9.]+) ms`)
)

func explain(ctx context.Context, conn *pgx.Conn, qp *queryPlan) error {
	rows, err := conn.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+qp.SQL, qp.Args...)
	if err != nil {
		return fmt.Errorf("explain %s: %w", firstLine(qp.SQL), err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("explain %s: %w", firstLine(qp.SQL), err)
	}
	qp.Text = strings.Join(lines, "\n")
	ms := func(re *regexp.Regexp) time.Duration {
		if m := re.FindStringSubmatch(qp.Text); m != nil {
			v, _ := strconv.ParseFloat(m[1], 64)
			return time.Duration(v * float64(time.Millisecond))
		}
		return 0
	}
	qp.Planning, qp.Execution = ms(planningTime), ms(executionTime)
	return nil
}

// explainSettled prepares the statement as pgx does, executes it five times
// and explains the sixth execution, which uses the plan the plan cache then
// keeps: custom (planned for the arguments) or generic.
func explainSettled(ctx context.Context, conn *pgx.Conn, qp *queryPlan) error {
	lits := make([]string, len(qp.Args))
	for i, a := range qp.Args {
		switch v := a.(type) {
		case string:
			lits[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
		case int, int32, int64:
			lits[i] = fmt.Sprint(v)
		default:
			return fmt.Errorf("explain %s: argument of type %T", firstLine(qp.SQL), a)
		}
	}
	execute := "EXECUTE bench_stmt"
	if len(lits) > 0 {
		execute += "(" + strings.Join(lits, ", ") + ")"
	}
	if _, err := conn.Exec(ctx, "PREPARE bench_stmt AS "+qp.SQL); err != nil {
		return fmt.Errorf("prepare %s: %w", firstLine(qp.SQL), err)
	}
	defer func() { _, _ = conn.Exec(context.WithoutCancel(ctx), "DEALLOCATE bench_stmt") }()
	for range 5 {
		if _, err := conn.Exec(ctx, execute); err != nil {
			return fmt.Errorf("execute %s: %w", firstLine(qp.SQL), err)
		}
	}
	rows, err := conn.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+execute)
	if err != nil {
		return fmt.Errorf("explain %s: %w", firstLine(qp.SQL), err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("explain %s: %w", firstLine(qp.SQL), err)
	}
	qp.SettledText = strings.Join(lines, "\n")
	var generic int64
	if err := conn.QueryRow(ctx, "SELECT generic_plans FROM pg_prepared_statements WHERE name = 'bench_stmt'").Scan(&generic); err != nil {
		return fmt.Errorf("read plan kind: %w", err)
	}
	qp.Settled = "custom"
	if generic > 0 {
		qp.Settled = "generic"
	}
	if m := executionTime.FindStringSubmatch(qp.SettledText); m != nil {
		v, _ := strconv.ParseFloat(m[1], 64)
		qp.SettledExecution = time.Duration(v * float64(time.Millisecond))
	}
	return nil
}

// firstLine shortens a statement to its first 90 characters on one line.
func firstLine(sql string) string {
	s := strings.Join(strings.Fields(sql), " ")
	if r := []rune(s); len(r) > 90 {
		s = string(r[:90]) + "…"
	}
	return s
}
