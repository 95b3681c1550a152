package server

import (
	"bytes"
	"context"
	"hash/maphash"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/a-h/templ"
	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"expodesk/internal/expodesk"
	"expodesk/internal/metrics"
	"expodesk/internal/postgres"
	"expodesk/internal/urls"
	"expodesk/web"
)

// PageCache keeps rendered public pages in memory for visitors, who are most
// of the traffic at a fair. Entries belong to a generation; any committed
// change to public data starts a new one (PostgreSQL notifies every instance
// after commit), so a page is never served older than the data a visitor
// could otherwise read, give or take the notification's few milliseconds.
// While the listener is down the cache is bypassed.
type PageCache struct {
	zstd      *zstd.Encoder // safe for concurrent EncodeAll
	gen       atomic.Uint64
	listening atomic.Bool
	bytes     atomic.Int64 // total size of the cached bodies
	pages     *expirable.LRU[string, *cachedPage]
	maxBytes  int64 // the byte budget of the stored bodies (pageCacheBytes)
	// facts keeps small query results that many pages share (a directory's
	// country list, an expo's row), under the same generations as pages.
	facts *expirable.LRU[string, any]
	// scoped are the generations of the classes of pages a scoped change
	// makes stale (pageClasses): a booking starts a new one for the agendas
	// and figures and for its company's page, a profile edit for its
	// company's page and its expos' pages, and each leaves the other
	// pages where they are.
	scoped sync.Map // class → *atomic.Uint64
	// flights are the misses being rendered, by stored key: a concurrent
	// miss for the same page waits for the one rendering it (singleFlight).
	flightMu sync.Mutex
	flights  map[string]*flight
	// waiting counts the requests waiting on another's render (for tests).
	waiting atomic.Int64
	// counts are what Stats reports to the metrics.
	counts pageCacheCounts
	// asked remembers which pages were rendered lately (a hash of the page,
	// whatever its generation, in a slot the hash picks): a full cache
	// stores only a page asked for before (admit).
	asked [pageCacheAsked]atomic.Uint64
	seed  maphash.Seed
}

// pageCacheCounts are the cache's counters since it started (Stats).
type pageCacheCounts struct {
	hits, misses, bypasses, stores, evictions, invalidations atomic.Uint64
}

// Stats returns the cache's counts and what it holds now (for the metrics).
func (c *PageCache) Stats() metrics.PageCacheStats {
	n := &c.counts
	return metrics.PageCacheStats{Hits: n.hits.Load(), Misses: n.misses.Load(), Bypasses: n.bypasses.Load(),
		Stores: n.stores.Load(), Evictions: n.evictions.Load(), Invalidations: n.invalidations.Load(),
		Bytes: c.bytes.Load(), Entries: c.pages.Len(), Listening: c.listening.Load()}
}

// Classes of pages scoped changes concern (pageClasses).
const (
	classAgenda        = "agenda"
	classHome          = "home"
	classExhibitorPref = "exhibitor:"
	classExpoPref      = "expo:"
	// classTextPref pages show which of an expo's companies a search's
	// words match: a profile edit that changes no card changes them.
	classTextPref = "text:"
)

// pageClasses are the classes of a public page for scoped changes; a page
// is stale when any of its classes, or everything (Changed), has changed.
// An expo's agendas and its page (its figures count slots) are "agenda"
// (a booking's) and "expo:<slug>"; its directory and pavilion pages
// "expo:<slug>" (a profile or participation of one of its companies); an
// exhibitor's page "exhibitor:<slug>" (its profile, participations and
// slots); the agendas' and an exhibitor's .ics feeds as their pages; the home page "home" (it counts exhibitors). Any other page has
// none, and only a change of anything makes it stale. A page showing a
// search's results (searched: a ?q=) is also "text:<slug>" of its expo,
// which a profile edit that changes no card makes stale (and that alone).
func pageClasses(path string, searched bool) []string {
	classes := pathClasses(path)
	if searched {
		// Only an expo's pages search its companies (the directories and
		// the API's lists); a search's results are what a description
		// edit changes.
		for _, c := range classes {
			if slug, ok := strings.CutPrefix(c, classExpoPref); ok {
				return append(classes, classTextPref+slug)
			}
		}
	}
	return classes
}

