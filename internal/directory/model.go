package directory

import (
	"context"
	"fmt"
	"hash/maphash"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"expodesk/internal/expodesk"
)

// Loader reads an expo's approved participations (postgres.Store.DirectoryRows).
type Loader func(ctx context.Context, expoID int64) ([]Row, error)

// OrderLoader reads every exhibitor's places in the name orders
// (postgres.Store.DirectoryOrders).
type OrderLoader func(ctx context.Context) ([]expodesk.DirectoryOrder, error)

// Model is every instance's in-memory directory: one snapshot per expo
// asked for, loaded in the background and replaced whole when a change
// notification names the expo (or names nothing, which is everything).
//
// Freshness: each notification concerning an expo raises the expo's want
// count; a snapshot carries the count read before its rows were queried,
// so it holds every change notified up to it (the notification arrives
// after the commit). A request is answered from a snapshot at least as new
// as the want count when it arrived; otherwise PostgreSQL answers it while
// the reload goes on behind.
// Without notifications (the listener down) the model answers nothing.
type Model struct {
	load  Loader
	order OrderLoader
	log   *slog.Logger
	// ctx bounds the background loads (Close ends it).
	ctx    context.Context
	cancel context.CancelFunc

	listening atomic.Bool
	mu        sync.Mutex
	expos     map[int64]*expoState
	// loads bounds concurrent reloads (they are PostgreSQL's work).
	loads chan struct{}

	// places are every exhibitor's places in the name orders, shared by
	// the expos and read again only when a row's names are not those the
	// places were read with (a rename, a new company): an approval or a
	// profile edit that keeps the names does not sort anything again.
	placesMu sync.Mutex
	places   map[int64]place
	seed     maphash.Seed

	// hits and fallbacks count the questions answered from memory and
	// those left to the store (Stats, for the metrics).
	hits, fallbacks atomic.Uint64
}

type place struct {
	rank [3]int32
	// names is a hash of what the places follow from.
	names uint64
}

func (m *Model) namesHash(slug, legal string, name expodesk.Text) uint64 {
	var h maphash.Hash
	h.SetSeed(m.seed)
	for _, s := range []string{slug, legal, name.EN, name.ZH, name.ES} {
		h.WriteString(s)
		h.WriteByte(0)
	}
	return h.Sum64()
}

// placeRows sets the ranks of rows, reading the places again when any row
// is not in them as it is now. A row renamed after it was read keeps the
// new name's place until the rename's own notification reloads it.
func (m *Model) placeRows(ctx context.Context, rows []Row) error {
	m.placesMu.Lock()
	defer m.placesMu.Unlock()
	current := func() bool {
		for i := range rows {
			r := &rows[i]
			if p, ok := m.places[r.ID]; !ok || p.names != m.namesHash(r.Slug, r.LegalName, r.Name) {
				return false
			}
		}
		return true
	}
	if m.places == nil || !current() {
		orders, err := m.order(ctx)
		if err != nil {
			return err
		}
		places := make(map[int64]place, len(orders))
		for _, o := range orders {
			places[o.ID] = place{rank: [3]int32{o.EN, o.ZH, o.ES}, names: m.namesHash(o.Slug, o.LegalName, o.Name)}
		}
		m.places = places
	}
	for i := range rows {
		r := &rows[i]
		p, ok := m.places[r.ID]
		if !ok {
			// Deleted since it was read: its notification follows.
			p.rank = [3]int32{1 << 30, 1 << 30, 1 << 30}
		}
		r.RankEN, r.RankZH, r.RankES = p.rank[0], p.rank[1], p.rank[2]
	}
	return nil
}

type expoState struct {
	id   int64
	slug string
	// want counts the notifications concerning the expo, and cards those
	// that change cards: not "exhibitor-text", a profile edit that only
	// changes what searches match (mu). A snapshot behind want only by
	// such edits still lists every page without a search right.
	want, cards uint64
	snap        atomic.Pointer[snapshot]
	loading     bool          // mu
	ready       chan struct{} // closed when a load ends (mu)
	failed      bool          // the last load failed (mu)
	// large is the want count at which the expo was found too large to
	// hold (MaxRows): it is loaded again only after a later change (mu).
	large uint64
	used  atomic.Int64 // unix seconds of the last request
}

