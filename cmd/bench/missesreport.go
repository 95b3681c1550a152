package main

import (
	"bytes"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
)

// missesMarkers are the lines around the misses' section for a data set of
// n exhibitors: each size has a section of its own, so that make bench-100k
// keeps the 10,000's figures and the other way round.
func missesMarkers(n int) (begin, end string) {
	return fmt.Sprintf("<!-- The misses' section for %d exhibitors, written by `make bench`. -->", n),
		fmt.Sprintf("<!-- End of the misses' section for %d exhibitors. -->", n)
}

// missesSections are the report's misses sections: the 10,000's and the
// 100,000's, and this run's size if it is another, each with text when it
// is the size measured (exhibitors), or kept as it was.
func missesSections(exhibitors int, text string) []section {
	var out []section
	for _, n := range []int{10000, 100000, exhibitors} {
		if len(out) == 2 && (n == 10000 || n == 100000) {
			break
		}
		begin, end := missesMarkers(n)
		s := section{Begin: begin, End: end}
		if n == exhibitors {
			s.Text = text
		}
		out = append(out, s)
	}
	return out
}

// missesTable is the section's summary printed on stdout.
func missesTable(m missResults) string {
	var b bytes.Buffer
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "%d exhibitors\tconns\treq/s\tp50\tp99\tratio\thits\terrors\tgoal\t\n", m.Exhibitors)
	for _, h := range m.Hello {
		fmt.Fprintf(w, "hello-world\t%d\t%.0f\t%s\t%s\t%.3f\t\t%d\t\t\n", 0, h.PerSecond, ms(h.P50), ms(h.P99), m.ratio(h), h.Non2xx+h.SocketErrors)
	}
	for _, l := range m.Lines {
		r := l.Run.Result
		v := ""
		if met, ok := m.met(l); ok {
			v = verdict(met)
		}
		fmt.Fprintf(w, "%s\t%d\t%.0f\t%s\t%s\t%.3f\t%d\t%d\t%s\t\n", l.Name, l.Conns, r.PerSecond, latency(r, r.P50), latency(r, r.P99),
			m.ratio(r), l.Run.Script.Hits, r.Non2xx+r.SocketErrors, v)
	}
	w.Flush()
	fmt.Fprintf(&b, "server memory: VmHWM %d MB, VmRSS %d MB\n", m.Memory.HWM/1024, m.Memory.RSS/1024)
	return b.String()
}

// goalText describes a line's goal.
func goalText(g goal) string {
	var parts []string
	if g.Ratio > 0 {
		parts = append(parts, fmt.Sprintf("≥ %.2f ×", g.Ratio))
	}
	if g.P99 > 0 {
		parts = append(parts, fmt.Sprintf("p99 < %d ms", g.P99/time.Millisecond))
	}
	return strings.Join(parts, ", ")
}

func pct(f float64) string { return fmt.Sprintf("%.0f %%", 100*f) }