// pathClasses are the classes of the page at path without a search.
func pathClasses(path string) []string {
	// The API's resources are the pages' under its prefix (agendas,
	// directories, an exhibitor and its agenda); its list of expos counts
	// exhibitors and slots.
	path = strings.TrimPrefix(path, urls.APIPrefix)
	switch parts := strings.Split(strings.Trim(path, "/"), "/"); {
	case len(parts) == 1 && parts[0] == "expos":
		return []string{classHome, classAgenda}
	case len(parts) >= 2 && parts[0] == "expos" && (parts[len(parts)-1] == "agenda" || parts[len(parts)-1] == "agenda.ics"):
		return []string{classAgenda, classExpoPref + parts[1]}
	case len(parts) == 2 && parts[0] == "expos":
		return []string{classAgenda, classExpoPref + parts[1]}
	case len(parts) >= 3 && parts[0] == "expos":
		return []string{classExpoPref + parts[1]}
	case (len(parts) == 2 || len(parts) == 3 && (parts[2] == "agenda.ics" || parts[2] == "agenda")) && parts[0] == "exhibitors":
		return []string{classExhibitorPref + parts[1]}
	case len(parts) == 1 && parts[0] == "":
		return []string{classHome}
	}
	return nil
}

// classGen is the current generation of a class.
func (c *PageCache) classGen(class string) uint64 {
	if g, ok := c.scoped.Load(class); ok {
		return g.(*atomic.Uint64).Load()
	}
	return 0
}

// stamp names the generations a page or fact is stored under: everything's,
// then each class's ("7|agenda=3,expo:x=0"). An entry stored under a stamp
// is fresh while the stamp is the same.
func (c *PageCache) stamp(classes []string) string {
	b := make([]byte, 0, 64)
	b = strconv.AppendUint(b, c.gen.Load(), 36)
	b = append(b, '|')
	for i, class := range classes {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, class...)
		b = append(b, '=')
		b = strconv.AppendUint(b, c.classGen(class), 36)
	}
	return string(b)
}

// changedClasses starts a new generation for each class and drops the
// cached pages and facts of any of them; other entries stay.
func (c *PageCache) changedClasses(classes ...string) {
	for _, class := range classes {
		g, _ := c.scoped.LoadOrStore(class, new(atomic.Uint64))
		g.(*atomic.Uint64).Add(1)
	}
	for _, k := range c.pages.Keys() {
		if keyHasClass(k, classes) && c.pages.Remove(k) {
			c.counts.invalidations.Add(1)
		}
	}
	for _, k := range c.facts.Keys() {
		if keyHasClass(k, classes) {
			c.facts.Remove(k)
		}
	}
}

// keyHasClass reports whether a stored key ("gen|class=g,class=g|…") names
// one of classes.
func keyHasClass(key string, classes []string) bool {
	_, rest, ok := strings.Cut(key, "|")
	if !ok {
		return false
	}
	stamped, _, ok := strings.Cut(rest, "|")
	if !ok {
		return false
	}
	for part := range strings.SplitSeq(stamped, ",") {
		if class, _, ok := strings.Cut(part, "="); ok && slices.Contains(classes, class) {
			return true
		}
	}
	return false
}

// Notified applies a change notification (migrations 000017, 000024 and 000036):
//
//	"booking <company>"                    the agendas, the figures, that company's page
//	"exhibitor <companies> <expos>"        those companies' pages, those expos' pages
//	"exhibitor-text <companies> <expos>"   those companies' pages, those expos' searches (000036)
//	"participation <companies> <expos>"    the same and the home page (it counts exhibitors)
//
// lists comma-separated; any other payload (an empty one included) makes
// everything stale.
func (c *PageCache) Notified(payload string) {
	if classes, ok := notifiedClasses(payload); ok {
		c.changedClasses(classes...)
		return
	}
	c.Changed()
}

