package audit

import (
	"context"
	"net/http"
	"slices"

	"github.com/gatecrash/gatecrash/internal/wire"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/verifiers"
)

// transportTasks plans, on every listed namespace, G-01 (a credential only
// on a later polling request) and G-06 (another client reusing the Engine.IO
// session id) when Transports has polling, G-02 (a credential only on the
// upgrade) when it has polling-upgrade, and G-08 (a cookie handshake from a
// foreign Origin) on websocket and polling.
func (e *env) transportTasks(ctx context.Context, m *minter) ([]task, error) {
	var out []task
	for _, ns := range e.cfg.Namespaces {
		crs, err := m.forRoles(ctx, ns.Roles)
		if err != nil {
			return nil, err
		}
		base := Check{Group: GroupTransport, Namespace: ns.Name, Transport: Polling}
		polling := slices.Contains(e.cfg.Transports, Polling)
		goods := goodsFor(crs, verifiers.SourceHeader, verifiers.SourceCookie)
		if len(goods) > 0 && polling {
			out = append(out, laterHeaderTask(base, goods))
		}
		if len(goods) > 0 && slices.Contains(e.cfg.Transports, PollingUpgrade) {
			out = append(out, upgradeHeaderTask(base, goods))
		}
		if goods := goodsFor(crs, verifiers.SourceCookie); len(goods) > 0 {
			for _, t := range e.cfg.Transports {
				if t != PollingUpgrade {
					out = append(out, originTask(base, goods, t))
				}
			}
		}
		if goods := goodsFor(crs, verifiers.SourceAuth); len(goods) > 0 && polling {
			out = append(out, sidReuseTask(base, goods))
		}
	}
	return out, nil
}

// laterHeaderTask is G-01: the polling session opens with no credential, and
// the good header (or cookie) travels only on the later POST that carries the
// CONNECT and on the GETs after it. Middleware reading the handshake sees
// nothing, so the CONNECT must be rejected; an acceptance means the server
// reads credentials from requests a proxy or another client may have made.
func laterHeaderTask(base Check, goods []credential) task {
	c := base
	c.Case, c.Title, c.Expected = "G-01", "credential only on a later polling request", "reject (CONNECT_ERROR)"
	c.Refs = []string{"E-06"}
	return headerTask(c, goods, laterRule, func(ctx context.Context, e *env, c *Check, h http.Header) (
		session, error) {
		p, err := e.openPolling(ctx, nil, nil)
		if err != nil {
			return nil, err
		}
		p.later = h
		e.evidenceRequest(c, exchange{transport: "later polling requests", header: h})
		return p, nil
	})
}

// upgradeHeaderTask is G-02: the session opens on polling with no
// credential, and the good header (or cookie) travels only on the websocket
// upgrade request; the CONNECT then goes over the websocket.
func upgradeHeaderTask(base Check, goods []credential) task {
	c := base
	c.Case, c.Title, c.Expected = "G-02", "credential only on the websocket upgrade", "reject (CONNECT_ERROR)"
	c.Transport = PollingUpgrade
	return headerTask(c, goods, laterRule, func(ctx context.Context, e *env, c *Check, h http.Header) (
		session, error) {
		p, err := e.openPolling(ctx, nil, nil)
		if err != nil {
			return nil, err
		}
		e.evidenceRequest(c, exchange{transport: "websocket upgrade", header: h})
		s, err := p.upgrade(ctx, h, e.ws)
		if err != nil {
			p.close()
			return nil, err
		}
		return s, nil
	})
}

// laterRule judges G-01 and G-02.
var laterRule = rule{want: wantReject, onAccept: SeverityMedium,
	accepted: "a credential sent only after the opening request was honoured"}

// originTask is G-08 (E-08): a cookie-authenticated handshake from a foreign
// Origin, as a page on another site would make it with the user's cookie
// (cross-site WebSocket hijacking). The server must refuse it: HTTP 4xx or
// CONNECT_ERROR.
func originTask(base Check, goods []credential, t Transport) task {
	c := base
	c.Case, c.Title, c.Expected = "G-08", "cookie handshake from a foreign Origin", "HTTP 4xx or reject"
	c.Transport, c.Refs = t, []string{"E-08"}
	r := rule{want: wantReject, onAccept: SeverityHigh,
		accepted: "a cookie handshake from a foreign Origin was accepted (cross-site WebSocket hijacking)"}
	return headerTask(c, goods, r, func(ctx context.Context, e *env, c *Check, h http.Header) (
		session, error) {
		h = h.Clone()
		h.Set("Origin", foreignOrigin)
		e.evidenceRequest(c, exchange{transport: t, header: h})
		return e.dialNow(ctx, t, h, nil)
	})
}

// foreignOrigin is the Origin of G-08's cross-site page.
const foreignOrigin = "https://evil.example"

