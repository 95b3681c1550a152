package metrics

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"expodesk/internal/expodesk"
)

// The collectors below read their numbers when scraped, not on every
// event: the pool, the caches and the model keep their own counts, and a
// scrape turns one reading of them into constant metrics.

func desc(subsystem, name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(prometheus.BuildFQName(namespace, subsystem, name), help, labels, nil)
}

// RegisterPool adds the database pool's statistics (pgxpool's Stat).
func (m *Metrics) RegisterPool(pool *pgxpool.Pool) {
	if m == nil || pool == nil {
		return
	}
	m.register(poolCollector{pool})
}

var (
	poolAcquired       = desc("db_pool", "acquired_conns", "Connections in use by the application.")
	poolIdle           = desc("db_pool", "idle_conns", "Idle connections in the pool.")
	poolConstructing   = desc("db_pool", "constructing_conns", "Connections being opened.")
	poolTotal          = desc("db_pool", "total_conns", "Connections open (acquired, idle and being opened).")
	poolMax            = desc("db_pool", "max_conns", "The pool's size (DB_MAX_CONNS).")
	poolAcquires       = desc("db_pool", "acquires_total", "Successful connection acquisitions.")
	poolAcquireSecs    = desc("db_pool", "acquire_duration_seconds_total", "Time spent acquiring connections, waits included.")
	poolEmptyAcquires  = desc("db_pool", "empty_acquires_total", "Acquisitions that had to wait because no connection was idle.")
	poolEmptyWaitSecs  = desc("db_pool", "empty_acquire_wait_seconds_total", "Time spent in acquisitions that waited for a connection.")
	poolCanceled       = desc("db_pool", "canceled_acquires_total", "Acquisitions given up because their context ended first.")
	poolNewConns       = desc("db_pool", "new_conns_total", "Connections opened.")
	poolLifetimeClosed = desc("db_pool", "max_lifetime_destroys_total", "Connections closed for reaching their maximum lifetime.")
	poolIdleClosed     = desc("db_pool", "max_idle_destroys_total", "Connections closed for idling too long.")
)

type poolCollector struct{ pool *pgxpool.Pool }

func (c poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolAcquired, poolIdle, poolConstructing, poolTotal, poolMax, poolAcquires,
		poolAcquireSecs, poolEmptyAcquires, poolEmptyWaitSecs, poolCanceled, poolNewConns, poolLifetimeClosed, poolIdleClosed} {
		ch <- d
	}
}

func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.pool.Stat()
	gauge := func(d *prometheus.Desc, v float64) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v) }
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	gauge(poolAcquired, float64(s.AcquiredConns()))
	gauge(poolIdle, float64(s.IdleConns()))
	gauge(poolConstructing, float64(s.ConstructingConns()))
	gauge(poolTotal, float64(s.TotalConns()))
	gauge(poolMax, float64(s.MaxConns()))
	counter(poolAcquires, float64(s.AcquireCount()))
	counter(poolAcquireSecs, s.AcquireDuration().Seconds())
	counter(poolEmptyAcquires, float64(s.EmptyAcquireCount()))
	counter(poolEmptyWaitSecs, s.EmptyAcquireWaitTime().Seconds())
	counter(poolCanceled, float64(s.CanceledAcquireCount()))
	counter(poolNewConns, float64(s.NewConnsCount()))
	counter(poolLifetimeClosed, float64(s.MaxLifetimeDestroyCount()))
	counter(poolIdleClosed, float64(s.MaxIdleDestroyCount()))
}

// OutboxTimeout bounds the outbox query of one scrape: a database that is
// slow or unreachable costs the scrape this much, and the scrape still
// answers, with expodesk_outbox_scrape_error at 1.
const OutboxTimeout = 2 * time.Second

// RegisterOutbox adds the outboxes' depths, read with depths (the store's
// OutboxDepths) at each scrape.
func (m *Metrics) RegisterOutbox(depths func(context.Context) ([]expodesk.OutboxDepth, error)) {
	if m == nil || depths == nil {
		return
	}
	m.register(&outboxCollector{depths: depths, log: m.log})
}

var (
	outboxPending = desc("outbox", "pending", "Rows waiting to be sent (mail not sent and not given up on; webhook deliveries pending).", "outbox")
	outboxOldest  = desc("outbox", "oldest_pending_age_seconds", "How long the oldest waiting row has waited (0 when none waits).", "outbox")
	outboxError   = desc("outbox", "scrape_error", "1 when this scrape could not read the outboxes (their series are then left out), else 0.")
)

type outboxCollector struct {
	depths func(context.Context) ([]expodesk.OutboxDepth, error)
	log    *slog.Logger
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxPending
	ch <- outboxOldest
	ch <- outboxError
}

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), OutboxTimeout)
	defer cancel()
	rows, err := c.depths(ctx)
	if err != nil {
		c.log.Warn("metrics: read outbox depths", "err", err)
		ch <- prometheus.MustNewConstMetric(outboxError, prometheus.GaugeValue, 1)
		return
	}
	ch <- prometheus.MustNewConstMetric(outboxError, prometheus.GaugeValue, 0)
	for _, r := range rows {
		ch <- prometheus.MustNewConstMetric(outboxPending, prometheus.GaugeValue, float64(r.Pending), r.Outbox)
		ch <- prometheus.MustNewConstMetric(outboxOldest, prometheus.GaugeValue, r.OldestAge.Seconds(), r.Outbox)
	}
}

