package audit

import (
	"context"
	"time"

	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/internal/wire"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/verifiers"
)

// lifetimeTasks plans H-01 on every listed namespace, over the first
// configured transport: a JWT that expires ExpiryTTL after minting must not
// keep its socket. It needs a signing key the target trusts; with none
// there is nothing to plan.
func (e *env) lifetimeTasks(ctx context.Context, m *minter) ([]task, error) {
	revoke, err := e.revokeTasks(ctx, m)
	if err != nil || m.foreign {
		return revoke, err
	}
	short := *m
	short.material.TTL, short.byRoles = e.cfg.ExpiryTTL, nil
	k, err := creds.Lookup("jwt")
	if err != nil {
		return nil, err
	}
	var out []task
	for _, ns := range e.cfg.Namespaces {
		c := Check{Case: "H-01", Group: GroupLifetime, Namespace: ns.Name, Transport: e.cfg.Transports[0],
			Title: "credential expires while connected", Expected: "disconnect at expiry (DISC)",
			Kind: k.Name, Where: string(verifiers.SourceAuth)}
		out = append(out, expiryTask(c, &short, k, ns.Roles))
	}
	return append(out, revoke...), nil
}

// expiryTask mints a JWT of kind k for roles that expires ExpiryTTL later
// (minted when the task runs, so a long audit cannot let it expire first),
// joins with it, and waits for the server to end the socket; past expiry +
// ExpiryBound it sends an event with an ack id, and an answer means the
// server still runs handlers for the expired credential.
func expiryTask(c Check, short *minter, k creds.Kind, roles []string) task {
	return task{check: c, cost: 2, run: func(ctx context.Context, e *env, c *Check) {
		exp := e.cfg.Now().Add(e.cfg.ExpiryTTL)
		s, _ := e.joinFresh(ctx, c, short, k, roles, "the short-lived credential", "expire")
		if s == nil {
			return
		}
		defer s.close()
		e.mustEnd(ctx, c, s, exp.Add(e.cfg.ExpiryBound), "expiry", e.cfg.ExpiryBound)
	}}
}

// joinFresh mints a credential of kind k that no other check uses and joins
// the check's namespace with it. When either fails it skips c, naming what
// (the credential) and what could not happen to it, and returns nil.
func (e *env) joinFresh(ctx context.Context, c *Check, m *minter, k creds.Kind, roles []string,
	what, verb string) (session, credential) {
	cr, err := m.mint(ctx, k, roles, verifiers.SourceAuth)
	if err != nil {
		c.skip(what + " could not be minted: " + err.Error())
		return nil, credential{}
	}
	s, _, o := e.join(ctx, c, c.Transport, []credential{cr})
	if s == nil {
		c.Observed = o
		c.skip(what + " was not accepted, so nothing can " + verb)
		return nil, credential{}
	}
	return s, cr
}

// mustEnd passes c when the server ends s before deadline. Otherwise, unless
// the namespace admits anyone (then the event proves nothing), it fails c
// high, the socket having outlived its credential's event (expiry,
// revocation) by more than bound, and probes whether handlers still run.
func (e *env) mustEnd(ctx context.Context, c *Check, s session, deadline time.Time, event string,
	bound time.Duration) {
	if e.awaitEnd(ctx, c, s, deadline) {
		c.Verdict = VerdictPass
		return
	}
	if e.admitsAnyone(ctx, c) {
		c.skip("the namespace admits clients with no credential at all (F-01), so " + event +
			" means nothing")
		return
	}
	c.fail(SeverityHigh, "the socket outlived its credential's "+event+" by more than "+ms(bound))
	e.probeAfterExpiry(ctx, c, s)
}

// awaitEnd reads until the server disconnects the check's namespace or
// closes the session (true), or deadline passes (false).
func (e *env) awaitEnd(ctx context.Context, c *Check, s session, deadline time.Time) bool {
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	start := e.cfg.Now()
	for range maxPollPackets {
		p, err := s.next(ctx)
		if err != nil {
			c.Observed = e.errorObservation(c, err, e.cfg.Now().Sub(start))
			return c.Observed.Outcome != results.OutcomeTimeout
		}
		e.note(c, DirReceived, string(wire.AppendMessage(nil, p)))
		if p.Namespace == c.Namespace && p.Type == wire.Disconnect {
			c.Observed = Observation{Outcome: results.OutcomeClosed, Code: "disconnected",
				Decision: e.cfg.Now().Sub(start)}
			return true
		}
	}
	return false
}

// probeAfterExpiry sends an event with an ack id on the expired socket; an
// answer makes the finding worse: handlers still run for the expired
// credential.
func (e *env) probeAfterExpiry(ctx context.Context, c *Check, s session) {
	f := packetFrame('2', c.Namespace, "7", []byte(`["whoami"]`))
	e.note(c, DirSent, string(f))
	if s.send(f) != nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, min(eventWait, e.cfg.DecisionBudget))
	defer cancel()
	for range maxPollPackets {
		p, err := s.next(ctx)
		if err != nil {
			return
		}
		e.note(c, DirReceived, string(wire.AppendMessage(nil, p)))
		if p.Namespace == c.Namespace && p.Type == wire.Ack {
			c.Finding = "the socket outlived its credential's expiry, and an event sent after it was handled"
			return
		}
	}
}
