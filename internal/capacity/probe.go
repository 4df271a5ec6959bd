package capacity

import (
	"context"
	"fmt"
	"time"

	"github.com/gatecrash/gatecrash/internal/runner"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/scenarios"
)

// RunnerProber probes by running a scenario through internal/runner: base's
// target (or a fresh embedded server per probe), namespaces, credentials and
// handshake settings, with its load replaced by one constant open-model
// stage and its thresholds by the SLO.
type RunnerProber struct {
	// Base is the scenario probed; it is not modified.
	Base *scenarios.Scenario
	// SLO are the thresholds each probe is judged by.
	SLO []results.Threshold
	// Run is passed to every run.
	Run runner.Options
}

// Probe runs base at rate for d.
func (p *RunnerProber) Probe(ctx context.Context, rate float64, d time.Duration) (Step, error) {
	sc := p.scenario(rate, d)
	out, err := runner.Run(ctx, sc, p.Run)
	if out == nil {
		return Step{Rate: rate, Duration: d}, err
	}
	st := Step{
		Rate:             rate,
		Duration:         d,
		Started:          int64(out.Generator.Started),
		Dropped:          int64(out.Generator.Dropped),
		Saturated:        out.Generator.Saturated,
		SaturationReason: out.Generator.SaturationReason,
	}
	if r := out.Result; r != nil {
		st.Verdicts = r.Thresholds
		st.SecurityFailed = !r.Security.Passed
		st.Connect = r.Phases[results.PhaseConnect.String()]
		if w := out.Generator.Wall; w > 0 {
			st.Achieved = float64(answered(r)) / w.Seconds()
		}
		if r.Meta.Incomplete && err == nil {
			err = fmt.Errorf("run incomplete: %s", r.Meta.IncompleteReason)
		}
	}
	if st.Started > 0 {
		st.CPUPerHandshake = out.Generator.CPU / time.Duration(st.Started)
	}
	st.judge()
	return st, err
}

// scenario returns a copy of Base that offers rate for d and is judged by
// the SLO. Base is not modified.
func (p *RunnerProber) scenario(rate float64, d time.Duration) *scenarios.Scenario {
	sc := *p.Base
	sc.Name = fmt.Sprintf("%s capacity %.4g/s", p.Base.Name, rate)
	sc.Load.Model = scenarios.ModelOpen
	sc.Load.Stages = []scenarios.Stage{{Duration: d, Rate: rate}}
	sc.Thresholds = p.SLO
	sc.Outputs = scenarios.Outputs{}
	return &sc
}

// answered counts the CONNECTs the server answered, accepting or refusing:
// every outcome but a timeout and a transport error.
func answered(r *results.Result) int64 {
	c := r.Counters
	return c.Samples - c.Outcomes[results.OutcomeTimeout] - c.Outcomes[results.OutcomeTransportError]
}
