package runner

import (
	"context"
	"fmt"
	"sync"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/gatecrash/gatecrash/internal/admin"
	"github.com/gatecrash/gatecrash/server"
	"github.com/gatecrash/gatecrash/verifiers"
)

// LagConfig configures MeasureRevocationLag. Zero fields take the defaults
// named beside them.
type LagConfig struct {
	// Redis is shared by every server. Options.NoFeed measures the bound
	// without pub/sub: the cache's MaxTTL.
	Redis RedisConfig
	// Servers is the number of reference servers sharing Redis (2).
	Servers int
	// Namespaces accept API keys on every server (["/api"]).
	Namespaces []string
	// Credentials is the number of API keys revoked (2).
	Credentials int
	// Cache is every server's API-key cache (MaxTTL 1 s when zero).
	Cache verifiers.CacheConfig
	// Warmup is how long the probers use the keys before they are revoked
	// (200 ms), so every server has them cached.
	Warmup time.Duration
	// ProbeEvery is the pause between one prober's CONNECTs (5 ms): the
	// resolution of the rejection lag.
	ProbeEvery time.Duration
	// Bound is how long after a revocation a prober waits for its
	// rejection, and a held socket for its disconnection (10 s).
	Bound time.Duration
	// Refs, when set, are running servers sharing a Redis, the first one
	// revoking: MeasureRevocationLag probes them instead of starting its
	// own (Redis, Servers and Cache are then unused) and leaves them
	// running.
	Refs []*Reference
}

func (c LagConfig) withDefaults() LagConfig {
	setDefault(&c.Servers, 2)
	setDefault(&c.Credentials, 2)
	setDefault(&c.Warmup, 200*time.Millisecond)
	setDefault(&c.ProbeEvery, 5*time.Millisecond)
	setDefault(&c.Bound, 10*time.Second)
	setDefault(&c.Cache.MaxTTL, time.Second)
	if len(c.Namespaces) == 0 {
		c.Namespaces = []string{"/api"}
	}
	return c
}

func setDefault[T int | time.Duration](v *T, d T) {
	if *v <= 0 {
		*v = d
	}
}

// LagKey is one server (its index) and namespace.
type LagKey struct {
	Server    int
	Namespace string
}

// LagReport is the revocation lag per server and namespace: from each
// revocation (the start of the revoking call on server 0) to the first
// rejected CONNECT of the credential, and to the DISCONNECT of a socket
// held with it. Histograms are in microseconds.
type LagReport struct {
	Rejection  map[LagKey]*hdr.Histogram
	Disconnect map[LagKey]*hdr.Histogram
	// NotRejected and NotDisconnected count credentials still accepted,
	// or sockets still connected, Bound after their revocation.
	NotRejected, NotDisconnected map[LagKey]int
	// Reconnects counts probing sessions the server ended and the prober
	// replaced.
	Reconnects map[LagKey]int
	// ProbeEvery is the rejection lag's resolution.
	ProbeEvery time.Duration
	// Revoked is the number of keys revoked.
	Revoked int
}

// lagHistogram holds 1 µs to 5 min at two significant figures, the
// geometry of results.DefaultHistogramConfig.
func lagHistogram() *hdr.Histogram { return hdr.New(1, int64(5*time.Minute/time.Microsecond), 2) }

// MeasureRevocationLag starts cfg.Servers reference servers sharing a Redis
// (or takes cfg.Refs), mints cfg.Credentials API keys, and probes each key
// on every server and namespace (repeated CONNECTs, and one socket held
// open) while it revokes all of them through server 0 after cfg.Warmup. It
// reports how long each server took to reject and to disconnect each key.
func MeasureRevocationLag(ctx context.Context, cfg LagConfig) (*LagReport, error) {
	c := cfg.withDefaults()
	refs := c.Refs
	if len(refs) == 0 {
		started, err := startLagServers(c)
		if err != nil {
			return nil, err
		}
		defer closeAll(started)
		refs = started
	}
	return measureLag(ctx, refs, c)
}

func closeAll(refs []*Reference) {
	for _, r := range refs {
		r.Close()
	}
}

// measureLag mints the keys on refs[0], probes them on every server and
// revokes them.
func measureLag(ctx context.Context, refs []*Reference, c LagConfig) (*LagReport, error) {
	keys, err := mintLagKeys(ctx, refs[0], c.Credentials)
	if err != nil {
		return nil, err
	}
	m := newLagMeasurement(c)
	pctx, stop := context.WithCancel(ctx)
	defer stop()
	probes, err := m.startProbes(pctx, refs, keys)
	if err != nil {
		return nil, err
	}
	sleepCtx(ctx, c.Warmup)
	for _, k := range keys {
		k.revokedAt.Store(time.Now())
		if _, err := refs[0].Revoke(ctx, admin.Request{Kind: verifiers.MethodAPIKey, ID: k.id}); err != nil {
			stop()
			probes.Wait()
			return nil, fmt.Errorf("revocation lag: %w", err)
		}
		m.report.Revoked++ // read after probes.Wait
	}
	probes.Wait()
	if m.err != nil {
		return nil, m.err
	}
	return m.report, ctx.Err()
}

// startLagServers starts the servers, each with a rule per namespace and
// the same signing keys.
func startLagServers(c LagConfig) ([]*Reference, error) {
	var policy server.Policy
	for _, n := range c.Namespaces {
		policy.Namespaces = append(policy.Namespaces,
			server.NamespacePolicy{Name: n, Methods: []verifiers.Method{verifiers.MethodAPIKey}})
	}
	var refs []*Reference
	for range c.Servers {
		rc := c.Redis
		r, err := StartReference(ReferenceConfig{
			Server: server.Config{Policy: policy}, Redis: &rc, Issuer: "gatecrash", Audience: "gatecrash",
			Cache: map[verifiers.Method]verifiers.CacheConfig{verifiers.MethodAPIKey: c.Cache},
		})
		if err != nil {
			closeAll(refs)
			return nil, fmt.Errorf("revocation lag: %w", err)
		}
		refs = append(refs, r)
	}
	return refs, nil
}

// lagKey is one API key under measurement.
type lagKey struct {
	id, key   string
	revokedAt atomicTime
}

func mintLagKeys(ctx context.Context, ref *Reference, n int) ([]*lagKey, error) {
	out := make([]*lagKey, n)
	for i := range out {
		key, rec, err := verifiers.NewAPIKey(ctx, ref.Material.KeyStore,
			verifiers.APIKeySpec{Env: ref.Material.APIKeyEnv, Subject: fmt.Sprintf("lag-%d", i)})
		if err != nil {
			return nil, fmt.Errorf("revocation lag: %w", err)
		}
		out[i] = &lagKey{id: rec.ID, key: key}
	}
	return out, nil
}

// atomicTime is a time set once by the revoker and read by the probers.
type atomicTime struct {
	mu sync.Mutex
	t  time.Time
}

func (a *atomicTime) Store(t time.Time) {
	a.mu.Lock()
	a.t = t
	a.mu.Unlock()
}

func (a *atomicTime) Load() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.t
}
