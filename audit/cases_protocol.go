package audit

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/gatecrash/gatecrash/internal/wire"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/verifiers"
)

// eventWait is how long F-08 listens for the answer to an event sent before
// CONNECT; silence there is no hole, so the wait is short.
const eventWait = time.Second

// malformed is one auth payload a parser must refuse; tok is the good
// token's JSON string (or "x" without one).
type malformed struct {
	id, title string
	payload   func(tok string) string
}

var malformedPayloads = []malformed{
	{"A-06", "auth payload is a JSON string", func(tok string) string { return tok }},
	{"A-07", "auth payload is an array", func(tok string) string { return "[" + tok + "]" }},
	{"A-08", "auth payload is null", func(string) string { return "null" }},
	// A-09's number is negative on purpose: digits right after the
	// namespace's comma are the packet's ack id ("40/admin,5" is a CONNECT
	// with id 5 and no payload), so "5" would test nothing but A-01.
	{"A-09", "auth payload is a number", func(string) string { return "-5" }},
	{"A-09", "auth payload is a bare word", func(string) string { return "good" }},
	{"A-10", "trailing bytes after an empty auth object", func(string) string { return "{}xyz" }},
}

// protocolTasks plans the raw-frame cases on every listed namespace and
// transport.
func (e *env) protocolTasks(ctx context.Context, m *minter) ([]task, error) {
	var out []task
	for _, ns := range e.cfg.Namespaces {
		crs, err := m.forRoles(ctx, ns.Roles)
		if err != nil {
			return nil, err
		}
		goods := goodsFor(crs, verifiers.SourceAuth)
		good, hasGood := goodFor(crs, verifiers.SourceAuth)
		for _, t := range e.cfg.Transports {
			base := Check{Group: GroupProtocol, Namespace: ns.Name, Transport: t}
			out = append(out, e.malformedTasks(base, good, hasGood)...)
			out = append(out, e.oversizeTask(base), eventFirstTask(base))
			if hasGood {
				out = append(out, duplicateTask(base, goods), pipelineTask(base, good, false),
					pipelineTask(base, good, true))
			}
		}
	}
	if slices.Contains(e.cfg.Transports, WebSocket) {
		out = append(out, e.eio3Tasks(m)...)
	}
	return out, nil
}

// rawTask sends frames on a fresh credential-less session and judges the
// answer for the check's namespace under r.
func rawTask(c Check, frames [][]byte, r rule) task {
	return task{check: c, cost: 1, run: func(ctx context.Context, e *env, c *Check) {
		obs, _ := e.run(ctx, c, exchange{transport: c.Transport, frames: frames, nsp: c.Namespace}, false)
		e.judge(c, obs[0], r)
	}}
}

// refuseRule judges a frame a parser must refuse.
var refuseRule = rule{want: wantRefuse, onAccept: SeverityCritical, accepted: findBadAccepted}

// malformedTasks is A-06..A-10: auth payloads of the wrong JSON type, and
// trailing bytes after the auth object (with no credential, and after a good
// one, where acceptance is the parser differential of CASES.md V3).
func (e *env) malformedTasks(base Check, good credential, hasGood bool) []task {
	tok := `"x"`
	if hasGood {
		b, _ := json.Marshal(good.c.Value) // a string always marshals
		tok = string(b)
	}
	var out []task
	for _, p := range malformedPayloads {
		c := base
		c.Case, c.Title, c.Expected = p.id, p.title, "close or reject"
		out = append(out, rawTask(c, [][]byte{connectFrame(c.Namespace, []byte(p.payload(tok)))}, refuseRule))
	}
	if hasGood {
		c := base
		c.Case, c.Title, c.Expected = "A-10", "trailing bytes after a good auth object", "close (Node semantics)"
		c.Kind, c.Where = good.kind, string(good.where)
		auth := append(append([]byte{}, good.c.Auth()...), "xyz"...)
		out = append(out, rawTask(c, [][]byte{connectFrame(c.Namespace, auth)}, rule{want: wantRefuse,
			onAccept: SeverityInfo, accepted: "trailing bytes after the auth object were ignored " +
				"(a parser differential with Node's socket.io-parser, CASES.md V3)"}))
	}
	return out
}

// oversizeTask is A-14: a CONNECT frame above the usual 1e6-byte cap.
func (e *env) oversizeTask(base Check) task {
	c := base
	c.Case, c.Title, c.Expected = "A-14", "CONNECT frame above the message size cap",
		"close (websocket 1009) or HTTP 413"
	head := connectFrame(c.Namespace, []byte(`{"pad":"`))
	n := max(e.cfg.OversizeBytes-len(head)-2, 0)
	frame := append(append(head, strings.Repeat("a", n)...), `"}`...)
	return rawTask(c, [][]byte{frame}, refuseRule)
}

