package server

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// axeSource is axe-core 4.14.1 (MPL-2.0, see testdata/axe-core.LICENSE),
// vendored with `npm pack axe-core@4` so that the tests need no network.
//
//go:embed testdata/axe.min.js
var axeSource string

// browserStep bounds every browser step, so that a hang fails fast.
const browserStep = 15 * time.Second

// TestBrowser clicks through the visitor pages in headless Chromium: the
// flows people use (V1–V5), accessibility (axe-core, keyboard), phone widths,
// pages without JavaScript, and the promise that nothing loads from other
// hosts (X). One Chromium serves every subtest, each in its own tab.
func TestBrowser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	b := startBrowser(t, e.ts.URL)

	t.Run("VisitorFlow", func(t *testing.T) { testBrowserVisitorFlow(t, b) })
	t.Run("SearchWithoutJavaScript", func(t *testing.T) { testBrowserSearchWithoutJavaScript(t, b) })
	t.Run("Keyboard", func(t *testing.T) { testBrowserKeyboard(t, b) })
	t.Run("PhoneWidth", func(t *testing.T) { testBrowserPhoneWidth(t, b) })
	t.Run("SignInPages", func(t *testing.T) { testBrowserSignInPages(t, b) })
	t.Run("AgendaOwnZone", func(t *testing.T) { testBrowserAgendaOwnZone(t, b) })
}

// testBrowserAgendaOwnZone: the agenda offers the browser's own zone, but
// reads it only when the visitor reaches for the list. Reading it at load
// (Intl.DateTimeFormat's first use) was 1.7 s of Lighthouse's blocking time.
func testBrowserAgendaOwnZone(t *testing.T, b *browser) {
	tb := b.newTab(t, chromedp.WithNewBrowserContext())
	const zone = "Pacific/Chatham" // not among the zones the page lists
	if _, err := chromedp.Call(tb.ctx, emulation.SetTimezoneOverride,
		emulation.SetTimezoneOverrideParams{TimezoneID: zone}); err != nil {
		t.Fatalf("set the browser's zone: %v", err)
	}
	tb.load("open the agenda", chromedp.Navigate(b.base+"/expos/iotswc-test/agenda?lang=en"))
	has := fmt.Sprintf(`[...document.querySelectorAll("#tz option")].some(o => o.value === %q)`, zone)
	tb.do("let the page settle", chromedp.Sleep(300*time.Millisecond))
	if run(tb, "look for the browser's zone", chromedp.Evaluate[bool](has)) {
		t.Error("the browser's zone was read at load; want it read when the zone list is used")
	}
	tb.do("focus the zone list", chromedp.Focus(chromedp.ID("tz")))
	second := run(tb, "read the second option", chromedp.Evaluate[string](`document.querySelectorAll("#tz option")[1].value`))
	if second != zone {
		t.Errorf("second option after focusing the list = %q, want the browser's zone %q", second, zone)
	}
}

