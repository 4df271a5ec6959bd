package server

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gatecrash/gatecrash/verifiers"
)

// ErrConfig is wrapped by every error New returns for a bad Config.
var ErrConfig = errors.New("invalid server config")

// Profile selects how the server is secured.
type Profile string

// The profiles.
const (
	// ProfileHardened is the default: every control of the package is on.
	ProfileHardened Profile = "hardened"
	// ProfileSeedGap reproduces the analysed application's gaps on purpose:
	// session auth on "/" only, "/admin" open, "/api" open (no token auth), no
	// Engine.IO session binding, no Origin check. It listens on loopback only.
	ProfileSeedGap Profile = "seed-gap"
)

// The documented defaults of Limits.
const (
	DefaultMaxMessageBytes    = 64 << 10
	DefaultConnectTimeout     = 5 * time.Second
	DefaultPingInterval       = 25 * time.Second
	DefaultPingTimeout        = 20 * time.Second
	DefaultDecisionTimeout    = 2 * time.Second
	DefaultMaxPendingSessions = 10000
	DefaultMaxCredentialBytes = 8192
	DefaultSessionCookie      = verifiers.SessionCookieName
	DefaultShutdownTimeout    = 5 * time.Second
)

// Config configures a Server. The zero value, plus verifiers, is a hardened
// server with DefaultPolicy and the default Limits. New copies it: later
// changes to the caller's value have no effect.
type Config struct {
	// Profile is ProfileHardened when empty.
	Profile Profile
	// Policy is DefaultPolicy() when it has no namespace (and the seed-gap
	// policy under ProfileSeedGap, which ignores this field).
	Policy Policy
	// Verifiers are the verifiers by method. A policy method without a
	// verifier is a configuration error.
	Verifiers map[verifiers.Method]verifiers.Verifier
	// Limits bound what clients may do; zero fields take the defaults.
	Limits Limits
	// SessionCookie is the name of the session cookie (DefaultSessionCookie,
	// the cookie verifiers.Login sets).
	SessionCookie string
	// AllowedOrigins lists the Origins (scheme://host[:port]) allowed to make
	// cookie-authenticated handshakes and cross-origin requests, besides the
	// server's own origin.
	AllowedOrigins []string
	// TLS, when set, serves wss:// and https://.
	TLS *TLSConfig
	// MetricsAddr is the address of the metrics listener (/metrics, /healthz,
	// and /debug/pprof/ when Pprof). Empty means no metrics listener; the CLI
	// passes DefaultMetricsAddr.
	MetricsAddr string
	// Pprof serves net/http/pprof on the metrics listener.
	Pprof bool
	// ReusePort makes Listen set SO_REUSEPORT (Linux), so several server
	// processes can share one address, each taking a share of the new
	// connections. Routing is per connection, not sticky: websocket-only
	// clients only (see listenTCP). The metrics listener does not share.
	ReusePort bool
	// AuditLog receives one JSON-friendly line per decision; nil discards.
	AuditLog *slog.Logger
	// Clock is the time source for expiry; nil means the system clock.
	Clock Clock
	// Collectors are added to the server's metrics registry (a store's
	// health, for one: see RedisHealthCollector).
	Collectors []prometheus.Collector
	// Admin, when set, is served under AdminPath on the metrics listener,
	// which must then be on loopback: it revokes credentials.
	Admin http.Handler
}

// DefaultMetricsAddr is the metrics listener address the CLI uses by default:
// loopback only.
const DefaultMetricsAddr = "127.0.0.1:9464"

// Limits are the bounds the server enforces. Zero values take the documented
// defaults (the Default… constants).
type Limits struct {
	// MaxMessageBytes is the largest Engine.IO message (websocket frame or
	// polling POST body) accepted; larger ones close the session.
	MaxMessageBytes int64
	// ConnectTimeout closes an Engine.IO session that joined no namespace.
	ConnectTimeout time.Duration
	// PingInterval and PingTimeout are the Engine.IO heartbeat.
	PingInterval time.Duration
	PingTimeout  time.Duration
	// DecisionTimeout bounds one CONNECT's verification: past it, the CONNECT
	// is rejected with the reason "unavailable".
	DecisionTimeout time.Duration
	// MaxPendingSessions bounds the Engine.IO sessions that have not yet
	// joined a namespace; handshakes beyond it get HTTP 503.
	MaxPendingSessions int
	// MaxCredentialBytes rejects longer credentials ("too_large") before any
	// verifier sees them.
	MaxCredentialBytes int
	// ShutdownTimeout bounds Close.
	ShutdownTimeout time.Duration
}

// TLSConfig says where the certificate comes from: files, or a self-signed
// certificate for 127.0.0.1 and localhost generated at start (demos only).
type TLSConfig struct {
	CertFile   string
	KeyFile    string
	SelfSigned bool
}

// withDefaults returns a copy of c with every default filled in. It never
// mutates c.
func (c Config) withDefaults() Config {
	out := c
	out.Verifiers = maps.Clone(c.Verifiers)
	out.AllowedOrigins = slices.Clone(c.AllowedOrigins)
	out.Collectors = slices.Clone(c.Collectors)
	if c.TLS != nil {
		t := *c.TLS
		out.TLS = &t
	}
	if out.Profile == "" {
		out.Profile = ProfileHardened
	}
	switch {
	case out.Profile == ProfileSeedGap:
		out.Policy = seedGapPolicy()
	case len(c.Policy.Namespaces) == 0:
		out.Policy = DefaultPolicy()
	default:
		out.Policy = c.Policy.Clone()
	}
	out.Limits = c.Limits.withDefaults()
	if out.SessionCookie == "" {
		out.SessionCookie = DefaultSessionCookie
	}
	if out.AuditLog == nil {
		out.AuditLog = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if out.Clock == nil {
		out.Clock = systemClock{}
	}
	return out
}

func (l Limits) withDefaults() Limits {
	setDefault(&l.MaxMessageBytes, DefaultMaxMessageBytes)
	setDefault(&l.ConnectTimeout, DefaultConnectTimeout)
	setDefault(&l.PingInterval, DefaultPingInterval)
	setDefault(&l.PingTimeout, DefaultPingTimeout)
	setDefault(&l.DecisionTimeout, DefaultDecisionTimeout)
	setDefault(&l.MaxPendingSessions, DefaultMaxPendingSessions)
	setDefault(&l.MaxCredentialBytes, DefaultMaxCredentialBytes)
	setDefault(&l.ShutdownTimeout, DefaultShutdownTimeout)
	return l
}

func setDefault[T int | int64 | time.Duration](v *T, d T) {
	if *v <= 0 {
		*v = d
	}
}

// validate checks a defaulted config.
func (c Config) validate() error {
	if c.Profile != ProfileHardened && c.Profile != ProfileSeedGap {
		return fmt.Errorf("%w: unknown profile %q", ErrConfig, c.Profile)
	}
	if err := c.Policy.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	for _, n := range c.Policy.Namespaces {
		for _, m := range n.Methods {
			if c.Verifiers[m] == nil {
				return fmt.Errorf("%w: namespace %s%s accepts %s but no %s verifier is configured",
					ErrConfig, n.Name, n.Pattern, m, m)
			}
		}
	}
	if c.TLS != nil && !c.TLS.SelfSigned && (c.TLS.CertFile == "" || c.TLS.KeyFile == "") {
		return fmt.Errorf("%w: TLS needs a certificate and a key file, or SelfSigned", ErrConfig)
	}
	return c.validateAdmin()
}