// duplicateTask is F-06: a second CONNECT, without credential, to a
// namespace the session already joined with a good one.
func duplicateTask(base Check, goods []credential) task {
	c := base
	c.Case, c.Title, c.Expected = "F-06", "second CONNECT without credential to a joined namespace",
		"close (whole client) or reject"
	return task{check: c, cost: len(goods), run: func(ctx context.Context, e *env, c *Check) {
		s, _, o := e.join(ctx, c, c.Transport, goods)
		if s == nil {
			c.Observed = o
			c.skip("no good credential was accepted here, so there is no joined namespace")
			return
		}
		defer s.close()
		f := connectFrame(c.Namespace, []byte("{}"))
		e.note(c, DirSent, string(f))
		if err := s.send(f); err != nil {
			e.judge(c, e.errorObservation(c, err, 0), refuseRule)
			return
		}
		sent := e.cfg.Now()
		e.judge(c, e.await(ctx, c, s, c.Namespace, 1, sent)[0], rule{want: wantRefuse,
			onAccept: SeverityCritical, accepted: findBadAccepted, onSilence: SeverityInfo})
	}}
}

// pipelineTask is F-07: a credential-less CONNECT and a good one to the same
// namespace back to back (reversed when goodFirst), before either is
// answered. Each must get its own answer, and at most one socket may live.
func pipelineTask(base Check, good credential, goodFirst bool) task {
	c := base
	c.Case, c.Expected = "F-07", "one answer per CONNECT, at most one accepted"
	c.Kind, c.Where = good.kind, string(good.where)
	frames := [][]byte{connectFrame(c.Namespace, []byte("{}")), connectFrame(c.Namespace, good.c.Auth())}
	c.Title = "pipelined CONNECTs: missing credential, then good"
	if goodFirst {
		frames[0], frames[1] = frames[1], frames[0]
		c.Title = "pipelined CONNECTs: good, then missing credential"
	}
	return task{check: c, cost: 1, run: func(ctx context.Context, e *env, c *Check) {
		obs, _ := e.run(ctx, c, exchange{transport: c.Transport, frames: frames, nsp: c.Namespace,
			answers: 2}, false)
		judgePipeline(e, c, obs)
	}}
}

// judgePipeline judges F-07's answers.
func judgePipeline(e *env, c *Check, obs []Observation) {
	accepted := 0
	for _, o := range obs {
		if o.Outcome == results.OutcomeAccepted {
			accepted++
		}
	}
	last := obs[len(obs)-1]
	switch {
	case accepted >= 2:
		c.Observed = last
		c.fail(SeverityHigh, "both pipelined CONNECTs were accepted: two live sockets on one namespace, "+
			"one of them presented no credential")
	case last.Outcome == results.OutcomeTimeout:
		e.judge(c, last, rule{want: wantRefuse})
	default:
		c.Observed, c.Verdict = last, VerdictPass
	}
}

// eventFirstTask is F-08: an EVENT with an ack id on a namespace the client
// never joined. An answer means the server ran a handler for a client it
// never authenticated there.
func eventFirstTask(base Check) task {
	c := base
	c.Case, c.Title, c.Expected = "F-08", "event before CONNECT", "close"
	frame := packetFrame('2', c.Namespace, "1", []byte(`["whoami"]`))
	return task{check: c, cost: 1, run: func(ctx context.Context, e *env, c *Check) {
		e.evidenceRequest(c, exchange{transport: c.Transport})
		s, err := e.dial(ctx, c.Transport, nil, nil)
		if err != nil {
			e.judge(c, e.errorObservation(c, err, 0), refuseRule)
			return
		}
		defer s.close()
		e.note(c, DirSent, string(frame))
		if err := s.send(frame); err != nil {
			e.judge(c, e.errorObservation(c, err, 0), refuseRule)
			return
		}
		sent := e.cfg.Now()
		judgeEventFirst(ctx, e, c, s, sent)
	}}
}

// judgeEventFirst reads what follows an event sent before CONNECT.
func judgeEventFirst(ctx context.Context, e *env, c *Check, s session, sent time.Time) {
	ctx, cancel := context.WithTimeout(ctx, min(eventWait, e.cfg.DecisionBudget))
	defer cancel()
	for range maxPollPackets {
		p, err := s.next(ctx)
		if err != nil {
			o := e.errorObservation(c, err, e.cfg.Now().Sub(sent))
			c.Observed, c.Verdict = o, VerdictPass
			if o.Outcome == results.OutcomeTimeout {
				c.fail(SeverityInfo, "the event was ignored, not refused: the session stayed open")
			}
			return
		}
		e.note(c, DirReceived, string(wire.AppendMessage(nil, p)))
		if p.Namespace == c.Namespace && p.Type == wire.ConnectError {
			msg, code := connectError(p.Data)
			c.Observed = Observation{Outcome: results.OutcomeRejected, Code: code, Message: e.red.text(msg),
				Decision: e.cfg.Now().Sub(sent)}
			c.Verdict = VerdictPass
			return
		}
		if p.Namespace == c.Namespace && (p.Type == wire.Ack || p.Type == wire.Event) {
			c.Observed = Observation{Outcome: results.OutcomeAccepted, Decision: e.cfg.Now().Sub(sent)}
			c.fail(SeverityHigh, "an event was handled on a namespace the client never joined")
			return
		}
	}
}