// notifiedClasses are the classes a scoped notification makes stale; false
// for a payload that is not one, which makes everything stale.
func notifiedClasses(payload string) ([]string, bool) {
	kind, rest, _ := strings.Cut(payload, " ")
	if kind == "booking" {
		if rest == "" {
			return nil, false
		}
		return []string{classAgenda, classExhibitorPref + rest}, true
	}
	if kind != "exhibitor" && kind != "exhibitor-text" && kind != "participation" {
		return nil, false
	}
	expoPref := classExpoPref
	if kind == "exhibitor-text" {
		expoPref = classTextPref
	}
	companies, expos, _ := strings.Cut(rest, " ")
	if companies == "" {
		return nil, false
	}
	var classes []string
	for slug := range strings.SplitSeq(companies, ",") {
		if slug != "" {
			classes = append(classes, classExhibitorPref+slug)
		}
	}
	for slug := range strings.SplitSeq(expos, ",") {
		if slug != "" {
			classes = append(classes, expoPref+slug)
		}
	}
	if kind == "participation" {
		classes = append(classes, classHome)
	}
	return classes, true
}

type cachedPage struct {
	status      int
	contentType string
	cacheCtl    string
	// disposition names a feed's file (Content-Disposition).
	disposition string
	vary        []string
	body        []byte
	// hasNonce is whether body holds the placeholder nonce; pages without
	// inline scripts do not, and are written without a copy.
	hasNonce bool
	// etag is the strong ETag of body (identity), computed once; "" for a
	// page no shared cache may keep (newPage). etagGzip and etagZstd are
	// its compressed representations' (codedETag).
	etag, etagGzip, etagZstd string
	// route is the pattern of the route that rendered the page, for the
	// access log of a 304 answered before routing (notModifiedEarly).
	route string
	// stored is whether the page is in the cache, whose hits compress it
	// (encoded); a page rendered for one request only is compressed, if at
	// all, by the compression middleware.
	stored bool

	// mu guards the compressed bodies and evicted. Each is made on the
	// first hit that takes its coding and kept for the next ones: most
	// first views are never asked for again, and compressing every stored
	// page both ways cost a first view more than rendering it did.
	mu         sync.Mutex
	gzip, zstd []byte
	// evicted is set when the cache drops the page, so that a body
	// compressed after that is not counted in the cache's bytes.
	evicted bool
}

// size is what a page costs the cache's byte budget: the capacity of what
// it holds, not the length, since that is what stays allocated.
func (p *cachedPage) size() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return int64(cap(p.body) + cap(p.gzip) + cap(p.zstd))
}

// Sizes: a directory page is ~16–30 KB; the cache holds at most 16 MB of
// pages, their compressed copies included (some five hundred: the pages
// visitors come back to fit many times over, and first views beyond them
// would only be stored to be dropped). Go's collector lets the heap grow to
// twice what is live before it runs, so each MB here is two of resident
// memory: with 64 MB the server passed 300 MB under load, with 32 MB 163
// (the goal is 150).
// The TTL is only a safety net; notifications are what keep pages fresh.
const (
	pageCacheEntries = 4000
	pageCacheBytes   = 16 << 20
	pageCacheTTL     = 10 * time.Minute
	pageCacheMaxBody = 256 << 10
	pageCacheMaxKey  = 512
	// pageCacheAsked is the number of slots of PageCache.asked: some ten
	// times the pages the budget holds, so that a page asked for again within
	// a few thousand misses is still known.
	pageCacheAsked = 8192
)

// pageParams are the query parameters public pages read. A URL with any
// other parameter is rendered but not cached, so that made-up parameters
// cannot fill the cache or push useful pages out.
var pageParams = map[string]bool{"q": true, "sector": true, "country": true, "page": true, "tz": true, "lang": true, "per_page": true}

