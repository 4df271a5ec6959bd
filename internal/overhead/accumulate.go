package overhead

import (
	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"runtime"
	"time"

	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/scenarios"
)

// accumulator sums one variant's runs.
type accumulator struct {
	variant           Variant
	started, accepted int64
	notOK             int64
	wall, cpu         time.Duration
	hits, lookups     uint64
	connect           []*results.Histogram
}

func (a *accumulator) add(m *Measurement) {
	a.started += m.Started
	a.accepted += m.Accepted
	a.notOK += m.Result.Counters.Samples - m.Result.Counters.Verdicts[results.VerdictOK]
	a.wall += m.Wall
	a.cpu += m.CPU
	a.hits += m.Cache.Hits
	a.lookups += m.Cache.Hits + m.Cache.Misses
	for _, c := range m.Result.Cells {
		if pd, ok := c.Phases[results.PhaseConnect.String()]; ok && pd.Histogram != nil {
			a.connect = append(a.connect, pd.Histogram)
		}
	}
}

// percentiles merges the CONNECT histograms of every run and cell.
func (a *accumulator) percentiles() (p50, p99 time.Duration) {
	if len(a.connect) == 0 {
		return 0, 0
	}
	first := a.connect[0].HDR()
	h := hdr.New(first.LowestTrackableValue(), first.HighestTrackableValue(), int(first.SignificantFigures()))
	for _, o := range a.connect {
		h.Merge(o.HDR())
	}
	us := func(q float64) time.Duration { return time.Duration(h.ValueAtQuantile(q)) * time.Microsecond }
	return us(50), us(99)
}

func (a *accumulator) row(cores int) Row {
	r := Row{Variant: a.variant, Started: a.started, Accepted: a.accepted, NotOK: a.notOK, HitRatio: -1}
	if a.started > 0 {
		r.CPU = a.cpu / time.Duration(a.started)
	}
	if a.wall > 0 {
		r.Rate = float64(a.accepted) / a.wall.Seconds()
	}
	if r.CPU > 0 {
		r.MaxRate = float64(cores) / r.CPU.Seconds()
	}
	if a.variant.Cached && a.lookups > 0 {
		r.HitRatio = float64(a.hits) / float64(a.lookups)
	}
	r.P50, r.P99 = a.percentiles()
	return r
}

func newReport(base *scenarios.Scenario, acc []*accumulator, baseline, rounds int) *Report {
	rep := &Report{Format: Format, SchemaVersion: SchemaVersion, Schedule: describe(base.Load),
		Rounds: rounds, Cores: runtime.GOMAXPROCS(0)}
	for _, a := range acc {
		rep.Rows = append(rep.Rows, a.row(rep.Cores))
	}
	b := rep.Rows[baseline]
	for i := range rep.Rows {
		r := &rep.Rows[i]
		r.CPUDelta, r.P50Delta, r.P99Delta = r.CPU-b.CPU, r.P50-b.P50, r.P99-b.P99
		if r.CPU > 0 {
			r.CPUShare = float64(r.CPUDelta) / float64(r.CPU)
		}
	}
	return rep
}
