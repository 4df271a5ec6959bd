package scenarios

import (
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/verifiers"
)

// Defaults filled in when a scenario leaves a field out.
const (
	DefaultPath       = "/socket.io/"
	DefaultTimeout    = 5 * time.Second
	DefaultAckEvent   = "whoami"
	DefaultIdentities = 100
	DefaultZipfS      = 1.1
	DefaultAlg        = "HS256"
	DefaultLifetime   = 15 * time.Minute
	// DefaultThreshold applies when a scenario has no thresholds key, so a
	// run whose good credentials are refused, or whose CONNECTs go
	// unanswered, does not pass by default; "thresholds: []" sets none.
	DefaultThreshold = "error_rate < 1%"
	// DefaultIssuer and DefaultAudience are the iss and aud of minted
	// tokens, and what the embedded server requires.
	DefaultIssuer    = "gatecrash"
	DefaultAudience  = "gatecrash"
	DefaultCacheTTL  = 30 * time.Second
	DefaultCacheSize = 10_000
	// MaxTimeout is the longest handshake timeout, the histograms' range.
	MaxTimeout = 5 * time.Minute
	// MaxLoadDuration is the longest load a scenario plans: it bounds the
	// run, its per-interval results and the sums of its durations, which
	// would otherwise overflow.
	MaxLoadDuration = 7 * 24 * time.Hour
	// MinEventEvery is the shortest period of a hold model's events; a
	// shorter one floods the server with events instead of holding sockets.
	MinEventEvery = 100 * time.Millisecond
	// MaxNamespaceLen is the longest namespace name.
	MaxNamespaceLen = 256
)

// validate fills in defaults and checks the rules that span fields. It
// reads presence from d.keys.
func (d *decoder) validate(s *Scenario) {
	if s.Name == "" {
		d.problemAt("name", "is required")
	}
	d.validateTarget(s)
	d.validateServer(s)
	d.validateNamespaces(s)
	d.validateCredentials(s)
	d.validateMix(s)
	d.validateLoad(s)
	d.validateLifetime(s)
	d.validateThresholds(s)
	d.validateRevoke(s)
}

func (d *decoder) has(path string) bool {
	_, ok := d.keys[path]
	return ok
}

func (d *decoder) validateTarget(s *Scenario) {
	t := s.Target
	if t == nil {
		return
	}
	if t.Path == "" {
		t.Path = DefaultPath
	} else if !strings.HasPrefix(t.Path, "/") {
		d.problemAt("target.path", "must start with /")
	}
	if t.URL == "" {
		d.problemAt("target", "url is required (leave target out to use the embedded server)")
		return
	}
	u, err := url.Parse(t.URL)
	if err != nil || u.Host == "" {
		d.problemAt("target.url", "bad URL %q: want for example http://127.0.0.1:3000", t.URL)
		return
	}
	secure := u.Scheme == "https" || u.Scheme == "wss"
	if !slices.Contains([]string{"http", "https", "ws", "wss"}, u.Scheme) {
		d.add(d.at("target.url"), "target.url", "scheme %q: want http, https, ws or wss", u.Scheme)
	}
	if u.User != nil {
		d.add(d.at("target.url"), "target.url", "must hold no user name or password")
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			d.add(d.at("target.url"), "target.url", "port %q: want 1 to 65535", port)
		}
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
		d.add(d.at("target.url"), "target.url", "must have no path or query: put the Socket.IO path in target.path")
	}
	if !isLoopbackHost(u.Hostname()) && !t.AllowRemote {
		d.add(d.at("target.url"), "target.url",
			"%s is not a loopback address: set allow_remote: true to aim at it", u.Hostname())
	}
	if !secure && (t.TLS.CAFile != "" || t.TLS.InsecureSkipVerify) {
		d.problemAt("target.tls", "tls settings need an https or wss URL")
	}
	if t.TLS.CAFile != "" && t.TLS.InsecureSkipVerify {
		d.problemAt("target.tls", "ca_file and insecure_skip_verify exclude each other")
	}
}

// validateRedis checks the URL's scheme and that it stays on loopback
// unless allowed.
func (d *decoder) validateRedis(r *Redis) {
	const path = "server.redis.url"
	if r.URL == "" {
		d.problemAt("server.redis", "url is required")
		return
	}
	u, err := url.Parse(r.URL)
	if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
		d.add(d.at(path), path, "want redis://host:port/db or rediss://host:port/db")
		return
	}
	if !isLoopbackHost(u.Hostname()) && !r.AllowRemote {
		d.add(d.at(path), path, "%s is not a loopback address: set allow_remote: true to use it", u.Hostname())
	}
}

