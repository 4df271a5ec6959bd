package capacity

import (
	"context"
	"time"

	"github.com/gatecrash/gatecrash/results"
)

// StepKind says which part of the search a probe belonged to.
type StepKind string

// The step kinds, in the order a search runs them.
const (
	// KindStep is a probe of the step-up phase.
	KindStep StepKind = "step"
	// KindBisect is a probe between the best passing and the first failing
	// rate.
	KindBisect StepKind = "bisect"
	// KindConfirm is the longer run that holds the rate found.
	KindConfirm StepKind = "confirm"
)

// Step is one probe: a constant offered rate for a duration, and what came
// of it.
type Step struct {
	Kind StepKind `json:"kind"`
	// Rate is the offered arrival rate, handshakes per second.
	Rate     float64       `json:"rate"`
	Duration time.Duration `json:"duration_ns"`
	// Achieved is the CONNECTs the server answered (accepted or refused,
	// not timed out) per second of the run's wall time, draining included.
	Achieved float64 `json:"achieved"`
	// Started and Dropped count the handshakes begun and the scheduled
	// starts the generator skipped.
	Started int64 `json:"started"`
	Dropped int64 `json:"dropped"`
	// Passed says the probe met every SLO threshold, dropped nothing and
	// let no bad credential in.
	Passed bool `json:"passed"`
	// Verdicts are the SLO thresholds' verdicts on the probe.
	Verdicts []results.ThresholdVerdict `json:"verdicts"`
	// SecurityFailed says a bad credential got in or an identity did not
	// match during the probe.
	SecurityFailed bool `json:"security_failed,omitempty"`
	// Saturated says the generator could not keep the schedule;
	// SaturationReason says how.
	Saturated        bool   `json:"saturated"`
	SaturationReason string `json:"saturation_reason,omitempty"`
	// Connect is the CONNECT phase's figures over the probe.
	Connect results.Stats `json:"connect"`
	// CPUPerHandshake is this process's CPU per handshake started (server
	// and generator when the server is embedded).
	CPUPerHandshake time.Duration `json:"cpu_per_handshake_ns"`
}

// Prober applies a constant arrival rate for d and reports the Step. An
// error aborts the search.
type Prober interface {
	Probe(ctx context.Context, rate float64, d time.Duration) (Step, error)
}

// ProberFunc adapts a function to Prober.
type ProberFunc func(ctx context.Context, rate float64, d time.Duration) (Step, error)

// Probe calls f.
func (f ProberFunc) Probe(ctx context.Context, rate float64, d time.Duration) (Step, error) {
	return f(ctx, rate, d)
}

// judge sets Passed from the verdicts, drops and security.
func (s *Step) judge() {
	s.Passed = s.Dropped == 0 && !s.SecurityFailed && len(s.Verdicts) > 0
	for _, v := range s.Verdicts {
		if !v.Passed {
			s.Passed = false
		}
	}
}