// PageCacheStats is what the page cache has counted since it started.
type PageCacheStats struct {
	// Hits were served from memory; Misses rendered a page that could be
	// stored; Bypasses were not the cache's (signed in, not a GET, an
	// unknown parameter, the listener down).
	Hits, Misses, Bypasses uint64
	// Stores kept a rendered page; Evictions dropped one to make room;
	// Invalidations dropped one that a change had made stale.
	Stores, Evictions, Invalidations uint64
	// Bytes and Entries are what it holds now.
	Bytes   int64
	Entries int
	// Listening is whether change notifications arrive (without them the cache is bypassed).
	Listening bool
}

// RegisterPageCache adds the page cache's counts, read with stats at each scrape.
func (m *Metrics) RegisterPageCache(stats func() PageCacheStats) {
	if m == nil || stats == nil {
		return
	}
	m.register(pageCacheCollector(stats))
}

var (
	cacheRequests      = desc("page_cache", "requests_total", "Requests that reached the page cache, by result: hit, miss, bypass.", "result")
	cacheStores        = desc("page_cache", "stores_total", "Rendered pages stored.")
	cacheEvictions     = desc("page_cache", "evictions_total", "Pages dropped to make room (entry count or byte budget; the 10-minute expiry is not counted).")
	cacheInvalidations = desc("page_cache", "invalidations_total", "Pages dropped because a committed change made them stale.")
	cacheBytes         = desc("page_cache", "bytes", "Bytes of the stored pages (bodies and their compressed copies).")
	cacheEntries       = desc("page_cache", "entries", "Pages stored.")
	cacheListening     = desc("page_cache", "listening", "1 while change notifications arrive; 0 while the cache is bypassed.")
)

type pageCacheCollector func() PageCacheStats

func (c pageCacheCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{cacheRequests, cacheStores, cacheEvictions, cacheInvalidations, cacheBytes, cacheEntries, cacheListening} {
		ch <- d
	}
}

func (c pageCacheCollector) Collect(ch chan<- prometheus.Metric) {
	s := c()
	ch <- prometheus.MustNewConstMetric(cacheRequests, prometheus.CounterValue, float64(s.Hits), "hit")
	ch <- prometheus.MustNewConstMetric(cacheRequests, prometheus.CounterValue, float64(s.Misses), "miss")
	ch <- prometheus.MustNewConstMetric(cacheRequests, prometheus.CounterValue, float64(s.Bypasses), "bypass")
	ch <- prometheus.MustNewConstMetric(cacheStores, prometheus.CounterValue, float64(s.Stores))
	ch <- prometheus.MustNewConstMetric(cacheEvictions, prometheus.CounterValue, float64(s.Evictions))
	ch <- prometheus.MustNewConstMetric(cacheInvalidations, prometheus.CounterValue, float64(s.Invalidations))
	ch <- prometheus.MustNewConstMetric(cacheBytes, prometheus.GaugeValue, float64(s.Bytes))
	ch <- prometheus.MustNewConstMetric(cacheEntries, prometheus.GaugeValue, float64(s.Entries))
	ch <- prometheus.MustNewConstMetric(cacheListening, prometheus.GaugeValue, boolValue(s.Listening))
}

// DirectoryStats is what the directory model has counted and holds.
type DirectoryStats struct {
	// Hits were answered from memory; Fallbacks went to PostgreSQL (the
	// expo not loaded yet, a reload under way, the listener down).
	Hits, Fallbacks uint64
	// Expos and Rows are the snapshots held now.
	Expos, Rows int
}

// RegisterDirectory adds the directory model's counts, read with stats at each scrape.
func (m *Metrics) RegisterDirectory(stats func() DirectoryStats) {
	if m == nil || stats == nil {
		return
	}
	m.register(directoryCollector(stats))
}

var (
	dirAnswers = desc("directory_model", "answers_total", "Directory questions (a page, a country list) by who answered: hit (memory) or fallback (PostgreSQL).", "result")
	dirExpos   = desc("directory_model", "expos", "Expos whose directory is held in memory.")
	dirRows    = desc("directory_model", "rows", "Approved participations held in memory.")
)

type directoryCollector func() DirectoryStats

func (c directoryCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- dirAnswers
	ch <- dirExpos
	ch <- dirRows
}

func (c directoryCollector) Collect(ch chan<- prometheus.Metric) {
	s := c()
	ch <- prometheus.MustNewConstMetric(dirAnswers, prometheus.CounterValue, float64(s.Hits), "hit")
	ch <- prometheus.MustNewConstMetric(dirAnswers, prometheus.CounterValue, float64(s.Fallbacks), "fallback")
	ch <- prometheus.MustNewConstMetric(dirExpos, prometheus.GaugeValue, float64(s.Expos))
	ch <- prometheus.MustNewConstMetric(dirRows, prometheus.GaugeValue, float64(s.Rows))
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
