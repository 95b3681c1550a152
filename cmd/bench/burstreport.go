package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

// The goals for the window-opening burst.
const (
	goalBurstAnswer   = 2 * time.Second        // every request answered within
	goalBurstP99      = 500 * time.Millisecond // p99 per request under
	goalBurstDirRatio = 0.8                    // the directory during the burst, at least this × quiet
)

// The burst's section of the report lies between these lines, so that
// `make bench-burst` rewrites it alone and `BENCH_ONLY=pages` keeps it.
const (
	burstBegin = "<!-- The burst's section, written by `make bench` and `make bench-burst`. -->"
	burstEnd   = "<!-- End of the burst's section. -->"
)

// dirRatio is the directory's rate during the burst over its quiet rate.
func (r burstResult) dirRatio() float64 {
	if r.Quiet.PerSecond == 0 {
		return 0
	}
	return r.During.PerSecond / r.Quiet.PerSecond
}

// bookingsPerSecond is the bookings made over the time until every request was answered.
func (r burstResult) bookingsPerSecond() float64 {
	if r.AllAnswered <= 0 {
		return 0
	}
	return float64(r.Winners) / r.AllAnswered.Seconds()
}

// burstTable is the burst's summary printed on stdout.
func burstTable(r burstResult) string {
	var b bytes.Buffer
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "burst\t%d companies, %d slots, %d requests\n", r.Companies, r.Slots, r.Requests)
	fmt.Fprintf(w, "bookings/s\t%.0f (%d winners in %s)\n", r.bookingsPerSecond(), r.Winners, r.AllAnswered.Round(time.Millisecond))
	fmt.Fprintf(w, "per request\tp50 %s, p99 %s, max %s\n", ms(r.P50), ms(r.P99), ms(r.Max))
	fmt.Fprintf(w, "losers\t%d told none is left, %d gave up, %d errors\n", r.NoneLeft, r.GaveUp, r.Errors)
	fmt.Fprintf(w, "invariants\t%d slots booked twice, %d overlaps, %d over quota\n", r.Violations.Double, r.Violations.Overlap, r.Violations.OverQuota)
	fmt.Fprintf(w, "directory\t%.0f req/s quiet, %.0f during (%.2f)\n", r.Quiet.PerSecond, r.During.PerSecond, r.dirRatio())
	fmt.Fprintf(w, "pgbench\t%.0f tps\n", r.PG.TPS)
	w.Flush()
	return b.String()
}

