package server

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/gatecrash/gatecrash/verifiers"
)

// CacheState says whether a verification was answered from a cache.
type CacheState string

// The cache states of the verification latency histogram. CacheUnknown is
// a caching verifier whose inner verifier was not wrapped with Instrument,
// so hits and misses cannot be told apart.
const (
	CacheHit      CacheState = "hit"
	CacheMiss     CacheState = "miss"
	CacheUncached CacheState = "uncached"
	CacheUnknown  CacheState = "cached"
)

// metrics holds the server's Prometheus collectors, on its own registry (no
// global state: two servers in one process do not collide).
type metrics struct {
	reg        *prometheus.Registry
	handshakes *prometheus.CounterVec
	verify     *prometheus.HistogramVec
	connected  prometheus.Gauge
	pending    prometheus.GaugeFunc

	// counters caches label children: the CONNECT path does a map lookup,
	// not a label hash, per decision.
	counters sync.Map // handshakeKey -> prometheus.Counter
	// latencies does the same for the verification histogram.
	latencies sync.Map // latencyKey -> prometheus.Observer
}

type latencyKey struct {
	method verifiers.Method
	cache  CacheState
}

type handshakeKey struct {
	nsp     string
	method  verifiers.Method
	outcome string
	reason  verifiers.Reason
}

func newMetrics(pending func() float64) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.handshakes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gatecrash_handshakes_total",
		Help: "Namespace CONNECT decisions by namespace, method, outcome and reason.",
	}, []string{"namespace", "method", "outcome", "reason"})
	m.verify = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "gatecrash_verify_seconds",
		Help:    "Time spent verifying the credentials of one CONNECT, by method and cache state.",
		Buckets: prometheus.ExponentialBuckets(5e-6, 2.5, 14),
	}, []string{"method", "cache"})
	m.connected = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "gatecrash_connected_sockets",
		Help: "Accepted sockets currently connected, all namespaces.",
	})
	m.pending = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "gatecrash_pending_sessions",
		Help: "Engine.IO sessions that have not joined a namespace yet.",
	}, pending)
	m.reg.MustRegister(m.handshakes, m.verify, m.connected, m.pending,
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewGoCollector())
	return m
}

// observe counts one decision and its verification time.
func (m *metrics) observe(nsp string, method verifiers.Method, d decision) {
	k := handshakeKey{nsp: nsp, method: method, outcome: "accepted", reason: d.reason}
	if !d.accepted() {
		k.outcome = "rejected"
	}
	c, ok := m.counters.Load(k)
	if !ok {
		c, _ = m.counters.LoadOrStore(k,
			m.handshakes.WithLabelValues(nsp, string(method), k.outcome, string(d.reason)))
	}
	c.(prometheus.Counter).Inc()
	if d.took > 0 {
		m.latency(method, d.cache).Observe(d.took.Seconds())
	}
}

// latency returns the histogram child of method and cache state.
func (m *metrics) latency(method verifiers.Method, cache CacheState) prometheus.Observer {
	k := latencyKey{method: method, cache: cache}
	h, ok := m.latencies.Load(k)
	if !ok {
		h, _ = m.latencies.LoadOrStore(k, m.verify.WithLabelValues(string(method), string(cache)))
	}
	return h.(prometheus.Observer)
}

// cacheStatser is a caching verifier: verifiers.Cached.
type cacheStatser interface {
	Stats() verifiers.CacheStats
}

// addCacheRatios registers a hit-ratio gauge for each caching verifier.
func (m *metrics) addCacheRatios(vs map[verifiers.Method]verifiers.Verifier) {
	for method, v := range vs {
		cs, ok := v.(cacheStatser)
		if !ok {
			continue
		}
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name:        "gatecrash_verifier_cache_hit_ratio",
			Help:        "Cache hits over lookups of a caching verifier, since it was created.",
			ConstLabels: prometheus.Labels{"method": string(method)},
		}, func() float64 { return cs.Stats().HitRatio }))
	}
}
