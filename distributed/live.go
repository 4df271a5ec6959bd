package distributed

import (
	"sync"
	"time"

	"github.com/gatecrash/gatecrash/results"
)

// recentWindow is how far back the live view's recent rate and p99 look.
const recentWindow = time.Second

// live merges the workers' streamed intervals into running figures.
type live struct {
	now func() time.Time

	mu     sync.Mutex
	start  time.Time
	total  *results.Result
	recent []timed
}

type timed struct {
	at time.Time
	r  *results.Result
}

func newLive(now func() time.Time) *live { return &live{now: now} }

func (l *live) begin(at time.Time) {
	l.mu.Lock()
	l.start = at
	l.mu.Unlock()
}

// add merges one worker's interval in. Merging is exact; a merge failure
// (results of different geometry, which workers of one version never send)
// drops the interval from the live view only.
func (l *live) add(r *results.Result) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.recent = append(l.recent, timed{at: now, r: r})
	for len(l.recent) > 0 && now.Sub(l.recent[0].at) > recentWindow {
		l.recent = l.recent[1:]
	}
	if l.total == nil {
		l.total = r
		return
	}
	if m, err := results.Merge(l.total, r); err == nil {
		l.total = m
	}
}

// snapshot returns the live figures of every worker together.
func (l *live) snapshot() results.Snapshot {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := results.Snapshot{Elapsed: l.now().Sub(l.start)}
	if l.total != nil {
		fillSnapshot(&s, l.total)
	}
	var rs []*results.Result
	for _, t := range l.recent {
		rs = append(rs, t.r)
	}
	if len(rs) > 0 {
		if m, err := results.Merge(rs...); err == nil {
			s.RecentRate = float64(m.Counters.Samples) / recentWindow.Seconds()
			s.RecentP99 = time.Duration(m.Phases[results.PhaseTotal.String()].P99) * time.Microsecond
		}
	}
	return s
}

// fillSnapshot sets the counts of s from r.
func fillSnapshot(s *results.Snapshot, r *results.Result) {
	c := r.Counters
	s.Samples, s.Connections = c.Samples, c.Connections
	s.Accepted = c.Outcomes[results.OutcomeAccepted]
	for _, o := range []results.Outcome{results.OutcomeRejected, results.OutcomeClosed,
		results.OutcomeHTTPError} {
		s.Refused += c.Outcomes[o]
	}
	s.NoAnswer = s.Samples - s.Accepted - s.Refused
	s.FalseAccepts = c.Verdicts[results.VerdictFalseAccept]
	s.IdentityMismatches = c.Verdicts[results.VerdictIdentityMismatch]
	s.FalseRejects = c.Verdicts[results.VerdictFalseReject]
	s.Late = r.Meta.Generator.Late
}