// testBrowserVisitorFlow browses home → expo → pavilion → exhibitor by
// clicking, searches the directory as one types, switches to Chinese and
// opens the agenda, checking every page with axe-core.
func testBrowserVisitorFlow(t *testing.T, b *browser) {
	tb := b.newTab(t)
	tb.do("open the home page", chromedp.Navigate(b.base+"/"))
	tb.wantText("h1", "Sister IoT expos")
	tb.axe("home")

	tb.click("expo card", `.expo-card a[href="/expos/iotswc-test"]`)
	tb.wantText("h1", "IoT Solutions World Congress")
	tb.axe("expo")

	tb.click("pavilion card", `#main a[href="/expos/iotswc-test/pavilions/wuxi-pavilion"]`)
	tb.wantText("h1", "Wuxi Pavilion")
	tb.axe("pavilion")

	tb.click("exhibitor card", `#results a[href="/exhibitors/taihu-sensing"]`)
	tb.wantText("h1", "Taihu Sensing")
	tb.wantText("#main", "传感器赋能智慧城市")
	tb.axe("exhibitor")

	tb.click("expo breadcrumb", `.breadcrumbs a[href="/expos/iotswc-test"]`)
	tb.click("browse exhibitors", `.actions a[href="/expos/iotswc-test/exhibitors"]`)
	tb.wantText("h1", "Exhibitors")
	tb.wantText("#results .result-count", "2 exhibitors found")
	tb.axe("directory")

	// Search as one types: htmx replaces #results and pushes the URL, and
	// the page itself stays (a marker on window survives).
	tb.do("mark the document", chromedp.Evaluate[chromedp.Void](`window.__sameDocument = true`))
	tb.do("type a search", chromedp.SendKeys(chromedp.ID("q"), "传感"))
	run(tb, "wait for the results", chromedp.Poll[bool](
		`document.querySelector('#results .result-count').textContent.includes('1 exhibitor found') &&
		 new URLSearchParams(location.search).get('q') === '传感'`,
		chromedp.WithPollingTimeout(browserStep)))
	if same := run(tb, "read the marker", chromedp.Evaluate[bool](`window.__sameDocument === true`)); !same {
		t.Error("typing a search reloaded the page; want htmx to replace #results only")
	}
	tb.wantText("#results-status", "1 exhibitor found") // announced to screen readers
	cards := run(tb, "list result cards", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('#results .exhibitor-card h3')].map(h => h.textContent.trim())`))
	if len(cards) != 1 || cards[0] != "Taihu Sensing" {
		t.Errorf("results after typing 传感 = %q, want [Taihu Sensing]", cards)
	}
	tb.axe("directory after a search")

	// The language switch keeps the search the visitor typed.
	tb.click("language switch", `.lang-switch a[hreflang="zh-Hans"]`)
	if lang := run(tb, "read html lang", chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "zh-Hans" {
		t.Errorf(`<html lang> = %q after switching to 中文, want "zh-Hans"`, lang)
	}
	tb.wantText("h1", "展商名录")
	tb.wantText("#results .result-count", "找到 1 家展商")
	if q := run(tb, "read the query", chromedp.Evaluate[string](`new URLSearchParams(location.search).get('q') || ''`)); q != "传感" {
		t.Errorf("q after switching language = %q, want 传感 (the switch should keep the search)", q)
	}
	tb.axe("directory in Chinese")

	tb.click("expo link", `.page-head a[href="/expos/iotswc-test"]`)
	tb.wantText("h1", "物联网解决方案世界大会")
	tb.click("agenda button", `.actions a[href="/expos/iotswc-test/agenda"]`)
	tb.wantText("h1", "路演日程")
	tb.wantText(".agenda-day", "10:30–11:00 CEST")
	tb.wantText(".agenda-day", "传感器赋能智慧城市")
	tb.axe("agenda in Chinese")
}

// testBrowserSearchWithoutJavaScript submits the directory's search form in
// a browser that runs no scripts: it must filter by a plain page load.
func testBrowserSearchWithoutJavaScript(t *testing.T, b *browser) {
	tb := b.newTab(t, chromedp.WithNewBrowserContext())
	if _, err := chromedp.Call(tb.ctx, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("disable JavaScript: %v", err)
	}
	tb.do("open the directory", chromedp.Navigate(b.base+"/expos/iotswc-test/exhibitors?lang=en"))
	tb.wantText("#results .result-count", "2 exhibitors found")

	// Typing alone changes nothing: no script runs to search as one types.
	tb.do("type a search", chromedp.SendKeys(chromedp.ID("q"), "Nube"), chromedp.Sleep(600*time.Millisecond))
	tb.wantText("#results .result-count", "2 exhibitors found")
	tb.load("submit the search with Enter", chromedp.SendKeys(chromedp.ID("q"), "\n"))
	if u := tb.location(); u.Query().Get("q") != "Nube" {
		t.Errorf("URL after Enter = %s, want ?q=Nube", u)
	}
	tb.wantText("#results .result-count", "1 exhibitor found")
	tb.wantText("#results", "Nube Catalana")

	// Filters: choose a sector with the keyboard (scripts cannot set values
	// here) and submit with the button.
	tb.do("open the directory again", chromedp.Navigate(b.base+"/expos/iotswc-test/exhibitors"))
	tb.do("choose the sector Energy", chromedp.Focus(chromedp.ID("sector")), chromedp.KeyEvent("Energy"))
	tb.load("submit with the button", chromedp.Click(chromedp.CSS(`form.filters button[type=submit]`)))
	if u := tb.location(); u.Query().Get("sector") != "energy" {
		t.Errorf("URL after the button = %s, want ?sector=energy", u)
	}
	tb.wantText("#results .result-count", "1 exhibitor found")
	tb.wantText("#results", "Nube Catalana")
}

// testBrowserKeyboard checks that the first Tab reaches the skip link, that
// it moves focus to the main content, and that focus is visible.
func testBrowserKeyboard(t *testing.T, b *browser) {
	tb := b.newTab(t)
	tb.do("open the home page", chromedp.Navigate(b.base+"/"))
	tb.do("press Tab", chromedp.KeyEvent(kb.Tab))
	focused := run(tb, "read the focused element", chromedp.Evaluate[focusInfo](focusInfoJS))
	if !strings.Contains(focused.Class, "skip-link") {
		t.Fatalf("first Tab focused %s, want the skip link", focused)
	}
	if !focused.Visible || !focused.Ring {
		t.Errorf("skip link when focused: %s; want it on screen with a visible focus outline", focused)
	}
	tb.do("press Enter", chromedp.KeyEvent(kb.Enter))
	focused = run(tb, "read the focused element", chromedp.Evaluate[focusInfo](focusInfoJS))
	if focused.ID != "main" {
		t.Errorf("after Enter on the skip link, focus is on %s, want #main", focused)
	}
	tb.do("press Tab", chromedp.KeyEvent(kb.Tab))
	focused = run(tb, "read the focused element", chromedp.Evaluate[focusInfo](focusInfoJS))
	if focused.Tag != "A" || !focused.Ring {
		t.Errorf("first Tab inside main focused %s, want a link with a visible focus outline", focused)
	}
}

// testBrowserSignInPages checks the public account pages with axe-core,
// including a sign-in form that came back with an error.
func testBrowserSignInPages(t *testing.T, b *browser) {
	tb := b.newTab(t)
	tb.allow("status of 401 (Unauthorized) (" + b.base + "/signin)") // the failed sign-in, on purpose
	for _, u := range []string{"/signin?lang=en", "/password/forgot?lang=es", "/signin?lang=zh"} {
		tb.do("open "+u, chromedp.Navigate(b.base+u))
		tb.axe(u)
	}
	tb.do("open /signin", chromedp.Navigate(b.base+"/signin?lang=en"))
	tb.do("fill in the form",
		chromedp.SendKeys(chromedp.CSS(`main input[type=email]`), "nobody@example.com"),
		chromedp.SendKeys(chromedp.CSS(`main input[type=password]`), "not the password"))
	tb.loadStatus("sign in with a wrong password", 401, chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
	if v := run(tb, "read the email field", chromedp.Value(chromedp.CSS(`main input[type=email]`))); v != "nobody@example.com" {
		t.Errorf("email after a failed sign-in = %q, want what was typed", v)
	}
	tb.axe("a failed sign-in")
}

// focusInfo describes document.activeElement.
type focusInfo struct {
	Tag, ID, Class, Text string
	// Visible is true when the element is inside the viewport.
	Visible bool
	// Ring is true when the element matches :focus-visible and it, its
	// ::after box (stretched links) or its card draws an outline.
	Ring bool
}

func (f focusInfo) String() string {
	return fmt.Sprintf("<%s id=%q class=%q>%q (visible %v, focus ring %v)", f.Tag, f.ID, f.Class, f.Text, f.Visible, f.Ring)
}

const focusInfoJS = `(() => {
	const el = document.activeElement;
	const r = el.getBoundingClientRect();
	const drawn = s => s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
	const card = el.closest('.card');
	return {
		Tag: el.tagName, ID: el.id, Class: el.className || '', Text: (el.textContent || '').trim().slice(0, 60),
		Visible: r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight,
		Ring: el.matches(':focus-visible') && (drawn(getComputedStyle(el)) || drawn(getComputedStyle(el, '::after')) ||
			(card !== null && drawn(getComputedStyle(card)))),
	};
})()`

// testBrowserPhoneWidth loads the visitor pages at a phone's width and
// checks that none scrolls sideways.
func testBrowserPhoneWidth(t *testing.T, b *browser) {
	tb := b.newTab(t)
	tb.allow("status of 404 (Not Found) (" + b.base + "/exhibitors/applied-only?") // the error page, on purpose
	tb.do("emulate a phone", chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile))
	for _, lang := range []string{"en", "zh", "es"} {
		for _, path := range []string{"/", "/expos/iotswc-test", "/expos/iotswc-test/exhibitors",
			"/expos/iotswc-test/pavilions/wuxi-pavilion", "/exhibitors/taihu-sensing", "/exhibitors/nube-catalana",
			"/expos/iotswc-test/agenda?tz=Asia/Shanghai", "/expos/wiot-test", "/expos/wiot-test/agenda",
			"/expos/iotswc-test/exhibitors?q=nothing-matches", "/exhibitors/applied-only"} {
			u := path + sep(path) + "lang=" + lang
			tb.do("open "+u, chromedp.Navigate(b.base+u))
			tb.wantPhoneFit(u, 375)
			if lang == "es" {
				tb.axe(u + " on a phone")
			}
		}
	}
}

// wantPhoneFit fails unless the page u, loaded in a viewport width pixels
// wide, neither scrolls sideways nor has elements of main past its margin.
func (tb *tab) wantPhoneFit(u string, width int) {
	tb.t.Helper()
	w := run(tb, "measure "+u, chromedp.Evaluate[pageWidth](pageWidthJS))
	if w.Inner != width {
		tb.t.Fatalf("%s: innerWidth = %d, want the emulated %d", u, w.Inner, width)
	}
	if w.Scroll > w.Inner {
		tb.t.Errorf("%s scrolls sideways on a phone: scrollWidth %d > innerWidth %d", u, w.Scroll, w.Inner)
	}
	if len(w.Outside) > 0 {
		tb.t.Errorf("%s on a phone: elements reach past the page margin: %s", u, strings.Join(w.Outside, "; "))
	}
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

// pageWidth measures sideways overflow: the page's scroll width, and the
// elements of main that reach into its side padding or past the viewport
// (a card 9px too wide does not scroll the page, but it looks broken).
type pageWidth struct {
	Scroll, Inner int
	Outside       []string
}

const pageWidthJS = `(() => {
	const main = document.querySelector('main');
	const ms = getComputedStyle(main), mr = main.getBoundingClientRect();
	const left = mr.left + parseFloat(ms.paddingLeft) - 0.5, right = mr.right - parseFloat(ms.paddingRight) + 0.5;
	const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
		(typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '');
	const outside = [...main.querySelectorAll('*')]
		.filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && (r.left < left || r.right > right); })
		.filter(el => !el.closest('.visually-hidden'))
		.slice(0, 5)
		.map(el => { const r = el.getBoundingClientRect(); return name(el) + ' [' + Math.round(r.left) + ',' + Math.round(r.right) + ']'; });
	return {Scroll: document.documentElement.scrollWidth, Inner: innerWidth, Outside: outside};
})()`

// browser is one headless Chromium for a test.
type browser struct {
	ctx  context.Context
	base string // the test server's origin
	host string
}

// startBrowser starts Chromium with a fresh profile; it stops when t ends.
// A missing Chromium fails the test: `make test` installs it.
func startBrowser(t *testing.T, base string) *browser {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		t.Fatal("Chromium not found at /usr/bin/chromium or on PATH; install it with `go run ./cmd/devenv install chromium` (make test does)")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-dev-shm-usage", true),
		// Without these Chromium reaches out to Google's hosts, which would
		// show up as third-party requests and slow the tests down.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("lang", "en-US"),
	}
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to sandbox as root.
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	start, cancelStart := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancelStart()
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx) }() // the first Do starts Chromium and binds it to ctx
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("start Chromium (%s): %v", path, err)
		}
	case <-start.Done():
		t.Fatalf("Chromium (%s) did not start within 30s", path)
	}
	return &browser{ctx: ctx, base: base, host: u.Host}
}

func chromiumPath() string {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// tab is a browser tab that records every request it sends and every
// console error, exception and CSP violation of its pages; when the test
// ends it fails on any request to another host and on any of those errors.
type tab struct {
	t    *testing.T
	b    *browser
	ctx  context.Context
	mu   sync.Mutex
	reqs []string
	errs []string
	// leaks are the leaked texts reported already (the layout's show on every page).
	leaks map[string]bool
	// allowed are substrings of page errors that a test causes on purpose.
	allowed []string
}

// allow ignores page errors that contain substr.
func (tb *tab) allow(substr string) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.allowed = append(tb.allowed, substr)
}

func (b *browser) newTab(t *testing.T, opts ...chromedp.ContextOption) *tab {
	t.Helper()
	tb := &tab{t: t, b: b, leaks: map[string]bool{}}
	ctx, cancel := chromedp.NewContext(b.ctx, append(opts, chromedp.WithListener(tb.listen))...)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // opens the tab, bound to ctx
		t.Fatalf("open a tab: %v", err)
	}
	tb.ctx = ctx
	// A page script cannot see CSP violations of other scripts once they are
	// blocked, so report them to the console from a script that DevTools adds.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `document.addEventListener('securitypolicyviolation', e =>
			console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
				' at ' + e.sourceFile + ':' + e.lineNumber));`,
	}); err != nil {
		t.Fatalf("add the CSP listener: %v", err)
	}
	t.Cleanup(tb.checkTraffic)
	return tb
}

// listen runs on chromedp's reading goroutine: it only records.
func (tb *tab) listen(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		tb.reqs = append(tb.reqs, ev.Request.URL)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range ev.Args {
				if a.Description != "" {
					parts = append(parts, a.Description)
				} else {
					parts = append(parts, strings.Trim(string(a.Value), `"`))
				}
			}
			tb.errs = append(tb.errs, "console."+string(ev.Type)+": "+strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		tb.errs = append(tb.errs, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber, msg))
	case *cdplog.EventEntryAdded:
		if ev.Entry != nil && (ev.Entry.Level == cdplog.EntryLevelError || ev.Entry.Source == cdplog.EntrySourceSecurity) {
			tb.errs = append(tb.errs, fmt.Sprintf("%s %s: %s (%s)", ev.Entry.Source, ev.Entry.Level, ev.Entry.Text, ev.Entry.URL))
		}
	}
}

