package verifiers

import (
	"context"
	"fmt"
	"hash/maphash"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/ristretto/v2"
)

// entryOverhead approximates the bytes one cache entry costs beyond the
// credential itself: the entry struct, the identity's strings and
// ristretto's bookkeeping.
const entryOverhead = 256

// Cached wraps a Verifier in a ristretto cache. It is a pure optimisation:
// every answer it gives is one the wrapped verifier would give at that moment.
//
//   - An entry holds the whole credential (method, source, value) and is used
//     only on an exact match, so a hash collision is a miss, never someone
//     else's identity.
//   - A positive entry expires at the earlier of the identity's Expires and
//     MaxTTL after its verification started (CASES I-01), checked with the
//     injected clock on every hit, not only by ristretto's TTL.
//   - Entries carry the wrapped store's Generations as read before their
//     verification started; after any revocation (or, for negative entries,
//     any grant) they are misses (I-04, I-06).
//   - A verifier that implements Rechecker (sessions) is asked to confirm
//     every hit; a failed recheck falls back to full verification.
//   - Ristretto may drop or delay a Set; a missing entry only means a full
//     verification (I-02, I-10).
//
// Each Cached owns its cache: entries of two verifiers, whatever their
// policies, can never mix.
type Cached struct {
	inner   Verifier
	cfg     CacheConfig
	cache   *ristretto.Cache[string, *cacheEntry]
	gens    GenerationSource
	recheck Rechecker

	hits, negativeHits, misses, stale, bypassed atomic.Uint64
}

// cacheEntry is one cached decision.
type cacheEntry struct {
	method  Method
	source  Source
	value   string
	id      Identity
	err     error     // nil for an acceptance
	expires time.Time // by the injected clock
	revoked uint64    // Generations.Revoked before the verification started
	granted uint64    // Generations.Granted before the verification started
}

// NewCached returns v wrapped in a cache configured by cfg. Close it when
// done: ristretto runs goroutines.
func NewCached(v Verifier, cfg CacheConfig) (*Cached, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	seed := maphash.MakeSeed()
	cache, err := ristretto.NewCache(&ristretto.Config[string, *cacheEntry]{
		NumCounters:        cfg.NumCounters,
		MaxCost:            cfg.MaxCost,
		BufferItems:        64,
		Metrics:            true,
		IgnoreInternalCost: true,
		// One seeded 64-bit hash and no conflict hash: entries are confirmed
		// by comparing the full credential, and the per-cache seed keeps an
		// attacker from aiming collisions at a known key.
		KeyToHash: func(key string) (uint64, uint64) { return maphash.String(seed, key), 0 },
	})
	if err != nil {
		return nil, fmt.Errorf("verifiers: cache: %w", err)
	}
	c := &Cached{inner: v, cfg: cfg, cache: cache}
	c.gens = generationsOf(v)
	if r, ok := v.(Rechecker); ok {
		c.recheck = r
	}
	return c, nil
}

// Method returns the wrapped verifier's method.
func (c *Cached) Method() Method { return c.inner.Method() }

// Generations returns the wrapped verifier's generations, so caches can be
// stacked.
func (c *Cached) Generations() GenerationSource { return c.gens }

// Verify answers from the cache when a valid entry matches the credential
// exactly, and otherwise asks the wrapped verifier and caches its answer.
func (c *Cached) Verify(ctx context.Context, cred Credential) (Identity, error) {
	if cred.Value == "" || len(cred.Value) > c.cfg.MaxCredentialLength {
		c.bypassed.Add(1)
		return c.inner.Verify(ctx, cred)
	}
	if e, ok := c.cache.Get(cred.Value); ok {
		if id, err, ok := c.use(ctx, cred, e); ok {
			return id, err
		}
		c.stale.Add(1)
	}
	c.misses.Add(1)
	return c.verifyAndStore(ctx, cred)
}

