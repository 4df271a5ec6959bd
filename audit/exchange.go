package audit

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/gatecrash/gatecrash/internal/wire"
	"github.com/gatecrash/gatecrash/loadgen"
	"github.com/gatecrash/gatecrash/results"
)

// exchange is one client of a check: a session opened on transport with
// header and query, frames sent in order once it is open, answers awaited
// for nsp.
type exchange struct {
	transport Transport
	header    http.Header
	query     url.Values
	frames    [][]byte
	nsp       string
	// answers is how many answers for nsp to wait for (default 1).
	answers int
}

// run performs x and returns the answers observed, at least one: a failed
// dial or a missing answer is an Observation too. The session is returned
// open when keep is set (and the caller must close it), else closed.
func (e *env) run(ctx context.Context, c *Check, x exchange, keep bool) ([]Observation, session) {
	e.evidenceRequest(c, x)
	s, err := e.dial(ctx, x.transport, x.header, x.query)
	if err != nil {
		return []Observation{e.errorObservation(c, err, time.Duration(0))}, nil
	}
	var sent time.Time // the decision is timed from the last frame written
	for _, f := range x.frames {
		e.note(c, DirSent, string(f))
		if err := s.send(f); err != nil {
			s.close()
			return []Observation{e.errorObservation(c, err, 0)}, nil
		}
		sent = e.cfg.Now()
	}
	obs := e.await(ctx, c, s, x.nsp, max(x.answers, 1), sent)
	if !keep {
		s.close()
		return obs, nil
	}
	return obs, s
}

// join opens a session on transport t and joins nsp with the first of goods
// the server accepts, each tried on a fresh session. It returns the open
// session and the credential, or nil and the last observation.
func (e *env) join(ctx context.Context, c *Check, t Transport, goods []credential) (
	session, credential, Observation) {
	var last Observation
	for _, g := range goods {
		obs, s := e.run(ctx, c, exchange{transport: t,
			frames: [][]byte{connectFrame(c.Namespace, g.c.Auth())}, nsp: c.Namespace}, true)
		last = obs[0]
		if s == nil {
			continue
		}
		if last.Outcome == results.OutcomeAccepted {
			c.Kind, c.Where = g.kind, string(g.where)
			return s, g, last
		}
		s.close()
	}
	return nil, credential{}, last
}

// await reads answers for nsp until n came, the session failed, or the
// decision budget passed since sent. Packets for other namespaces and
// events are kept as evidence and skipped.
func (e *env) await(ctx context.Context, c *Check, s session, nsp string, n int,
	sent time.Time) []Observation {
	ctx, cancel := context.WithDeadline(ctx, sent.Add(e.cfg.DecisionBudget))
	defer cancel()
	var out []Observation
	for len(out) < n {
		p, err := s.next(ctx)
		if err != nil {
			return append(out, e.errorObservation(c, err, e.cfg.Now().Sub(sent)))
		}
		e.note(c, DirReceived, string(wire.AppendMessage(nil, p)))
		if p.Namespace != nsp {
			continue
		}
		took := e.cfg.Now().Sub(sent)
		switch p.Type {
		case wire.Connect:
			out = append(out, Observation{Outcome: results.OutcomeAccepted, Decision: took})
		case wire.ConnectError:
			msg, code := connectError(p.Data)
			out = append(out, Observation{Outcome: results.OutcomeRejected, Code: code,
				Message: e.red.text(msg), Decision: took, leak: leaks(msg) || e.red.contains(msg)})
		case wire.Disconnect:
			return append(out, Observation{Outcome: results.OutcomeClosed,
				Code: loadgen.CodeDisconnected, Decision: took})
		}
	}
	return out
}

// errorObservation classifies err as the load generator does and keeps it
// as evidence.
func (e *env) errorObservation(c *Check, err error, took time.Duration) Observation {
	out, code := loadgen.Classify(err)
	e.note(c, DirReceived, "("+string(out)+": "+err.Error()+")")
	return Observation{Outcome: out, Code: code, Decision: took}
}

// connectError reads a CONNECT_ERROR's data: {"message":…,"data":{"code":…}}
// or a bare string (Socket.IO v2 servers).
func connectError(data []byte) (message, code string) {
	var obj struct {
		Message string `json:"message"`
		Data    struct {
			Code string `json:"code"`
		} `json:"data"`
	}
	if json.Unmarshal(data, &obj) == nil && obj.Message != "" {
		code = obj.Data.Code
		if code == "" {
			code = obj.Message
		}
		return obj.Message, code
	}
	var s string
	if json.Unmarshal(data, &s) == nil {
		return s, s
	}
	return string(data), ""
}

// evidenceRequest records the opening request of x: transport, query and
// header names with redacted values.
func (e *env) evidenceRequest(c *Check, x exchange) {
	text := "open " + string(x.transport)
	if len(x.query) > 0 {
		text += " ?" + x.query.Encode()
	}
	for k, vs := range x.header {
		for _, v := range vs {
			text += " | " + k + ": " + v
		}
	}
	e.note(c, DirSent, text)
}

// note appends a frame of evidence, redacted and clipped. Evidence is
// bounded: past maxEvidence frames the rest is counted, not kept.
func (e *env) note(c *Check, dir, text string) {
	const maxEvidence = 12
	switch {
	case len(c.Evidence) < maxEvidence:
		c.Evidence = append(c.Evidence, Frame{Dir: dir, Text: e.red.text(text)})
	case len(c.Evidence) == maxEvidence:
		c.Evidence = append(c.Evidence, Frame{Dir: dir, Text: "… (more frames not kept)"})
	}
}

// connectFrame is the Engine.IO message of a CONNECT to nsp with payload
// written as given (nil for none).
func connectFrame(nsp string, payload []byte) []byte {
	return packetFrame('0', nsp, "", payload)
}

// packetFrame builds "4<type>[<nsp>,][<id>]<data>" by hand, so data can be
// anything, malformed on purpose.
func packetFrame(typ byte, nsp, id string, data []byte) []byte {
	b := []byte{byte(wire.EIOMessage), typ}
	if nsp != "/" {
		b = append(b, nsp...)
		b = append(b, ',')
	}
	b = append(b, id...)
	return append(b, data...)
}

// ms formats a configured duration for findings ("2s", "300ms").
func ms(d time.Duration) string { return d.String() }
