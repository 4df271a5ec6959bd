package capacity

import (
	"fmt"
	"time"

	"github.com/gatecrash/gatecrash/results"
)

// Format names the capacity JSON, so `gatecrash report` can tell it from a
// results file.
const Format = "gatecrash-capacity"

// SchemaVersion is the version of the capacity JSON this build writes and
// reads.
const SchemaVersion = 1

// Report is a capacity search's answer and the evidence behind it.
type Report struct {
	Format        string `json:"format"`
	SchemaVersion int    `json:"schema_version"`
	Scenario      string `json:"scenario"`
	// Target is the target's URL, or "embedded reference server".
	Target   string    `json:"target"`
	Embedded bool      `json:"embedded"`
	Start    time.Time `json:"start"`
	// SLO are the thresholds as parsed.
	SLO []string `json:"slo"`
	// Steps are every probe, in the order run.
	Steps []Step `json:"steps"`
	// Sustainable is the confirmed rate per second (zero: none met the
	// SLO); Confirm how long it was held. Bound is the lowest rate that
	// missed the SLO (zero: none did).
	Sustainable float64       `json:"sustainable"`
	Confirm     time.Duration `json:"confirm_ns"`
	Bound       float64       `json:"bound"`
	// AtMaxRate says the search stopped at its cap while still passing.
	AtMaxRate bool `json:"at_max_rate,omitempty"`
	// GeneratorLimited says the generator was saturated at Bound: the
	// generator, not necessarily the server, was the limit.
	GeneratorLimited bool   `json:"generator_limited"`
	GeneratorReason  string `json:"generator_reason,omitempty"`
	// Cores is the server's CPU count (zero: unknown); PerCore the
	// sustainable rate divided by it.
	Cores   int     `json:"cores"`
	PerCore float64 `json:"per_core"`
	// CPUPerHandshake is this process's CPU per handshake in the
	// confirmation run; CPUBoundRate the rate this process's cores would
	// reach at that cost. Embedded, that is server and generator; against
	// a target, the generator alone (its own ceiling).
	CPUPerHandshake time.Duration `json:"cpu_per_handshake_ns"`
	CPUBoundRate    float64       `json:"cpu_bound_rate"`
	// Memory is the hold phase's figures; MemoryNote says why there are
	// none.
	Memory     *Memory `json:"memory,omitempty"`
	MemoryNote string  `json:"memory_note,omitempty"`
	// Assumptions are what any extrapolation of these figures rests on.
	Assumptions []string            `json:"assumptions"`
	Env         results.Environment `json:"environment"`
}

// assumptions lists what extrapolating the report's figures assumes.
func (r *Report) assumptions() []string {
	var out []string
	if r.Cores > 0 {
		a := fmt.Sprintf("Per core is the sustainable rate over %d cores; more cores give "+
			"proportionally more only while verification is CPU-bound and no lock, store or "+
			"network link is shared.", r.Cores)
		if r.Embedded {
			a += " The embedded server shared these cores with the generator, so a dedicated " +
				"server of as many cores should do at least as well."
		}
		out = append(out, a)
	}
	out = append(out, "N nodes behind a balancer sustain N times the rate only if the "+
		"credential stores and revocation feed they share keep up and each node's cache hit "+
		"ratio stays what it was here.",
		"Latency was measured over this machine's loopback; a network adds its round trips "+
			"to every phase, so the SLO leaves less room remotely.")
	if r.Memory != nil {
		out = append(out, fmt.Sprintf("Connections per GiB assume memory per socket stays "+
			"what it was at %d idle sockets; traffic, larger auth payloads and rooms add to it.",
			r.Memory.Sockets))
	}
	return out
}
