package results

import (
	"cmp"
	"slices"
)

// Finish ends the recording and returns the Result. meta describes the run;
// Finish fills what it knows when meta leaves it zero: Start (the Recorder's
// creation), End (now), Duration (End - Start) and Workers (1), and always
// sets Generator.Late from the samples. Samples recorded after Finish are
// not in the Result. The Result owns the recorded histograms; calling Finish
// again returns another Result over the same histograms.
func (r *Recorder) Finish(meta Meta) *Result {
	now := r.opts.Now()

	r.mu.Lock()
	defer r.mu.Unlock()
	r.finished = true
	if meta.Start.IsZero() {
		meta.Start = r.start
	}
	if meta.End.IsZero() {
		meta.End = now
	}
	if meta.Duration == 0 {
		meta.Duration = meta.End.Sub(meta.Start)
	}
	if meta.Workers == 0 {
		meta.Workers = 1
	}
	meta.Generator.Late = r.counts.late

	res := &Result{
		Format: Format, SchemaVersion: SchemaVersion, Meta: meta,
		Histograms: r.opts.Histograms, IntervalWidth: r.opts.IntervalWidth,
		Counters: r.counters(), Cells: r.resultCells(), Intervals: r.resultIntervals(),
	}
	res.derive(r.opts.Thresholds)
	return res
}

func (r *Recorder) counters() Counters {
	c := &r.counts
	return Counters{
		Samples: c.samples, Connections: c.connections,
		Outcomes: outcomeMap(c.outcomes), Verdicts: verdictMap(c.verdicts),
		IdentityChecked: c.idChecked, IdentityMismatches: c.idMismatch,
		Clamped: c.clamped, Unplaced: c.unplaced, AfterFinish: c.afterFinish,
	}
}

func (r *Recorder) resultCells() []Cell {
	cells := make([]Cell, 0, len(r.cells))
	for k, c := range r.cells {
		cell := Cell{
			Namespace: k.ns, Kind: k.kind, Expect: k.expect, Outcome: k.outcome,
			Count: c.count, IdentityChecked: c.idChecked, IdentityMismatches: c.idMismatch,
			Phases: make(map[string]*PhaseData),
		}
		for code, n := range c.codes {
			if code != "" {
				if cell.Codes == nil {
					cell.Codes = make(map[string]int64)
				}
				cell.Codes[code] = n
			}
		}
		for p, h := range c.phases {
			if h != nil {
				cell.Phases[Phase(p).String()] = &PhaseData{Histogram: h}
			}
		}
		cells = append(cells, cell)
	}
	sortCells(cells)
	return cells
}

func sortCells(cells []Cell) {
	slices.SortFunc(cells, func(a, b Cell) int {
		return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Expect, b.Expect), cmp.Compare(a.Outcome, b.Outcome))
	})
}

func (r *Recorder) resultIntervals() []Interval {
	var out []Interval
	for i, iv := range r.intervals {
		if iv == nil {
			continue
		}
		in := Interval{Index: i, Outcomes: outcomeMap(iv.outcomes), Verdicts: verdictMap(iv.verdicts)}
		if iv.total != nil {
			in.Total = &PhaseData{Histogram: iv.total}
		}
		out = append(out, in)
	}
	return out
}

// outcomeMap turns outcome counters into a map without zero entries.
func outcomeMap(a [numOutcomeSlots]int64) map[Outcome]int64 {
	m := make(map[Outcome]int64)
	for i, n := range a {
		if n != 0 {
			m[outcomeSlotName(i)] = n
		}
	}
	return m
}

// verdictMap turns verdict counters into a map without zero entries.
func verdictMap(a [numVerdicts]int64) map[Verdict]int64 {
	m := make(map[Verdict]int64)
	for i, n := range a {
		if n != 0 {
			m[verdictOrder[i]] = n
		}
	}
	return m
}
