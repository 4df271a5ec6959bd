package runner

import (
	"fmt"
	"log/slog"
	"strings"

	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/server"
	"github.com/gatecrash/gatecrash/verifiers"
)

// ReferenceConfig configures an embedded reference server with key material
// and in-memory stores made for it.
type ReferenceConfig struct {
	// Profile is the server's profile; empty means hardened.
	Profile server.Profile
	// Policy is the server's policy; empty means server.DefaultPolicy.
	Policy server.Policy
	// Algs are the JWT algorithms to make a signing key for; the first is
	// the default one, used by every JWT kind that names no algorithm.
	// Empty means HS256 alone.
	Algs []string
	// Issuer and Audience are what the JWT verifier requires.
	Issuer, Audience string
	// Cache holds the cache of each method; a method absent from the map is
	// verified uncached.
	Cache map[verifiers.Method]verifiers.CacheConfig
	// Addr is where to listen; empty means 127.0.0.1:0.
	Addr string
	// MetricsAddr is the metrics listener; empty means none.
	MetricsAddr string
	// AuditLog receives the server's audit lines; nil discards them.
	AuditLog *slog.Logger
}

// Reference is a running reference server and the material credentials for it
// are minted from.
type Reference struct {
	// Server is the running server.
	Server *server.Server
	// Material mints credentials the server accepts: its signing keys, its
	// API-key and session stores, its jti denylist.
	Material creds.Config

	cached map[verifiers.Method]*verifiers.Cached
	jwt    *verifiers.JWT
}

// StartReference makes keys and stores, builds the verifiers (cached where
// cfg says), and starts the reference server on loopback.
func StartReference(cfg ReferenceConfig) (*Reference, error) {
	ref, vs, err := newReferenceMaterial(cfg)
	if err != nil {
		return nil, err
	}
	srv, err := server.New(server.Config{
		Profile:     cfg.Profile,
		Policy:      cfg.Policy,
		Verifiers:   vs,
		MetricsAddr: cfg.MetricsAddr,
		AuditLog:    cfg.AuditLog,
	})
	if err != nil {
		ref.closeVerifiers()
		return nil, fmt.Errorf("reference server: %w", err)
	}
	addr := cfg.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if err := srv.Listen(addr); err != nil {
		ref.closeVerifiers()
		return nil, fmt.Errorf("reference server: %w", err)
	}
	ref.Server = srv
	return ref, nil
}

// newReferenceMaterial makes the signing keys, stores and verifiers.
func newReferenceMaterial(cfg ReferenceConfig) (*Reference, map[verifiers.Method]verifiers.Verifier, error) {
	algs := cfg.Algs
	if len(algs) == 0 {
		algs = []string{"HS256"}
	}
	ref := &Reference{cached: map[verifiers.Method]*verifiers.Cached{}}
	var vkeys []verifiers.VerificationKey
	seen := map[string]bool{}
	for _, alg := range algs {
		alg = strings.ToUpper(alg)
		if alg == "EDDSA" {
			alg = "EdDSA"
		}
		if seen[alg] {
			continue
		}
		seen[alg] = true
		k, err := verifiers.GenerateSigningKey(alg)
		if err != nil {
			return nil, nil, fmt.Errorf("reference server: key for %s: %w", alg, err)
		}
		ref.Material.Keys = append(ref.Material.Keys, k)
		vkeys = append(vkeys, k.VerificationKey())
	}
	ref.Material.Issuer, ref.Material.Audience = cfg.Issuer, cfg.Audience
	ref.Material.APIKeyEnv = apiKeyEnv
	ref.Material.SessionCookie = server.DefaultSessionCookie
	ref.Material.KeyStore = verifiers.NewMemoryKeyStore()
	ref.Material.Sessions = verifiers.NewMemorySessionStore(nil)
	ref.Material.Denylist = verifiers.NewMemoryDenylist(nil)

	jv, err := verifiers.NewJWT(verifiers.JWTConfig{
		Keys:      vkeys,
		Issuer:    cfg.Issuer,
		Audiences: []string{cfg.Audience},
		Denylist:  ref.Material.Denylist,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("reference server: jwt verifier: %w", err)
	}
	ref.jwt = jv
	av, err := verifiers.NewAPIKeyVerifier(ref.Material.KeyStore, verifiers.APIKeyOptions{Env: apiKeyEnv})
	if err != nil {
		jv.Close()
		return nil, nil, fmt.Errorf("reference server: api key verifier: %w", err)
	}
	sv, err := verifiers.NewSessionVerifier(ref.Material.Sessions, verifiers.SessionOptions{})
	if err != nil {
		jv.Close()
		return nil, nil, fmt.Errorf("reference server: session verifier: %w", err)
	}
	vs := map[verifiers.Method]verifiers.Verifier{
		verifiers.MethodJWT:     jv,
		verifiers.MethodAPIKey:  av,
		verifiers.MethodSession: sv,
	}
	for m, cc := range cfg.Cache {
		inner, ok := vs[m]
		if !ok {
			ref.closeVerifiers()
			return nil, nil, fmt.Errorf("reference server: cache for unknown method %q", m)
		}
		c, err := verifiers.NewCached(inner, cc)
		if err != nil {
			ref.closeVerifiers()
			return nil, nil, fmt.Errorf("reference server: %s cache: %w", m, err)
		}
		ref.cached[m] = c
		vs[m] = c
	}
	return ref, vs, nil
}

// CacheStats returns the statistics of each cached method's cache.
func (r *Reference) CacheStats() map[verifiers.Method]verifiers.CacheStats {
	out := make(map[verifiers.Method]verifiers.CacheStats, len(r.cached))
	for m, c := range r.cached {
		out[m] = c.Stats()
	}
	return out
}

// Close stops the server and releases the verifiers' caches and key fetchers.
func (r *Reference) Close() error {
	var err error
	if r.Server != nil {
		err = r.Server.Close()
	}
	r.closeVerifiers()
	return err
}

func (r *Reference) closeVerifiers() {
	for _, c := range r.cached {
		c.Close()
	}
	if r.jwt != nil {
		r.jwt.Close()
	}
}

// apiKeyEnv is the environment of the reference server's API keys.
const apiKeyEnv = "live"
