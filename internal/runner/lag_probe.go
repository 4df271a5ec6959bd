package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/gatecrash/gatecrash/internal/wire"
	"github.com/gatecrash/gatecrash/loadgen"
	"github.com/gatecrash/gatecrash/verifiers"
)

// lagMeasurement collects the probers' findings.
type lagMeasurement struct {
	cfg LagConfig

	mu     sync.Mutex
	report *LagReport
	err    error // the first prober failure
}

func newLagMeasurement(c LagConfig) *lagMeasurement {
	return &lagMeasurement{cfg: c, report: &LagReport{
		Rejection: map[LagKey]*hdr.Histogram{}, Disconnect: map[LagKey]*hdr.Histogram{},
		NotRejected: map[LagKey]int{}, NotDisconnected: map[LagKey]int{}, Reconnects: map[LagKey]int{},
		ProbeEvery: c.ProbeEvery,
	}}
}

// record adds one lag to h[key].
func (m *lagMeasurement) record(h map[LagKey]*hdr.Histogram, key LagKey, lag time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if h[key] == nil {
		h[key] = lagHistogram()
	}
	_ = h[key].RecordValue(max(lag, 0).Microseconds()) // clamped at 5 min
}

func (m *lagMeasurement) count(c map[LagKey]int, key LagKey) {
	m.mu.Lock()
	c[key]++
	m.mu.Unlock()
}

func (m *lagMeasurement) fail(key LagKey, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err == nil {
		m.err = fmt.Errorf("revocation lag: server %d %s: %w", key.Server, key.Namespace, err)
	}
}

// startProbes connects, for every key, server and namespace, one held
// socket and one prober, and returns once all are connected.
func (m *lagMeasurement) startProbes(ctx context.Context, refs []*Reference, keys []*lagKey) (*sync.WaitGroup, error) {
	var wg, ready sync.WaitGroup
	for s, ref := range refs {
		for _, nsp := range m.cfg.Namespaces {
			for _, k := range keys {
				key := LagKey{Server: s, Namespace: nsp}
				ready.Add(2)
				wg.Go(func() { m.hold(ctx, ref.Server.URL(), k, key, ready.Done) })
				wg.Go(func() { m.probe(ctx, ref.Server.URL(), k, key, ready.Done) })
			}
		}
	}
	ready.Wait()
	if m.err != nil {
		wg.Wait()
		return nil, m.err
	}
	return &wg, nil
}

// dialAccepted opens a session and connects nsp with k; it calls ready
// either way.
func dialAccepted(ctx context.Context, url string, k *lagKey, nsp string, ready func()) (*loadgen.Conn, error) {
	defer ready()
	c, err := loadgen.Dial(ctx, url, &loadgen.Handshake{Transport: loadgen.WebSocket}, nil)
	if err != nil {
		return nil, err
	}
	if _, err := c.Connect(ctx, nsp, k.auth()); err != nil {
		c.Close()
		return nil, fmt.Errorf("before the revocation: %w", err)
	}
	return c, nil
}

func (k *lagKey) auth() []byte {
	b, _ := json.Marshal(map[string]string{"apiKey": k.key})
	return b
}

// probe CONNECTs k to nsp again and again, pausing ProbeEvery, until the
// server rejects it as revoked; the lag is from the revocation to the
// sending of the first rejected CONNECT. A session the server ends (the
// revocation disconnects the prober's own accepted socket, which can end its
// session mid-CONNECT) is replaced by a new one and counted in Reconnects.
func (m *lagMeasurement) probe(ctx context.Context, url string, k *lagKey, key LagKey, ready func()) {
	c, err := dialAccepted(ctx, url, k, key.Namespace, ready)
	connected := true // a DISCONNECT for a namespace not joined ends the session
	for ctx.Err() == nil {
		if err != nil {
			m.fail(key, err)
			return
		}
		if connected {
			_ = c.Disconnect(key.Namespace)
		}
		sleepCtx(ctx, m.cfg.ProbeEvery)
		sent, res := time.Now(), m.connectOnce(ctx, c, k, key.Namespace)
		rev := k.revokedAt.Load()
		connected = res == nil
		var ce *loadgen.ConnectError
		switch {
		case isRevoked(res) && !rev.IsZero():
			m.record(m.report.Rejection, key, sent.Sub(rev))
		case !rev.IsZero() && time.Since(rev) > m.cfg.Bound:
			m.count(m.report.NotRejected, key)
		case res == nil:
			continue
		case errors.As(res, &ce) && rev.IsZero():
			m.fail(key, fmt.Errorf("rejected before the revocation: %w", res))
		case errors.As(res, &ce):
			continue // rejected for another reason (unavailable): probe on
		default:
			m.count(m.report.Reconnects, key)
			c.Close()
			c, err = loadgen.Dial(ctx, url, &loadgen.Handshake{Transport: loadgen.WebSocket}, nil)
			continue
		}
		break
	}
	if c != nil {
		c.Close()
	}
}

// probeTimeout bounds one probing CONNECT.
const probeTimeout = 2 * time.Second

func (m *lagMeasurement) connectOnce(ctx context.Context, c *loadgen.Conn, k *lagKey, nsp string) error {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	_, err := c.Connect(ctx, nsp, k.auth())
	return err
}

func isRevoked(err error) bool {
	var ce *loadgen.ConnectError
	return errors.As(err, &ce) && ce.Code == string(verifiers.ReasonRevoked)
}

// hold keeps one socket connected with k until the server disconnects it;
// the lag is from the revocation to the DISCONNECT's arrival.
func (m *lagMeasurement) hold(ctx context.Context, url string, k *lagKey, key LagKey, ready func()) {
	c, err := dialAccepted(ctx, url, k, key.Namespace, ready)
	if err != nil {
		m.fail(key, err)
		return
	}
	defer c.Close()
	deadline := time.Now().Add(m.cfg.Warmup + m.cfg.Bound + time.Second)
	rctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	for {
		p, err := c.ReadPacket(rctx)
		if err == nil && (p.Type != wire.Disconnect || p.Namespace != key.Namespace) {
			continue
		}
		rev := k.revokedAt.Load()
		switch {
		case err != nil && ctx.Err() == nil && !time.Now().Before(deadline):
			// the read may time out a moment before rctx reports it
			m.count(m.report.NotDisconnected, key)
		case rev.IsZero():
			m.fail(key, fmt.Errorf("held socket disconnected before the revocation: %v", err))
		default:
			m.record(m.report.Disconnect, key, time.Since(rev))
		}
		return
	}
}

// sleepCtx sleeps for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
