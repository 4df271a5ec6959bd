package results

import "time"

// Snapshot is the live state of a recording, for progress displays.
type Snapshot struct {
	// Elapsed is the time since the Recorder was created.
	Elapsed time.Duration
	// Samples and Connections count what was recorded so far.
	Samples     int64
	Connections int64
	// Accepted, Refused (rejected, closed or refused over HTTP) and NoAnswer
	// (timeout, transport error) split Samples by outcome.
	Accepted int64
	Refused  int64
	NoAnswer int64
	// FalseAccepts, IdentityMismatches and FalseRejects count the verdicts
	// that matter while a run is going.
	FalseAccepts       int64
	IdentityMismatches int64
	FalseRejects       int64
	// Late counts handshakes started behind schedule.
	Late int64
	// RecentRate is the samples per second of the last complete interval,
	// and RecentP99 its p99 total latency; both are zero before the first
	// interval completes.
	RecentRate float64
	RecentP99  time.Duration
}

// Snapshot returns the recording's live state. It is meant to be called a
// few times a second at most: it reads one interval's histogram.
func (r *Recorder) Snapshot() Snapshot {
	now := r.opts.Now()

	r.mu.Lock()
	defer r.mu.Unlock()
	c := &r.counts
	s := Snapshot{
		Elapsed:            now.Sub(r.start),
		Samples:            c.samples,
		Connections:        c.connections,
		Accepted:           c.outcomes[outcomeIndex(OutcomeAccepted)],
		FalseAccepts:       c.verdicts[verdictIndex(VerdictFalseAccept)],
		IdentityMismatches: c.verdicts[verdictIndex(VerdictIdentityMismatch)],
		FalseRejects:       c.verdicts[verdictIndex(VerdictFalseReject)],
		Late:               c.late,
	}
	for _, o := range []Outcome{OutcomeRejected, OutcomeClosed, OutcomeHTTPError} {
		s.Refused += c.outcomes[outcomeIndex(o)]
	}
	s.NoAnswer = s.Samples - s.Accepted - s.Refused
	last := int(s.Elapsed/r.opts.IntervalWidth) - 1
	if last >= 0 && last < len(r.intervals) && r.intervals[last] != nil {
		iv := r.intervals[last]
		var n int64
		for _, k := range iv.outcomes {
			n += k
		}
		s.RecentRate = float64(n) / r.opts.IntervalWidth.Seconds()
		if iv.total != nil {
			s.RecentP99 = time.Duration(iv.total.h.ValueAtPercentile(99)) * time.Microsecond
		}
	}
	return s
}
