package audit

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gatecrash/gatecrash/loadgen"
)

// env is what the checks of one audit share.
type env struct {
	cfg    Config
	dialer *loadgen.Dialer
	// http carries the polling sessions; attackerHTTP the second client of
	// G-06, on connections of its own.
	http, attackerHTTP *http.Transport
	// ws upgrades polling sessions for G-02.
	ws    *websocket.Dialer
	base  *url.URL
	limit *limiter
	red   *redactor
}

func newEnv(cfg Config) (*env, error) {
	base, err := baseURL(cfg.Target, cfg.Path)
	if err != nil {
		return nil, err
	}
	d, err := loadgen.NewDialer(cfg.Target, &loadgen.DialOptions{Path: base.Path, TLS: cfg.TLS,
		Now: cfg.Now})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	tr := func() *http.Transport {
		t := &http.Transport{MaxIdleConnsPerHost: cfg.Concurrency, IdleConnTimeout: 10 * time.Second}
		if cfg.TLS != nil {
			t.TLSClientConfig = cfg.TLS.Clone()
		}
		return t
	}
	ws := &websocket.Dialer{TLSClientConfig: cfg.TLS, HandshakeTimeout: cfg.DecisionBudget}
	return &env{cfg: cfg, dialer: d, http: tr(), attackerHTTP: tr(), ws: ws, base: base,
		limit: newLimiter(cfg.Rate, cfg.MaxRequests), red: &redactor{}}, nil
}

func (e *env) close() {
	e.http.CloseIdleConnections()
	e.attackerHTTP.CloseIdleConnections()
}

// Run audits cfg.Target: it mints the credentials, plans every case of the
// selected groups, checks the plan fits the request budget, makes sure the
// target answers at all, then runs the checks, Concurrency at a time and
// Rate handshakes a second. A cancelled ctx ends the audit early: the report
// so far comes back with the context's error, unrun checks marked skipped.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	e, err := newEnv(cfg)
	if err != nil {
		return nil, err
	}
	defer e.close()
	m, err := newMinter(cfg, e.red)
	if err != nil {
		return nil, err
	}
	tasks, err := e.plan(ctx, m)
	if err != nil {
		return nil, err
	}
	if cost := planCost(tasks) + len(cfg.Transports); cost > cfg.MaxRequests {
		return nil, fmt.Errorf("%w: %d handshakes planned, %d allowed", ErrBudget, cost, cfg.MaxRequests)
	}
	r := &Report{Target: cfg.Target, Started: cfg.Now()}
	if err := e.reachable(ctx); err != nil {
		return nil, err
	}
	r.Checks, err = e.execute(ctx, tasks)
	r.Duration = cfg.Now().Sub(r.Started)
	r.Handshakes = e.limit.count()
	return r, err
}

// plan lists the tasks of the selected groups.
func (e *env) plan(ctx context.Context, m *minter) ([]task, error) {
	groups := e.cfg.Groups
	if len(groups) == 0 {
		groups = AllGroups()
	}
	planners := map[Group]func(context.Context, *minter) ([]task, error){
		GroupNamespaces: e.namespaceTasks, GroupProtocol: e.protocolTasks, GroupTransport: e.transportTasks,
		GroupLifetime: e.lifetimeTasks, GroupCredentials: e.credentialTasks,
	}
	var out []task
	for _, g := range AllGroups() {
		if !slices.Contains(groups, g) {
			continue
		}
		ts, err := planners[g](ctx, m)
		if err != nil {
			return nil, fmt.Errorf("planning %s: %w", g, err)
		}
		out = append(out, ts...)
	}
	return out, nil
}

func planCost(ts []task) int {
	n := 0
	for _, t := range ts {
		n += t.cost
	}
	return n
}

// reachable opens one session on each configured transport until one
// succeeds; none succeeding is ErrUnreachable.
func (e *env) reachable(ctx context.Context) error {
	var errs []error
	for _, t := range e.cfg.Transports {
		cctx, cancel := context.WithTimeout(ctx, e.cfg.DecisionBudget)
		s, err := e.dial(cctx, t, nil, nil)
		cancel()
		if err == nil {
			s.close()
			return nil
		}
		errs = append(errs, fmt.Errorf("%s: %w", t, err))
	}
	return fmt.Errorf("%w: %v", ErrUnreachable, errs)
}

// execute runs the tasks on Concurrency workers and returns their checks in
// plan order.
func (e *env) execute(ctx context.Context, tasks []task) ([]Check, error) {
	checks := make([]Check, len(tasks))
	next := make(chan int)
	var wg sync.WaitGroup
	for range e.cfg.Concurrency {
		wg.Go(func() {
			for i := range next {
				checks[i] = tasks[i].check
				e.runTask(ctx, tasks[i], &checks[i])
			}
		})
	}
	sent := 0
feed:
	for ; sent < len(tasks); sent++ {
		select {
		case next <- sent:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	for i := sent; i < len(tasks); i++ {
		checks[i] = tasks[i].check
		checks[i].skip("the audit was cancelled before this check ran")
	}
	return checks, ctx.Err()
}

// runTask runs t with a deadline: every exchange of the task may use its
// decision budget, and two more budgets cover the dials, so a server that
// stalls a dial or an upgrade cannot hold a worker forever.
func (e *env) runTask(ctx context.Context, t task, c *Check) {
	limit := time.Duration(t.cost+2) * e.cfg.DecisionBudget
	if t.check.Group == GroupLifetime {
		limit += e.cfg.ExpiryTTL + e.cfg.ExpiryBound + e.cfg.RevokeBound
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	t.run(ctx, e, c)
}
