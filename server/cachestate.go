package server

import (
	"context"
	"sync/atomic"

	"github.com/gatecrash/gatecrash/verifiers"
)

// How the server tells a cache hit from a miss, per CONNECT.
//
// The verifiers contract does not report whether an answer came from a
// cache. So the server puts a probe in the context of each call to a caching
// verifier (one with a Stats method, verifiers.Cached); an inner verifier
// wrapped with Instrument marks the probe when it runs. After the call: a
// marked probe is a miss; an unmarked one is a hit once the instrumented
// inner verifier has been seen at least once (the first call to an empty
// cache is always a miss, so no hit is mislabelled); otherwise the state is
// CacheUnknown.

type probeKey struct{}

type cacheProbe struct {
	inner bool         // the instrumented inner verifier ran
	seen  *atomic.Bool // the method's inner verifier is instrumented
}

// Instrument wraps the verifier a cache wraps, so the server can tell cache
// hits from misses in its metrics:
//
//	cached, err := verifiers.NewCached(server.Instrument(jwtVerifier), cacheCfg)
//
// The wrapper forwards verifiers.Revocable and verifiers.Rechecker when v
// implements them, so the cache's revocation handling is unchanged.
func Instrument(v verifiers.Verifier) verifiers.Verifier {
	base := instrumented{v}
	if r, ok := v.(verifiers.Rechecker); ok {
		return instrumentedRechecker{base, r}
	}
	return base
}

type instrumented struct{ inner verifiers.Verifier }

func (i instrumented) Method() verifiers.Method { return i.inner.Method() }

func (i instrumented) Verify(ctx context.Context, c verifiers.Credential) (verifiers.Identity, error) {
	if p, ok := ctx.Value(probeKey{}).(*cacheProbe); ok {
		p.inner = true
		p.seen.Store(true)
	}
	return i.inner.Verify(ctx, c)
}

// Generations forwards verifiers.Revocable; nil when the inner verifier is
// not revocable, which the interface defines as "decisions never change".
func (i instrumented) Generations() verifiers.GenerationSource {
	if r, ok := i.inner.(verifiers.Revocable); ok {
		return r.Generations()
	}
	return nil
}

type instrumentedRechecker struct {
	instrumented
	r verifiers.Rechecker
}

func (i instrumentedRechecker) Recheck(ctx context.Context, c verifiers.Credential, id verifiers.Identity) error {
	return i.r.Recheck(ctx, c, id)
}

// probedVerify calls v and reports the cache state of the answer; seen is
// the method's "instrumented inner verifier observed" flag.
func probedVerify(ctx context.Context, v verifiers.Verifier, c verifiers.Credential,
	seen *atomic.Bool) (verifiers.Identity, CacheState, error) {
	if _, ok := v.(cacheStatser); !ok {
		id, err := v.Verify(ctx, c)
		return id, CacheUncached, err
	}
	p := &cacheProbe{seen: seen}
	id, err := v.Verify(context.WithValue(ctx, probeKey{}, p), c)
	switch {
	case p.inner:
		return id, CacheMiss, err
	case seen.Load():
		return id, CacheHit, err
	default:
		return id, CacheUnknown, err
	}
}