// NewPageCache returns an empty cache that serves nothing until Listening(true).
func NewPageCache() *PageCache {
	// A page is at most pageCacheMaxBody: a larger window than that only
	// holds memory.
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1),
		zstd.WithWindowSize(pageCacheMaxBody), zstd.WithLowerEncoderMem(true))
	if err != nil {
		panic(err) // only for invalid options
	}
	c := &PageCache{zstd: enc, maxBytes: pageCacheBytes, seed: maphash.MakeSeed(), facts: expirable.NewLRU[string, any](pageCacheEntries, nil, pageCacheTTL),
		flights: map[string]*flight{}}
	c.pages = expirable.NewLRU[string, *cachedPage](pageCacheEntries, func(_ string, p *cachedPage) {
		p.mu.Lock()
		p.evicted = true
		c.bytes.Add(-int64(cap(p.body) + cap(p.gzip) + cap(p.zstd)))
		p.mu.Unlock()
	}, pageCacheTTL)
	return c
}

// Changed starts a new generation: every cached page is stale.
func (c *PageCache) Changed() {
	c.gen.Add(1)
	c.counts.invalidations.Add(uint64(c.pages.Len()))
	c.pages.Purge()
	// The eviction callback has taken each page's bytes off; zeroing bounds
	// any drift from racing stores to one generation.
	c.bytes.Store(0)
	c.facts.Purge()
}

// remembers reports whether remembered keeps what it loads (the cache is
// on and hears of changes).
func (c *PageCache) remembers() bool { return c != nil && c.listening.Load() }

// remembered returns the result of load for key in the current generation
// of everything and of classes (those of the pages that show it), loading
// it once; without notifications it always loads. The value is shared by
// every request that asks for it until its generation ends: callers read
// it and never change it. A failed load is not remembered.
func remembered[T any](c *PageCache, classes []string, key string, load func() (T, error)) (T, error) {
	if !c.remembers() {
		return load()
	}
	stamp := c.stamp(classes)
	k := stamp + "|" + key
	if v, ok := c.facts.Get(k); ok {
		if t, ok := v.(T); ok {
			return t, nil
		}
	}
	v, err := load()
	if err == nil && c.stamp(classes) == stamp {
		c.facts.Add(k, v)
	}
	return v, err
}

// Listening records whether change notifications arrive; without them the
// cache cannot know when a page is stale, so it is bypassed: no page is
// served from it or stored in it until the listener is back. Going off, it
// stops serving first and then drops everything, so that no page stored
// before the drop is left; coming back, the listener has already made
// everything stale (ListenPublicChanges calls changed("") first), since
// anything may have been committed while nobody listened.
func (c *PageCache) Listening(ok bool) {
	c.listening.Store(ok)
	if !ok {
		c.Changed()
	}
}

// cacheNonce stands in for the per-request CSP nonce in a cached page.
const cacheNonce = "expodesk-cached-page-nonce"

// cached serves h from the page cache for visitors' GET and HEAD requests,
// with a 304 when the client holds the page already; other requests, and
// pages the cache does not keep, are rendered and compared (revalidated).
func (s *Server) cached(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := s.pages
		page, classes, ok := s.pageKey(r, c)
		if !ok {
			if c != nil {
				c.counts.bypasses.Add(1)
			}
			c.answer(capturePage(w, r, h, nil), w, r)
			return
		}
		// A miss that waited for another request's render looks again: the
		// page is stored, or a change came in meanwhile and the page is
		// asked for under the new generation (once; then it renders).
		for attempt := 0; ; attempt++ {
			stamp := c.stamp(classes)
			key := stamp + "|" + page
			if p, ok := c.pages.Get(key); ok {
				c.counts.hits.Add(1)
				w.Header().Set("X-Cache", "hit")
				c.answer(p, w, r)
				return
			}
			f, leader := c.takeOff(key)
			if leader {
				defer c.land(key, f)
				c.counts.misses.Add(1)
				c.render(w, r, h, page, key, classes, stamp)
				return
			}
			if attempt > 0 {
				break
			}
			c.waiting.Add(1)
			select {
			case <-f.done:
			case <-r.Context().Done():
				c.waiting.Add(-1)
				return
			}
			c.waiting.Add(-1)
		}
		c.counts.misses.Add(1)
		c.answer(capturePage(w, r, h, nil), w, r)
	}
}

