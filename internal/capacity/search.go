package capacity

import (
	"context"
	"fmt"
	"time"
)

// SearchConfig tunes the rate search. Zero fields take the defaults named
// on each.
type SearchConfig struct {
	// StartRate is the first rate probed, per second; default 50.
	StartRate float64
	// Growth multiplies the rate between step-up probes; default 2.
	Growth float64
	// MaxRate caps the search, per second; default 20000. A search that
	// passes at MaxRate stops there and says so.
	MaxRate float64
	// MinRate ends a search whose every probe failed once the rate falls
	// below it; default 1.
	MinRate float64
	// Probe is the length of each step and bisection probe; default 5 s.
	Probe time.Duration
	// Confirm is the length of the confirmation run; default three probes.
	Confirm time.Duration
	// Precision ends the bisection when the gap between the passing and
	// the failing rate is at most this share of the failing one; default
	// 0.05.
	Precision float64
	// MaxProbes bounds the step and bisection probes; default 16.
	MaxProbes int
	// Retries is how many times a failed confirmation steps down (by twice
	// Precision) and confirms again; default 2.
	Retries int
	// OnStep, when set, is called after each probe, for progress.
	OnStep func(Step)
}

// withDefaults returns a copy of c with every zero field defaulted.
func (c SearchConfig) withDefaults() (SearchConfig, error) {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.StartRate, 50)
	def(&c.Growth, 2)
	def(&c.MaxRate, 20000)
	def(&c.MinRate, 1)
	def(&c.Precision, 0.05)
	if c.Probe == 0 {
		c.Probe = 5 * time.Second
	}
	if c.Confirm == 0 {
		c.Confirm = 3 * c.Probe
	}
	if c.MaxProbes == 0 {
		c.MaxProbes = 16
	}
	if c.Retries == 0 {
		c.Retries = 2
	}
	switch {
	case c.StartRate < 0 || c.MinRate < 0 || c.MaxRate < c.StartRate:
		return c, fmt.Errorf("%w: rates start %g, min %g, max %g", ErrConfig, c.StartRate, c.MinRate, c.MaxRate)
	case c.Growth <= 1:
		return c, fmt.Errorf("%w: growth %g must exceed 1", ErrConfig, c.Growth)
	case c.Precision <= 0 || c.Precision >= 0.5:
		return c, fmt.Errorf("%w: precision %g must be in (0, 0.5)", ErrConfig, c.Precision)
	case c.Probe < 0 || c.Confirm < 0 || c.MaxProbes < 1 || c.Retries < 0:
		return c, fmt.Errorf("%w: probe %v, confirm %v, max probes %d, retries %d",
			ErrConfig, c.Probe, c.Confirm, c.MaxProbes, c.Retries)
	}
	return c, nil
}

// Outcome is what a search found.
type Outcome struct {
	// Steps are every probe in the order run.
	Steps []Step
	// Sustainable is the confirmed rate, per second: the highest rate whose
	// confirmation run met the SLO.
	Sustainable float64
	// Bound is the lowest rate that missed the SLO; zero when none did
	// (the search stopped at MaxRate).
	Bound float64
	// AtMaxRate says the search passed at MaxRate and stopped there: the
	// server may take more.
	AtMaxRate bool
	// GeneratorLimited says the probe at Bound had the generator saturated:
	// the generator, not necessarily the server, was the limit.
	GeneratorLimited bool
	// GeneratorReason is that probe's saturation reason.
	GeneratorReason string
}

// Search steps the rate up until a probe fails, bisects between the last
// pass and the first failure, and confirms the best passing rate with a
// longer run. It returns ErrNoRate when no rate met the SLO, with the
// Outcome of what ran.
func Search(ctx context.Context, p Prober, cfg SearchConfig) (*Outcome, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &searcher{p: p, cfg: cfg, out: &Outcome{}}
	if err := s.stepUp(ctx); err != nil {
		return s.out, err
	}
	if err := s.bisect(ctx); err != nil {
		return s.out, err
	}
	if err := s.confirm(ctx); err != nil {
		return s.out, err
	}
	return s.out, nil
}

