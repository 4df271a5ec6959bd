package server

import (
	"fmt"
	"net"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

// AdminPath is where Config.Admin is served on the metrics listener; the
// handler sees the whole path, AdminPath included.
const AdminPath = "/admin/"

// validateAdmin refuses an admin handler that would be reachable from
// another machine: Config.Admin needs a metrics listener on a loopback
// address (an IP of 127.0.0.0/8 or ::1, or "localhost").
func (c Config) validateAdmin() error {
	if c.Admin == nil {
		return nil
	}
	if c.MetricsAddr == "" {
		return fmt.Errorf("%w: the admin endpoint needs a metrics listener (MetricsAddr)", ErrConfig)
	}
	host, _, err := net.SplitHostPort(c.MetricsAddr)
	if err != nil {
		return fmt.Errorf("%w: metrics address %q: %w", ErrConfig, c.MetricsAddr, err)
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%w: the admin endpoint is served on loopback only, not on metrics address %q",
			ErrConfig, c.MetricsAddr)
	}
	return nil
}

// addCollectors registers the configured extra collectors.
func (m *metrics) addCollectors(cs []prometheus.Collector) error {
	for _, c := range cs {
		if err := m.reg.Register(c); err != nil {
			return fmt.Errorf("%w: metrics collector: %w", ErrConfig, err)
		}
	}
	return nil
}