// flight is one render of a missed page that concurrent misses wait for.
type flight struct{ done chan struct{} }

// takeOff returns the flight rendering key, starting one when there is none
// (leader true: the caller renders and then lands it).
func (c *PageCache) takeOff(key string) (f *flight, leader bool) {
	c.flightMu.Lock()
	defer c.flightMu.Unlock()
	if f, ok := c.flights[key]; ok {
		return f, false
	}
	f = &flight{done: make(chan struct{})}
	c.flights[key] = f
	return f, true
}

// land ends a flight: its waiters look for the stored page.
func (c *PageCache) land(key string, f *flight) {
	c.flightMu.Lock()
	delete(c.flights, key)
	c.flightMu.Unlock()
	close(f.done)
}

// render runs h for a miss, stores the page under key when it is
// cacheable and no change came in while it rendered, and answers r with
// it. It renders into a pooled buffer (a directory page is ~30 KB, and
// growing a new one for every miss was a tenth of its cost), which the
// stored copy leaves at its length.
func (c *PageCache) render(w http.ResponseWriter, r *http.Request, h http.HandlerFunc, page, key string, classes []string, stamp string) {
	buf := renderBuffers.Get().(*[]byte)
	p := capturePage(w, r, h, (*buf)[:0])
	rendered := p.body
	defer func() {
		*buf = rendered[:0]
		renderBuffers.Put(buf)
	}()
	// A page already stored is not replaced (replacing an entry would not
	// take the first one's bytes off).
	if p.status != http.StatusOK || len(rendered) > pageCacheMaxBody || int64(len(rendered)) > c.maxBytes/4 ||
		c.stamp(classes) != stamp || c.pages.Contains(key) || !c.admit(page, int64(len(rendered))) {
		c.answer(p, w, r)
		return
	}
	p.body, p.stored = bytes.Clone(rendered), true
	size := int64(cap(p.body))
	c.makeRoom(size)
	c.bytes.Add(size)
	c.counts.stores.Add(1)
	if c.pages.Add(key, p) {
		c.counts.evictions.Add(1)
	}
	// The miss itself goes out through the compression middleware: most
	// first views are never asked for again, and a stored page is
	// compressed on the first hit that takes each coding (encoded).
	c.write(p, w, r, false)
}

// admit reports whether a rendered page of n bytes is stored: always while
// the budget has room for it; once it is full, only when the page was
// rendered before (in any generation), since making room drops a page
// visitors came back to. A first view nobody asks for again (a crawler's
// walk through every exhibitor, the next keystroke's search) is then not
// stored at all; a page asked for twice is, as is a page changed since it
// was stored. Every render is remembered.
func (c *PageCache) admit(page string, n int64) bool {
	h := maphash.String(c.seed, page) | 1 // 0 is an empty slot
	slot := &c.asked[h%pageCacheAsked]
	before := slot.Swap(h) == h
	return before || c.bytes.Load()+n <= c.maxBytes
}

// makeRoom drops the least recently used pages until n more bytes fit the
// budget: refusing new pages instead left a full cache serving yesterday's
// favourites and rendering today's on every request.
func (c *PageCache) makeRoom(n int64) {
	for c.bytes.Load()+n > c.maxBytes {
		if _, _, ok := c.pages.RemoveOldest(); !ok {
			break
		}
		c.counts.evictions.Add(1)
	}
}

