// Package metrics is what an operator watches of a running Puente: its
// requests, database, mail queue, digest, search index, sessions, rate
// limits and cache, in Prometheus's text format for the diagnostics
// listener. Counters kept by the other packages are read at each scrape;
// nothing here is global, so every process (and every test) has its own.
package metrics

import (
	"context"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"puente/db"
)

// Metrics holds one process's registry and the metrics it updates itself.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// New makes a registry with the Go runtime's and the process's metrics
// and the request metrics.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "puente_http_requests_total",
		Help: "HTTP requests answered, by route pattern, method and status code.",
	}, []string{"route", "method", "code"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "puente_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by route pattern.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route"})
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), m.requests, m.duration)
	return m
}

// Handler serves the registry's metrics. A metric that cannot be read
// (the database did not answer) is left out of the scrape and reported
// in it as an error, rather than failing the whole scrape.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError, Timeout: 10 * time.Second})
}

// codes holds the status codes as label values, made once.
var codes = func() (c [600]string) {
	for i := range c {
		c[i] = strconv.Itoa(i)
	}
	return c
}()

// Request counts one answered request. route is the router's pattern
// (never the raw path, which would make one series per practice).
func (m *Metrics) Request(route, method string, code int, elapsed time.Duration) {
	c := "other"
	if code >= 100 && code < len(codes) {
		c = codes[code]
	}
	m.requests.WithLabelValues(route, method, c).Inc()
	m.duration.WithLabelValues(route).Observe(elapsed.Seconds())
}

// Counter adds a counter whose value value reads at each scrape.
func (m *Metrics) Counter(name, help string, labels prometheus.Labels, value func() uint64) {
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help, ConstLabels: labels},
		func() float64 { return float64(value()) }))
}

// Gauge adds a gauge whose value value reads at each scrape.
func (m *Metrics) Gauge(name, help string, value func() float64) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, value))
}

// Database adds the two connection pools' statistics (waits above all:
// a writer queue shows there first), the group commit's batch sizes and
// the size of the WAL.
func (m *Metrics) Database(d *db.DB) {
	m.reg.MustRegister(collectors.NewDBStatsCollector(d.W, "writer"), collectors.NewDBStatsCollector(d.R, "reader"), batchCollector{d})
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "puente_db_wal_bytes",
		Help: "Size of the database's write-ahead log. It grows without bound when nothing checkpoints it (Litestream stopped while --litestream is set).",
	}, func() float64 {
		fi, err := os.Stat(d.Path + "-wal")
		if err != nil {
			return 0
		}
		return float64(fi.Size())
	}))
}

var batchDesc = prometheus.NewDesc("puente_db_commit_batch_writes",
	"Writes that shared one commit of the group commit.", nil, nil)

type batchCollector struct{ d *db.DB }

func (b batchCollector) Describe(ch chan<- *prometheus.Desc) { ch <- batchDesc }

func (b batchCollector) Collect(ch chan<- prometheus.Metric) {
	count, sum, cumulative := b.d.BatchSizes()
	buckets := make(map[float64]uint64, len(cumulative))
	for i, n := range cumulative {
		buckets[float64(db.BatchBounds[i])] = n
	}
	ch <- prometheus.MustNewConstHistogram(batchDesc, count, float64(sum), buckets)
}

// State is what the database tells of the site's background work, read
// once per scrape.
type State struct {
	OutboxQueued int       // messages waiting to be sent
	OutboxFailed int       // messages that failed for good, ever
	OutboxOldest time.Time // when the oldest waiting message was written; zero if none
	SessionsOpen int       // sessions not yet expired
	// SessionsActive made a request within the last ActiveWindow.
	SessionsActive int
	SearchPending  int       // comments waiting to be added to the search index
	DigestLast     time.Time // when the last digest was written; zero if never
}

// ActiveWindow is how recent a session's last request must be for it to
// count as active.
const ActiveWindow = 15 * time.Minute

// Probe reads the State.
type Probe func(context.Context) (State, error)

// Watch adds the State, read by probe at each scrape, with now as the
// clock for the age of the oldest message.
func (m *Metrics) Watch(probe Probe, now func() time.Time) {
	m.reg.MustRegister(stateCollector{probe, now})
}

var (
	outboxQueuedDesc   = prometheus.NewDesc("puente_outbox_queued", "Messages waiting to be sent, or being sent.", nil, nil)
	outboxFailedDesc   = prometheus.NewDesc("puente_outbox_failed", "Messages that failed for good, ever (kept in the outbox table).", nil, nil)
	outboxOldestDesc   = prometheus.NewDesc("puente_outbox_oldest_queued_age_seconds", "Age of the oldest message waiting to be sent; 0 when none waits.", nil, nil)
	sessionsOpenDesc   = prometheus.NewDesc("puente_sessions_open", "Sessions not yet expired.", nil, nil)
	sessionsActiveDesc = prometheus.NewDesc("puente_sessions_active", "Sessions that made a request within the last 15 minutes.", nil, nil)
	searchPendingDesc  = prometheus.NewDesc("puente_search_pending_comments", "Comments waiting to be added to the search index (its lag; a search adds them first).", nil, nil)
	digestLastDesc     = prometheus.NewDesc("puente_digest_last_run_timestamp_seconds", "When the last weekly digest was written, by the server or by the digest command; 0 if never.", nil, nil)
	stateDescs         = []*prometheus.Desc{outboxQueuedDesc, outboxFailedDesc, outboxOldestDesc, sessionsOpenDesc, sessionsActiveDesc, searchPendingDesc, digestLastDesc}
)

type stateCollector struct {
	probe Probe
	now   func() time.Time
}

func (c stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range stateDescs {
		ch <- d
	}
}

func (c stateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := c.probe(ctx)
	if err != nil {
		for _, d := range stateDescs {
			ch <- prometheus.NewInvalidMetric(d, err)
		}
		return
	}
	var oldest, digest float64
	if !st.OutboxOldest.IsZero() {
		oldest = max(0, c.now().Sub(st.OutboxOldest).Seconds())
	}
	if !st.DigestLast.IsZero() {
		digest = float64(st.DigestLast.Unix())
	}
	gauge := func(d *prometheus.Desc, v float64) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v) }
	gauge(outboxQueuedDesc, float64(st.OutboxQueued))
	gauge(outboxFailedDesc, float64(st.OutboxFailed))
	gauge(outboxOldestDesc, oldest)
	gauge(sessionsOpenDesc, float64(st.SessionsOpen))
	gauge(sessionsActiveDesc, float64(st.SessionsActive))
	gauge(searchPendingDesc, float64(st.SearchPending))
	gauge(digestLastDesc, digest)
}
