package capacity

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/gatecrash/gatecrash/internal/runner"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/scenarios"
)

// Config configures Run.
type Config struct {
	// SLO are the thresholds every probe must meet (see ParseSLO).
	SLO []results.Threshold
	// Search tunes the rate search.
	Search SearchConfig
	// Hold configures the hold phase. A nil Memory reads this process's RSS
	// when the server is embedded and skips the phase for a target; a
	// negative Sockets skips it always.
	Hold HoldConfig
	// Cores is the server's CPU count, for per-core figures; zero means
	// GOMAXPROCS when the server is embedded, unknown for a target.
	Cores int
	// Run is passed to every run (version, audit log).
	Run runner.Options
	// Now is the clock that stamps the report; nil means time.Now.
	Now func() time.Time
}

// Run searches base's highest sustainable rate within cfg.SLO, then holds
// sockets at that rate to measure memory per socket, and returns the
// Report. When no rate met the SLO the error wraps ErrNoRate and the Report
// holds the probes that ran; a failed hold phase returns the Report with
// its memory left out and the error. base is not modified.
func Run(ctx context.Context, base *scenarios.Scenario, cfg Config) (*Report, error) {
	if len(cfg.SLO) == 0 {
		return nil, fmt.Errorf("%w: no threshold", ErrSLO)
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	rep := newReport(base, cfg, now())
	p := &RunnerProber{Base: base, SLO: cfg.SLO, Run: cfg.Run}
	out, err := Search(ctx, p, cfg.Search)
	if out == nil {
		return nil, err
	}
	rep.setOutcome(out)
	if err != nil {
		return rep, err
	}
	src := cfg.Hold.Memory
	if src == nil && rep.Embedded {
		src = ProcessRSS{}
	}
	switch {
	case cfg.Hold.Sockets < 0:
		rep.MemoryNote = "not measured: the hold phase was skipped"
	case src == nil:
		rep.MemoryNote = "not measured: the target's memory is unknown (name its metrics endpoint)"
	default:
		h := cfg.Hold
		h.Memory = src
		mem, err := Hold(ctx, base, rep.Sustainable, h, cfg.Run)
		if err != nil {
			rep.MemoryNote = "not measured: " + err.Error()
			return rep, err
		}
		rep.Memory = mem
	}
	rep.Assumptions = rep.assumptions()
	return rep, nil
}

// newReport fills what is known before the search.
func newReport(base *scenarios.Scenario, cfg Config, start time.Time) *Report {
	rep := &Report{
		Format:        Format,
		SchemaVersion: SchemaVersion,
		Scenario:      base.Name,
		Target:        "embedded reference server",
		Embedded:      base.Target == nil,
		Start:         start,
		Cores:         cfg.Cores,
		Env:           results.DetectEnvironment(cfg.Run.Version),
	}
	if !rep.Embedded {
		rep.Target = base.Target.URL
	}
	if rep.Cores == 0 && rep.Embedded {
		rep.Cores = runtime.GOMAXPROCS(0)
	}
	for _, t := range cfg.SLO {
		rep.SLO = append(rep.SLO, t.Expr)
	}
	return rep
}

// setOutcome copies the search's findings and derives the per-core figures.
func (r *Report) setOutcome(o *Outcome) {
	r.Steps = o.Steps
	r.Sustainable, r.Bound, r.AtMaxRate = o.Sustainable, o.Bound, o.AtMaxRate
	r.GeneratorLimited, r.GeneratorReason = o.GeneratorLimited, o.GeneratorReason
	if r.Cores > 0 {
		r.PerCore = r.Sustainable / float64(r.Cores)
	}
	for i := len(o.Steps) - 1; i >= 0; i-- {
		st := o.Steps[i]
		if st.Kind == KindConfirm && st.Passed {
			r.Confirm = st.Duration
			r.CPUPerHandshake = st.CPUPerHandshake
			break
		}
	}
	if r.CPUPerHandshake > 0 {
		r.CPUBoundRate = float64(runtime.GOMAXPROCS(0)) / r.CPUPerHandshake.Seconds()
	}
}
