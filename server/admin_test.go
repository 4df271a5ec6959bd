package server

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gatecrash/gatecrash/verifiers"
)

// TestAdmin_LoopbackOnly: the admin handler is refused unless the metrics
// listener is on loopback.
func TestAdmin_LoopbackOnly(t *testing.T) {
	admin := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	tests := []struct {
		name    string
		metrics string
		wantErr bool
	}{
		{name: "ipv4 loopback", metrics: "127.0.0.1:0"},
		{name: "other loopback ip", metrics: "127.0.0.2:9464"},
		{name: "ipv6 loopback", metrics: "[::1]:0"},
		{name: "localhost", metrics: "localhost:9464"},
		{name: "no metrics listener", metrics: "", wantErr: true},
		{name: "all interfaces", metrics: ":9464", wantErr: true},
		{name: "wildcard ip", metrics: "0.0.0.0:9464", wantErr: true},
		{name: "remote name", metrics: "example.com:9464", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(Config{Verifiers: fakeVerifiers(), MetricsAddr: tt.metrics, Admin: admin})
			if tt.wantErr != (err != nil) {
				t.Fatalf("New: err = %v, want error %v", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrConfig) {
				t.Errorf("err = %v, want ErrConfig", err)
			}
		})
	}
}

// TestAdmin_ServedOnMetricsListener: the handler answers under AdminPath,
// and only when configured.
func TestAdmin_ServedOnMetricsListener(t *testing.T) {
	admin := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("admin " + r.URL.Path))
	})
	s := start(t, Config{MetricsAddr: "127.0.0.1:0", Admin: admin})
	if got := get(t, "http://"+s.MetricsAddr().String()+AdminPath+"revoke", http.StatusOK); got != "admin /admin/revoke" {
		t.Errorf("admin answered %q", got)
	}
	plain := start(t, Config{MetricsAddr: "127.0.0.1:0"})
	get(t, "http://"+plain.MetricsAddr().String()+AdminPath+"revoke", http.StatusNotFound)
}

// TestMetrics_RedisHealth: the collector exports the feed state, the
// outage's length and the counters.
func TestMetrics_RedisHealth(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	health := verifiers.RedisHealth{FeedUp: false, DownSince: now.Add(-1500 * time.Millisecond),
		Outages: 2, Subscriptions: 3, Messages: 7, Malformed: 1, CommandErrors: 11}
	c := RedisHealthCollector(func() verifiers.RedisHealth { return health }, func() time.Time { return now })
	s := start(t, Config{MetricsAddr: "127.0.0.1:0", Collectors: []prometheus.Collector{c}})
	body := get(t, "http://"+s.MetricsAddr().String()+"/metrics", http.StatusOK)
	for _, want := range []string{
		"gatecrash_redis_feed_up 0",
		"gatecrash_redis_feed_down_seconds 1.5",
		"gatecrash_redis_feed_outages_total 2",
		"gatecrash_redis_feed_subscriptions_total 3",
		"gatecrash_redis_feed_messages_total 7",
		"gatecrash_redis_feed_malformed_total 1",
		"gatecrash_redis_command_errors_total 11",
	} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if _, err := New(Config{Verifiers: fakeVerifiers(), Collectors: []prometheus.Collector{c, c}}); !errors.Is(err, ErrConfig) {
		t.Errorf("a collector registered twice: err = %v, want ErrConfig", err)
	}
}
