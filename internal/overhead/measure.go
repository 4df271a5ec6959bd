package overhead

import (
	"context"
	"fmt"
	"time"

	"github.com/gatecrash/gatecrash/internal/runner"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/scenarios"
	"github.com/gatecrash/gatecrash/verifiers"
)

// Measurement is one run of one variant.
type Measurement struct {
	Variant Variant
	// Result is the run's recording.
	Result *results.Result
	// Started counts the handshakes begun; Accepted the CONNECTs accepted.
	Started, Accepted int64
	// Wall is the run's length; CPU the process's user+system CPU during it.
	//
	// The embedded server shares the process with the generator, so CPU is
	// both sides'. The generator does the same work for every variant of
	// one schedule, so the difference between two variants is the server's.
	Wall, CPU time.Duration
	// Cache is the variant's cache statistics; zero when uncached.
	Cache verifiers.CacheStats
}

// RunOptions are passed through to runner.Run.
type RunOptions = runner.Options

// Measure runs v on base's schedule (see Variant.Scenario) against a fresh
// embedded reference server and returns what it measured. An error after
// the clock started still returns the Measurement of what ran.
func Measure(ctx context.Context, base *scenarios.Scenario, v Variant, opts RunOptions) (*Measurement, error) {
	if base.Target != nil {
		return nil, fmt.Errorf("overhead: %w", ErrTarget)
	}
	out, err := runner.Run(ctx, v.Scenario(base), opts)
	if out == nil {
		return nil, fmt.Errorf("overhead: %s: %w", v.Name(), err)
	}
	m := &Measurement{
		Variant:  v,
		Result:   out.Result,
		Started:  int64(out.Generator.Started),
		Accepted: out.Result.Counters.Outcomes[results.OutcomeAccepted],
		Wall:     out.Generator.Wall,
		CPU:      out.Generator.CPU,
		Cache:    out.Cache[v.Method],
	}
	if err != nil {
		return m, fmt.Errorf("overhead: %s: %w", v.Name(), err)
	}
	return m, nil
}

// CPUPerHandshake is the process CPU per handshake started, zero when none
// started.
func (m *Measurement) CPUPerHandshake() time.Duration {
	if m.Started == 0 {
		return 0
	}
	return m.CPU / time.Duration(m.Started)
}

// Rate is the accepted CONNECTs per second of the run.
func (m *Measurement) Rate() float64 {
	if m.Wall <= 0 {
		return 0
	}
	return float64(m.Accepted) / m.Wall.Seconds()
}

// Connect returns the CONNECT phase's figures over the run.
func (m *Measurement) Connect() results.Stats {
	return m.Result.Phases[results.PhaseConnect.String()]
}
