package loadgen

import (
	"context"
	"encoding/json"
	"net/netip"
	"time"

	"github.com/gatecrash/gatecrash/results"
)

// attempt runs handshakes and turns them into samples. It holds what every
// handshake of a run shares.
type attempt struct {
	dialer   *Dialer
	timeout  time.Duration
	ackArgs  []byte // raw EVENT args of the first acknowledged event; nil = none
	late     time.Duration
	runStart time.Time
	now      func() time.Time
}

// start is one scheduled handshake.
type start struct {
	hs       *Handshake
	intended time.Time
	local    netip.Addr
}

// run performs the handshake s, appends one sample per namespace to dst and
// returns the connection when keep is set and every namespace was accepted
// (the caller then owns it). When ctx is cancelled (not timed out) the
// handshake's samples are dropped: a cut-short handshake says nothing about
// the server.
func (a *attempt) run(ctx context.Context, s start, keep bool,
	dst []results.Sample) ([]results.Sample, *Conn) {
	began := a.now()
	hctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()

	base := results.Sample{Offset: s.intended.Sub(a.runStart)}
	base.Phases[results.PhaseWait] = max(began.Sub(s.intended), 0)
	base.Late = base.Phases[results.PhaseWait] > a.late
	c, t, err := a.dialer.dial(hctx, s.hs, s.local)
	base.Phases[results.PhaseDial], base.Phases[results.PhaseTLS] = t.Dial, t.TLS
	base.Phases[results.PhaseUpgrade], base.Phases[results.PhaseOpen] = t.Upgrade, t.Open
	n := len(dst)
	allOK := err == nil
	for i := range s.hs.Namespaces {
		sm, cerr := a.namespace(hctx, c, err, &s.hs.Namespaces[i], base, began)
		if i == 0 {
			sm.ConnFirst = true
		} else {
			clearConnPhases(&sm)
		}
		allOK = allOK && sm.Outcome == results.OutcomeAccepted && sm.Code == ""
		if _, rejected := cerr.(*ConnectError); cerr != nil && !rejected && err == nil {
			err = cerr // the session is gone: later namespaces get the same outcome
		}
		dst = append(dst, sm)
	}
	if ctx.Err() != nil {
		allOK = false
		dst = dst[:n]
	}
	if c != nil && !(keep && allOK) {
		c.Close()
		c = nil
	}
	return dst, c
}

// namespace connects one namespace (unless sessErr says the session is
// already over) and runs the first acknowledged event on acceptance.
func (a *attempt) namespace(ctx context.Context, c *Conn, sessErr error, ns *Connect,
	base results.Sample, began time.Time) (results.Sample, error) {
	sm := base
	sm.Namespace, sm.Kind, sm.Expect = normNamespace(ns.Namespace), ns.Kind, ns.Expect
	err := sessErr
	if err == nil {
		t0 := a.now()
		_, err = c.Connect(ctx, ns.Namespace, ns.Auth)
		sm.Phases[results.PhaseConnect] = a.now().Sub(t0)
	}
	sm.Outcome, sm.Code = Classify(err)
	if err == nil && a.ackArgs != nil {
		a.firstAck(ctx, c, ns, &sm)
	}
	sm.Phases[results.PhaseService] = a.now().Sub(began)
	sm.Phases[results.PhaseTotal] = sm.Phases[results.PhaseService] + sm.Phases[results.PhaseWait]
	return sm, err
}

// firstAck emits the ack event on an accepted namespace and checks the
// subject it names. A failed ack wait leaves the outcome accepted (the
// CONNECT was) and says why in Code ("ack_timeout", "ack_closed", ...).
func (a *attempt) firstAck(ctx context.Context, c *Conn, ns *Connect, sm *results.Sample) {
	t0 := a.now()
	ack, err := c.EmitWithAck(ctx, ns.Namespace, a.ackArgs)
	if err != nil {
		out, code := Classify(err)
		sm.Code = "ack_" + string(out)
		if code != "" {
			sm.Code += ":" + code
		}
		return
	}
	sm.Phases[results.PhaseFirstAck] = a.now().Sub(t0)
	if ns.Subject != "" {
		sm.IdentityChecked = true
		sm.IdentityOK = ackSubject(ack) == ns.Subject
	}
}

// ackSubject returns the "sub" field of the ack's first argument, "" when
// there is none: the reference server and the Node peer both answer whoami
// with {"sub", "method", "nsp"}. A server answering otherwise fails the
// identity check.
func ackSubject(ack []byte) string {
	var args []struct {
		Sub string `json:"sub"`
	}
	if json.Unmarshal(ack, &args) != nil || len(args) == 0 {
		return ""
	}
	return args[0].Sub
}

func clearConnPhases(sm *results.Sample) {
	for _, p := range []results.Phase{results.PhaseWait, results.PhaseDial, results.PhaseTLS,
		results.PhaseUpgrade, results.PhaseOpen} {
		sm.Phases[p] = 0
	}
}
