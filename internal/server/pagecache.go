package server

import (
	"bytes"
	"context"
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
	// country list), under the same generations as pages.
	facts *expirable.LRU[string, []string]
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
}

// Classes of pages scoped changes concern (pageClasses).
const (
	classAgenda        = "agenda"
	classHome          = "home"
	classExhibitorPref = "exhibitor:"
	classExpoPref      = "expo:"
)

// pageClasses are the classes of a public page for scoped changes; a page
// is stale when any of its classes, or everything (Changed), has changed.
// An expo's agendas and its page (its figures count slots) are "agenda"
// (a booking's) and "expo:<slug>"; its directory and pavilion pages
// "expo:<slug>" (a profile or participation of one of its companies); an
// exhibitor's page "exhibitor:<slug>" (its profile, participations and
// slots); the agendas' and an exhibitor's .ics feeds as their pages; the home page "home" (it counts exhibitors). Any other page has
// none, and only a change of anything makes it stale.
func pageClasses(path string) []string {
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
		if keyHasClass(k, classes) {
			c.pages.Remove(k)
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

// Notified applies a change notification (migrations 000017 and 000024):
//
//	"booking <company>"                    the agendas, the figures, that company's page
//	"exhibitor <companies> <expos>"        those companies' pages, those expos' pages
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
	if kind != "exhibitor" && kind != "participation" {
		return nil, false
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
			classes = append(classes, classExpoPref+slug)
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
	// etag is the page's ETag, when its handler sets one (the API's).
	etag string

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

// Sizes: a directory page is ~16 KB; the cache holds at most 64 MB of pages.
// The TTL is only a safety net; notifications are what keep pages fresh.
const (
	pageCacheEntries = 4000
	pageCacheBytes   = 64 << 20
	pageCacheTTL     = 10 * time.Minute
	pageCacheMaxBody = 256 << 10
	pageCacheMaxKey  = 512
)

// pageParams are the query parameters public pages read. A URL with any
// other parameter is rendered but not cached, so that made-up parameters
// cannot fill the cache or push useful pages out.
var pageParams = map[string]bool{"q": true, "sector": true, "country": true, "page": true, "tz": true, "lang": true, "per_page": true}

// NewPageCache returns an empty cache that serves nothing until Listening(true).
func NewPageCache() *PageCache {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
	if err != nil {
		panic(err) // only for invalid options
	}
	c := &PageCache{zstd: enc, maxBytes: pageCacheBytes, facts: expirable.NewLRU[string, []string](pageCacheEntries, nil, pageCacheTTL),
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
	c.pages.Purge()
	// The eviction callback has taken each page's bytes off; zeroing bounds
	// any drift from racing stores to one generation.
	c.bytes.Store(0)
	c.facts.Purge()
}

// remember returns the result of load for key in the current generation
// of everything and of classes (those of the pages that show it), loading
// it once. Without notifications it always loads.
func (c *PageCache) remember(classes []string, key string, load func() ([]string, error)) ([]string, error) {
	if c == nil || !c.listening.Load() {
		return load()
	}
	stamp := c.stamp(classes)
	k := stamp + "|" + key
	if v, ok := c.facts.Get(k); ok {
		return v, nil
	}
	v, err := load()
	if err == nil && c.stamp(classes) == stamp {
		c.facts.Add(k, v)
	}
	return v, err
}

// Listening records whether change notifications arrive; without them the
// cache cannot know when a page is stale, so it is bypassed.
func (c *PageCache) Listening(ok bool) {
	if !ok {
		c.Changed()
	}
	c.listening.Store(ok)
}

// cacheNonce stands in for the per-request CSP nonce in a cached page.
const cacheNonce = "expodesk-cached-page-nonce"

// cached serves h from the page cache for visitors' GET requests.
func (s *Server) cached(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := s.pages
		page, ok := s.pageKey(r, c)
		if !ok {
			h(w, r)
			return
		}
		classes := pageClasses(r.URL.Path)
		// A miss that waited for another request's render looks again: the
		// page is stored, or a change came in meanwhile and the page is
		// asked for under the new generation (once; then it renders).
		for attempt := 0; ; attempt++ {
			stamp := c.stamp(classes)
			key := stamp + "|" + page
			if p, ok := c.pages.Get(key); ok {
				c.serve(p, w, r)
				return
			}
			f, leader := c.takeOff(key)
			if leader {
				defer c.land(key, f)
				c.render(w, r, h, key, classes, stamp)
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
		h(w, r)
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

// render runs h for a miss and stores what it wrote under key when the
// page is cacheable and no change came in while it rendered.
func (c *PageCache) render(w http.ResponseWriter, r *http.Request, h http.HandlerFunc, key string, classes []string, stamp string) {
	// Render with a placeholder nonce, so that the stored page can carry
	// each later request's own. Today's pages load only external scripts
	// and hold no nonce; the swap is there for the day one inlines a script.
	nonce := templ.GetNonce(r.Context())
	rec := &recorder{ResponseWriter: w, nonce: []byte(nonce)}
	h(rec, r.WithContext(templ.WithNonce(r.Context(), cacheNonce)))
	// A page already stored is not replaced (replacing an entry would not
	// take the first one's bytes off).
	if rec.status != http.StatusOK || len(rec.body) > pageCacheMaxBody || c.stamp(classes) != stamp || c.pages.Contains(key) {
		return
	}
	hdr := w.Header()
	// The recorder's buffer grew by doubling; the copy kept is its length.
	p := &cachedPage{status: rec.status, contentType: hdr.Get("Content-Type"),
		cacheCtl: hdr.Get("Cache-Control"), disposition: hdr.Get("Content-Disposition"), etag: hdr.Get("ETag"),
		vary: append([]string(nil), hdr["Vary"]...), body: bytes.Clone(rec.body), hasNonce: bytes.Contains(rec.body, []byte(cacheNonce))}
	size := int64(cap(p.body))
	if size > c.maxBytes/4 {
		return
	}
	c.makeRoom(size)
	c.bytes.Add(size)
	c.pages.Add(key, p)
}

// makeRoom drops the least recently used pages until n more bytes fit the
// budget: refusing new pages instead left a full cache serving yesterday's
// favourites and rendering today's on every request.
func (c *PageCache) makeRoom(n int64) {
	for c.bytes.Load()+n > c.maxBytes {
		if _, _, ok := c.pages.RemoveOldest(); !ok {
			break
		}
	}
}

// serve writes a stored page, compressed when the client takes it.
func (c *PageCache) serve(p *cachedPage, w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Content-Type", p.contentType)
	hdr.Set("Cache-Control", p.cacheCtl)
	if p.disposition != "" {
		hdr.Set("Content-Disposition", p.disposition)
	}
	if p.etag != "" {
		hdr.Set("ETag", p.etag)
	}
	hdr["Vary"] = p.vary
	hdr.Set("X-Cache", "hit")
	if enc, body := c.encoded(p, r.Header.Get("Accept-Encoding")); enc != "" {
		// Already compressed: the compression middleware lets a
		// response with a Content-Encoding through as it is.
		hdr.Set("Content-Encoding", enc)
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

// encoded returns the page's body compressed in the coding the client
// accepts, chosen as the compression middleware chooses (zstd over gzip at
// equal quality), compressing it on the first such request; "" when the
// identity body must be sent. A page holding the placeholder nonce is sent
// in the clear, to be compressed on the way out after the nonce is swapped.
func (c *PageCache) encoded(p *cachedPage, acceptEncoding string) (string, []byte) {
	if p.hasNonce || acceptEncoding == "" {
		return "", nil
	}
	gz, zs := codingQuality(acceptEncoding, "gzip"), codingQuality(acceptEncoding, "zstd")
	var coding string
	switch {
	case zs > 0 && zs >= gz:
		coding = "zstd"
	case gz > 0:
		coding = "gzip"
	default:
		return "", nil
	}
	p.mu.Lock()
	body, added := p.zstd, 0
	if coding == "gzip" {
		body = p.gzip
	}
	if body == nil {
		// Under the page's lock: the requests that arrive meanwhile
		// wait for this one compression rather than each doing it.
		if coding == "zstd" {
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
	return coding, body
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
// fragment only, the path and the known parameters in a fixed order. It
// reports false when the request must not be served from the cache.
func (s *Server) pageKey(r *http.Request, c *PageCache) (string, bool) {
	if c == nil || !c.listening.Load() || principal(r) != nil || r.Method != http.MethodGet ||
		len(r.URL.RawQuery) > pageCacheMaxKey {
		return "", false
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return "", false
	}
	for k := range q {
		if !pageParams[k] {
			return "", false
		}
	}
	fragment := "0"
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true" {
		fragment = "1"
	}
	// Encode sorts by key: ?page=2&q=x and ?q=x&page=2 are one page.
	key := string(web.Lang(r.Context())) + "|" + fragment + "|" + r.URL.Path + "?" + q.Encode()
	// An agenda without ?tz= shows the zone the visitor chose before (a
	// cookie): the page is another one for each such zone.
	if strings.HasSuffix(r.URL.Path, "/agenda") {
		if tz := zoneFromCookie(r); tz != "" {
			key += "#tz=" + tz
		}
	}
	return key, true
}

// recorder passes a response through while keeping a copy of its body, with
// the placeholder nonce swapped for the request's own on the way out.
type recorder struct {
	http.ResponseWriter
	nonce  []byte
	status int
	body   []byte
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.body = append(r.body, b...)
	out := b
	if bytes.Contains(b, []byte(cacheNonce)) {
		out = bytes.ReplaceAll(b, []byte(cacheNonce), r.nonce)
	}
	_, err := r.ResponseWriter.Write(out)
	return len(b), err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

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
