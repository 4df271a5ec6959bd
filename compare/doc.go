// Package compare sets runs side by side and says which differences are real.
//
// A Set holds, for each metric (a benchmark name and a unit), the values of
// one group of runs: several gatecrash results files, or the lines of
// `go test -bench` output (with -count, each benchmark has several values).
// Compare tests each metric of a new Set against a baseline Set with
// golang.org/x/perf's benchmath, as benchstat does (no assumption about the
// distribution: median, confidence interval, Mann-Whitney U test), and
// checks Gates such as "p99(connect) < +10%" or "false_accepts == 0", so a
// CI job can fail on a regression that the statistics say is real.
//
// The package never prints; Report.Write renders on the caller's writer.
package compare
