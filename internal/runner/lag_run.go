package runner

import (
	"context"
	"fmt"
	"slices"

	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/scenarios"
)

// lagRun is a scenario's revoke block running beside the load: the extra
// servers sharing the embedded one's Redis and the measurement's outcome.
type lagRun struct {
	extra []*Reference
	done  chan struct{}
	rep   *LagReport
	err   error
}

// startLag starts the revoke block's extra servers (Servers - 1 of them,
// with the embedded server's configuration, Redis and signing keys) and
// the measurement, which revokes At after now. Without a revoke block it
// returns nil.
func startLag(ctx context.Context, sc *scenarios.Scenario, st *stage) (*lagRun, error) {
	rv := sc.Revoke
	if rv == nil || st.ref == nil {
		return nil, nil
	}
	cfg := st.refCfg
	cfg.SigningKeys = slices.Clone(st.ref.Material.Keys)
	cfg.Algs = nil
	// The metrics listener and the admin endpoint stay the embedded
	// server's alone: the extra servers would fight over the address.
	cfg.Server.MetricsAddr, cfg.Admin, cfg.Addr = "", false, ""
	l := &lagRun{done: make(chan struct{})}
	for range rv.Servers - 1 {
		r, err := StartReference(cfg)
		if err != nil {
			closeAll(l.extra)
			return nil, fmt.Errorf("run: revoke: extra server: %w", err)
		}
		l.extra = append(l.extra, r)
	}
	lc := LagConfig{
		Refs:       append([]*Reference{st.ref}, l.extra...),
		Namespaces: sc.RevokeNamespaces(), Credentials: rv.Count,
		Warmup: rv.At, ProbeEvery: rv.ProbeEvery, Bound: rv.Bound,
	}
	go func() {
		defer close(l.done)
		l.rep, l.err = MeasureRevocationLag(ctx, lc)
	}()
	return l, nil
}

// finish waits for the measurement, closes the extra servers, and returns
// the lag for the result; the error is the measurement's failure, nil when
// only ctx ended it.
func (l *lagRun) finish(ctx context.Context) (*results.RevocationLag, error) {
	if l == nil {
		return nil, nil
	}
	<-l.done
	closeAll(l.extra)
	if l.err != nil && ctx.Err() == nil {
		return nil, fmt.Errorf("run: %w", l.err)
	}
	if l.rep == nil {
		return nil, nil
	}
	return lagResult(l.rep), nil
}

// lagResult converts the report for the results file.
func lagResult(rep *LagReport) *results.RevocationLag {
	out := &results.RevocationLag{ProbeEvery: rep.ProbeEvery, Revoked: int64(rep.Revoked)}
	keys := map[LagKey]bool{}
	for _, m := range []map[LagKey]int{rep.NotRejected, rep.NotDisconnected, rep.Reconnects} {
		for k := range m {
			keys[k] = true
		}
	}
	for k := range rep.Rejection {
		keys[k] = true
	}
	for k := range rep.Disconnect {
		keys[k] = true
	}
	for k := range keys {
		out.Rows = append(out.Rows, results.LagRow{
			Server: k.Server, Namespace: k.Namespace,
			Rejection: results.LagData(rep.Rejection[k]), Disconnect: results.LagData(rep.Disconnect[k]),
			NotRejected: int64(rep.NotRejected[k]), NotDisconnected: int64(rep.NotDisconnected[k]),
			Reconnects: int64(rep.Reconnects[k]),
		})
	}
	out.SortRows()
	return out
}
