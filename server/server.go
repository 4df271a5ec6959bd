package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"sync"
	"sync/atomic"

	"github.com/zishang520/socket.io/servers/socket/v3"
	"github.com/zishang520/socket.io/v3/pkg/types"

	"github.com/gatecrash/gatecrash/verifiers"
)

// Errors the Server's methods return; callers branch on them with errors.Is.
var (
	// ErrStarted: Start or Listen was called twice.
	ErrStarted = errors.New("server already started")
	// ErrNotLoopback: the seed-gap profile was asked to listen on an address
	// that is not loopback.
	ErrNotLoopback = errors.New("seed-gap profile listens on loopback only")
)

// Path is where Socket.IO is served.
const Path = "/socket.io/"

// Server is the reference Socket.IO server. Create it with New, start it
// with Start or Listen, stop it with Close.
type Server struct {
	cfg       Config
	io        *socket.Server
	rules     atomic.Pointer[ruleSet]
	sessions  sessions
	revocable revocations
	metrics   *metrics
	tls       *tls.Config
	warnings  []string
	// instrumented says, per method, that the inner verifier of a cache was
	// seen wrapped by Instrument (see cachestate.go).
	instrumented map[verifiers.Method]*atomic.Bool

	mu       sync.Mutex
	started  bool
	ln       net.Listener
	http     *http.Server
	metricLn net.Listener
	metricsS *http.Server
	serveErr chan error
}

// New builds a server from cfg (copied; defaults filled in) without
// listening. Every namespace of the policy exists and is guarded when New
// returns.
func New(cfg Config) (*Server, error) {
	c := cfg.withDefaults()
	if err := c.validate(); err != nil {
		return nil, err
	}
	tc, err := c.tlsConfig()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: c, tls: tc, instrumented: make(map[verifiers.Method]*atomic.Bool)}
	for m := range c.Verifiers {
		s.instrumented[m] = new(atomic.Bool)
	}
	s.rules.Store(newRuleSet(c.Policy))
	s.metrics = newMetrics(func() float64 { return float64(s.sessions.count()) })
	s.metrics.addCacheRatios(c.Verifiers)
	if err := s.metrics.addCollectors(c.Collectors); err != nil {
		return nil, err
	}
	s.io = socket.NewServer(nil, s.socketOptions())
	s.guardAll()
	_ = s.io.ServeHandler(nil) // creates the engine, so its hooks can be set
	_ = s.io.Engine().On("connection", s.sessions.opened)
	for _, n := range c.Policy.Namespaces {
		s.createNamespace(n)
	}
	s.warn()
	return s, nil
}

func (s *Server) socketOptions() *socket.ServerOptions {
	l := s.cfg.Limits
	o := socket.DefaultServerOptions()
	o.SetServeClient(false)
	o.SetConnectTimeout(l.ConnectTimeout)
	o.SetMaxHttpBufferSize(l.MaxMessageBytes)
	o.SetPingInterval(l.PingInterval)
	o.SetPingTimeout(l.PingTimeout)
	o.SetAllowEIO3(false)
	o.SetCors(&types.Cors{
		Origin:      func(origin string) bool { return originInList(origin, s.cfg.AllowedOrigins) },
		Credentials: true,
	})
	return o
}

// createNamespace makes the library namespace of a rule; guardAll's hook
// guards it (pattern parents are never guarded themselves, their children
// are).
func (s *Server) createNamespace(n NamespacePolicy) {
	if n.Pattern != "" {
		s.io.Of(regexp.MustCompile(n.Pattern), nil)
		return
	}
	s.io.Of(n.Name, nil)
}

// warn records, and logs at Warn level, what an operator must know at start.
func (s *Server) warn() {
	if s.cfg.Profile == ProfileSeedGap {
		s.warnings = append(s.warnings, "profile seed-gap: this server is INSECURE ON PURPOSE "+
			"(/admin open, /api open: no token auth, no session binding, no Origin check); loopback only")
	}
	for _, n := range s.cfg.Policy.Namespaces {
		if n.Public {
			s.warnings = append(s.warnings, "namespace "+n.Name+n.Pattern+" is public: anyone may connect")
		}
	}
	for _, w := range s.warnings {
		s.cfg.AuditLog.LogAttrs(context.Background(), slog.LevelWarn, w)
	}
}

// Warnings returns what the server warned about at start (public
// namespaces, the seed-gap profile), for the CLI to show.
func (s *Server) Warnings() []string { return append([]string(nil), s.warnings...) }

// AddNamespace adds a rule to the policy at run time and creates its
// namespace, guarded like the others.
func (s *Server) AddNamespace(n NamespacePolicy) error {
	if err := (Policy{Namespaces: []NamespacePolicy{n}}).Validate(); err != nil {
		return err
	}
	for _, m := range n.Methods {
		if s.cfg.Verifiers[m] == nil {
			return fmt.Errorf("%w: no %s verifier is configured", ErrConfig, m)
		}
	}
	for {
		old := s.rules.Load()
		if s.rules.CompareAndSwap(old, old.with(compileRule(n))) {
			break
		}
	}
	s.createNamespace(n)
	return nil
}

// Of returns namespace name, creating it if needed: an escape hatch for
// embedding code that adds its own event handlers. A namespace created here
// without a rule (AddNamespace) admits nobody.
func (s *Server) Of(name string) socket.Namespace { return s.io.Of(name, nil) }
