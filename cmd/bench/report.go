package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"
)

// The targets for the directory page at 64 connections.
const (
	goalRatio = 0.10
	goalP99   = 25 * time.Millisecond
)

// keepMarker separates the generated report from notes people write below
// it, which a new run keeps.
const keepMarker = "<!-- Everything below this line is written by people and kept by `make bench`. -->"

// machine is where the benchmark ran.
type machine struct {
	CPUs       int
	CPUModel   string
	Memory     string
	OS         string
	Kernel     string
	Go         string
	Postgres   string
	PGSettings []string
	Wrk        string
	LoadBefore string
	LoadAfter  string
}

func describeMachine(ctx context.Context, dbURL string) (machine, error) {
	m := machine{CPUs: runtime.NumCPU(), Go: runtime.Version(), LoadBefore: loadAverage()}
	m.CPUModel = procField("/proc/cpuinfo", "model name")
	m.Memory = procField("/proc/meminfo", "MemTotal")
	m.OS = strings.Trim(procField("/etc/os-release", "PRETTY_NAME"), `"`)
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	// wrk -v prints its version and exits with status 1.
	out, _ := exec.CommandContext(ctx, "wrk", "-v").CombinedOutput()
	m.Wrk, _, _ = strings.Cut(strings.TrimSpace(string(out)), "\n")
	m.Wrk, _, _ = strings.Cut(m.Wrk, " Copyright")

	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return m, err
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, "SHOW server_version").Scan(&m.Postgres); err != nil {
		return m, err
	}
	rows, err := conn.Query(ctx, `SELECT name || ' = ' || setting || coalesce(' ' || unit, '') FROM pg_settings
		WHERE name IN ('shared_buffers', 'work_mem', 'effective_cache_size', 'max_connections', 'fsync',
		               'synchronous_commit', 'jit', 'random_page_cost') ORDER BY name`)
	if err != nil {
		return m, err
	}
	m.PGSettings, err = pgx.CollectRows(rows, pgx.RowTo[string])
	return m, err
}

// procField returns the value of the first "name: value" (or name=value) line.
func procField(path, name string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			k, v, ok = strings.Cut(line, "=")
		}
		if ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func ratio(r results, t target) float64 {
	if h := r.helloPerSecond(); h > 0 {
		return t.Result.PerSecond / h
	}
	return 0
}

// resultsTable is the summary printed on stdout.
func resultsTable(r results) string {
	var b bytes.Buffer
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "page\treq/s\tp50\tp99\tratio to hello-world\terrors\t\n")
	for _, t := range r.Targets {
		fmt.Fprintf(w, "%s\t%.0f\t%s\t%s\t%.3f\t%d\t\n", t.Name, t.Result.PerSecond, latency(t.Result, t.Result.P50),
			latency(t.Result, t.Result.P99),
			ratio(r, t), t.Result.Non2xx+t.Result.SocketErrors)
	}
	w.Flush()
	return b.String()
}