// MaxRows is the largest expo the model holds: about 1 KB a row (95 MB
// for 100,000 measured); a larger expo is left to the store.
const MaxRows = 150_000

// unusedAfter is how long a snapshot nobody asks for is kept; it is dropped
// (not reloaded) at the next change after that.
const unusedAfter = 10 * time.Minute

// New returns a model that answers once Listening(true) and an expo is loaded.
func New(load Loader, order OrderLoader, log *slog.Logger) *Model {
	ctx, cancel := context.WithCancel(context.Background())
	return &Model{load: load, order: order, seed: maphash.MakeSeed(), log: log, ctx: ctx, cancel: cancel,
		expos: map[int64]*expoState{}, loads: make(chan struct{}, 2)}
}

// Close ends the background loads.
func (m *Model) Close() {
	if m != nil {
		m.cancel()
	}
}

// Directory answers q for an expo from memory; ok is false when the model
// cannot answer it fresh (no notifications, the expo not loaded yet, a
// reload too slow or failed), and the caller asks the store.
func (m *Model) Directory(ctx context.Context, expo expodesk.Expo, q expodesk.DirectoryQuery) (expodesk.DirectoryPage, bool) {
	q = q.Clean()
	s := m.fresh(ctx, expo, q.Text != "")
	if s == nil {
		return expodesk.DirectoryPage{}, false
	}
	return s.search(q), true
}

// Countries returns the countries of an expo's (pavilionID 0) or a
// pavilion's approved exhibitors, as the store's DirectoryCountries.
func (m *Model) Countries(ctx context.Context, expo expodesk.Expo, pavilionID int64) ([]string, bool) {
	s := m.fresh(ctx, expo, false)
	if s == nil {
		return nil, false
	}
	return s.countries[pavilionID], true
}

// fresh returns a snapshot of expo holding every change notified before
// the call that can alter the answer (with searched false, a change of
// search texts cannot), or nil.
func (m *Model) fresh(ctx context.Context, expo expodesk.Expo, searched bool) *snapshot {
	if m == nil {
		return nil
	}
	s := m.freshSnapshot(expo, searched)
	if s == nil {
		m.fallbacks.Add(1)
	} else {
		m.hits.Add(1)
	}
	return s
}

// freshSnapshot is fresh without the counting.
func (m *Model) freshSnapshot(expo expodesk.Expo, searched bool) *snapshot {
	if !m.listening.Load() {
		return nil
	}
	m.mu.Lock()
	st := m.expos[expo.ID]
	if st == nil {
		st = &expoState{id: expo.ID, slug: expo.Slug, want: 1, cards: 1, ready: make(chan struct{})}
		m.expos[expo.ID] = st
	}
	st.used.Store(time.Now().Unix())
	// An expo's slug may change (a change of everything reloads it).
	st.slug = expo.Slug
	want := st.want
	if s := st.snap.Load(); s != nil && (s.seq >= want || !searched && s.cards >= st.cards) {
		if s.seq < want {
			m.startLoad(st)
		}
		m.mu.Unlock()
		return s
	}
	if st.large != 0 && st.large == want {
		m.mu.Unlock()
		return nil
	}
	m.startLoad(st)
	m.mu.Unlock()
	// Not waited for: the store answers until the reload is in. While
	// changes pour in (a hundred profile edits a second) a whole-expo
	// reload is always a step behind, and waiting for it made every
	// directory request wait (228 req/s against 5,479 without the model).
	return nil
}

// reloadGap is the least time between two reloads of an expo that changes
// while it loads.
const reloadGap = time.Second

// startLoad starts a reload of st unless one is under way (mu held).
func (m *Model) startLoad(st *expoState) {
	if st.loading {
		return
	}
	st.loading = true
	go m.reload(st)
}

