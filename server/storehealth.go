package server

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gatecrash/gatecrash/verifiers"
)

// redisHealthCollector exports a Redis connection's health, read on every
// scrape.
type redisHealthCollector struct {
	health func() verifiers.RedisHealth
	now    func() time.Time

	up, downFor                          *prometheus.Desc
	outages, subs, msgs, malformed, errs *prometheus.Desc
}

// RedisHealthCollector returns a collector for Config.Collectors that
// exports health (verifiers.Redis.Health) on every scrape:
//
//	gatecrash_redis_feed_up                       1 while the revocation feed is up
//	gatecrash_redis_feed_down_seconds             how long the current outage has lasted, 0 when up
//	gatecrash_redis_feed_outages_total            transitions of the feed from up to down
//	gatecrash_redis_feed_subscriptions_total      subscriptions confirmed (1 + reconnections)
//	gatecrash_redis_feed_messages_total           revocation announcements received
//	gatecrash_redis_feed_malformed_total          announcements that could not be read
//	gatecrash_redis_command_errors_total          store commands that failed
//
// now is the clock of the outage's length; nil means time.Now.
func RedisHealthCollector(health func() verifiers.RedisHealth, now func() time.Time) prometheus.Collector {
	if now == nil {
		now = time.Now
	}
	d := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc("gatecrash_redis_"+name, help, nil, nil)
	}
	return &redisHealthCollector{
		health:    health,
		now:       now,
		up:        d("feed_up", "1 while the Redis revocation feed is subscribed and answering, else 0."),
		downFor:   d("feed_down_seconds", "Length of the current Redis feed outage; 0 while up."),
		outages:   d("feed_outages_total", "Transitions of the Redis revocation feed from up to down."),
		subs:      d("feed_subscriptions_total", "Revocation channel subscriptions confirmed by Redis."),
		msgs:      d("feed_messages_total", "Revocation announcements received from Redis, from any process."),
		malformed: d("feed_malformed_total", "Announcements on the revocation channel that were not readable."),
		errs:      d("command_errors_total", "Redis store commands that failed (unreachable, too slow, refused)."),
	}
}

// Describe sends the descriptors of every metric.
func (c *redisHealthCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.up, c.downFor, c.outages, c.subs, c.msgs, c.malformed, c.errs} {
		ch <- d
	}
}

// Collect reads the health once and sends every metric.
func (c *redisHealthCollector) Collect(ch chan<- prometheus.Metric) {
	h := c.health()
	up, downFor := 1.0, 0.0
	if !h.FeedUp {
		up = 0
		if !h.DownSince.IsZero() {
			downFor = max(c.now().Sub(h.DownSince).Seconds(), 0)
		}
	}
	gauge := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v)
	}
	counter := func(d *prometheus.Desc, v uint64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v))
	}
	gauge(c.up, up)
	gauge(c.downFor, downFor)
	counter(c.outages, h.Outages)
	counter(c.subs, h.Subscriptions)
	counter(c.msgs, h.Messages)
	counter(c.malformed, h.Malformed)
	counter(c.errs, h.CommandErrors)
}
