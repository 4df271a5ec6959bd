package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gatecrash/gatecrash/internal/admin"
	"github.com/gatecrash/gatecrash/internal/keyfile"
	"github.com/gatecrash/gatecrash/internal/runner"
	"github.com/gatecrash/gatecrash/server"
	"github.com/gatecrash/gatecrash/verifiers"
)

// serveFlags are the flags of `gatecrash serve`.
type serveFlags struct {
	addr, profile, policy             string
	jwtAlg, jwtSecretFile, jwtKeyFile string
	jwksURL, issuer, audience         string
	apiKeys                           string
	cache                             []string
	cacheTTL                          time.Duration
	metricsAddr                       string
	pprof                             bool
	tlsCert, tlsKey                   string
	tlsSelfSigned                     bool
	auditLog                          string
	origins                           []string
	connectTimeout, decisionTimeout   time.Duration
	maxMessage                        int64
	demo                              bool
	redis, redisPrefix                string
	admin                             bool
	reusePort                         bool
}

func newServeCmd() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the reference Socket.IO server: every namespace authenticated",
		Long: `serve runs gatecrash's reference Socket.IO server until SIGINT or SIGTERM. Every
namespace of its policy (default: "/" for a JWT or session, "/admin" for a JWT or
session with role admin, "/api" for a JWT or API key) authenticates each CONNECT;
unknown namespaces are refused.

JWTs are verified with --jwt-secret-file (HMAC), --jwt-key-file (a public or
private key, PEM or JWK) or --jwks-url. With none of them, serve generates an
HS256 secret for this process and prints demo credentials. API keys come from
--api-keys, a file that "gatecrash token apikey" appends to.

API keys, sessions and revoked JWT ids live in memory, or with --redis in a Redis
that several servers share: a revocation through any of them disconnects the
credential's live sockets on all (pub/sub), and while Redis is down uncached
verification fails closed ("unavailable"). --admin serves POST /admin/revoke on
the loopback metrics listener, for "gatecrash revoke".

--reuseport lets several serve processes listen on one address (SO_REUSEPORT,
Linux): the kernel spreads new connections over them, past one process's
open-file limit. Routing is per connection, not sticky, so clients must use
the websocket transport alone; give each process its own --metrics-addr, and
the same key material (scenarios/README.md, "100,000 held sockets").

The seed-gap profile reproduces the analysed application's holes on purpose
(/admin open, /api open: no token auth); it listens on loopback only.`,
		Example: `  gatecrash serve --addr 127.0.0.1:3900 --jwt-secret-file secret.txt
  gatecrash serve --profile seed-gap --demo
  gatecrash serve --redis redis://127.0.0.1:6379/0 --admin --cache all
  gatecrash serve --reuseport --addr 127.0.0.1:3900 --metrics-addr 127.0.0.1:9501 --jwt-secret-file s.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serve(cmd.Context(), f, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:3000", "listen address (host:port)")
	fl.StringVar(&f.profile, "profile", "hardened", "hardened or seed-gap")
	fl.StringVar(&f.policy, "policy", "", "namespace policy file (YAML); default: /, /admin, /api")
	fl.StringVar(&f.jwtAlg, "jwt-alg", "HS256", "JWT algorithm of the key file")
	fl.StringVar(&f.jwtSecretFile, "jwt-secret-file", "", "HMAC secret file")
	fl.StringVar(&f.jwtKeyFile, "jwt-key-file", "", "JWT verification key file (PEM or JWK)")
	fl.StringVar(&f.jwksURL, "jwks-url", "", "fetch JWT keys from this JWKS URL")
	fl.StringVar(&f.issuer, "issuer", "gatecrash", "required JWT issuer (iss)")
	fl.StringVar(&f.audience, "audience", "gatecrash", "required JWT audience (aud)")
	fl.StringVar(&f.apiKeys, "api-keys", "", "API-key records file (gatecrash token apikey)")
	fl.StringSliceVar(&f.cache, "cache", nil, "cache verification of these methods: jwt, apikey, session, all")
	fl.DurationVar(&f.cacheTTL, "cache-ttl", 30*time.Second, "longest reuse of a cached acceptance")
	fl.StringVar(&f.metricsAddr, "metrics-addr", server.DefaultMetricsAddr,
		"Prometheus /metrics and /healthz listener; empty disables")
	fl.BoolVar(&f.pprof, "pprof", false, "serve net/http/pprof on the metrics listener")
	fl.StringVar(&f.tlsCert, "tls-cert", "", "TLS certificate file (serve wss:// and https://)")
	fl.StringVar(&f.tlsKey, "tls-key", "", "TLS private key file")
	fl.BoolVar(&f.tlsSelfSigned, "tls-self-signed", false, "serve TLS with a self-signed certificate (demos)")
	fl.StringVar(&f.auditLog, "audit-log", "-", `audit log file (JSON lines); "-" is stderr, "" none`)
	fl.StringSliceVar(&f.origins, "allow-origin", nil, "Origins allowed for cookie-authenticated handshakes")
	fl.DurationVar(&f.connectTimeout, "connect-timeout", 0, "close sessions that join no namespace after this")
	fl.DurationVar(&f.decisionTimeout, "decision-timeout", 0, "reject a CONNECT whose verification takes longer")
	fl.Int64Var(&f.maxMessage, "max-message-bytes", 0, "largest Engine.IO message accepted")
	fl.BoolVar(&f.demo, "demo", false, "print demo credentials (a JWT per role, an API key, a session)")
	fl.StringVar(&f.redis, "redis", "", "keep API keys, sessions and revoked JWTs in this Redis (redis://host:port/db)")
	fl.StringVar(&f.redisPrefix, "redis-prefix", verifiers.DefaultRedisPrefix, "prefix of every Redis key and channel")
	fl.BoolVar(&f.reusePort, "reuseport", false,
		"share --addr with other serve processes (SO_REUSEPORT; websocket-only clients)")
	fl.BoolVar(&f.admin, "admin", false, "serve the revoke endpoint (gatecrash revoke) on the loopback metrics listener")
	return cmd
}

func serve(ctx context.Context, f serveFlags, stdout, stderr io.Writer) error {
	cfg, closeLog, err := serveConfig(f, stderr)
	if err != nil {
		return &exitError{code: ExitError, msg: err.Error()}
	}
	defer closeLog()
	ref, err := runner.StartReference(cfg)
	if err != nil {
		return &exitError{code: ExitError, msg: err.Error()}
	}
	for _, w := range ref.Server.Warnings() {
		fmt.Fprintln(stderr, "WARNING:", w)
	}
	fmt.Fprintf(stdout, "gatecrash serve: Socket.IO at %s/socket.io/ (profile %s)\n",
		ref.Server.URL(), cfg.Server.Profile)
	if a := ref.Server.MetricsAddr(); a != nil {
		fmt.Fprintf(stdout, "metrics at http://%s/metrics\n", a)
		if f.admin {
			fmt.Fprintf(stdout, "admin at http://%s%s\n", a, admin.RevokePath)
		}
	}
	generated := f.jwtSecretFile == "" && f.jwtKeyFile == "" && f.jwksURL == ""
	if generated || f.demo {
		if err := printDemo(ctx, stdout, ref, cfg, generated); err != nil {
			ref.Close()
			return &exitError{code: ExitError, msg: err.Error()}
		}
	}
	<-ctx.Done()
	fmt.Fprintln(stdout, "shutting down")
	if err := ref.Close(); err != nil {
		return &exitError{code: ExitError, msg: err.Error()}
	}
	return nil
}

// serveConfig turns the flags into the reference server's configuration.
func serveConfig(f serveFlags, stderr io.Writer) (runner.ReferenceConfig, func(), error) {
	cfg := runner.ReferenceConfig{
		Server: server.Config{
			Profile:        server.Profile(f.profile),
			MetricsAddr:    f.metricsAddr,
			Pprof:          f.pprof,
			ReusePort:      f.reusePort,
			AllowedOrigins: f.origins,
			Limits: server.Limits{
				ConnectTimeout:  f.connectTimeout,
				DecisionTimeout: f.decisionTimeout,
				MaxMessageBytes: f.maxMessage,
			},
		},
		Issuer:   f.issuer,
		Audience: f.audience,
		Addr:     f.addr,
		Admin:    f.admin,
	}
	if f.redis != "" {
		cfg.Redis = &runner.RedisConfig{URL: f.redis, Options: verifiers.RedisOptions{Prefix: f.redisPrefix}}
	}
	noop := func() {}
	if f.policy != "" {
		p, err := server.LoadPolicy(f.policy)
		if err != nil {
			return cfg, noop, err
		}
		cfg.Server.Policy = p
	}
	if err := serveKeys(f, &cfg); err != nil {
		return cfg, noop, err
	}
	if f.apiKeys != "" {
		recs, err := keyfile.Load(f.apiKeys)
		if err != nil {
			return cfg, noop, err
		}
		cfg.APIKeys = recs
	}
	caches, err := serveCaches(f.cache, f.cacheTTL)
	if err != nil {
		return cfg, noop, err
	}
	cfg.Cache = caches
	switch {
	case f.tlsSelfSigned:
		cfg.Server.TLS = &server.TLSConfig{SelfSigned: true}
	case f.tlsCert != "" || f.tlsKey != "":
		cfg.Server.TLS = &server.TLSConfig{CertFile: f.tlsCert, KeyFile: f.tlsKey}
	}
	logger, closeLog, err := auditLogger(f.auditLog, stderr)
	cfg.Server.AuditLog = logger
	return cfg, closeLog, err
}

// serveKeys loads the JWT key material the flags name.
func serveKeys(f serveFlags, cfg *runner.ReferenceConfig) error {
	n := 0
	for _, s := range []string{f.jwtSecretFile, f.jwtKeyFile, f.jwksURL} {
		if s != "" {
			n++
		}
	}
	if n > 1 {
		return errors.New("--jwt-secret-file, --jwt-key-file and --jwks-url: give at most one")
	}
	switch {
	case f.jwtSecretFile != "":
		k, err := verifiers.LoadSigningKeyFile(f.jwtSecretFile, f.jwtAlg)
		if err != nil {
			return fmt.Errorf("--jwt-secret-file: %w", err)
		}
		cfg.SigningKeys = []*verifiers.SigningKey{k}
	case f.jwtKeyFile != "":
		ks, err := verifiers.LoadVerificationKeyFile(f.jwtKeyFile, f.jwtAlg)
		if err != nil {
			return fmt.Errorf("--jwt-key-file: %w", err)
		}
		cfg.VerificationKeys = ks
	case f.jwksURL != "":
		cfg.JWKS = &verifiers.JWKSConfig{URL: f.jwksURL, Algorithms: []string{f.jwtAlg}}
	}
	return nil
}

// serveCaches turns --cache into per-method cache configurations.
func serveCaches(methods []string, ttl time.Duration) (map[verifiers.Method]verifiers.CacheConfig, error) {
	out := map[verifiers.Method]verifiers.CacheConfig{}
	all := []verifiers.Method{verifiers.MethodJWT, verifiers.MethodAPIKey, verifiers.MethodSession}
	for _, m := range methods {
		switch verifiers.Method(strings.ToLower(m)) {
		case "all":
			for _, a := range all {
				out[a] = verifiers.CacheConfig{MaxTTL: ttl}
			}
		case verifiers.MethodJWT, verifiers.MethodAPIKey, verifiers.MethodSession:
			out[verifiers.Method(strings.ToLower(m))] = verifiers.CacheConfig{MaxTTL: ttl}
		default:
			return nil, fmt.Errorf("--cache: unknown method %q (jwt, apikey, session, all)", m)
		}
	}
	return out, nil
}

// auditLogger opens the audit log the flag names.
func auditLogger(path string, stderr io.Writer) (*slog.Logger, func(), error) {
	switch path {
	case "":
		return nil, func() {}, nil
	case "-":
		return slog.New(slog.NewJSONHandler(stderr, nil)), func() {}, nil
	}
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, func() {}, fmt.Errorf("--audit-log: %w", err)
	}
	return slog.New(slog.NewJSONHandler(file, nil)), func() { file.Close() }, nil
}

// printDemo mints one credential of each kind the default policy accepts and
// prints them with a socket.io-client line to try.
func printDemo(ctx context.Context, w io.Writer, ref *runner.Reference, cfg runner.ReferenceConfig,
	generated bool) error {
	m := ref.Material
	if generated {
		fmt.Fprintln(w, "no JWT key given: using an HS256 secret generated for this process")
	}
	if len(m.Keys) > 0 {
		now := time.Now()
		for _, roles := range [][]string{nil, {"admin"}} {
			claims := verifiers.NewClaims("demo-user", cfg.Issuer, []string{cfg.Audience}, roles, now, time.Hour)
			if roles != nil {
				claims = verifiers.NewClaims("demo-admin", cfg.Issuer, []string{cfg.Audience}, roles, now, time.Hour)
			}
			tok, err := m.Keys[0].Sign(claims)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "demo JWT (roles %v, 1 h): %s\n", roles, tok)
		}
	}
	key, rec, err := verifiers.NewAPIKey(ctx, m.KeyStore, verifiers.APIKeySpec{Env: m.APIKeyEnv,
		Subject: "demo-service", Roles: []string{"api"}})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "demo API key: %s (id %s, for gatecrash revoke apikey)\n", key, rec.ID)
	sess, err := m.Sessions.Create(ctx, "demo-user", nil, 30*time.Minute, 8*time.Hour)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "demo session (cookie %s): %s\n", m.SessionCookie, sess.ID)
	fmt.Fprintf(w, "try: io(%q, {auth: {token: \"<JWT>\"}}) or {auth: {apiKey: \"<key>\"}} on /api\n",
		ref.Server.URL()+"/")
	return nil
}