// renderMisses is the misses' section of the report.
func renderMisses(m missResults, c config, mc machine) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	begin, end := missesMarkers(m.Exhibitors)
	p("%s\n\n", begin)
	title := "When the cache cannot help"
	if m.SearchOnly {
		title = "Search as you type"
	}
	p("## %s: %d exhibitors\n\n", title, m.Exhibitors)
	p("Written by `make bench` on %s (%s; the data set of %d exhibitors was generated in %s, the section took %s); %d-CPU machine, load average %s before, %s after. ",
		m.Started.Format("2006-01-02 15:04 MST"), onlyCommand(c, m.Exhibitors), m.Exhibitors, m.Generated.Round(time.Second), m.Took.Round(time.Second), mc.CPUs, m.LoadBefore, m.LoadAfter)
	p("Each line asks for a different page on each request (the search box's next keystroke, another page's first view), ")
	p("so that the page cache (on, as in production, unless the line says `PAGE_CACHE=false`) cannot answer it; ")
	p("the *hits* column counts the answers that came from the cache all the same (`X-Cache: hit`): a run asking for more pages than its list holds wraps around. ")
	p("Ratios are to hello-world measured at the start and the end of this section (%s req/s on average) with `%s`.\n\n",
		fmt.Sprintf("%.0f", m.helloPerSecond()), m.HelloCmd)

	p("| line | connections | pages in the list | req/s | ratio to hello-world | p50 | p99 | cache hits | errors | goal | |\n")
	p("|---|--:|--:|--:|--:|--:|--:|--:|--:|---|---|\n")
	for i, h := range m.Hello {
		name := "hello-world"
		if i > 0 {
			name += " (again)"
		}
		p("| %s | %d | | %.0f | %.3f | %s | %s | | %d | | |\n", name, c.Load.Connections, h.PerSecond, m.ratio(h), ms(h.P50), ms(h.P99), h.Non2xx+h.SocketErrors)
	}
	for _, l := range m.Lines {
		r := l.Run.Result
		v := ""
		if met, ok := m.met(l); ok {
			v = "**" + verdict(met) + "**"
		}
		errs := fmt.Sprint(r.Non2xx + r.SocketErrors)
		if r.SocketDetail != "" {
			errs += " (" + r.SocketDetail + ")"
		}
		p("| %s | %d | %d | %.0f | **%.3f** | %s | **%s** | %d of %d | %s | %s | %s |\n", l.Name, l.Conns, l.List.Count, r.PerSecond, m.ratio(r),
			latency(r, r.P50), latency(r, r.P99), l.Run.Script.Hits, r.Requests, errs, goalText(l.Goal), v)
	}
	p("\n")

	p("**The server's memory** (`/proc/<pid>/status` of the `expodesk serve` process after its runs): ")
	p("peak resident (VmHWM) **%.0f MB**, resident at the end (VmRSS) %.0f MB, with the page cache on; goal under %d MB: **%s**.",
		float64(m.Memory.HWM)/1024, float64(m.Memory.RSS)/1024, goalRSS/1024, verdict(m.Memory.HWM > 0 && m.Memory.HWM < goalRSS))
	if m.MemoryUncached.HWM > 0 {
		p(" The server with `PAGE_CACHE=false`: VmHWM %.0f MB, VmRSS %.0f MB.", float64(m.MemoryUncached.HWM)/1024, float64(m.MemoryUncached.RSS)/1024)
	}
	p("\n\n")

	p("**Where the CPU went** during each measured run: the CPU time of the server process, of the cluster's PostgreSQL processes ")
	p("(the postmaster and its children, with the children that ended) and of wrk, from `/proc/<pid>/stat` (utime + stime) before and after, ")
	p("as CPUs kept busy on average (the machine has %d) and as shares of the three's sum:\n\n", mc.CPUs)
	p("| line | connections | server | PostgreSQL | wrk | PostgreSQL's share |\n|---|--:|--:|--:|--:|--:|\n")
	for _, l := range m.Lines {
		u := l.Run.CPU
		p("| %s | %d | %.2f (%s) | %.2f (%s) | %.2f (%s) | **%s** |\n", l.Name, l.Conns, u.cores(u.Server), pct(u.share(u.Server)),
			u.cores(u.Postgres), pct(u.share(u.Postgres)), u.cores(u.Wrk), pct(u.share(u.Wrk)), pct(u.share(u.Postgres)))
	}
	p("\n")

	for _, l := range m.Lines {
		if l.Writes == nil {
			continue
		}
		w := l.Writes
		p("**The writes during \"%s\"**: asked for %d a second for %s; made %d (%.0f a second): ", l.Name, w.Rate, w.Took.Round(time.Millisecond), w.total(), w.perSecond())
		var kinds []string
		for k := range writeKinds {
			kinds = append(kinds, fmt.Sprintf("%d %s", w.Done[k], k))
		}
		p("%s; %d failed, %d ticks dropped with every writer busy; each write's commit p50 %s, p99 %s.", strings.Join(kinds, ", "), w.Errors, w.Late, ms(w.P50), ms(w.P99))
		if len(w.ErrSample) > 0 {
			p(" The first errors: `%s`.", strings.Join(w.ErrSample, "`; `"))
		}
		p("\n\n")
	}
	if m.ServerLogLines > 0 {
		p("**The servers logged %d lines at warn or above during these runs**; the first:\n\n```\n%s\n```\n\n", m.ServerLogLines, strings.Join(m.ServerLog, "\n"))
	} else {
		p("The servers logged nothing at warn or above during these runs.\n\n")
	}

	p("### What each line asks for\n\n")
	mix := make([]string, 0, termKinds)
	for k := range termKinds {
		mix = append(mix, fmt.Sprintf("%d %s", m.Mix[k], k))
	}
	p("- **Search as you type**: %d distinct terms made from the expo's approved companies' names in the three languages and the products and applications their descriptions name: ", m.Terms)
	p("every prefix of a Latin name from two characters on, as typed (lower case, up to three words: `se`, `señ`, … `señalnet redes`), ")
	p("and every run of two and of three Chinese characters (an input method commits words, not letters). ")
	p("The mix: %s, spread evenly through the list. ", strings.Join(mix, ", "))
	p("Each request is `GET <directory>?lang=<en|zh|es>&q=<term>` with `HX-Request: true`, as the search box sends it (htmx, the results fragment): ")
	p("Chinese terms in Chinese, accented ones in Spanish, the others in English. The expo's and the pavilion's runs use the same terms (different pages); ")
	p("the 64-connection run continues the list where the 16-connection run (and its warm-up) stopped.\n")
	if !m.SearchOnly {
		p("- **First view, directory**: every directory page a visitor can reach from the filters: the expo's directory and each of its pavilions', ")
		p("no sector or one, no country or one, pages 1 to %d of the result, in each language (`?lang=…`), only combinations that list somebody; shuffled. ", directoryMaxPages)
		p("Each is the page's first view since the cache last dropped it (as after a change to any company of the expo, which drops them all), ")
		p("with what the server remembers across pages (the sector list, a directory's country list) already remembered: the cost of the page itself.\n")
		p("- **First view, exhibitor page**: every approved company of the expo's page, in each language, shuffled.\n")
		p("- **`PAGE_CACHE=false`**: the same lists against a second server started with the page cache off (nothing remembered), from the start of the lists.\n")
		p("- **While writes commit**: the pavilion directory's page 1 (cached) at %d connections, first quiet, then while the benchmark commits %d writes a second ", c.Load.Connections, writesPerSecond)
		p("straight to the database from 8 connections at a fixed rate (a tick every %s): half edits of a company approved at the expo (its English description), ", time.Second/writesPerSecond)
		p("half bookings made and cancelled in turn on free slots of the expo's stages (each a transaction of its own, firing the same triggers and change notifications as the site's writes, without the audit rows). ")
		p("Every profile edit names the expo, so each drops the directory's cached pages. These two lines run first, on a cache holding only the pages they ask for.\n")
		p("- **Quiet, after the lines above**: the same page 1 again once the search and first-view runs have filled the cache with their pages: ")
		p("the *hits* column says whether the cache still takes the directory in.\n")
	}
	p("\nThe commands (the lists are made afresh by each run; the script is below):\n\n```sh\n%s\n", m.HelloCmd)
	for _, l := range m.Lines {
		p("%s   # %s\n", l.Cmd, l.Name)
	}
	p("```\n\n<details><summary><code>paths.lua</code></summary>\n\n```lua\n%s```\n\n</details>\n\n", pathsScript)
	p("%s\n\n", end)
	return b.String()
}

// onlyCommand is how the section is made alone.
func onlyCommand(c config, exhibitors int) string {
	switch {
	case exhibitors >= 100000 && c.Only == onlySearch:
		return "`make bench-100k`"
	case c.Only == onlySearch:
		return fmt.Sprintf("`BENCH_ONLY=search BENCH_EXHIBITORS=%d go run ./cmd/bench`", exhibitors)
	}
	return "alone: `BENCH_ONLY=misses go run ./cmd/bench`"
}