// renderBurst is the burst's section of the report.
func renderBurst(r burstResult, c config, m machine) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("%s\n\n## The window-opening burst\n\n", burstBegin)
	p("Written by `cmd/bench` on %s; the burst's part of the run took %s. ", r.Started.Format("2006-01-02 15:04 MST"), r.Took.Round(time.Second))
	p("It runs in `make bench` after the page loads, or alone:\n\n")
	p("```sh\nmake bench-burst\n# which is: BENCH_ONLY=burst go run ./cmd/bench\n```\n\n")
	p("which rewrites this section only (`BENCH_ONLY=pages` leaves it as it is). ")
	p("Settings: `BENCH_BURST_COMPANIES` (default 500), `BENCH_BURST_SLOTS` (100); the data set is the one above ")
	p("(`BENCH_EXHIBITORS`), made the same way. This run: %d companies, %d slots.\n\n", r.Companies, r.Slots)

	p("### What happens\n\n")
	p("- **Data.** An expo of its own (`%s`) with %d free slots on %d stages over two days, quota **1** slot per company, ", burstExpo, r.Slots, burstStages)
	p("the booking window closed. %d companies of the data set approved at it by `COPY`, each with a team member's account ", r.Companies)
	p("(one argon2id hash with the production parameters, made once and shared, so every account can sign in on the real form; ")
	p("one of them does, to show it) and a signed-in session written with the server's own session manager ")
	p("(scs over PostgreSQL, hashed tokens), which costs a row instead of an argon2id check per company; %s in all.\n", r.Setup.Round(time.Millisecond))
	p("- **Two instances.** `expodesk serve` twice on the same database, `LOG_LEVEL=warn`, the default pool (`DB_MAX_CONNS` 20 each). ")
	p("Companies alternate between them: %d requests went to the first, %d to the second.\n", r.PerInstance[0], r.PerInstance[1])
	p("- **Before the opening.** Each company is a client of its own in the benchmark process: its own cookie jar with its session, ")
	p("its own kept-alive connection. It loads its booking page (`GET /exhibitor/expos/%s/slots`, which must answer 200 with book buttons) ", burstExpo)
	p("and picks the slot it wants from the page's book buttons, earlier ones wanted more (the square of a uniform draw: ")
	p("a tenth of the slots draw about a third of the companies). expodesk has no CSRF token to fetch: its forms are guarded by ")
	p("Go's `CrossOriginProtection`, so the clients send `Origin` and `Sec-Fetch-Site: same-origin`, as a browser does.\n")
	p("- **The opening.** The expo's window is set to open at one instant a few seconds ahead; every client waits at a barrier, ")
	p("released at that instant. Each POSTs its slot's book form. A 303 is a booking (the redirect is not followed). ")
	p("A 409 must say the slot was just taken; the client reads the nearest free slots the answer offers (the book buttons ")
	p("inside the notice, `cmd/bench/burstpage.go`), presses one of them at random, and so on, up to %d presses in all; ", burstAttempts)
	p("told that no other slot is free, it stops. Anything else is an error.\n")
	p("- **Visitors meanwhile.** %d connections in a Go loop GET the pavilion directory (`%s`, served from the page cache) ", burstDirConns, r.DirPath)
	p("on the second instance, from %s before the opening: its rate in the %s just before the opening is the quiet rate, ", burstWarm+burstQuiet, burstQuiet)
	p("its rate from the opening to the last booking answer the rate during the burst.\n")
	p("- **After.** An invariant query over the expo's bookings (reading the slots' own times, not the column the exclusion ")
	p("constraint uses); then the instances stop and `pgbench` runs its default TPC-B-like script at scale %d ", pgbenchScale)
	p("in a database of its own in the same cluster (initialized in %s): a yardstick of the cluster on this machine.\n\n", r.PG.Init.Round(time.Millisecond))

	p("### Results\n\n| | |\n|---|--:|\n")
	p("| requests (presses of a book button) | %d |\n", r.Requests)
	p("| **winners** (bookings made) | **%d** of %d slots |\n", r.Winners, r.Slots)
	p("| losers told the slot was taken and no other is free | %d |\n", r.NoneLeft)
	p("| losers still offered slots after %d presses (gave up) | %d |\n", burstAttempts, r.GaveUp)
	errs := fmt.Sprint(r.Errors)
	p("| errors (any other answer) | %s |\n", errs)
	var wins []string
	for i, n := range r.WonAtTry {
		wins = append(wins, fmt.Sprintf("%d at press %d", n, i+1))
	}
	p("| winners by press | %s |\n", strings.Join(wins, ", "))
	p("| time until every request was answered | %s |\n", ms(r.AllAnswered))
	p("| time until the last booking was answered | %s |\n", ms(r.LastWin))
	p("| bookings/s (winners ÷ time until every request was answered) | %.0f |\n", r.bookingsPerSecond())
	p("| requests/s over the same time | %.0f |\n", float64(r.Requests)/max(r.AllAnswered.Seconds(), 1e-9))
	p("| per request: p50 / p99 / max | %s / %s / %s |\n", ms(r.P50), ms(r.P99), ms(r.Max))
	p("| answers that booked (303): p50 / p99 | %s / %s |\n", ms(r.WonP50), ms(r.WonP99))
	p("| answers that did not (409, the booking page with the notice, %s uncompressed): p50 / p99 | %s / %s |\n", kb(r.LostBytes), ms(r.LostP50), ms(r.LostP99))
	p("| a 409 alone, after the burst (a loser pressing its slot again, 20 times one after the other): p50 | %s |\n", ms(r.AloneP50))
	v := r.Violations
	p("| invariants: slots booked twice, companies at two slots at once, companies over quota | %d, %d, %d |\n", v.Double, v.Overlap, v.OverQuota)
	p("| the expo's active bookings; slots left free | %d; %d |\n", v.Active, v.FreeLeft)
	p("| directory, quiet (%s before the opening): req/s, p50, p99 | %.0f, %s, %s |\n", r.Quiet.Took.Round(time.Millisecond), r.Quiet.PerSecond, ms(r.Quiet.P50), ms(r.Quiet.P99))
	p("| directory, during the burst (%s): req/s, p50, p99 | %.0f, %s, %s |\n", r.During.Took.Round(time.Millisecond), r.During.PerSecond, ms(r.During.P50), ms(r.During.P99))
	p("| directory errors, quiet and during | %d, %d |\n", r.Quiet.Errors, r.During.Errors)
	p("| pgbench `%s` (scale %d, %s): tps, latency average, failed | %.0f, %s, %d of %d |\n", strings.Join(r.PG.Args, " "), pgbenchScale, r.PG.Version,
		r.PG.TPS, ms(r.PG.LatencyAvg), r.PG.Failed, r.PG.Transactions)
	p("| load average (1, 5, 15 min) | %s before, %s after |\n\n", r.LoadBefore, r.LoadAfter)
	if len(r.ErrorSample) > 0 {
		p("The first errors:\n\n```\n%s\n```\n\n", strings.Join(r.ErrorSample, "\n"))
	}
	if r.ServerLogLines > 0 {
		p("**The instances logged %d lines at warn or above during the burst**; the first:\n\n```\n%s\n```\n\n", r.ServerLogLines, strings.Join(r.ServerLog, "\n"))
	} else {
		p("The instances logged nothing at warn or above during the burst.\n\n")
	}

	p("### Against the goals\n\n")
	p("**%s**, on this %d-CPU machine (load average %s before, %s after):\n\n", r.Started.Format("2006-01-02"), m.CPUs, r.LoadBefore, r.LoadAfter)
	p("- every request answered within %s: the slowest took **%s** (all answered %s after the opening): **%s**.\n",
		ms(goalBurstAnswer), ms(r.Max), ms(r.AllAnswered), verdict(r.Requests > 0 && r.Errors == 0 && r.Max <= goalBurstAnswer))
	p("- p99 per request under %s: **%s**: **%s**.\n", ms(goalBurstP99), ms(r.P99), verdict(r.Requests > 0 && r.P99 < goalBurstP99))
	p("- directory during the burst at least %.1f × quiet: %.0f ÷ %.0f req/s = **%.2f**: **%s**.\n", goalBurstDirRatio,
		r.During.PerSecond, r.Quiet.PerSecond, r.dirRatio(), verdict(r.dirRatio() >= goalBurstDirRatio))
	p("- as many winners as slots, every other answer a 409 saying the slot was taken, nothing wrong in the bookings: %d winners of %d slots, %d errors, invariants %d, %d, %d: **%s**.\n\n",
		r.Winners, r.Slots, r.Errors, v.Double, v.Overlap, v.OverQuota,
		verdict(r.Winners == min(r.Slots, r.Companies) && r.Errors == 0 && v == bookingCheck{Active: r.Winners, FreeLeft: r.Slots - r.Winners}))
	p("The clients, the directory loop, both instances and PostgreSQL share the same %d CPUs; ", m.CPUs)
	p("whatever else runs on the machine (see the load average) takes its share too.\n\n%s\n\n", burstEnd)
	return b.String()
}

