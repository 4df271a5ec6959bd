package verifiers

import (
	"context"
	"time"
)

// recheckerAt is a Rechecker that can judge at an instant its caller has
// just read from the monotonic clock, sparing a second read on a cached hit
// (a clock read is a tenth of a hit's budget here).
type recheckerAt interface {
	recheckAt(ctx context.Context, cred Credential, mono time.Time) error
}

// recheckHit asks the wrapped verifier to confirm entry e for cred, at the
// instant el after c.base when c reads the system clock.
func (c *Cached) recheckHit(ctx context.Context, cred Credential, e *cacheEntry, el time.Duration) error {
	if ra, ok := c.recheck.(recheckerAt); ok && !c.fake {
		return ra.recheckAt(ctx, cred, c.base.Add(el))
	}
	return c.recheck.Recheck(ctx, cred, e.id)
}

// recheckAt is Recheck judged at mono, read as the verifier's own clock
// would read it (monotonicClock.At). A verifier with an injected clock
// reads that clock instead: only the system clock can be shared.
func (v *SessionVerifier) recheckAt(ctx context.Context, cred Credential, mono time.Time) error {
	if v.mono == nil {
		return v.Recheck(ctx, cred, Identity{})
	}
	if err := v.checkSource(cred); err != nil {
		return err
	}
	return v.confirm(ctx, cred.Value, v.mono.At(mono))
}
