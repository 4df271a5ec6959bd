package compare

import "strings"

// Key names one metric: a benchmark (or a results file's scenario, "run")
// and a unit.
type Key struct {
	// Name is the benchmark's name as benchstat shows it, after its
	// package's last element when the input named one ("gatecrash
	// Handshake/jwt/cached"); "run" for gatecrash results.
	Name string
	// Unit is the metric: "sec/op", "p99-connect-µs", "p99(connect)" ...
	Unit string
}

// String renders the key as "name unit".
func (k Key) String() string { return k.Name + " " + k.Unit }

// Set is the measurements of one group of runs, by metric.
type Set struct {
	// Label names the group in reports: a file name, "base", "new".
	Label string
	// Values holds the values of each metric, one per run.
	Values map[Key][]float64
	// Keys lists the metrics in the order they were first read.
	Keys []Key
}

// NewSet returns an empty Set labelled label.
func NewSet(label string) *Set {
	return &Set{Label: label, Values: map[Key][]float64{}}
}

// Add appends one run's value of metric k.
func (s *Set) Add(k Key, v float64) {
	if _, ok := s.Values[k]; !ok {
		s.Keys = append(s.Keys, k)
	}
	s.Values[k] = append(s.Values[k], v)
}

// HigherIsBetter says whether a larger value of unit is an improvement:
// rates ("/s"), ratios of hits; every other unit (times, bytes, counts of
// failures, latencies) is better smaller.
func HigherIsBetter(unit string) bool {
	return strings.HasSuffix(unit, "/s") || strings.HasPrefix(unit, "rate(") ||
		strings.Contains(unit, "hit-ratio") || strings.Contains(unit, "hit_ratio")
}
