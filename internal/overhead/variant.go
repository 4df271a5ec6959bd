package overhead

import (
	"maps"
	"strings"

	"github.com/gatecrash/gatecrash/scenarios"
	"github.com/gatecrash/gatecrash/verifiers"
)

// Variant is one way of authenticating the handshakes of a schedule.
type Variant struct {
	// Method is the verification method; empty is the baseline, a public
	// namespace that verifies nothing.
	Method verifiers.Method `json:"method,omitempty"`
	// Alg is the JWT signing algorithm when Method is JWT; empty means the
	// base scenario's.
	Alg string `json:"alg,omitempty"`
	// Cached puts the method's verifier behind the verification cache.
	Cached bool `json:"cached,omitempty"`
}

// None is the baseline variant: no authentication.
var None = Variant{}

// Name names the variant as reports and benchmarks show it: "none",
// "jwt-hs256/cached", "apikey/uncached".
func (v Variant) Name() string {
	if v.Method == "" {
		return "none"
	}
	return v.label() + "/" + v.cacheName()
}

// label is the method, with the JWT algorithm when there is one.
func (v Variant) label() string {
	if v.Method == verifiers.MethodJWT && v.Alg != "" {
		return string(v.Method) + "-" + strings.ToLower(v.Alg)
	}
	return string(v.Method)
}

func (v Variant) cacheName() string {
	if v.Cached {
		return "cached"
	}
	return "uncached"
}

// DefaultVariants returns the baseline, then JWT with HS256, RS256 and
// ES256, API keys and sessions, each uncached and cached.
func DefaultVariants() []Variant {
	out := []Variant{None}
	methods := []Variant{
		{Method: verifiers.MethodJWT, Alg: "HS256"},
		{Method: verifiers.MethodJWT, Alg: "RS256"},
		{Method: verifiers.MethodJWT, Alg: "ES256"},
		{Method: verifiers.MethodAPIKey},
		{Method: verifiers.MethodSession},
	}
	for _, m := range methods {
		uncached, cached := m, m
		cached.Cached = true
		out = append(out, uncached, cached)
	}
	return out
}

// Scenario returns a copy of base that runs v: one namespace, "/", that
// takes only v's method (or is public for the baseline), one valid credential
// kind of that method, and the cache on for that method alone when v is
// cached. The load, identities, reuse and JWT settings stay base's; base's
// thresholds and outputs are dropped, and base must have no target: the
// comparison needs the embedded server. base is not modified.
func (v Variant) Scenario(base *scenarios.Scenario) *scenarios.Scenario {
	sc := *base
	sc.Name = base.Name + " " + v.Name()
	sc.Target, sc.Thresholds, sc.Outputs = nil, nil, scenarios.Outputs{}
	ns := scenarios.Namespace{Name: "/", Weight: 1}
	entry := scenarios.MixEntry{Label: "missing", Kind: "missing", Weight: 1}
	if v.Method == "" {
		ns.Public = true
	} else {
		ns.Methods = []verifiers.Method{v.Method}
		entry.Label, entry.Kind = string(v.Method), string(v.Method)
	}
	if v.Method == verifiers.MethodSession {
		entry.Place = verifiers.SourceCookie
	}
	sc.Namespaces = []scenarios.Namespace{ns}
	sc.Credentials.Mix = []scenarios.MixEntry{entry}
	if v.Alg != "" {
		sc.Credentials.JWT.Alg = v.Alg
	}
	sc.Server = serverFor(base.Server, v)
	return &sc
}

// serverFor returns the embedded server's settings for v: hardened, with the
// cache of v's method on when v is cached and every other cache off.
func serverFor(base *scenarios.Server, v Variant) *scenarios.Server {
	srv := &scenarios.Server{Profile: scenarios.ProfileHardened, Cache: map[verifiers.Method]scenarios.Cache{}}
	if base != nil {
		maps.Copy(srv.Cache, base.Cache)
	}
	for m, c := range srv.Cache {
		c.Enabled = false
		srv.Cache[m] = c
	}
	if v.Cached {
		c := srv.Cache[v.Method]
		c.Enabled = true
		if c.TTL <= 0 {
			c.TTL = scenarios.DefaultCacheTTL
		}
		if c.Size <= 0 {
			c.Size = scenarios.DefaultCacheSize
		}
		srv.Cache[v.Method] = c
	}
	return srv
}
