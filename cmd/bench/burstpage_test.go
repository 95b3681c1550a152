package main

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
	"expodesk/internal/urls"
	"expodesk/web"
)

// bookingPage renders the real booking page, as the server answers a
// company: with the notice of a lost slot when taken, offering nearest.
func bookingPage(t *testing.T, taken bool, nearest, free []int64) string {
	t.Helper()
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	expo := expodesk.Expo{ID: 1, Slug: burstExpo, Name: expodesk.Text{EN: "Window Opening Expo"}, TimeZone: "Europe/Madrid",
		FirstDay: day(2027, 9, 14), LastDay: day(2027, 9, 15), SlotQuota: 1}
	at := time.Date(2027, 9, 14, 10, 0, 0, 0, expo.Location())
	slot := func(id int64) expodesk.FreeSlot {
		start := at.Add(time.Duration(id) * 30 * time.Minute)
		return expodesk.FreeSlot{SlotID: id, StartsAt: start, EndsAt: start.Add(25 * time.Minute), StageID: 1,
			StageName: expodesk.Text{EN: "Stage A"}}
	}
	v := web.BookingSlotsView{Expo: expo, Approved: true, Rules: []web.RulesShown{{Rules: expodesk.BookingRules{ExpoID: 1, SlotQuota: 1}}}}
	var frees []expodesk.FreeSlot
	for _, id := range free {
		frees = append(frees, slot(id))
	}
	v.Days = web.GroupFreeSlots(frees, expo.Location())
	if taken {
		v.Taken = true
		v.Notice = catalog.Localizer(expodesk.EN).T("booking.slot_taken")
		for _, id := range nearest {
			v.Nearest = append(v.Nearest, slot(id))
		}
	}
	var b strings.Builder
	ctx := renderContext(context.Background(), catalog, urls.ExhibitorSlots(burstExpo, nil))
	if err := web.BookingSlotsPage(web.Page{Title: "Book"}, v).Render(ctx, &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func actionsOf(ids ...int64) []string {
	var out []string
	for _, id := range ids {
		out = append(out, urls.ExhibitorSlotBook(burstExpo, id))
	}
	return out
}

func TestBookActions(t *testing.T) {
	t.Parallel()
	page := bookingPage(t, false, nil, []int64{3, 4, 7})
	if got, want := bookActions(page), actionsOf(3, 4, 7); !slices.Equal(got, want) {
		t.Errorf("book actions %q, want %q", got, want)
	}
	if a := readLost(page, mustTexts(t)); a.Taken || a.NoneLeft || a.Nearest != nil {
		t.Errorf("a page without a notice read as %+v", a)
	}
	if got := bookActions(`<form method="get" action="/expos/x/agenda"><form class="inline-form" action="/exhibitor/expos/a&amp;b/slots/12/book" method="post">`); !slices.Equal(got, []string{"/exhibitor/expos/a&b/slots/12/book"}) {
		t.Errorf("attribute order and escaping: %q", got)
	}
}

func mustTexts(t *testing.T) pageTexts {
	t.Helper()
	texts, err := loadPageTexts()
	if err != nil {
		t.Fatal(err)
	}
	return texts
}

func TestReadLost(t *testing.T) {
	t.Parallel()
	texts := mustTexts(t)
	t.Run("Nearest", func(t *testing.T) {
		t.Parallel()
		// The nearest are the notice's buttons, not the full list below it.
		page := bookingPage(t, true, []int64{5, 9}, []int64{1, 5, 9, 11})
		a := readLost(page, texts)
		if !a.Taken || a.NoneLeft || !slices.Equal(a.Nearest, actionsOf(5, 9)) {
			t.Errorf("read %+v, want taken with the nearest %q", a, actionsOf(5, 9))
		}
	})
	t.Run("NoneLeft", func(t *testing.T) {
		t.Parallel()
		a := readLost(bookingPage(t, true, nil, nil), texts)
		if !a.Taken || !a.NoneLeft || len(a.Nearest) != 0 {
			t.Errorf("read %+v, want taken and none left", a)
		}
	})
	t.Run("OtherNotice", func(t *testing.T) {
		t.Parallel()
		// A notice that is not "just taken" (the quota, the window) is neither.
		page := strings.Replace(bookingPage(t, true, []int64{5}, []int64{5}), texts.taken, "You hold as many slots as you may book.", 1)
		if a := readLost(page, texts); a.Taken || a.NoneLeft || a.Nearest != nil {
			t.Errorf("read %+v, want nothing", a)
		}
	})
}

func TestParsePgbench(t *testing.T) {
	t.Parallel()
	r, err := parsePgbench(`pgbench (15.18 (Debian 15.18-0+deb12u1))
starting vacuum...end.
transaction type: <builtin: TPC-B (sort of)>
scaling factor: 10
query mode: simple
number of clients: 10
number of threads: 2
maximum number of tries: 1
duration: 5 s
number of transactions actually processed: 16605
number of failed transactions: 0 (0.000%)
latency average = 3.002 ms
initial connection time = 42.597 ms
tps = 3331.500891 (without initial connection time)
`)
	if err != nil {
		t.Fatal(err)
	}
	want := pgbenchResult{Version: "15.18 (Debian 15.18-0+deb12u1)", Transactions: 16605, LatencyAvg: 3002 * time.Microsecond, TPS: 3331.500891}
	if r.Version != want.Version || r.Transactions != want.Transactions || r.Failed != 0 || r.LatencyAvg != want.LatencyAvg || r.TPS != want.TPS {
		t.Errorf("parsed %+v, want %+v", r, want)
	}
	if _, err := parsePgbench("pgbench: error: connection to server failed\n"); err == nil {
		t.Error("a failed run parsed")
	}
}

func TestComposeReport(t *testing.T) {
	t.Parallel()
	burst := func(s string) string { return burstBegin + "\n\n" + s + "\n\n" + burstEnd + "\n\n" }
	notes := keepMarker + "\n\nNotes.\n"
	for _, c := range []struct {
		name, old, pages, burst, want string
	}{
		{"NewFile", "", "# P1\n", burst("B1"), "# P1\n" + burst("B1") + keepMarker + "\n"},
		{"Everything", "# P0\n" + burst("B0") + notes, "# P1\n", burst("B1"), "# P1\n" + burst("B1") + notes},
		{"BurstOnly", "# P0\n\n" + burst("B0") + notes, "", burst("B1"), "# P0\n\n" + burst("B1") + notes},
		{"BurstOnlyFirstTime", "# P0\n\n" + notes, "", burst("B1"), "# P0\n\n" + burst("B1") + notes},
		{"PagesOnly", "# P0\n" + burst("B0") + notes, "# P1\n", "", "# P1\n" + burst("B0") + notes},
	} {
		if got := composeReport(c.old, c.pages, section{burstBegin, burstEnd, c.burst}); got != c.want {
			t.Errorf("%s:\n%s\nwant\n%s", c.name, got, c.want)
		}
	}
	// Two sections: each kept or replaced on its own, in their order.
	misses := func(s string) string { return "<!-- m -->\n\n" + s + "\n\n<!-- /m -->\n\n" }
	old := "# P0\n" + misses("M0") + burst("B0") + notes
	sections := func(m, b string) []section {
		return []section{{"<!-- m -->", "<!-- /m -->", m}, {burstBegin, burstEnd, b}}
	}
	if got, want := composeReport(old, "", sections(misses("M1"), "")...), "# P0\n"+misses("M1")+burst("B0")+notes; got != want {
		t.Errorf("misses only:\n%s\nwant\n%s", got, want)
	}
	if got, want := composeReport("# P0\n"+burst("B0")+notes, "", sections(misses("M1"), "")...), "# P0\n"+misses("M1")+burst("B0")+notes; got != want {
		t.Errorf("misses the first time:\n%s\nwant\n%s", got, want)
	}
	if got, want := composeReport(old, "# P1\n", sections("", "")...), "# P1\n"+misses("M0")+burst("B0")+notes; got != want {
		t.Errorf("pages only:\n%s\nwant\n%s", got, want)
	}
}

func TestWindow(t *testing.T) {
	t.Parallel()
	t0 := time.Unix(1000, 0)
	var samples []dirSample
	for i := range 10 {
		samples = append(samples, dirSample{End: t0.Add(time.Duration(i) * 100 * time.Millisecond), Lat: time.Duration(i+1) * time.Millisecond, OK: i != 3})
	}
	w := window(samples, t0.Add(200*time.Millisecond), t0.Add(700*time.Millisecond))
	if w.Requests != 5 || w.Errors != 1 || w.PerSecond != 10 || w.P50 != 5*time.Millisecond || w.P99 != 7*time.Millisecond {
		t.Errorf("window %+v", w)
	}
	if p := percentile(nil, 0.5); p != 0 {
		t.Errorf("percentile of nothing %s", p)
	}
}

func TestMissesSections(t *testing.T) {
	t.Parallel()
	texts := func(ss []section) []string {
		var out []string
		for _, s := range ss {
			out = append(out, s.Begin[:strings.Index(s.Begin, " exhibitors")]+"="+s.Text)
		}
		return out
	}
	for _, c := range []struct {
		n    int
		want string
	}{
		{10000, "<!-- The misses' section for 10000=T|<!-- The misses' section for 100000="},
		{100000, "<!-- The misses' section for 10000=|<!-- The misses' section for 100000=T"},
		{20000, "<!-- The misses' section for 10000=|<!-- The misses' section for 100000=|<!-- The misses' section for 20000=T"},
	} {
		if got := strings.Join(texts(missesSections(c.n, "T")), "|"); got != c.want {
			t.Errorf("%d: %s, want %s", c.n, got, c.want)
		}
	}
}
