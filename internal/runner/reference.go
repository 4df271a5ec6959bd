package runner

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/gatecrash/gatecrash/internal/admin"
	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/server"
	"github.com/gatecrash/gatecrash/verifiers"
)

// ReferenceConfig configures a reference server and the key material and
// stores behind it (in memory, or in Redis). `gatecrash run` makes everything fresh (Algs);
// `gatecrash serve` brings keys from files (SigningKeys, VerificationKeys,
// JWKS, APIKeys). Both go through StartReference, so they run the same server.
type ReferenceConfig struct {
	// Server is the server's configuration; its Verifiers are filled in.
	Server server.Config
	// Algs are the JWT algorithms to generate a signing key for when no key
	// is given; the first is the default one, used by every JWT kind that
	// names no algorithm. Empty means HS256 alone.
	Algs []string
	// SigningKeys are keys to verify with that can also mint (HMAC secrets,
	// private keys). When set with VerificationKeys or JWKS, they are
	// added to what is verified.
	SigningKeys []*verifiers.SigningKey
	// VerificationKeys are verify-only keys (public keys).
	VerificationKeys []verifiers.VerificationKey
	// JWKS fetches the verification keys instead; it excludes the two
	// above.
	JWKS *verifiers.JWKSConfig
	// Issuer and Audience are what the JWT verifier requires.
	Issuer, Audience string
	// APIKeys are loaded into the API-key store.
	APIKeys []verifiers.APIKeyRecord
	// Cache holds the cache of each method; a method absent from the map is
	// verified uncached.
	Cache map[verifiers.Method]verifiers.CacheConfig
	// Addr is where to listen; empty means 127.0.0.1:0.
	Addr string
	// Redis, when set, keeps API keys, sessions and revoked jtis in Redis
	// instead of memory; the revocations any server sharing it announces
	// disconnect the live sockets of this one, and the connection's health
	// shows in the metrics and the audit log.
	Redis *RedisConfig
	// Admin serves the admin endpoint (internal/admin: revoke a key, a
	// session, a token) on the metrics listener, which must be on loopback.
	Admin bool
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
	stores *stores
	audit  *slog.Logger
	now    func() time.Time
}

// StartReference builds the keys, stores and verifiers (cached where cfg
// says) and starts the reference server.
func StartReference(cfg ReferenceConfig) (*Reference, error) {
	ref, vs, err := newReferenceMaterial(cfg)
	if err != nil {
		return nil, err
	}
	srv, err := server.New(ref.serverConfig(cfg, vs))
	if err != nil {
		ref.closeVerifiers()
		return nil, fmt.Errorf("reference server: %w", err)
	}
	ref.Server = srv
	if l := ref.stores.link; l != nil {
		l.start(srv, cfg.Server.AuditLog)
	}
	addr := cfg.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if err := srv.Listen(addr); err != nil {
		ref.Close()
		return nil, fmt.Errorf("reference server: %w", err)
	}
	return ref, nil
}

// serverConfig completes cfg.Server (copied) with the verifiers, the Redis
// health metrics and the admin endpoint.
func (r *Reference) serverConfig(cfg ReferenceConfig, vs map[verifiers.Method]verifiers.Verifier) server.Config {
	sc := cfg.Server
	sc.Verifiers = vs
	sc.SessionCookie = r.Material.SessionCookie
	if l := r.stores.link; l != nil {
		sc.Collectors = append(slices.Clip(sc.Collectors), server.RedisHealthCollector(l.r.Health, nil))
	}
	if cfg.Admin {
		sc.Admin = admin.NewHandler(r)
	}
	return sc
}

