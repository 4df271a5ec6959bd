package creds

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// Pattern is how handshakes reuse identities, and so credentials.
type Pattern string

// The reuse patterns.
const (
	// ReuseUnique gives every handshake a credential of its own, never seen
	// before by the server: every verification is a cache miss. Subjects
	// still cycle over the N identities.
	ReuseUnique Pattern = "unique"
	// ReuseUniform draws the identity uniformly from N: once every identity
	// has been seen, a cache holding N entries hits every time.
	ReuseUniform Pattern = "uniform"
	// ReuseZipf draws identity k (1-based) with probability proportional to
	// 1/k^s: a few hot identities and a long tail, as real traffic has.
	ReuseZipf Pattern = "zipf"
)

// Reuse is a reuse pattern and its parameter.
type Reuse struct {
	Pattern Pattern
	// S is the Zipf exponent, > 0 (1 is the classic law; larger is more
	// skewed). Ignored by the other patterns.
	S float64
}

// sampler draws identity indexes in [0, n); it returns -1 for ReuseUnique,
// where each handshake gets a fresh credential.
type sampler func() int

func newSampler(r Reuse, n int, rng *rand.Rand) (sampler, error) {
	switch r.Pattern {
	case ReuseUnique:
		return func() int { return -1 }, nil
	case ReuseUniform, "":
		return func() int { return rng.IntN(n) }, nil
	case ReuseZipf:
		if !(r.S > 0) || math.IsInf(r.S, 0) {
			return nil, fmt.Errorf("%w: zipf needs s > 0, got %v", ErrPlan, r.S)
		}
		cdf := zipfCDF(n, r.S)
		return func() int {
			u := rng.Float64()
			return sort.SearchFloat64s(cdf, u)
		}, nil
	}
	return nil, fmt.Errorf("%w: unknown reuse pattern %q", ErrPlan, r.Pattern)
}

// zipfCDF returns the cumulative distribution of ranks 1..n with weights
// 1/k^s, normalised so the last entry is exactly 1. It costs 8n bytes; the
// standard library's Zipf needs s > 1, this works for any s > 0.
func zipfCDF(n int, s float64) []float64 {
	cdf := make([]float64, n)
	sum := 0.0
	for k := range n {
		sum += math.Pow(float64(k+1), -s)
		cdf[k] = sum
	}
	for k := range cdf {
		cdf[k] /= sum
	}
	cdf[n-1] = 1
	return cdf
}
