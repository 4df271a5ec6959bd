package audit

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gatecrash/gatecrash/internal/creds"
)

// Defaults Config fills in.
const (
	// DefaultDecisionBudget is how long a CONNECT may go unanswered before
	// the audit calls it a missing decision. CASES.md sets the hard limit at
	// 5 s; servers default to a 45 s connect timeout, which must not pass.
	DefaultDecisionBudget = 5 * time.Second
	// DefaultSlowDecision is the answer time past which a decision counts as
	// slow (CASES.md: p99 ≤ 1 s under load).
	DefaultSlowDecision = time.Second
	// DefaultRate is the handshakes started per second.
	DefaultRate = 50
	// DefaultMaxRequests bounds the handshakes of one audit.
	DefaultMaxRequests = 5000
	// DefaultConcurrency is the checks run at once.
	DefaultConcurrency = 4
	// DefaultExpiryTTL is the lifetime of H-01's credential, and
	// DefaultExpiryBound how long past its expiry the socket may live
	// (CASES.md: DISC at exp + leeway, ± 1 s).
	DefaultExpiryTTL   = 3 * time.Second
	DefaultExpiryBound = 2 * time.Second
	// DefaultOversizeBytes is the size of the A-14 frame: above the 1e6-byte
	// maxHttpBufferSize of Socket.IO servers' defaults.
	DefaultOversizeBytes = 1_000_100
)

// Namespace is one namespace the audit must find guarded.
type Namespace struct {
	// Name is the namespace, starting with "/".
	Name string
	// Roles are what a good credential must hold to be accepted there; the
	// audit also tries a good credential without them (CASES.md C-16).
	Roles []string
}

// Config configures Run. Target and Namespaces are required; every other
// field has a default. Run copies it: the caller's value is never changed.
type Config struct {
	// Target is the server's URL: http(s):// or ws(s)://, its path (if any)
	// the Engine.IO path.
	Target string
	// Path overrides the Engine.IO path (default /socket.io/).
	Path string
	// TLS configures https and wss targets.
	TLS *tls.Config
	// Namespaces are the namespaces to audit. "/" is always audited.
	Namespaces []Namespace
	// Material is the key material credentials are minted from: signing
	// keys (external mode), API-key and session records, or, for the
	// embedded reference server, its stores. With no key, JWT kinds are
	// signed with a throwaway key the target cannot know, so every one of
	// them is bad.
	Material creds.Config
	// Kinds restricts the credential kinds tried (catalogue names); empty
	// tries every kind the material can mint.
	Kinds []string
	// Transports are the transports tried; empty means all three.
	Transports []Transport
	// Groups restricts the case groups run; empty means all.
	Groups []Group
	// DecisionBudget bounds the wait for one CONNECT's answer (default 5 s).
	DecisionBudget time.Duration
	// SlowDecision is the answer time past which a decision is slow
	// (default 1 s).
	SlowDecision time.Duration
	// Rate is the handshakes started per second (default 50).
	Rate float64
	// MaxRequests bounds the handshakes of the whole audit (default 5000);
	// a plan needing more fails with ErrBudget before anything is sent.
	MaxRequests int
	// Concurrency is the checks run at once (default 4).
	Concurrency int
	// OversizeBytes is the size of the A-14 oversized frame (default
	// 1 000 100 bytes).
	OversizeBytes int
	// ExpiryTTL is the lifetime of H-01's short-lived JWT (default 3 s);
	// ExpiryBound how long after its expiry the server may take to end the
	// socket (default 2 s; a target with clock leeway needs its leeway
	// added).
	ExpiryTTL, ExpiryBound time.Duration
	// Revoke, when set, revokes a credential on the target: H-03 then checks
	// that a socket whose session is revoked ends within RevokeBound
	// (default 2 s).
	Revoke      RevokeFunc
	RevokeBound time.Duration
	// AllowRemote lets the target be outside loopback. Without it, Run
	// refuses any host but 127.0.0.0/8, ::1 and localhost.
	AllowRemote bool
	// Now is the clock decisions are timed with; default time.Now.
	Now func() time.Time
}

// withDefaults returns a copy of c with the defaults filled in, or the first
// problem of c.
func (c Config) withDefaults() (Config, error) {
	if c.Target == "" {
		return c, fmt.Errorf("%w: no target", ErrConfig)
	}
	if err := checkLoopback(c.Target, c.AllowRemote); err != nil {
		return c, err
	}
	c.Namespaces = withMain(c.Namespaces)
	for _, n := range c.Namespaces {
		if !strings.HasPrefix(n.Name, "/") {
			return c, fmt.Errorf("%w: namespace %q does not start with /", ErrConfig, n.Name)
		}
	}
	if len(c.Transports) == 0 {
		c.Transports = AllTransports()
	}
	for _, t := range c.Transports {
		if !slices.Contains(AllTransports(), t) {
			return c, fmt.Errorf("%w: unknown transport %q", ErrConfig, t)
		}
	}
	c.Kinds = slices.Clone(c.Kinds)
	c.Groups = slices.Clone(c.Groups)
	c.DecisionBudget = orDuration(c.DecisionBudget, DefaultDecisionBudget)
	c.SlowDecision = orDuration(c.SlowDecision, DefaultSlowDecision)
	if c.Rate <= 0 {
		c.Rate = DefaultRate
	}
	c.MaxRequests = orInt(c.MaxRequests, DefaultMaxRequests)
	c.Concurrency = orInt(c.Concurrency, DefaultConcurrency)
	c.OversizeBytes = orInt(c.OversizeBytes, DefaultOversizeBytes)
	c.ExpiryTTL = orDuration(c.ExpiryTTL, DefaultExpiryTTL)
	c.ExpiryBound = orDuration(c.ExpiryBound, DefaultExpiryBound)
	c.RevokeBound = orDuration(c.RevokeBound, DefaultRevokeBound)
	if c.Now == nil {
		c.Now = time.Now
	}
	return c, nil
}

// withMain returns ns (copied) with "/" first when it is missing.
func withMain(ns []Namespace) []Namespace {
	out := make([]Namespace, 0, len(ns)+1)
	if !slices.ContainsFunc(ns, func(n Namespace) bool { return n.Name == "/" }) {
		out = append(out, Namespace{Name: "/"})
	}
	for _, n := range ns {
		n.Roles = slices.Clone(n.Roles)
		out = append(out, n)
	}
	return out
}

// checkLoopback refuses a target outside loopback unless allowed. Host names
// other than localhost are not resolved: they count as remote.
func checkLoopback(target string, allowRemote bool) error {
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%w: target %q is not a URL with a host", ErrConfig, target)
	}
	if allowRemote || IsLoopbackHost(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrNotLoopback, u.Hostname())
}

// IsLoopbackHost reports whether host (a name or an address, without port)
// is localhost or an address of 127.0.0.0/8 or ::1.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		ip := net.ParseIP(host)
		return ip != nil && ip.IsLoopback()
	}
	return a.Unmap().IsLoopback()
}

func orDuration(v, def time.Duration) time.Duration {
	if v <= 0 {
		return def
	}
	return v
}

func orInt(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}