// answer writes page p for r: 304 when r's If-None-Match names it, else
// its body, compressed as stored when the client takes it (c.encoded). The
// ETag is the page's (no hashing on a hit), suffixed for the coding sent. A
// signed-in user's page is never shared and has no tag. c may be nil (no
// page cache) when p is not stored.
func (c *PageCache) answer(p *cachedPage, w http.ResponseWriter, r *http.Request) {
	c.write(p, w, r, true)
}

// write is answer, with a stored page compressed by the cache only when
// fromStore (else by the compression middleware, which names the coding's
// tag alike).
func (c *PageCache) write(p *cachedPage, w http.ResponseWriter, r *http.Request, fromStore bool) {
	hdr := w.Header()
	compressed := fromStore && p.stored
	hdr["Vary"] = p.vary
	etag, cacheCtl := p.etag, p.cacheCtl
	if etag != "" && principal(r) != nil {
		etag, cacheCtl = "", signedInCacheControl
	}
	hdr.Set("Cache-Control", cacheCtl)
	coding := p.coding(r.Header.Get("Accept-Encoding"))
	if etag != "" {
		if tag := p.notModifiedTag(r, coding); tag != "" {
			writeNotModified(w, tag)
			return
		}
		// A page not compressed here goes through the compression
		// middleware, which suffixes the identity tag itself when it
		// compresses.
		if compressed {
			hdr.Set("ETag", p.tag(coding))
		} else {
			hdr.Set("ETag", etag)
		}
	}
	if p.contentType != "" {
		hdr.Set("Content-Type", p.contentType)
	}
	if p.disposition != "" {
		hdr.Set("Content-Disposition", p.disposition)
	}
	if coding != "" && compressed {
		body := c.encoded(p, coding)
		// Already compressed: the compression middleware lets a
		// response with a Content-Encoding through as it is.
		hdr.Set("Content-Encoding", coding)
		hdr.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(p.status)
		_, _ = w.Write(body)
		return
	}
	w.WriteHeader(p.status)
	if p.hasNonce {
		_, _ = w.Write(bytes.ReplaceAll(p.body, []byte(cacheNonce), []byte(templ.GetNonce(r.Context()))))
	} else {
		_, _ = w.Write(p.body)
	}
}

// tag is the ETag of the page's representation in coding.
func (p *cachedPage) tag(coding string) string {
	switch coding {
	case codingGzip:
		return p.etagGzip
	case codingZstd:
		return p.etagZstd
	}
	return p.etag
}

// notModifiedTag is the tag of the page's that r's If-None-Match names, or
// "" when it names none (or the page has no tag). A tag of any of the
// page's codings counts, and the 304 carries the one that matched, so that
// a cache holding several knows which is current (RFC 9111 4.3.4); "*" and
// a list holding the request's own coding's tag get that one, the tag its
// 200 would carry (a page not stored is compressed by the middleware when
// it is large enough).
func (p *cachedPage) notModifiedTag(r *http.Request, coding string) string {
	inm := ifNoneMatch(r)
	if p.etag == "" || inm == "" {
		return ""
	}
	own := p.etag
	if p.stored || len(p.body) >= compressMinSize {
		own = p.tag(coding)
	}
	return matchingTag(inm, own, p.etag, p.etagGzip, p.etagZstd)
}

// coding is the content coding the client takes for this page, chosen as
// the compression middleware chooses (zstd over gzip at equal quality), or
// "" for identity. A page holding the placeholder nonce is sent in the
// clear, to be compressed on the way out after the nonce is swapped.
func (p *cachedPage) coding(acceptEncoding string) string {
	if acceptEncoding == "" || p.hasNonce {
		return ""
	}
	gz, zs := codingQuality(acceptEncoding, codingGzip), codingQuality(acceptEncoding, codingZstd)
	switch {
	case zs > 0 && zs >= gz:
		return codingZstd
	case gz > 0:
		return codingGzip
	}
	return ""
}