// searcher is one search's state: lo passed, hi failed (zero: unknown).
type searcher struct {
	p       Prober
	cfg     SearchConfig
	out     *Outcome
	lo, hi  float64
	hiStep  Step
	nProbes int
}

func (s *searcher) probe(ctx context.Context, kind StepKind, rate float64, d time.Duration) (Step, error) {
	st, err := s.p.Probe(ctx, rate, d)
	st.Kind, st.Rate, st.Duration = kind, rate, d
	s.out.Steps = append(s.out.Steps, st)
	if s.cfg.OnStep != nil {
		s.cfg.OnStep(st)
	}
	if err != nil {
		return st, fmt.Errorf("capacity: probe at %.4g/s: %w", rate, err)
	}
	if err := ctx.Err(); err != nil {
		return st, fmt.Errorf("capacity: %w", err)
	}
	if kind != KindConfirm {
		s.nProbes++
	}
	s.record(st)
	return st, nil
}

// record moves lo or hi to the probe's rate.
func (s *searcher) record(st Step) {
	switch {
	case st.Passed && st.Rate > s.lo:
		s.lo = st.Rate
	case !st.Passed && (s.hi == 0 || st.Rate <= s.hi):
		s.hi, s.hiStep = st.Rate, st
	}
}

// stepUp multiplies the rate by Growth until a probe fails or MaxRate
// passes.
func (s *searcher) stepUp(ctx context.Context) error {
	rate := s.cfg.StartRate
	for s.nProbes < s.cfg.MaxProbes {
		st, err := s.probe(ctx, KindStep, rate, s.cfg.Probe)
		if err != nil {
			return err
		}
		if !st.Passed {
			return nil
		}
		if rate >= s.cfg.MaxRate {
			s.out.AtMaxRate = true
			return nil
		}
		rate = min(rate*s.cfg.Growth, s.cfg.MaxRate)
	}
	return nil
}

// bisect halves the gap between lo and hi until it is within Precision of
// hi. With nothing passed yet, it halves the rate down to MinRate.
func (s *searcher) bisect(ctx context.Context) error {
	for s.hi > 0 && s.hi-s.lo > s.cfg.Precision*s.hi && s.nProbes < s.cfg.MaxProbes {
		mid := (s.lo + s.hi) / 2
		if mid < s.cfg.MinRate {
			break
		}
		if _, err := s.probe(ctx, KindBisect, mid, s.cfg.Probe); err != nil {
			return err
		}
	}
	return nil
}

// confirm holds lo for the confirmation length, stepping down after each
// failure, and fills the outcome.
func (s *searcher) confirm(ctx context.Context) error {
	rate := s.lo
	for try := 0; rate >= s.cfg.MinRate && try <= s.cfg.Retries; try++ {
		st, err := s.probe(ctx, KindConfirm, rate, s.cfg.Confirm)
		if err != nil {
			return err
		}
		if st.Passed {
			s.out.Sustainable = rate
			break
		}
		s.out.AtMaxRate = false
		rate *= 1 - 2*s.cfg.Precision
	}
	s.out.Bound = s.hi
	if s.hi > 0 && s.hiStep.Saturated {
		s.out.GeneratorLimited, s.out.GeneratorReason = true, s.hiStep.SaturationReason
	}
	if s.out.Sustainable == 0 {
		return fmt.Errorf("%w (lowest rate probed %.4g/s)", ErrNoRate, s.lowest())
	}
	return nil
}

func (s *searcher) lowest() float64 {
	lo := 0.0
	for _, st := range s.out.Steps {
		if lo == 0 || st.Rate < lo {
			lo = st.Rate
		}
	}
	return lo
}