func renderReport(r results) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	c := r.Config
	p("# Benchmarks\n\n")
	p("Written by `make bench` (`cmd/bench`) on %s; the run took %s. ", r.Started.Format("2006-01-02 15:04 MST"), r.Took.Round(time.Second))
	p("A benchmark, not a test: it measures and reports, and fails nothing.\n\n")

	p("## How to run\n\n")
	p("```sh\nmake bench\n```\n\n")
	p("which is `go run ./cmd/bench`. It needs only what `make run` needs, plus `wrk` (installed from Debian when missing). ")
	p("Settings: `BENCH_DURATION` (default 10s), `BENCH_WARMUP` (3s), `BENCH_CONNECTIONS` (64), `BENCH_THREADS` (2), ")
	p("`BENCH_EXHIBITORS` (10000), `BENCH_OUT` (this file; `-` prints instead), `BENCH_KEEP=true` (leave the database running for EXPLAIN or profiling), `BENCH_ONLY` (`pages`, `revalidation`, `nginx`, `misses` or `burst`: one part alone; `search`: the misses' search as you type alone). ")
	p("This run: %d threads, %d connections, %s per measured run after %s of warm-up. ",
		c.Load.Threads, c.Load.Connections, c.Load.Duration, c.Warmup)
	p("After the page loads, `make bench` runs [the directory's 304 for `If-None-Match`](#revalidation-a-304-for-the-visitor-peak), ")
	p("[the directory through nginx in front of two instances](#the-directory-through-nginx-two-instances) (`make bench-nginx` alone), ")
	p("[the lines the page cache cannot help](#when-the-cache-cannot-help-10000-exhibitors) ")
	p("(search as you type, first views, the directory while writes commit, memory, PostgreSQL's CPU; `make bench-100k` runs the search on 100,000 exhibitors), ")
	p("[the window-opening burst](#the-window-opening-burst) of bookings ")
	p("(`make bench-burst` runs it alone) and then the import of 10,000 rows (`make bench-import`).\n\n")

	p("## Machine\n\n| | |\n|---|---|\n")
	m := r.Machine
	p("| CPUs (nproc) | %d |\n| CPU | %s |\n| memory | %s |\n| OS | %s, kernel %s |\n", m.CPUs, m.CPUModel, m.Memory, m.OS, m.Kernel)
	p("| Go | %s |\n| PostgreSQL | %s (%s) |\n| load generator | %s |\n", m.Go, m.Postgres, strings.Join(m.PGSettings, ", "), m.Wrk)
	p("| load average (1, 5, 15 min) | %s before, %s after the load runs |\n\n", m.LoadBefore, m.LoadAfter)
	p("wrk, PostgreSQL and the server under test share the same %d CPUs, as the hello-world server does: ", m.CPUs)
	p("the ratio to hello-world is the figure that carries over to other machines, not the rates. ")
	p("Other work on the machine during the run (see the load average) makes every figure lower and noisier.\n\n")

	p("## Data set\n\n")
	d := r.Data
	p("A throwaway cluster (normal durability settings, as `make run`), migrated, then filled in one transaction ")
	p("with `COPY` for %d generated exhibitors (seeded, so every run makes the same rows), then `VACUUM ANALYZE`; %s in all.\n\n",
		d.Exhibitors, d.Took.Round(time.Millisecond))
	p("- Names: %d in English, %d in Chinese, %d in Spanish; descriptions: %d, %d and %d. ",
		d.Languages.NameEN, d.Languages.NameZH, d.Languages.NameES, d.Languages.DescEN, d.Languages.DescZH, d.Languages.DescES)
	p("40 %% Chinese companies (two thirds from Wuxi), 25 %% Spanish, 35 %% from 16 other countries.\n")
	p("- %d exhibitor–sector rows (1–4 sectors each, from two products named in the description).\n", d.Sectors)
	p("- %d roadshow slots on 3 stages, %d booked. No logos (cards show initials).\n", d.Slots, d.Bookings)
	p("- Participations (85 %% approved; the rest applied, invited, rejected or withdrawn, which the directory skips):\n\n")
	p("| expo | pavilion | approved | all |\n|---|---|--:|--:|\n")
	for _, s := range d.Summary {
		pv := s.Pavilion
		if pv == "" {
			pv = "(none)"
		}
		p("| %s | %s | %d | %d |\n", s.Expo, pv, s.Approved, s.Total)
	}
	p("\n")

	p("## Method\n\n")
	p("`cmd/bench` builds `./cmd/expodesk` and starts `expodesk serve` on a free port with `LOG_LEVEL=warn`, ")
	p("so that the per-request access log (one JSON line at info) does not dominate what is measured; ")
	p("the database pool is the server's default (`DB_MAX_CONNS` 20). Beside it, the same benchmark binary runs a hello-world server: ")
	p("a plain `net/http` handler writing %q, in a process of its own with the same Go runtime defaults. ", helloBody)
	p("Each URL is fetched once and must answer 200 with the expected content, then loaded with wrk, ")
	p("first for the warm-up and then measured. Every measured run is:\n\n")
	p("```sh\nwrk %s\n```\n\n", strings.Join(c.Load.args(c.Load.Duration, "http://127.0.0.1:<port><path>"), " "))
	p("`--timeout %s` replaces wrk's default of 2 s, which would leave slower responses out of the latency figures ", wrkTimeout)
	p("(wrk counts them as timeout errors instead). ")
	p("The hello-world server is measured first and last; the ratio is to the mean of the two. ")
	p("Requests carry no cookie or Accept-Language, so every page is in English.\n\n")

	p("## Results\n\n")
	p("| page | path | exhibitors listed or matched | response | req/s | p50 | p99 | ratio to hello-world | errors |\n")
	p("|---|---|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, t := range r.Targets {
		matched := ""
		if t.Matches >= 0 {
			matched = fmt.Sprint(t.Matches)
		}
		errs := fmt.Sprint(t.Result.Non2xx + t.Result.SocketErrors)
		if t.Result.SocketDetail != "" {
			errs += " (" + t.Result.SocketDetail + ")"
		}
		name := t.Name
		if t.Goal {
			name = "**" + name + "**"
		}
		p("| %s | `%s` | %s | %s | %.0f | %s | %s | %.3f | %s |\n", name, t.Path, matched, kb(t.Bytes),
			t.Result.PerSecond, latency(t.Result, t.Result.P50), latency(t.Result, t.Result.P99), ratio(r, t), errs)
	}
	p("\n")

	p("## Against the targets\n\n")
	for _, t := range r.Targets {
		if !t.Goal {
			continue
		}
		rt := ratio(r, t)
		p("**%s**, the %s (`%s`), %d connections, on this %d-CPU machine (load average %s before, %s after):\n\n",
			r.Started.Format("2006-01-02"), t.Name, t.Path, c.Load.Connections, m.CPUs, m.LoadBefore, m.LoadAfter)
		p("- rate: %.0f req/s = **%.3f × hello-world** (%.0f req/s); target at least %.2f: **%s**.\n",
			t.Result.PerSecond, rt, r.helloPerSecond(), goalRatio, verdict(rt >= goalRatio))
		p("- p99 latency: **%s**; target under %s: **%s**.\n\n", latency(t.Result, t.Result.P99), ms(goalP99),
			verdict(t.Result.Requests > 0 && t.Result.SocketErrors == 0 && t.Result.P99 < goalP99))
	}

	if r.ServerLogLines > 0 {
		p("**The server logged %d lines at warn or above during the load runs**, which cost time in what was measured; the first:\n\n```\n", r.ServerLogLines)
		for _, l := range r.ServerLog {
			p("%s\n", l)
		}
		p("```\n\n")
	} else {
		p("The server logged nothing at warn or above during the load runs.\n\n")
	}

	bd := r.Breakdown
	p("## Where a directory request's time goes\n\n")
	p("The pavilion directory's store calls and its rendering, timed in the benchmark process one call at a time ")
	p("(`testing.Benchmark`, nothing else running; the handler makes these calls in this order). ")
	p("Allocations are the benchmark process's: pgx decoding and templ rendering, as in the server.\n\n")
	p("| step | time per call | allocations | allocated |\n|---|--:|--:|--:|\n")
	var sum time.Duration
	for _, s := range bd.Steps {
		p("| %s | %s | %d | %s |\n", s.Name, ms(s.PerOp), s.Allocs, kb(int(s.AllocBytes)))
		if !strings.Contains(s.Name, "q=") {
			sum += s.PerOp
		}
	}
	p("\nOne pavilion directory request, without HTTP and middleware: about **%s** of database round trips and rendering ", ms(sum))
	p("(%s of HTML). The data fits in shared buffers, so nearly all of it is CPU time, in PostgreSQL or in Go: ", kb(bd.HTMLBytes))
	p("%d CPUs cannot serve more than about %.0f such requests a second, before HTTP, the middleware and wrk take their share.\n\n",
		m.CPUs, float64(m.CPUs)/sum.Seconds())

	p("### The queries, explained\n\n")
	p("Every statement the directory pages send, recorded with a pgx tracer and run again under `EXPLAIN (ANALYZE, BUFFERS)` ")
	p("with the same arguments: once as a one-off (planned for those arguments), and once as the server's connections run it ")
	p("once warm: pgx prepares each statement per connection, and from the sixth execution on PostgreSQL may keep a *generic* plan, ")
	p("made without looking at the arguments.\n\n")
	p("| page | statement | planning | execution, one-off | plan once warm | execution, once warm |\n|---|---|--:|--:|---|--:|\n")
	for _, q := range bd.Plans {
		p("| %s | `%s` | %s | %s | %s | %s |\n", q.Page, strings.ReplaceAll(firstLine(q.SQL), "|", `\|`), ms(q.Planning),
			ms(q.Execution), q.Settled, ms(q.SettledExecution))
	}
	p("\n")
	for _, q := range bd.Plans {
		p("<details><summary>%s: <code>%s</code></summary>\n\n", q.Page, htmlEscape(firstLine(q.SQL)))
		p("```sql\n%s\n-- arguments: %s\n```\n\nOne-off:\n\n```\n%s\n```\n\n", strings.TrimSpace(q.SQL), formatArgs(q.Args), q.Text)
		p("Once warm (%s plan):\n\n```\n%s\n```\n\n</details>\n\n", q.Settled, q.SettledText)
	}
	return b.String()
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "missed"
}

func kb(n int) string { return fmt.Sprintf("%.1f KB", float64(n)/1024) }

func formatArgs(args []any) string {
	var parts []string
	for i, a := range args {
		switch v := a.(type) {
		case string:
			parts = append(parts, fmt.Sprintf("$%d = %q", i+1, v))
		default:
			parts = append(parts, fmt.Sprintf("$%d = %v", i+1, v))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
