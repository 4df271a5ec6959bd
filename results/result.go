package results

import "time"

// SchemaVersion is the version of the results JSON this build writes and
// reads. It changes when a field changes meaning or disappears; fields are
// added without a change.
const SchemaVersion = 1

// Format names the results JSON, so a reader can tell it from other files.
const Format = "gatecrash-results"

// Result is everything a run produced. Histograms are kept (not only their
// percentiles), so results merge exactly and later tools can recompute any
// figure. The derived parts (Phases, Matrix, Thresholds, Security and the
// Stats beside each histogram) are computed by Finish and Merge.
type Result struct {
	Format        string          `json:"format"`
	SchemaVersion int             `json:"schema_version"`
	Meta          Meta            `json:"meta"`
	Histograms    HistogramConfig `json:"histograms"`
	Counters      Counters        `json:"counters"`
	// Phases are the figures of each phase over every sample, by phase name.
	Phases map[string]Stats `json:"phases"`
	// Cells hold the histograms per namespace × kind × expectation ×
	// outcome, sorted by those keys.
	Cells []Cell `json:"cells"`
	// Matrix is the rejection-correctness matrix: one row per namespace ×
	// kind × expectation.
	Matrix []MatrixRow `json:"matrix"`
	// IntervalWidth is the width of each of Intervals.
	IntervalWidth time.Duration `json:"interval_ns"`
	// Intervals are per-interval counts and total latency, by the
	// handshakes' intended start; intervals with no sample are omitted.
	Intervals        []Interval         `json:"intervals"`
	Thresholds       []ThresholdVerdict `json:"thresholds"`
	ThresholdsPassed bool               `json:"thresholds_passed"`
	Security         SecurityVerdict    `json:"security"`
	// Revocation is the revocation lag, when the scenario measured it.
	Revocation *RevocationLag `json:"revocation,omitempty"`
}

// Meta describes the run: what ran, against what, when, where, and whether
// it ran to its end.
type Meta struct {
	Scenario     string `json:"scenario"`
	ScenarioFile string `json:"scenario_file,omitempty"`
	// Target is the server's address, or "embedded" with its address.
	Target string    `json:"target"`
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	// Duration is the length of the load; Finish sets End - Start when it
	// is zero. Rates are per second of Duration.
	Duration time.Duration `json:"duration_ns"`
	// Incomplete marks a run that ended before its schedule did (Ctrl-C, a
	// run error); IncompleteReason says why.
	Incomplete       bool            `json:"incomplete"`
	IncompleteReason string          `json:"incomplete_reason,omitempty"`
	Env              Environment     `json:"environment"`
	Generator        GeneratorReport `json:"generator"`
	// Workers is the number of recordings merged into this result (1 for
	// a single process).
	Workers int `json:"workers"`
}

// GeneratorReport is what the load generator says about itself. The caller
// fills Planned, Started, Dropped and Saturated from the generator's report;
// Finish fills Late from the samples.
type GeneratorReport struct {
	// Planned is the number of handshakes the schedule planned.
	Planned int64 `json:"planned"`
	// Started is the number of handshakes actually started.
	Started int64 `json:"started"`
	// Dropped counts scheduled starts the generator skipped.
	Dropped int64 `json:"dropped"`
	// Late counts handshakes that started behind schedule (Sample.Late on
	// the first sample of a connection).
	Late int64 `json:"late"`
	// Saturated says the generator could not keep its schedule; latency
	// figures then include its own delay (PhaseWait).
	Saturated bool `json:"saturated"`
}

// Counters are run-wide counts.
type Counters struct {
	// Samples is the number of namespace CONNECTs recorded.
	Samples int64 `json:"samples"`
	// Connections is the number of connections (first samples).
	Connections        int64             `json:"connections"`
	Outcomes           map[Outcome]int64 `json:"outcomes"`
	Verdicts           map[Verdict]int64 `json:"verdicts"`
	IdentityChecked    int64             `json:"identity_checked"`
	IdentityMismatches int64             `json:"identity_mismatches"`
	// Clamped counts phase durations above the histograms' highest value,
	// recorded as that value.
	Clamped int64 `json:"clamped"`
	// Unplaced counts samples whose intended start fell outside the interval
	// range; they are in every figure but the intervals.
	Unplaced int64 `json:"unplaced"`
	// AfterFinish counts samples that arrived after Finish; they are in no
	// figure.
	AfterFinish int64 `json:"after_finish"`
}

// Cell is the recording of one namespace × kind × expectation × outcome.
type Cell struct {
	Namespace          string           `json:"namespace"`
	Kind               string           `json:"kind"`
	Expect             Expect           `json:"expect"`
	Outcome            Outcome          `json:"outcome"`
	Count              int64            `json:"count"`
	Codes              map[string]int64 `json:"codes,omitempty"`
	IdentityChecked    int64            `json:"identity_checked"`
	IdentityMismatches int64            `json:"identity_mismatches"`
	// Phases holds a histogram per phase reached, by phase name.
	Phases map[string]*PhaseData `json:"phases"`
}

// PhaseData is one phase's histogram and its precomputed figures.
type PhaseData struct {
	Stats
	Histogram *Histogram `json:"hdr"`
}

// MatrixRow is one row of the rejection-correctness matrix.
type MatrixRow struct {
	Namespace string            `json:"namespace"`
	Kind      string            `json:"kind"`
	Expect    Expect            `json:"expect"`
	Total     int64             `json:"total"`
	Outcomes  map[Outcome]int64 `json:"outcomes"`
	// Codes counts "outcome:code" pairs, for example "rejected:expired".
	Codes    map[string]int64  `json:"codes,omitempty"`
	Verdicts map[Verdict]int64 `json:"verdicts"`
	// Verdict is the worst verdict any sample of the row got.
	Verdict Verdict `json:"verdict"`
}

// Interval is one interval of the run, by the handshakes' intended start.
type Interval struct {
	// Index numbers the interval: it starts at Index × IntervalWidth.
	Index    int               `json:"index"`
	Outcomes map[Outcome]int64 `json:"outcomes"`
	Verdicts map[Verdict]int64 `json:"verdicts"`
	// Total is the total latency (PhaseTotal) of the interval's samples.
	Total *PhaseData `json:"total,omitempty"`
}

// SecurityVerdict says whether any bad credential got in or any accepted
// socket answered as someone else. It is separate from thresholds: a failed
// security verdict fails the run whatever the thresholds say.
type SecurityVerdict struct {
	Passed             bool      `json:"passed"`
	FalseAccepts       int64     `json:"false_accepts"`
	IdentityMismatches int64     `json:"identity_mismatches"`
	Findings           []Finding `json:"findings,omitempty"`
}

// Finding is one matrix row that failed the security verdict.
type Finding struct {
	Namespace string  `json:"namespace"`
	Kind      string  `json:"kind"`
	Verdict   Verdict `json:"verdict"`
	Count     int64   `json:"count"`
}
