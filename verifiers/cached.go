package verifiers

import (
	"context"
	"fmt"
	"hash/maphash"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/ristretto/v2"
)

// hashedSuffix is how much of a credential the cache key hash reads: the
// tail, where JWT signatures, API key secrets and session ids keep their
// entropy. Hashing all of a 700-byte RS256 token would cost a sixth of a
// hit's budget.
const hashedSuffix = 64

// keyHash is one seeded 64-bit hash of the credential's length and tail, and
// no conflict hash: entries are confirmed by comparing the full credential,
// so a collision (two credentials with one tail) costs a miss, never a wrong
// identity; the per-cache seed keeps an attacker from aiming collisions at a
// known key.
func keyHash(seed maphash.Seed, key string) uint64 {
	n := len(key)
	if n > hashedSuffix {
		key = key[n-hashedSuffix:]
	}
	return maphash.String(seed, key) ^ uint64(n)*0x9e3779b97f4a7c15
}

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
//     MaxTTL after its verification started (CASES I-01), checked on every
//     hit against the time elapsed since then (see elapsed).
//   - Entries carry the wrapped store's Generations as read before their
//     verification started; after any revocation (or, for negative entries,
//     any grant) they are misses (I-04, I-06).
//   - A verifier that implements Rechecker (sessions) is asked to confirm
//     every hit; a failed recheck falls back to full verification.
//   - While the store reports an outage (OutageSource), positive entries
//     are served only within CacheConfig.OutageGrace.
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
	outage  OutageSource // nil when the store reports no outages
	base    time.Time    // origin of the elapsed-time deadlines
	fake    bool         // an injected clock: read it on every hit

	hits, negativeHits, misses, stale, bypassed atomic.Uint64
}

// cacheEntry is one cached decision.
type cacheEntry struct {
	method  Method
	source  Source
	value   string
	id      Identity
	err     error         // nil for an acceptance
	until   time.Duration // deadline as elapsed time since Cached.base
	revoked uint64        // Generations.Revoked before the verification started
	granted uint64        // Generations.Granted before the verification started
}

// NewCached returns v wrapped in a cache configured by cfg. Close it when
// done: ristretto runs goroutines.
func NewCached(v Verifier, cfg CacheConfig) (*Cached, error) {
	injected := cfg.Clock != nil // read before withDefaults fills it in
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	seed := maphash.MakeSeed()
	cache, err := ristretto.NewCache(&ristretto.Config[string, *cacheEntry]{
		NumCounters:        cfg.NumCounters,
		MaxCost:            cfg.MaxCost,
		BufferItems:        64,
		Metrics:            cfg.Metrics,
		IgnoreInternalCost: true,
		KeyToHash:          func(key string) (uint64, uint64) { return keyHash(seed, key), 0 },
	})
	if err != nil {
		return nil, fmt.Errorf("verifiers: cache: %w", err)
	}
	c := &Cached{inner: v, cfg: cfg, cache: cache, fake: injected}
	if c.fake {
		c.base = cfg.Clock()
	} else {
		c.base = time.Now()
	}
	c.gens = generationsOf(v)
	c.outage, _ = c.gens.(OutageSource)
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
	el := c.elapsed()
	if el >= e.until {
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
	if c.outage != nil && !c.servesDuringOutage() {
		return Identity{}, nil, false
	}
	if c.recheck != nil && c.recheckHit(ctx, cred, e, el) != nil {
		return Identity{}, nil, false
	}
	c.hits.Add(1)
	return cloneIdentity(e.id), nil, true
}

// elapsed is the time since c.base. With the default clock it reads only the
// monotonic clock: on this project's machines time.Now costs ~150 ns, half the
// budget of a hit, and ristretto's own TTL check would read it again (so
// entries are stored without a ristretto TTL; the deadline here is the one
// that counts, and cost-based eviction bounds memory). Known limit: a
// wall-clock step forward (not a slew) lets an entry live up to the size of
// the step past the wall-clock expiry the wrapped verifier uses.
func (c *Cached) elapsed() time.Duration {
	if c.fake {
		return c.cfg.Clock().Sub(c.base)
	}
	return time.Since(c.base)
}

// now returns the wall time for the miss path.
func (c *Cached) now() time.Time {
	if c.fake {
		return c.cfg.Clock()
	}
	return time.Now()
}

// verifyAndStore runs the wrapped verifier and caches its answer. The
// generations are read before verifying: a revocation that lands during the
// verification makes the entry stale at once.
func (c *Cached) verifyAndStore(ctx context.Context, cred Credential) (Identity, error) {
	var revoked, granted uint64
	if c.gens != nil {
		revoked, granted = c.gens.Revoked(), c.gens.Granted()
	}
	startElapsed, start := c.elapsed(), c.now()
	id, err := c.inner.Verify(ctx, cred)

	var ttl time.Duration
	switch {
	case err == nil:
		ttl = c.cfg.MaxTTL
		if !id.Expires.IsZero() && id.Expires.Sub(start) < ttl {
			ttl = id.Expires.Sub(start)
		}
	case c.cfg.NegativeTTL > 0 && negativeCacheable(ReasonOf(err)):
		ttl = c.cfg.NegativeTTL
	}
	if ttl <= 0 {
		return id, err
	}
	e := &cacheEntry{method: cred.Method, source: cred.Source, value: cred.Value, err: err,
		until: startElapsed + ttl, revoked: revoked, granted: granted}
	if err == nil {
		e.id = cloneIdentity(id)
	}
	c.cache.Set(cred.Value, e, entryCost(e))
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
