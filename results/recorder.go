package results

import (
	"sync"
	"time"
)

// Options configure a Recorder. The zero value is usable: default geometry,
// one-second intervals, no thresholds, the system clock.
type Options struct {
	// Histograms is the histogram geometry; zero means
	// DefaultHistogramConfig.
	Histograms HistogramConfig
	// IntervalWidth is the width of the per-interval data; zero means one
	// second.
	IntervalWidth time.Duration
	// MaxIntervals bounds the interval data; zero means two hours' worth.
	// Samples that start later are in every figure but the intervals
	// (Counters.Unplaced): a longer run at one-second intervals needs a
	// larger bound, at about 24 KB per interval.
	MaxIntervals int
	// Thresholds are evaluated by Finish.
	Thresholds []Threshold
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// withDefaults returns a copy of o with the defaults filled in.
func (o Options) withDefaults() Options {
	if o.Histograms == (HistogramConfig{}) {
		o.Histograms = DefaultHistogramConfig()
	}
	if o.IntervalWidth <= 0 {
		o.IntervalWidth = time.Second
	}
	if o.MaxIntervals <= 0 {
		o.MaxIntervals = int(2 * time.Hour / o.IntervalWidth)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	o.Thresholds = append([]Threshold(nil), o.Thresholds...)
	return o
}

type cellKey struct {
	ns, kind string
	expect   Expect
	outcome  Outcome
}

type cellRec struct {
	count      int64
	codes      map[string]int64
	idChecked  int64
	idMismatch int64
	phases     [NumPhases]*Histogram
}

type intervalRec struct {
	outcomes [numOutcomeSlots]int64
	verdicts [numVerdicts]int64
	total    *Histogram
}

// Recorder turns Samples into histograms and counts. It is safe for
// concurrent use. Record takes one short lock: a map lookup, a few counter
// increments and one histogram update per phase reached; it allocates only
// when a cell, a code or an interval is seen for the first time.
type Recorder struct {
	opts  Options
	start time.Time

	mu        sync.Mutex
	finished  bool
	cells     map[cellKey]*cellRec
	intervals []*intervalRec
	counts    runCounts
}

type runCounts struct {
	samples, connections, idChecked, idMismatch int64
	late, clamped, unplaced, afterFinish        int64
	outcomes                                    [numOutcomeSlots]int64
	verdicts                                    [numVerdicts]int64
}

// NewRecorder returns a Recorder whose run starts now (by opts.Now). An
// invalid histogram geometry is replaced by the default.
func NewRecorder(opts Options) *Recorder {
	o := opts.withDefaults()
	if o.Histograms.valid() != nil {
		o.Histograms = DefaultHistogramConfig()
	}
	return &Recorder{opts: o, start: o.Now(), cells: make(map[cellKey]*cellRec)}
}

// Record adds one sample. Samples recorded after Finish are only counted
// (Counters.AfterFinish).
func (r *Recorder) Record(s Sample) {
	v := Classify(s.Expect, s.Outcome, s.IdentityChecked, s.IdentityOK)

	r.mu.Lock()
	defer r.mu.Unlock()
	if r.finished {
		r.counts.afterFinish++
		return
	}
	r.countSample(s, v)
	r.cell(s).add(s, r)
	if iv := r.interval(s.Offset); iv != nil {
		iv.outcomes[outcomeIndex(s.Outcome)]++
		iv.verdicts[verdictIndex(v)]++
		if d := s.Phases[PhaseTotal]; d > 0 {
			if iv.total == nil {
				iv.total = r.opts.Histograms.newHistogram()
			}
			iv.total.record(r.micros(d))
		}
	}
}

func (r *Recorder) countSample(s Sample, v Verdict) {
	c := &r.counts
	c.samples++
	c.outcomes[outcomeIndex(s.Outcome)]++
	c.verdicts[verdictIndex(v)]++
	if s.ConnFirst {
		c.connections++
		if s.Late {
			c.late++
		}
	}
	if s.IdentityChecked {
		c.idChecked++
		if !s.IdentityOK {
			c.idMismatch++
		}
	}
}

func (r *Recorder) cell(s Sample) *cellRec {
	k := cellKey{ns: s.Namespace, kind: s.Kind, expect: s.Expect, outcome: s.Outcome}
	c := r.cells[k]
	if c == nil {
		c = &cellRec{codes: make(map[string]int64)}
		r.cells[k] = c
	}
	return c
}

func (c *cellRec) add(s Sample, r *Recorder) {
	c.count++
	c.codes[s.Code]++
	if s.IdentityChecked {
		c.idChecked++
		if !s.IdentityOK {
			c.idMismatch++
		}
	}
	for p, d := range s.Phases {
		if d <= 0 {
			continue
		}
		if c.phases[p] == nil {
			c.phases[p] = r.opts.Histograms.newHistogram()
		}
		c.phases[p].record(r.micros(d))
	}
}

// micros converts d for recording and counts a clamp. r.mu is held.
func (r *Recorder) micros(d time.Duration) int64 {
	v, clamped := r.opts.Histograms.micros(d)
	if clamped {
		r.counts.clamped++
	}
	return v
}

// interval returns the interval of a sample that started at offset, or nil
// when it is out of range. r.mu is held.
func (r *Recorder) interval(offset time.Duration) *intervalRec {
	i := 0
	if offset > 0 {
		i64 := int64(offset / r.opts.IntervalWidth)
		if i64 >= int64(r.opts.MaxIntervals) {
			r.counts.unplaced++
			return nil
		}
		i = int(i64)
	}
	for len(r.intervals) <= i {
		r.intervals = append(r.intervals, nil)
	}
	if r.intervals[i] == nil {
		r.intervals[i] = &intervalRec{}
	}
	return r.intervals[i]
}