// badNamespaceRune reports a character a namespace name cannot hold: a
// comma ends the namespace in a Socket.IO packet ("40/admin,{…}"), so the
// server would read another namespace and take the rest for the payload;
// whitespace and control characters are typos or attacks on the reports.
func badNamespaceRune(r rune) bool {
	return r == ',' || unicode.IsSpace(r) || unicode.IsControl(r)
}

// isLoopbackHost reports whether host is "localhost" or a loopback IP.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

func (d *decoder) validateServer(s *Scenario) {
	if s.Target != nil {
		if s.Server != nil {
			d.problemAt("server", "a server block configures the embedded server: it cannot go with a target")
			s.Server = nil
		}
		return
	}
	if s.Server == nil {
		s.Server = &Server{Cache: make(map[verifiers.Method]Cache)}
	}
	if s.Server.Profile == "" {
		s.Server.Profile = ProfileHardened
	}
	if s.Server.Redis != nil {
		d.validateRedis(s.Server.Redis)
	}
	all, hasAll := s.Server.Cache["all"]
	delete(s.Server.Cache, "all")
	for _, m := range methodNames {
		c, ok := s.Server.Cache[verifiers.Method(m)]
		if !ok {
			c = all
			if !hasAll {
				c = Cache{}
			}
		}
		if c.TTL == 0 {
			c.TTL = DefaultCacheTTL
		}
		if c.Size == 0 {
			c.Size = DefaultCacheSize
		}
		s.Server.Cache[verifiers.Method(m)] = c
	}
}

func (d *decoder) validateNamespaces(s *Scenario) {
	if len(s.Namespaces) == 0 {
		d.problemAt("namespaces", "at least one namespace is required")
		return
	}
	seen := make(map[string]bool)
	for i, ns := range s.Namespaces {
		p := fmt.Sprintf("namespaces[%d]", i)
		switch {
		case ns.Name == "":
			d.problemAt(p, "name is required")
		case !strings.HasPrefix(ns.Name, "/"):
			d.problemAt(p+".name", "must start with / (for example /admin)")
		case seen[ns.Name]:
			d.problemAt(p+".name", "namespace %s declared twice", ns.Name)
		case len(ns.Name) > MaxNamespaceLen:
			d.problemAt(p+".name", "longer than %d bytes", MaxNamespaceLen)
		case strings.ContainsFunc(ns.Name, badNamespaceRune):
			d.problemAt(p+".name", "%q: a namespace holds no comma, whitespace or control character", ns.Name)
		}
		seen[ns.Name] = true
		switch {
		case ns.Public && (len(ns.Methods) > 0 || len(ns.Roles) > 0):
			d.problemAt(p+".public", "a public namespace takes no methods or roles")
		case !ns.Public && len(ns.Methods) == 0:
			d.problemAt(p, "methods are required (or public: true for a namespace open to anyone)")
		}
	}
}

// namespace returns the declared namespace called name.
func (s *Scenario) namespace(name string) (Namespace, bool) {
	i := slices.IndexFunc(s.Namespaces, func(n Namespace) bool { return n.Name == name })
	if i < 0 {
		return Namespace{}, false
	}
	return s.Namespaces[i], true
}

func (d *decoder) validateCredentials(s *Scenario) {
	c := &s.Credentials
	if c.Identities == 0 {
		c.Identities = DefaultIdentities
	}
	if c.Reuse == "" {
		c.Reuse = ReuseUniform
	}
	switch {
	case c.Reuse == ReuseZipf && c.ZipfS == 0:
		c.ZipfS = DefaultZipfS
	case c.Reuse == ReuseZipf && c.ZipfS <= 1:
		d.problemAt("credentials.zipf_s", "must be > 1")
	case c.Reuse != ReuseZipf && d.has("credentials.zipf_s"):
		d.problemAt("credentials.zipf_s", "only applies with reuse: zipf")
	}
	j := &c.JWT
	if j.Alg == "" {
		j.Alg = DefaultAlg
	}
	if j.Lifetime == 0 {
		j.Lifetime = DefaultLifetime
	}
	if j.Issuer == "" {
		j.Issuer = DefaultIssuer
	}
	if j.Audience == "" {
		j.Audience = DefaultAudience
	}
	if j.Secret != "" && j.SecretFile != "" {
		d.problemAt("credentials.jwt.secret_file", "secret and secret_file exclude each other")
	}
	if min := creds.MinHMACSecret(j.Alg); j.Secret != "" && len(j.Secret) < min {
		d.problemAt("credentials.jwt.secret", "%d bytes: %s needs a secret of at least %d bytes",
			len(j.Secret), j.Alg, min)
	}
	if c.File != "" {
		if s.Target == nil {
			d.problemAt("credentials.file", "pre-issued credentials need a target: the embedded server mints its own")
		}
		if !strings.HasSuffix(c.File, ".csv") && !strings.HasSuffix(c.File, ".jsonl") {
			d.problemAt("credentials.file", "must be a .csv or .jsonl file")
		}
	}
}