// use returns the entry's decision when it still holds for cred.
func (c *Cached) use(ctx context.Context, cred Credential, e *cacheEntry) (Identity, error, bool) {
	if e.value != cred.Value || e.source != cred.Source || e.method != cred.Method {
		return Identity{}, nil, false
	}
	if !c.cfg.Clock().Before(e.expires) {
		return Identity{}, nil, false
	}
	if e.err != nil {
		if c.gens != nil && c.gens.Granted() != e.granted {
			return Identity{}, nil, false
		}
		c.negativeHits.Add(1)
		return Identity{}, e.err, true
	}
	if c.gens != nil && c.gens.Revoked() != e.revoked {
		return Identity{}, nil, false
	}
	if c.recheck != nil && c.recheck.Recheck(ctx, cred, e.id) != nil {
		return Identity{}, nil, false
	}
	c.hits.Add(1)
	return cloneIdentity(e.id), nil, true
}

// verifyAndStore runs the wrapped verifier and caches its answer. The
// generations are read before verifying: a revocation that lands during the
// verification makes the entry stale at once.
func (c *Cached) verifyAndStore(ctx context.Context, cred Credential) (Identity, error) {
	var revoked, granted uint64
	if c.gens != nil {
		revoked, granted = c.gens.Revoked(), c.gens.Granted()
	}
	start := c.cfg.Clock()
	id, err := c.inner.Verify(ctx, cred)

	e := &cacheEntry{method: cred.Method, source: cred.Source, value: cred.Value,
		err: err, revoked: revoked, granted: granted}
	switch {
	case err == nil:
		e.id = cloneIdentity(id)
		e.expires = start.Add(c.cfg.MaxTTL)
		if !id.Expires.IsZero() && id.Expires.Before(e.expires) {
			e.expires = id.Expires
		}
	case c.cfg.NegativeTTL > 0 && negativeCacheable(ReasonOf(err)):
		e.expires = start.Add(c.cfg.NegativeTTL)
	default:
		return id, err
	}
	// ttl is at least 1 ns when stored: ristretto treats 0 as "forever"
	// (CASES §6 gotcha 3).
	if ttl := e.expires.Sub(start); ttl > 0 {
		c.cache.SetWithTTL(cred.Value, e, entryCost(e), ttl)
	}
	return id, err
}

// negativeCacheable lists the rejections that do not change with time alone:
// not not_yet_valid (time fixes it), unknown_key (a JWKS refresh may add the
// key), unavailable or internal (not decisions about the credential).
func negativeCacheable(r Reason) bool {
	switch r {
	case ReasonMalformed, ReasonBadAlgorithm, ReasonBadSignature, ReasonExpired,
		ReasonWrongIssuer, ReasonWrongAudience, ReasonWrongType, ReasonMissingClaim,
		ReasonLifetime, ReasonRevoked, ReasonUnknown, ReasonForbidden:
		return true
	}
	return false
}

func entryCost(e *cacheEntry) int64 {
	n := len(e.value) + len(e.id.Subject) + len(e.id.CredentialID) + entryOverhead
	for _, s := range e.id.Roles {
		n += len(s) + 16
	}
	for _, s := range e.id.Namespaces {
		n += len(s) + 16
	}
	return int64(n)
}

// cloneIdentity copies the identity's slices with one allocation, so callers
// may modify what they get without touching the cache.
func cloneIdentity(id Identity) Identity {
	nr, nn := len(id.Roles), len(id.Namespaces)
	if nr+nn == 0 {
		return id
	}
	buf := make([]string, nr+nn)
	copy(buf, id.Roles)
	copy(buf[nr:], id.Namespaces)
	if id.Roles != nil {
		id.Roles = buf[:nr:nr]
	}
	if id.Namespaces != nil {
		id.Namespaces = buf[nr : nr+nn : nr+nn]
	}
	return id
}

// Wait blocks until pending Sets are applied. For tests and benchmarks; Verify
// never needs it.
func (c *Cached) Wait() { c.cache.Wait() }

// Close stops the cache's goroutines. Later Verify calls go to the wrapped
// verifier every time.
func (c *Cached) Close() { c.cache.Close() }