// checkTraffic fails the test on requests to other hosts and on page errors.
func (tb *tab) checkTraffic() {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	if len(tb.reqs) == 0 {
		tb.t.Error("recorded no network requests; the request listener is not working")
	}
	for _, r := range tb.reqs {
		u, err := url.Parse(r)
		if err != nil || u.Host != tb.b.host || (u.Scheme != "http" && u.Scheme != "https") {
			if u != nil && u.Scheme == "data" {
				continue // inline data, not a request to a host
			}
			tb.t.Errorf("request to another host: %s (want only %s)", r, tb.b.host)
		}
	}
next:
	for _, e := range tb.errs {
		for _, a := range tb.allowed {
			if strings.Contains(e, a) {
				continue next
			}
		}
		tb.t.Errorf("page error: %s", e)
	}
}

// do runs steps with a timeout and fails the test on an error.
func (tb *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, browserStep)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// run runs one action with a timeout and returns its value.
func run[T any](tb *tab, what string, a chromedp.Action[T]) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, browserStep)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// load runs steps that load a new page and waits for it; the page must answer 200.
func (tb *tab) load(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	tb.loadStatus(what, 200, steps...)
}

// loadStatus is load for a page that must answer status.
func (tb *tab) loadStatus(what string, status int64, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, browserStep)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			tb.t.Fatalf("%s: no page loaded within %s", what, browserStep)
		}
		tb.t.Fatalf("%s: %v", what, err)
	}
	if resp.Status != status {
		tb.t.Fatalf("%s: %s answered %d, want %d", what, resp.URL, resp.Status, status)
	}
}

