package audit

import (
	"context"
	"errors"

	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/verifiers"
)

// queryRefs are the CASES.md rows of a credential in the query string, per
// method.
var queryRefs = map[verifiers.Method][]string{
	verifiers.MethodJWT:     {"G-05"},
	verifiers.MethodAPIKey:  {"G-05", "D-07"},
	verifiers.MethodSession: {"G-05"},
}

// findQueryAccepted explains G-05's finding and the policy it may be.
const findQueryAccepted = "a credential in the query string of the handshake URL was honoured: URLs " +
	"reach access logs, proxies and browser history. If query credentials are a deliberate policy, " +
	"every log and proxy on the way must redact them"

// inQuery mints one good credential per method for roles, travelling in the
// query string ("?token=", "?api_key=", "?session_id="). With no key the
// target trusts, a JWT proves nothing there and is left out.
func (m *minter) inQuery(ctx context.Context, roles []string) ([]credential, error) {
	var out []credential
	seen := map[verifiers.Method]bool{}
	for _, k := range m.kinds {
		if !k.Valid || seen[k.Method] || (m.foreign && k.Method == verifiers.MethodJWT) {
			continue
		}
		cr, err := m.mint(ctx, k, roles, verifiers.SourceQuery)
		if errors.Is(err, creds.ErrNoMaterial) || errors.Is(err, creds.ErrPlacement) {
			continue
		}
		if err != nil {
			return nil, err
		}
		seen[k.Method] = true
		out = append(out, cr)
	}
	return out, nil
}

// queryTask is G-05 (D-07): a good credential only in the query string, a
// CONNECT with no auth. Refusing it passes; honouring it is medium (a leak,
// not a forgery). A namespace open to anyone proves nothing.
func queryTask(base Check, cr credential) task {
	c := base
	c.Case, c.Refs, c.Title = "G-05", queryRefs[cr.c.Method], "credential in the query string"
	c.Expected = "reject (policy: query credentials leak to logs)"
	c.Kind, c.Where = cr.kind, string(verifiers.SourceQuery)
	return task{check: c, cost: 2, run: func(ctx context.Context, e *env, c *Check) {
		h, q, _ := cr.handshake()
		obs, _ := e.run(ctx, c, exchange{transport: c.Transport, header: h, query: q,
			frames: [][]byte{connectFrame(c.Namespace, nil)}, nsp: c.Namespace}, false)
		e.judge(c, obs[0], rule{want: wantReject, onAccept: SeverityMedium, accepted: findQueryAccepted})
		if c.Observed.Outcome == results.OutcomeAccepted && e.admitsAnyone(ctx, c) {
			c.skip("the namespace admits clients with no credential at all (F-01), so the case proves nothing")
		}
	}}
}
