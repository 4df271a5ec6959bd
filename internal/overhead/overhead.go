package overhead

import (
	"context"
	"fmt"
	"time"

	"github.com/gatecrash/gatecrash/scenarios"
)

// Config configures Run. The zero value runs DefaultVariants once each.
type Config struct {
	// Variants are what to compare; the baseline (None) must be among them.
	// Empty means DefaultVariants.
	Variants []Variant
	// Rounds is how many times each variant runs; zero means one. Each
	// round runs every variant once, starting one variant later than the
	// round before, so no variant always follows the same one.
	Rounds int
	// Run is passed to each run (version, audit log).
	Run RunOptions
	// OnRun, when set, is called before each run, for progress.
	OnRun func(round int, v Variant)
}

// Run measures every variant of cfg on base's schedule, interleaved, and
// compares each with the baseline. It stops at the first run error or when
// ctx ends.
func Run(ctx context.Context, base *scenarios.Scenario, cfg Config) (*Report, error) {
	vs := cfg.Variants
	if len(vs) == 0 {
		vs = DefaultVariants()
	}
	baseline := -1
	for i, v := range vs {
		if v == None {
			baseline = i
		}
	}
	if baseline < 0 {
		return nil, ErrNoBaseline
	}
	rounds := max(cfg.Rounds, 1)
	acc := make([]*accumulator, len(vs))
	for i, v := range vs {
		acc[i] = &accumulator{variant: v}
	}
	for r := range rounds {
		for j := range vs {
			i := (r + j) % len(vs)
			if cfg.OnRun != nil {
				cfg.OnRun(r, vs[i])
			}
			m, err := Measure(ctx, base, vs[i], cfg.Run)
			if err != nil {
				return nil, err
			}
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("overhead: %w", err)
			}
			acc[i].add(m)
		}
	}
	return newReport(base, acc, baseline, rounds), nil
}

// Report is the comparison of every variant with the baseline.
type Report struct {
	// Format and SchemaVersion name the JSON form (see WriteFile).
	Format        string `json:"format"`
	SchemaVersion int    `json:"schema_version"`
	// Schedule describes the load each run had.
	Schedule string `json:"schedule"`
	// Rounds is how many runs each variant had.
	Rounds int `json:"rounds"`
	// Cores is the number of CPUs the process could use.
	Cores int `json:"cores"`
	// Rows are the variants in the order given, the baseline among them.
	Rows []Row `json:"rows"`
}

// Row is one variant's figures over its runs.
type Row struct {
	Variant Variant `json:"variant"`
	// Started and Accepted sum the runs' handshakes.
	Started  int64 `json:"started"`
	Accepted int64 `json:"accepted"`
	// NotOK counts CONNECTs whose verdict was not ok (a correct run has
	// none: every handshake carries a valid credential).
	NotOK int64 `json:"not_ok"`
	// CPU is the process CPU per handshake (server and generator); CPUDelta
	// its difference from the baseline: the server's cost of the method.
	CPU      time.Duration `json:"cpu_ns"`
	CPUDelta time.Duration `json:"cpu_delta_ns"`
	// CPUShare is CPUDelta over CPU: the share of the handshake's CPU that
	// authentication takes. The generator's CPU is in the denominator, so
	// the share of the server's own CPU is larger.
	CPUShare float64 `json:"cpu_share"`
	// P50, P99 are the CONNECT phase's percentiles over the runs; P50Delta
	// and P99Delta their differences from the baseline's.
	P50      time.Duration `json:"p50_ns"`
	P99      time.Duration `json:"p99_ns"`
	P50Delta time.Duration `json:"p50_delta_ns"`
	P99Delta time.Duration `json:"p99_delta_ns"`
	// HitRatio is the cache's hits over lookups; negative when uncached.
	HitRatio float64 `json:"hit_ratio"`
	// Rate is the accepted CONNECTs per second reached; MaxRate the rate the
	// machine's cores could sustain at CPU per handshake (cores / CPU), an
	// estimate for generator and server sharing this machine.
	Rate    float64 `json:"rate"`
	MaxRate float64 `json:"max_rate"`
}
