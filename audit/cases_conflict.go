package audit

import (
	"context"
	"slices"
	"strings"

	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/verifiers"
)

// conflictRefs are the CASES.md rows a conflicting pair of one method stands
// for: A-12 always, D-09 for API keys, E-09 for sessions.
var conflictRefs = map[verifiers.Method][]string{
	verifiers.MethodJWT:     {"A-12"},
	verifiers.MethodAPIKey:  {"A-12", "D-09"},
	verifiers.MethodSession: {"A-12", "E-09"},
}

// pair is one A-12 case: a session-level credential (header or cookie) and
// an auth one on the same CONNECT, one of them bad; good is the good one, and
// twin a good credential of the bad one's method and place (when there is
// one): the control that the namespace reads the bad one at all.
type pair struct {
	title         string
	session, auth credential
	good, twin    credential
	refs          []string
}

// credentialTasks plans the credentials group on every listed namespace:
// A-12 (D-09, E-09) conflicting credentials over the first transport, and
// G-05 (D-07) credentials in the query string over every transport.
func (e *env) credentialTasks(ctx context.Context, m *minter) ([]task, error) {
	var out []task
	for _, ns := range e.cfg.Namespaces {
		crs, err := m.forRoles(ctx, ns.Roles)
		if err != nil {
			return nil, err
		}
		base := Check{Group: GroupCredentials, Namespace: ns.Name, Transport: e.cfg.Transports[0]}
		for _, p := range conflictPairs(crs) {
			out = append(out, conflictTask(base, p))
		}
		qs, err := m.inQuery(ctx, ns.Roles)
		if err != nil {
			return nil, err
		}
		for _, t := range e.cfg.Transports {
			base.Transport = t
			for _, q := range qs {
				out = append(out, queryTask(base, q))
			}
		}
	}
	return out, nil
}

// conflictPairs builds, per method, a good session-level credential with a
// bad auth one and a bad session-level credential with a good auth one, and
// (CASES.md D-09) a good JWT in auth with a bad API key in the header.
func conflictPairs(crs []credential) []pair {
	var out []pair
	session := []verifiers.Source{verifiers.SourceHeader, verifiers.SourceCookie}
	auth := []verifiers.Source{verifiers.SourceAuth}
	for _, m := range []verifiers.Method{verifiers.MethodJWT, verifiers.MethodAPIKey, verifiers.MethodSession} {
		if g, ok := pick(crs, m, true, session); ok {
			if b, ok := pick(crs, m, false, auth); ok {
				twin, _ := pick(crs, m, true, auth)
				out = append(out, pair{title: "good " + string(g.where) + " + bad auth (" + string(m) + ")",
					session: g, auth: b, good: g, twin: twin, refs: conflictRefs[m]})
			}
		}
		if g, ok := pick(crs, m, true, auth); ok {
			if b, ok := pick(crs, m, false, session); ok {
				twin, _ := pick(crs, m, true, []verifiers.Source{b.where})
				out = append(out, pair{title: "bad " + string(b.where) + " + good auth (" + string(m) + ")",
					session: b, auth: g, good: g, twin: twin, refs: conflictRefs[m]})
			}
		}
	}
	g, okG := pick(crs, verifiers.MethodJWT, true, auth)
	b, okB := pick(crs, verifiers.MethodAPIKey, false, []verifiers.Source{verifiers.SourceHeader})
	if okG && okB {
		twin, _ := pick(crs, verifiers.MethodAPIKey, true, []verifiers.Source{verifiers.SourceHeader})
		out = append(out, pair{title: "good JWT in auth + bad API key in the header", session: b, auth: g,
			good: g, twin: twin, refs: []string{"A-12", "D-09"}})
	}
	return out
}

// pick returns a credential of method m, good or bad, travelling in one of
// wheres. A bad one must be a dead or forged credential (its acceptance
// critical), a revoked one first: the conflict CASES.md names.
func pick(crs []credential, m verifiers.Method, good bool, wheres []verifiers.Source) (credential, bool) {
	var found []credential
	for _, cr := range crs {
		if cr.c.Method != m || cr.good != good || !slices.Contains(wheres, cr.where) {
			continue
		}
		if !good && cr.onAccept != SeverityCritical {
			continue
		}
		found = append(found, cr)
	}
	if len(found) == 0 {
		return credential{}, false
	}
	revoked := func(cr credential) bool { return strings.HasSuffix(cr.kind, "-revoked") }
	if i := slices.IndexFunc(found, revoked); i > 0 {
		return found[i], true
	}
	return found[0], true
}

// conflictRule judges a conflicting pair: it must be rejected.
var conflictRule = rule{want: wantReject, onAccept: SeverityHigh,
	accepted: "a CONNECT presenting a bad credential beside a good one was accepted (not failing closed)"}

// conflictTask presents both credentials of p on one CONNECT. An acceptance
// is high; it is critical when the good credential alone is refused there,
// for then the bad one decided. Two controls can void an acceptance: a
// namespace open to anyone, and one that does not read the bad credential's
// method in its place at all (its good twin is refused alone: a server may
// ignore a header of a method the namespace does not take). Without a twin
// the audit cannot tell the two apart, so the acceptance is set aside with
// that reason rather than reported: a false alarm would fail a correct
// server's CI.
func conflictTask(base Check, p pair) task {
	c := base
	c.Case, c.Refs, c.Title = "A-12", p.refs, "conflicting credentials: "+p.title
	c.Expected = "reject (CONNECT_ERROR): fail closed on any bad credential presented"
	c.Kind, c.Where = p.session.kind+" + "+p.auth.kind, string(p.session.where)+" + auth"
	return task{check: c, cost: 4, run: func(ctx context.Context, e *env, c *Check) {
		h, q, _ := p.session.handshake()
		obs, _ := e.run(ctx, c, exchange{transport: c.Transport, header: h, query: q,
			frames: [][]byte{connectFrame(c.Namespace, p.auth.c.Auth())}, nsp: c.Namespace}, false)
		e.judge(c, obs[0], conflictRule)
		if c.Observed.Outcome != results.OutcomeAccepted {
			return
		}
		if e.admitsAnyone(ctx, c) {
			c.skip("the namespace admits clients with no credential at all (F-01), so the case proves nothing")
			return
		}
		if p.twin.c == nil {
			c.skip("no good credential of the bad one's method to tell whether the namespace " +
				"reads it there (a server may ignore a method it does not take); give such " +
				"material to decide")
			return
		}
		if !e.acceptedAlone(ctx, c, p.twin) {
			c.skip("the namespace does not take a good credential of the bad one's method there, " +
				"so the bad one was rightly ignored")
			return
		}
		if !e.acceptedAlone(ctx, c, p.good) {
			c.fail(SeverityCritical, "a bad credential decided: the good one alone is refused here, "+
				"with the bad one beside it the CONNECT was accepted")
		}
	}}
}

// acceptedAlone reports whether cr alone joins the check's namespace.
func (e *env) acceptedAlone(ctx context.Context, c *Check, cr credential) bool {
	h, q, auth := cr.handshake()
	obs, _ := e.run(ctx, c, exchange{transport: c.Transport, header: h, query: q,
		frames: [][]byte{connectFrame(c.Namespace, auth)}, nsp: c.Namespace}, false)
	return obs[0].Outcome == results.OutcomeAccepted
}
