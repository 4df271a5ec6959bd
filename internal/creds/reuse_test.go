package creds

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// chiSquare returns Pearson's statistic of counts against probabilities.
func chiSquare(counts []int, probs []float64, draws int) float64 {
	x := 0.0
	for i, c := range counts {
		exp := probs[i] * float64(draws)
		x += (float64(c) - exp) * (float64(c) - exp) / exp
	}
	return x
}

func draw(t *testing.T, r Reuse, n, draws int, seed uint64) []int {
	t.Helper()
	s, err := newSampler(r, n, rand.New(rand.NewPCG(seed, seed)))
	if err != nil {
		t.Fatalf("newSampler: %v", err)
	}
	counts := make([]int, n)
	for range draws {
		counts[s()]++
	}
	return counts
}

// TestReuseDistributions draws with a fixed seed and checks the counts fit
// the pattern's law: a chi-square test at p = 0.001 (the critical values
// are for n-1 degrees of freedom).
func TestReuseDistributions(t *testing.T) {
	tests := []struct {
		name     string
		reuse    Reuse
		n        int
		critical float64
	}{
		{name: "uniform over 10", reuse: Reuse{Pattern: ReuseUniform}, n: 10, critical: 27.88},
		{name: "uniform over 100", reuse: Reuse{Pattern: ReuseUniform}, n: 100, critical: 148.23},
		{name: "zipf s=0.8", reuse: Reuse{Pattern: ReuseZipf, S: 0.8}, n: 100, critical: 148.23},
		{name: "zipf s=1", reuse: Reuse{Pattern: ReuseZipf, S: 1}, n: 100, critical: 148.23},
		{name: "zipf s=1.5", reuse: Reuse{Pattern: ReuseZipf, S: 1.5}, n: 20, critical: 43.82},
	}
	const draws = 200_000
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			probs := make([]float64, tt.n)
			sum := 0.0
			for k := range probs {
				w := 1.0
				if tt.reuse.Pattern == ReuseZipf {
					w = math.Pow(float64(k+1), -tt.reuse.S)
				}
				probs[k], sum = w, sum+w
			}
			for k := range probs {
				probs[k] /= sum
			}

			counts := draw(t, tt.reuse, tt.n, draws, 42)

			if x := chiSquare(counts, probs, draws); x > tt.critical {
				t.Errorf("chi-square %.1f > %.1f: counts %v", x, tt.critical, counts[:min(10, tt.n)])
			}
		})
	}
}

// TestReuseZipfIsSkewed guards against a sampler that passes the law by
// accident of a flat prior: under Zipf s=1 over 1000, the hottest identity
// is drawn about 1/H(1000) ≈ 13% of the time, the coldest ≈ 0.013%.
func TestReuseZipfIsSkewed(t *testing.T) {
	counts := draw(t, Reuse{Pattern: ReuseZipf, S: 1}, 1000, 100_000, 7)
	hot := float64(counts[0]) / 100_000
	if hot < 0.12 || hot > 0.145 {
		t.Errorf("rank 1 share %.4f, want ≈ 0.134", hot)
	}
	if counts[999] > 50 {
		t.Errorf("rank 1000 drawn %d times, want ≈ 13", counts[999])
	}
}

func TestReuseRejectsBadParameters(t *testing.T) {
	for _, r := range []Reuse{
		{Pattern: ReuseZipf, S: 0}, {Pattern: ReuseZipf, S: -1}, {Pattern: ReuseZipf, S: math.NaN()},
		{Pattern: ReuseZipf, S: math.Inf(1)}, {Pattern: "round-robin"},
	} {
		if _, err := newSampler(r, 10, rand.New(rand.NewPCG(1, 1))); !errors.Is(err, ErrPlan) {
			t.Errorf("newSampler(%+v) = %v, want ErrPlan", r, err)
		}
	}
}

func TestZipfCDFEndsAtOne(t *testing.T) {
	for _, s := range []float64{0.5, 1, 2, 5} {
		cdf := zipfCDF(1000, s)
		if cdf[len(cdf)-1] != 1 {
			t.Errorf("s=%v: last %v", s, cdf[len(cdf)-1])
		}
		for i := 1; i < len(cdf); i++ {
			if cdf[i] < cdf[i-1] {
				t.Fatalf("s=%v: cdf decreases at %d", s, i)
			}
		}
	}
}
