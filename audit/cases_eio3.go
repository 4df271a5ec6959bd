package audit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gorilla/websocket"

	"github.com/gatecrash/gatecrash/internal/wire"
	"github.com/gatecrash/gatecrash/loadgen"
	"github.com/gatecrash/gatecrash/results"
)

// eio3Tasks plans F-12: one handshake with EIO=3, which a current server
// refuses with HTTP 400 (or, upgrading first, a websocket close), and on every listed namespace a CONNECT over EIO3
// carrying a bad token in the namespace's query ("40/admin?token=…,"), the
// legacy way EIO3 clients authenticate. They run only on websocket.
func (e *env) eio3Tasks(m *minter) []task {
	bad := "gatecrash-audit-" + randomHex(8) // a token no server issued
	m.red.add(bad)
	c := Check{Case: "F-12", Group: GroupProtocol, Namespace: "/", Transport: WebSocket,
		Title: "Engine.IO v3 handshake", Expected: "HTTP 400 (EIO3 unsupported)"}
	out := []task{{check: c, cost: 1, run: func(ctx context.Context, e *env, c *Check) {
		s, o := e.openEIO3(ctx, c, nil)
		if s == nil {
			e.judge(c, o, rule{want: wantRefuse})
			return
		}
		s.close()
		c.Observed = o
		c.fail(SeverityMedium, "the server speaks Engine.IO v3: its legacy path reads credentials from "+
			"namespace query strings (CASES.md V8), which every middleware must handle")
	}}}
	for _, ns := range e.cfg.Namespaces {
		c := Check{Case: "F-12", Group: GroupProtocol, Namespace: ns.Name, Transport: WebSocket,
			Title: "bad token in the namespace query over EIO3", Expected: "HTTP 400 or reject",
			Kind: "eio3-query-token", Where: "namespace query"}
		out = append(out, eio3QueryTask(c, bad))
	}
	return out
}

// eio3QueryTask sends "40<nsp>?token=<bad>," on an EIO3 session; for "/" the
// token rides the handshake's query instead, where EIO3 clients put it.
func eio3QueryTask(c Check, bad string) task {
	return task{check: c, cost: 1, run: func(ctx context.Context, e *env, c *Check) {
		var q url.Values
		frame := []byte("40")
		if c.Namespace == "/" {
			q = url.Values{"token": {bad}}
		} else {
			frame = append(frame, c.Namespace+"?token="+url.QueryEscape(bad)+","...)
		}
		s, o := e.openEIO3(ctx, c, q)
		if s == nil {
			e.judge(c, o, refuseRule)
			return
		}
		defer s.close()
		e.note(c, DirSent, string(frame))
		if err := s.send(frame); err != nil {
			e.judge(c, e.errorObservation(c, err, 0), refuseRule)
			return
		}
		e.judge(c, e.await(ctx, c, s, c.Namespace, 1, e.cfg.Now())[0], badRule)
	}}
}

// openEIO3 opens a websocket session with EIO=3 and q. It returns the
// session and the observation of its opening, or nil and the refusal.
func (e *env) openEIO3(ctx context.Context, c *Check, q url.Values) (session, Observation) {
	e.evidenceRequest(c, exchange{transport: "websocket EIO=3", query: q})
	if err := e.limit.wait(ctx); err != nil {
		return nil, e.errorObservation(c, err, 0)
	}
	u := *e.base
	u.Scheme = strings.Replace(u.Scheme, "http", "ws", 1)
	v := url.Values{"EIO": {"3"}, "transport": {"websocket"}}
	for k, vs := range q {
		v[k] = vs
	}
	u.RawQuery = v.Encode()
	start := e.cfg.Now()
	ws, resp, err := e.ws.DialContext(ctx, u.String(), nil)
	took := e.cfg.Now().Sub(start)
	if err != nil {
		if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
			err = &loadgen.HTTPError{Status: resp.StatusCode}
		}
		return nil, e.errorObservation(c, err, took)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = ws.SetReadDeadline(dl)
	}
	_, open, err := ws.ReadMessage()
	var ce *websocket.CloseError
	if errors.As(err, &ce) { // zishang upgrades, then closes: "Unsupported protocol version"
		_ = ws.Close()
		e.note(c, DirReceived, fmt.Sprintf("websocket close %d: %s", ce.Code, ce.Text))
		return nil, Observation{Outcome: results.OutcomeClosed, Code: ce.Text, Decision: took}
	}
	if err == nil && (len(open) == 0 || open[0] != byte(wire.EIOOpen)) {
		err = fmt.Errorf("%w: EIO3 open frame %q", loadgen.ErrProtocol, clip(open))
	}
	if err != nil {
		_ = ws.Close()
		return nil, e.errorObservation(c, err, took)
	}
	e.note(c, DirReceived, string(open))
	return &upgradedSession{ws: ws}, Observation{Outcome: results.OutcomeAccepted, Decision: took}
}
