package runner

import (
	"fmt"

	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/loadgen"
	"github.com/gatecrash/gatecrash/results"
)

// ErrEmptyShare is returned for a share that gets nothing to do: more shares
// than a closed model's users or a hold model's sockets.
var ErrEmptyShare = fmt.Errorf("runner: share gets no load: %w", loadgen.ErrPlan)

// shareModel returns the share's part of m: every Count-th start of an open
// schedule, or a share of a closed model's users and iterations or of a
// hold model's sockets (the first Total%Count shares get one more).
//
// A hold share ramps its sockets evenly over the whole ramp, so the shares'
// starts interleave only approximately, unlike an open schedule's.
func shareModel(m loadgen.Model, s creds.Share) (loadgen.Model, error) {
	if err := s.Valid(); err != nil {
		return nil, err
	}
	if s.Whole() {
		return m, nil
	}
	switch m := m.(type) {
	case loadgen.Open:
		m.Share, m.Shares = s.Index, s.Count
		return m, nil
	case loadgen.Closed:
		users, iters := m.VUs, m.Iterations
		m.VUs, m.Iterations = s.Len(users), s.Len(iters)
		if m.VUs == 0 || (m.Duration <= 0 && m.Iterations == 0) {
			return nil, fmt.Errorf("%w: share %d of %d of %d users and %d iterations", ErrEmptyShare,
				s.Index, s.Count, users, iters)
		}
		return m, nil
	case loadgen.Hold:
		if m.Sockets = s.Len(m.Sockets); m.Sockets == 0 {
			return nil, fmt.Errorf("%w: share %d of %d of the sockets", ErrEmptyShare, s.Index, s.Count)
		}
		return m, nil
	}
	return m, nil
}

// teeSink records each sample to both sinks.
type teeSink [2]loadgen.Sink

// Record implements loadgen.Sink.
func (t teeSink) Record(s results.Sample) {
	t[0].Record(s)
	t[1].Record(s)
}
