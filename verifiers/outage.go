package verifiers

import "time"

// DefaultOutageGrace is CacheConfig.OutageGrace's default: long enough to
// ride out a reconnection blip, short enough that a revocation missed during
// an outage is served for at most about this long.
const DefaultOutageGrace = time.Second

// OutageSource is implemented by the GenerationSource of a store whose
// change announcements can be missed, such as the Redis stores' pub/sub
// feed. While the announcements may be lost, the generations cannot be
// trusted to move on a revocation; a Cached verifier then serves positive
// entries only within its OutageGrace.
type OutageSource interface {
	// DownSince returns when the current outage began, or the zero time
	// when announcements are known to arrive.
	DownSince() time.Time
}

// combinedOutage is a combined generation source one of whose members
// reports outages; it reports the earliest ongoing one.
type combinedOutage struct{ combinedGenerations }

func (c combinedOutage) DownSince() time.Time {
	var first time.Time
	for _, s := range c.combinedGenerations {
		if o, ok := s.(OutageSource); ok {
			if t := o.DownSince(); !t.IsZero() && (first.IsZero() || t.Before(first)) {
				first = t
			}
		}
	}
	return first
}

// withOutage wraps sources in combinedOutage when one of them reports
// outages, so combining keeps that ability.
func withOutage(sources combinedGenerations) GenerationSource {
	for _, s := range sources {
		if _, ok := s.(OutageSource); ok {
			return combinedOutage{sources}
		}
	}
	return sources
}

// servesDuringOutage reports whether a positive entry may be served now:
// always while the store's announcements arrive, within the grace after an
// outage began, never with a negative grace.
func (c *Cached) servesDuringOutage() bool {
	since := c.outage.DownSince()
	if since.IsZero() {
		return true
	}
	return c.cfg.OutageGrace > 0 && c.now().Sub(since) < c.cfg.OutageGrace
}
