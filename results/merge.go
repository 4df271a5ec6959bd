package results

import (
	"fmt"
	"slices"
)

// Merge combines results of the same run (workers) or of runs to be read as
// one, exactly: histograms add count for count, counters add, and the
// derived parts are recomputed, thresholds included (the union of the
// inputs' expressions). The inputs are not modified. Results with different
// histogram geometry or interval width are ErrIncompatible.
//
// Meta is the first input's, with Start the earliest, End the latest,
// Duration the longest, Workers summed, Incomplete if any input is, and
// generator counts summed. Intervals are matched by index, so workers must
// share the run's start (the distributed runner's synchronized start).
func Merge(rs ...*Result) (*Result, error) {
	if len(rs) == 0 {
		return nil, fmt.Errorf("%w: nothing to merge", ErrIncompatible)
	}
	first := rs[0]
	out := &Result{
		Format: Format, SchemaVersion: SchemaVersion, Meta: first.Meta,
		Histograms: first.Histograms, IntervalWidth: first.IntervalWidth,
	}
	out.Meta.Workers = 0
	out.Meta.Generator = GeneratorReport{}
	out.Meta.IncompleteReason = ""
	cells := make(map[cellKey]*Cell)
	intervals := make(map[int]*Interval)
	var exprs []string
	for _, r := range rs {
		if r.Histograms != first.Histograms || r.IntervalWidth != first.IntervalWidth {
			return nil, fmt.Errorf("%w: geometry %+v and %+v, intervals %v and %v", ErrIncompatible,
				first.Histograms, r.Histograms, first.IntervalWidth, r.IntervalWidth)
		}
		mergeMeta(&out.Meta, r.Meta)
		out.Revocation = mergeLag(out.Revocation, r.Revocation)
		addCounters(&out.Counters, r.Counters)
		for _, c := range r.Cells {
			mergeCell(cells, c)
		}
		for _, iv := range r.Intervals {
			mergeInterval(intervals, iv)
		}
		for _, t := range r.Thresholds {
			if !slices.Contains(exprs, t.Expr) {
				exprs = append(exprs, t.Expr)
			}
		}
	}
	ths, err := ParseThresholds(exprs)
	if err != nil {
		return nil, fmt.Errorf("results: merge: %w", err)
	}
	out.Cells = collectCells(cells)
	out.Intervals = collectIntervals(intervals)
	out.derive(ths)
	return out, nil
}

func mergeMeta(m *Meta, r Meta) {
	if r.Start.Before(m.Start) {
		m.Start = r.Start
	}
	if r.End.After(m.End) {
		m.End = r.End
	}
	m.Duration = max(m.Duration, r.Duration)
	m.Workers += max(r.Workers, 1)
	if r.Incomplete {
		m.Incomplete = true
		if m.IncompleteReason == "" {
			m.IncompleteReason = r.IncompleteReason
		}
	}
	g := &m.Generator
	g.Planned += r.Generator.Planned
	g.Started += r.Generator.Started
	g.Dropped += r.Generator.Dropped
	g.Late += r.Generator.Late
	g.Saturated = g.Saturated || r.Generator.Saturated
}

func addCounters(c *Counters, r Counters) {
	c.Samples += r.Samples
	c.Connections += r.Connections
	c.IdentityChecked += r.IdentityChecked
	c.IdentityMismatches += r.IdentityMismatches
	c.Clamped += r.Clamped
	c.Unplaced += r.Unplaced
	c.AfterFinish += r.AfterFinish
	c.Outcomes = addMap(c.Outcomes, r.Outcomes)
	c.Verdicts = addMap(c.Verdicts, r.Verdicts)
}

func addMap[K comparable](dst, src map[K]int64) map[K]int64 {
	if dst == nil {
		dst = make(map[K]int64)
	}
	for k, n := range src {
		dst[k] += n
	}
	return dst
}

func mergeCell(cells map[cellKey]*Cell, c Cell) {
	k := cellKey{ns: c.Namespace, kind: c.Kind, expect: c.Expect, outcome: c.Outcome}
	dst := cells[k]
	if dst == nil {
		dst = &Cell{Namespace: c.Namespace, Kind: c.Kind, Expect: c.Expect, Outcome: c.Outcome,
			Phases: make(map[string]*PhaseData)}
		cells[k] = dst
	}
	dst.Count += c.Count
	dst.IdentityChecked += c.IdentityChecked
	dst.IdentityMismatches += c.IdentityMismatches
	if len(c.Codes) > 0 {
		dst.Codes = addMap(dst.Codes, c.Codes)
	}
	for name, pd := range c.Phases {
		dst.Phases[name] = mergePhase(dst.Phases[name], pd)
	}
}

// mergePhase returns dst plus src, cloning src when dst is nil so inputs
// are never shared or modified.
func mergePhase(dst, src *PhaseData) *PhaseData {
	if src == nil {
		return dst
	}
	if dst == nil {
		return &PhaseData{Histogram: src.Histogram.clone()}
	}
	dst.Histogram.merge(src.Histogram)
	return dst
}

func mergeInterval(ivs map[int]*Interval, iv Interval) {
	dst := ivs[iv.Index]
	if dst == nil {
		dst = &Interval{Index: iv.Index}
		ivs[iv.Index] = dst
	}
	dst.Outcomes = addMap(dst.Outcomes, iv.Outcomes)
	dst.Verdicts = addMap(dst.Verdicts, iv.Verdicts)
	dst.Total = mergePhase(dst.Total, iv.Total)
}

func collectCells(m map[cellKey]*Cell) []Cell {
	out := make([]Cell, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	sortCells(out)
	return out
}

func collectIntervals(m map[int]*Interval) []Interval {
	out := make([]Interval, 0, len(m))
	for _, iv := range m {
		out = append(out, *iv)
	}
	slices.SortFunc(out, func(a, b Interval) int { return a.Index - b.Index })
	return out
}