// reload loads st until its snapshot is at its want count, replacing the
// snapshot whole each time.
func (m *Model) reload(st *expoState) {
	select {
	case m.loads <- struct{}{}:
		defer func() { <-m.loads }()
	case <-m.ctx.Done():
	}
	for {
		m.mu.Lock()
		seq, cards, slug := st.want, st.cards, st.slug
		m.mu.Unlock()
		start := time.Now()
		rows, err := m.load(m.ctx, st.id)
		if err == nil && len(rows) > MaxRows {
			err = fmt.Errorf("%d approved participations, more than the %d the model holds", len(rows), MaxRows)
			m.mu.Lock()
			st.large = seq
			st.snap.Store(nil)
			m.mu.Unlock()
		}
		if err == nil {
			err = m.placeRows(m.ctx, rows)
		}
		if err == nil {
			s := build(seq, rows)
			s.cards = cards
			st.snap.Store(s)
			m.log.Debug("directory loaded", "expo", slug, "rows", len(rows), "took", time.Since(start).String())
		} else if m.ctx.Err() == nil {
			m.log.Warn("directory load failed; the store answers", "expo", slug, "err", err)
		}
		m.mu.Lock()
		close(st.ready)
		st.ready = make(chan struct{})
		st.failed = err != nil
		if err == nil && st.want > seq {
			m.mu.Unlock()
			// Changes came in while loading: reload again, but not at
			// once. Under a stream of edits each reload is already behind
			// when it ends, and back-to-back reloads only took PostgreSQL's
			// CPU from the requests it answers meanwhile.
			select {
			case <-time.After(reloadGap):
			case <-m.ctx.Done():
			}
			continue
		}
		st.loading = false
		m.mu.Unlock()
		return
	}
}

// Notified applies a change notification (postgres.ListenPublicChanges):
// "exhibitor <companies> <expos>", "exhibitor-text <companies> <expos>"
// (only search texts changed) and "participation <companies> <expos>"
// concern those expos, "booking …" none (a booking changes no card), any
// other payload every expo.
func (m *Model) Notified(payload string) {
	if m == nil {
		return
	}
	kind, rest, _ := strings.Cut(payload, " ")
	if kind == "booking" && rest != "" {
		return
	}
	var expos map[string]bool
	if kind == "exhibitor" || kind == "exhibitor-text" || kind == "participation" {
		companies, slugs, _ := strings.Cut(rest, " ")
		if companies != "" {
			expos = map[string]bool{}
			for slug := range strings.SplitSeq(slugs, ",") {
				expos[slug] = true
			}
		}
	}
	// Only "exhibitor-text" leaves the cards as they were.
	textOnly := kind == "exhibitor-text" && expos != nil
	m.changed(func(st *expoState) bool { return expos == nil || expos[st.slug] }, textOnly)
}

// changed raises the want count (and, unless textOnly, the cards count) of
// the expos concerned and reloads those in use; one unused for long is
// dropped instead.
func (m *Model) changed(concerned func(*expoState) bool, textOnly bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	idle := time.Now().Add(-unusedAfter).Unix()
	for id, st := range m.expos {
		if !concerned(st) {
			continue
		}
		st.want++
		if !textOnly {
			st.cards++
		}
		if st.used.Load() < idle && !st.loading {
			delete(m.expos, id)
			continue
		}
		if st.snap.Load() != nil {
			m.startLoad(st)
		}
	}
}

// Listening records whether notifications arrive: without them the model
// cannot know its snapshots fresh, and answers nothing; anything may have
// changed while they did not.
func (m *Model) Listening(ok bool) {
	if m == nil {
		return
	}
	m.listening.Store(ok)
	if !ok {
		m.changed(func(*expoState) bool { return true }, false)
	}
}

// Stats describes what the model holds (for tests, benchmarks and the
// metrics) and how it has answered.
type Stats struct {
	Expos, Rows int
	// SignatureBytes is the size of the search signatures.
	SignatureBytes int
	// Hits are the questions (a directory page, a country list) answered
	// from memory since the model started; Fallbacks those it left to the store.
	Hits, Fallbacks uint64
}

// Stats returns what the model holds now and the counts so far.
func (m *Model) Stats() Stats {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := Stats{Hits: m.hits.Load(), Fallbacks: m.fallbacks.Load()}
	for _, e := range m.expos {
		if s := e.snap.Load(); s != nil {
			st.Expos++
			st.Rows += len(s.rows)
			st.SignatureBytes += 8 * len(s.sig)
		}
	}
	return st
}