// section is a part of the report between two marker lines, which a run
// that does not measure it keeps as it was. Text includes the markers;
// "" keeps the previous file's.
type section struct{ Begin, End, Text string }

// composeReport puts a report together from the previous file's text and
// what this run wrote: the page loads' part (pages), the sections (the
// misses', the burst's) and the notes people keep below keepMarker. A part
// this run did not write is kept from the previous file.
func composeReport(old, pages string, sections ...section) string {
	notes := keepMarker + "\n"
	generated := old
	if before, after, ok := strings.Cut(old, keepMarker); ok {
		generated, notes = before, keepMarker+after
	}
	texts := make([]string, len(sections))
	for k, s := range sections {
		if i := strings.Index(generated, s.Begin); i >= 0 {
			if j := strings.Index(generated[i:], s.End); j >= 0 {
				end := i + j + len(s.End)
				texts[k] = strings.TrimLeft(generated[i:end], "\n") + "\n\n"
				generated = generated[:i] + strings.TrimLeft(generated[end:], "\n")
			}
		}
		if s.Text != "" {
			texts[k] = s.Text
		}
	}
	if pages == "" {
		pages = generated
	}
	return pages + strings.Join(texts, "") + notes
}

// writeReport writes the report to path, keeping from the file it replaces
// the part this run did not write and what people wrote below keepMarker.
func writeReport(path, pages string, sections ...section) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	return os.WriteFile(path, []byte(composeReport(string(old), pages, sections...)), 0o644)
}