// click clicks the element sel finds, like a visitor, and waits for the page it opens.
func (tb *tab) click(what, sel string) {
	tb.t.Helper()
	tb.load("click the "+what+" ("+sel+")", chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// wantText fails unless the text of the element sel finds contains want.
func (tb *tab) wantText(sel, want string) {
	tb.t.Helper()
	// Poll: some text arrives a moment after the DOM settles (htmx's
	// afterSettle fills the screen-reader status), and a loaded machine is slow.
	js := fmt.Sprintf(`(() => { const el = document.querySelector(%q);
		return !!el && el.textContent.split(/\s+/).filter(Boolean).join(" ").includes(%q); })()`, sel, want)
	pollCtx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
	_, _ = chromedp.Run(pollCtx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(50*time.Millisecond)))
	cancel()
	got := run(tb, "read "+sel, chromedp.TextContent(chromedp.CSS(sel)))
	if !strings.Contains(strings.Join(strings.Fields(got), " "), want) {
		tb.t.Errorf("%s on %s = %q, want it to contain %q", sel, tb.location().Path, strings.Join(strings.Fields(got), " "), want)
	}
}

func (tb *tab) location() *url.URL {
	tb.t.Helper()
	loc := run(tb, "read the location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		tb.t.Fatal(err)
	}
	return u
}

// leakJS lists text nodes that look like a templ call ("@ExpoDates(v.Expo)")
// or a bare message id ("nav.signin"); host names in links are left alone.
const leakJS = `(() => {
	const out = [];
	const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = walk.nextNode(); n; n = walk.nextNode()) {
		const text = n.textContent.trim();
		if (/@[A-Za-z_][\w.]*\(/.test(text) || (/^[a-z]+\.[a-z_]+$/.test(text) && !n.parentElement.closest('a[href^="http"]'))) {
			out.push(text);
		}
	}
	return out;
})()`

// axeViolation is one failed axe-core rule with the elements that fail it.
type axeViolation struct {
	ID, Impact, Help, HelpURL string
	Nodes                     []struct{ Target, HTML, Summary string }
}

// axeRunJS runs every axe-core rule but the experimental ones (WCAG 2.x A
// and AA, best practices) and reports the violations, with the number of
// rules that passed so that a run that checked nothing is noticed.
const axeRunJS = `axe.run(document, {resultTypes: ['violations']}).then(r => ({
	Passes: r.passes.length,
	Violations: r.violations.map(v => ({
		ID: v.id, Impact: v.impact || '', Help: v.help, HelpURL: v.helpUrl,
		Nodes: v.nodes.map(n => ({Target: JSON.stringify(n.target), HTML: n.html, Summary: n.failureSummary || ''})),
	})),
}))`

type axeResult struct {
	Passes     int
	Violations []axeViolation
}

// axe runs axe-core on the current page and fails on any violation. It also
// fails on text that only a bug shows: templ calls printed as text and
// message ids that found no translation.
func (tb *tab) axe(page string) {
	tb.t.Helper()
	for _, leak := range run(tb, "look for leaked template text", chromedp.Evaluate[[]string](leakJS)) {
		if !tb.leaks[leak] {
			tb.leaks[leak] = true
			tb.t.Errorf("%s shows template or message-id text: %q", page, leak)
		}
	}
	tb.do("inject axe-core", chromedp.Evaluate[chromedp.Void](axeSource))
	res := run(tb, "run axe-core on "+page, chromedp.Evaluate[axeResult](axeRunJS, chromedp.EvalAwaitPromise))
	if res.Passes == 0 {
		tb.t.Errorf("axe on %s: no rule passed; axe-core did not check the page", page)
	}
	for _, v := range res.Violations {
		var b strings.Builder
		fmt.Fprintf(&b, "axe on %s (%s): %s [%s] %s (%s)", page, tb.location().RequestURI(), v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n\t%s %s\n\t\t%s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n\t\t"))
		}
		tb.t.Error(b.String())
	}
}