// encoded returns a stored page's body compressed in coding, compressing
// it on the first such request.
func (c *PageCache) encoded(p *cachedPage, coding string) []byte {
	p.mu.Lock()
	body, added := p.zstd, 0
	if coding == codingGzip {
		body = p.gzip
	}
	if body == nil {
		// Under the page's lock: the requests that arrive meanwhile
		// wait for this one compression rather than each doing it.
		if coding == codingZstd {
			body = c.zstd.EncodeAll(p.body, make([]byte, 0, len(p.body)/4))
			p.zstd = body
		} else {
			body = gzipBytes(p.body)
			p.gzip = body
		}
		if !p.evicted {
			added = cap(body)
			c.bytes.Add(int64(added))
		}
	}
	p.mu.Unlock()
	if added > 0 {
		c.makeRoom(0)
	}
	return body
}

// codingQuality is the q-value Accept-Encoding gives a coding (0 when absent).
func codingQuality(header, coding string) float64 {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(name), coding) {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(k, "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && f >= 0 && f <= 1 {
					q = f
				} else {
					q = 0
				}
			}
		}
		return q
	}
	return 0
}

// gzipBytes compresses b at the best level: it is done once per page and
// generation, and every hit after sends fewer bytes.
// gzipWriters are reused: a new writer allocates its whole window, which
// under a burst of misses cost more memory and time than the compression.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression) // the level is valid
	return zw
}}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b) / 4)
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	gzipWriters.Put(zw)
	return buf.Bytes()
}

// pageKey names a visitor's page: language, whether htmx asked for the
// fragment only, the path and the known parameters in a fixed order; and
// its classes (pageClasses), read from the same parsed query. It reports
// false when the request must not be served from the cache.
func (s *Server) pageKey(r *http.Request, c *PageCache) (string, []string, bool) {
	return pageKeyIn(r, c, web.Lang(r.Context()))
}

// pageKeyIn is pageKey for a request in lang.
func pageKeyIn(r *http.Request, c *PageCache, lang expodesk.Lang) (string, []string, bool) {
	if c == nil || !c.listening.Load() || principal(r) != nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) ||
		len(r.URL.RawQuery) > pageCacheMaxKey {
		return "", nil, false
	}
	var q url.Values
	if r.URL.RawQuery != "" {
		var err error
		if q, err = url.ParseQuery(r.URL.RawQuery); err != nil {
			return "", nil, false
		}
		for k := range q {
			if !pageParams[k] {
				return "", nil, false
			}
		}
	}
	fragment := "0"
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true" {
		fragment = "1"
	}
	// Encode sorts by key: ?page=2&q=x and ?q=x&page=2 are one page.
	key := string(lang) + "|" + fragment + "|" + r.URL.Path + "?" + q.Encode()
	// An agenda without ?tz= shows the zone the visitor chose before (a
	// cookie): the page is another one for each such zone.
	if strings.HasSuffix(r.URL.Path, "/agenda") {
		if tz := zoneFromCookie(r); tz != "" {
			key += "#tz=" + tz
		}
	}
	return key, pageClasses(r.URL.Path, q.Get("q") != ""), true
}

// renderBuffers hold pages being rendered for the cache (render).
var renderBuffers = sync.Pool{New: func() any {
	b := make([]byte, 0, 64<<10)
	return &b
}}

// ListenForChanges keeps the page cache and the directory model fresh
// until ctx ends; without either it returns at once.
func (s *Server) ListenForChanges(ctx context.Context) {
	if s.pages == nil && s.dir == nil || s.pool == nil {
		return
	}
	defer s.dir.Close()
	// The model learns of a change first: a page rendered under the cache's
	// new generation then reads a model that knows it is stale.
	notified := func(payload string) {
		s.dir.Notified(payload)
		if s.pages != nil {
			s.pages.Notified(payload)
		}
	}
	listening := func(ok bool) {
		s.dir.Listening(ok)
		if s.pages != nil {
			s.pages.Listening(ok)
		}
	}
	postgres.ListenPublicChanges(ctx, s.pool, s.log, notified, listening)
}
