// Package results holds what a gatecrash run produces and how it is read.
//
// The load generator hands one Sample per namespace CONNECT to a Recorder.
// The Recorder keeps HDR histograms (never slices of samples) per phase ×
// namespace × credential kind × expectation × outcome, counters, and
// per-interval data (counts by outcome and a histogram of total latency per
// interval), so that runs and workers merge exactly. Finish turns the
// recording into a Result: the rejection-correctness matrix, precomputed
// percentiles, threshold verdicts and a security verdict, in a
// schema-versioned JSON form written atomically by WriteFile.
//
// Thresholds are small expressions such as "p99(connect) < 200ms",
// "error_rate < 1%" or "rate(accepted) > 100/s"; ParseThreshold parses them
// and Threshold.Evaluate checks them against a Result. A bad credential that
// is accepted, or an accepted socket whose identity check names someone else,
// is never a threshold: it fails the Security verdict.
//
// The reporters write to an io.Writer given by the caller: WriteSummary for
// the end-of-run terminal summary, Progress for live progress (a bar on a
// terminal, periodic lines otherwise). Nothing in this package prints on its
// own or exits.
package results
