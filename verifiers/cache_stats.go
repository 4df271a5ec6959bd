package verifiers

// CacheStats are a Cached verifier's counters since it was created.
type CacheStats struct {
	// Hits are answers served from the cache, positive or negative.
	Hits uint64
	// NegativeHits are the cached rejections among Hits.
	NegativeHits uint64
	// Misses are full verifications (Stale included, Bypassed not).
	Misses uint64
	// Stale are entries found but not usable: expired, older than a
	// revocation or grant, or failing a recheck.
	Stale uint64
	// Bypassed are credentials that skipped the cache (empty or over
	// MaxCredentialLength).
	Bypassed uint64
	// HitRatio is Hits / (Hits + Misses), 0 when both are 0.
	HitRatio float64
	// Cost is the budget in use, MaxCost the budget, both in bytes.
	Cost, MaxCost int64
	// From ristretto, only with CacheConfig.Metrics: entries admitted and
	// evicted, Sets dropped by a full buffer and Sets refused by admission.
	KeysAdded, KeysEvicted, SetsDropped, SetsRejected uint64
}

// Stats returns the cache counters.
func (c *Cached) Stats() CacheStats {
	s := CacheStats{
		Hits:         c.hits.Load() + c.negativeHits.Load(),
		NegativeHits: c.negativeHits.Load(),
		Misses:       c.misses.Load(),
		Stale:        c.stale.Load(),
		Bypassed:     c.bypassed.Load(),
		MaxCost:      c.cache.MaxCost(),
	}
	s.Cost = s.MaxCost - c.cache.RemainingCost()
	if total := s.Hits + s.Misses; total > 0 {
		s.HitRatio = float64(s.Hits) / float64(total)
	}
	if m := c.cache.Metrics; m != nil {
		s.KeysAdded, s.KeysEvicted = m.KeysAdded(), m.KeysEvicted()
		s.SetsDropped, s.SetsRejected = m.SetsDropped(), m.SetsRejected()
	}
	return s
}