// newReferenceMaterial makes the stores and verifiers.
func newReferenceMaterial(cfg ReferenceConfig) (*Reference, map[verifiers.Method]verifiers.Verifier, error) {
	ref := &Reference{cached: map[verifiers.Method]*verifiers.Cached{}, now: time.Now,
		audit: cfg.Server.AuditLog}
	if ref.audit == nil {
		ref.audit = slog.New(slog.DiscardHandler)
	}
	m := &ref.Material
	m.Issuer, m.Audience = cfg.Issuer, cfg.Audience
	m.APIKeyEnv = apiKeyEnv
	m.SessionCookie = cfg.Server.SessionCookie
	if m.SessionCookie == "" {
		m.SessionCookie = server.DefaultSessionCookie
	}
	st, err := openStores(cfg)
	if err != nil {
		return nil, nil, err
	}
	ref.stores = st
	m.KeyStore, m.Sessions, m.Denylist = st.keys, st.sessions, st.tokens
	keys := st.keys

	jcfg, err := jwtConfig(cfg, m)
	if err != nil {
		st.close()
		return nil, nil, err
	}
	jcfg.Denylist = st.deny
	jv, err := verifiers.NewJWT(jcfg)
	if err != nil {
		st.close()
		return nil, nil, fmt.Errorf("reference server: jwt verifier: %w", err)
	}
	ref.jwt = jv
	av, err := verifiers.NewAPIKeyVerifier(keys, verifiers.APIKeyOptions{Env: apiKeyEnv})
	if err != nil {
		ref.closeVerifiers()
		return nil, nil, fmt.Errorf("reference server: api key verifier: %w", err)
	}
	sv, err := verifiers.NewSessionVerifier(m.Sessions, verifiers.SessionOptions{})
	if err != nil {
		ref.closeVerifiers()
		return nil, nil, fmt.Errorf("reference server: session verifier: %w", err)
	}
	vs := map[verifiers.Method]verifiers.Verifier{
		verifiers.MethodJWT:     jv,
		verifiers.MethodAPIKey:  av,
		verifiers.MethodSession: sv,
	}
	if err := ref.wrapCaches(vs, cfg.Cache); err != nil {
		ref.closeVerifiers()
		return nil, nil, err
	}
	return ref, vs, nil
}

// jwtConfig gathers the JWT verifier's keys: given ones, or fresh ones of
// cfg.Algs, which then become the material's signing keys.
func jwtConfig(cfg ReferenceConfig, m *creds.Config) (verifiers.JWTConfig, error) {
	jc := verifiers.JWTConfig{
		Issuer:    cfg.Issuer,
		Audiences: []string{cfg.Audience},
		JWKS:      cfg.JWKS,
	}
	if cfg.JWKS != nil {
		return jc, nil
	}
	m.Keys = cfg.SigningKeys
	jc.Keys = append(jc.Keys, cfg.VerificationKeys...)
	if len(m.Keys) == 0 && len(cfg.VerificationKeys) == 0 {
		gen, err := generateKeys(cfg.Algs)
		if err != nil {
			return jc, err
		}
		m.Keys = gen
	}
	for _, k := range m.Keys {
		jc.Keys = append(jc.Keys, k.VerificationKey())
	}
	return jc, nil
}

// generateKeys makes one signing key per distinct algorithm of algs.
func generateKeys(algs []string) ([]*verifiers.SigningKey, error) {
	if len(algs) == 0 {
		algs = []string{verifiers.AlgHS256}
	}
	var out []*verifiers.SigningKey
	seen := map[string]bool{}
	for _, alg := range algs {
		alg = strings.ToUpper(alg)
		if alg == "EDDSA" {
			alg = verifiers.AlgEdDSA
		}
		if seen[alg] {
			continue
		}
		seen[alg] = true
		k, err := verifiers.GenerateSigningKey(alg)
		if err != nil {
			return nil, fmt.Errorf("reference server: key for %s: %w", alg, err)
		}
		out = append(out, k)
	}
	return out, nil
}

// wrapCaches replaces each verifier cache says to cache by its cached form.
func (r *Reference) wrapCaches(vs map[verifiers.Method]verifiers.Verifier,
	cache map[verifiers.Method]verifiers.CacheConfig) error {
	for m, cc := range cache {
		inner, ok := vs[m]
		if !ok {
			return fmt.Errorf("reference server: cache for unknown method %q", m)
		}
		c, err := verifiers.NewCached(inner, cc)
		if err != nil {
			return fmt.Errorf("reference server: %s cache: %w", m, err)
		}
		r.cached[m] = c
		vs[m] = c
	}
	return nil
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

// closeVerifiers releases the caches, the key fetchers and the stores.
func (r *Reference) closeVerifiers() {
	for _, c := range r.cached {
		c.Close()
	}
	if r.jwt != nil {
		r.jwt.Close()
	}
	if r.stores != nil {
		r.stores.close()
	}
}

// apiKeyEnv is the environment of the reference server's API keys.
const apiKeyEnv = "live"