// headerTask runs a case where a session-level credential travels somewhere
// the server must not honour: open makes that session. A control comes
// first: the credential on an ordinary opening request must be accepted, or
// the case proves nothing; the first of goods that is becomes the check's
// credential. The CONNECT carries no auth and is judged under r.
func headerTask(c Check, goods []credential, r rule,
	open func(ctx context.Context, e *env, c *Check, h http.Header) (session, error)) task {
	return task{check: c, cost: 2*len(goods) + 1, run: func(ctx context.Context, e *env, c *Check) {
		cr, ok := e.acceptedOnOpen(ctx, c, goods)
		if !ok {
			c.skip("no session-level credential is accepted here even on the opening request")
			return
		}
		c.Kind, c.Where, c.Evidence = cr.kind, string(cr.where), nil
		if err := e.limit.wait(ctx); err != nil {
			c.skip("budget: " + err.Error())
			return
		}
		h, _, _ := cr.handshake()
		s, err := open(ctx, e, c, h)
		if err != nil {
			o := e.errorObservation(c, err, 0)
			if o.Outcome == results.OutcomeHTTPError {
				e.judge(c, o, r) // refused at the handshake: G-08's expected answer
				return
			}
			c.Observed = o
			c.skip("the session could not be opened as the case needs")
			return
		}
		defer s.close()
		f := connectFrame(c.Namespace, nil)
		e.note(c, DirSent, string(f))
		if err := s.send(f); err != nil {
			e.judge(c, e.errorObservation(c, err, 0), rule{want: wantReject})
			return
		}
		sent := e.cfg.Now()
		e.judge(c, e.await(ctx, c, s, c.Namespace, 1, sent)[0], r)
		if c.Observed.Outcome == results.OutcomeAccepted && e.admitsAnyone(ctx, c) {
			c.skip("the namespace admits clients with no credential at all (F-01), so the case proves nothing")
		}
	}}
}

// acceptedOnOpen returns the first of goods accepted when it travels on the
// request opening a session on the check's transport.
func (e *env) acceptedOnOpen(ctx context.Context, c *Check, goods []credential) (credential, bool) {
	for _, g := range goods {
		h, q, _ := g.handshake()
		obs, _ := e.run(ctx, c, exchange{transport: c.Transport, header: h, query: q,
			frames: [][]byte{connectFrame(c.Namespace, nil)}, nsp: c.Namespace}, false)
		if obs[0].Outcome == results.OutcomeAccepted {
			return g, true
		}
	}
	return credential{}, false
}

// admitsAnyone is the second control of headerTask: a session with no
// credential anywhere joins the check's namespace.
func (e *env) admitsAnyone(ctx context.Context, c *Check) bool {
	obs, _ := e.run(ctx, c, exchange{transport: c.Transport, frames: [][]byte{connectFrame(c.Namespace, nil)},
		nsp: c.Namespace}, false)
	return obs[0].Outcome == results.OutcomeAccepted
}

// sidReuseTask is G-06: client A joins the namespace over polling with a
// good credential; client B, with no credential, no cookie and its own TCP
// connection, POSTs an event naming A's session id. A server that takes the
// POST lets anyone who learns a sid (it travels in URLs) act as A.
func sidReuseTask(base Check, goods []credential) task {
	c := base
	c.Case, c.Title, c.Expected = "G-06", "second client reusing another's session id", "HTTP 4xx"
	return task{check: c, cost: len(goods) + 1, run: func(ctx context.Context, e *env, c *Check) {
		s, _, o := e.join(ctx, c, Polling, goods)
		if s == nil {
			c.Observed = o
			c.skip("no good credential was accepted over polling, so there is no session to reuse")
			return
		}
		defer s.close()
		e.judgeSidReuse(ctx, c, s.sid())
	}}
}

// judgeSidReuse sends the attacker's POST on victim's session and judges the
// answer.
func (e *env) judgeSidReuse(ctx context.Context, c *Check, victim string) {
	if err := e.limit.wait(ctx); err != nil {
		c.skip("budget: " + err.Error())
		return
	}
	attacker := &pollSession{
		client: &http.Client{Transport: e.attackerHTTP}, ctx: ctx, base: *e.base, id: victim,
	}
	frame := packetFrame(byte('0'+wire.Event), c.Namespace, "", []byte(`["gatecrash-audit"]`))
	e.note(c, DirSent, "second client: POST sid=<victim's> "+string(frame))
	sent := e.cfg.Now()
	_, err := attacker.do(ctx, http.MethodPost, attacker.url(victim, nil), nil, frame)
	if err != nil {
		e.judge(c, e.errorObservation(c, err, e.cfg.Now().Sub(sent)), rule{want: wantRefuse})
		return
	}
	e.note(c, DirReceived, "HTTP 200 ok")
	c.Observed = Observation{Outcome: results.OutcomeAccepted, Decision: e.cfg.Now().Sub(sent)}
	c.fail(SeverityHigh, "another client's request naming the session id was taken into the session "+
		"(the sid is a bearer credential)")
}
