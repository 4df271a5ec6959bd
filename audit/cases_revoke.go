package audit

import (
	"context"
	"time"

	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/verifiers"
)

// DefaultRevokeBound is how long after a revocation H-03 lets the socket
// live (CASES.md H-03: within an SLA of about 2 s).
const DefaultRevokeBound = 2 * time.Second

// RevokeFunc revokes the credential of method m whose id is id (a session's
// id) on the target: the reference server's admin endpoint
// (internal/admin.Revoke), or a command the user gives.
type RevokeFunc func(ctx context.Context, m verifiers.Method, id string) error

// revokeTasks plans H-03 on every listed namespace when the config has a
// RevokeFunc: a session joins, is revoked, and its socket must end within
// RevokeBound. It needs session material (a store or records); without it
// there is nothing to plan.
//
// Known limit: only sessions are revoked, for their id is the credential
// itself; a JWT's jti and an API key's id are not exposed by creds, so
// revocation of those while connected is not audited.
func (e *env) revokeTasks(ctx context.Context, m *minter) ([]task, error) {
	if e.cfg.Revoke == nil {
		return nil, nil
	}
	k, err := creds.Lookup("session")
	if err != nil {
		return nil, err
	}
	var out []task
	for _, ns := range e.cfg.Namespaces {
		if _, err := m.mint(ctx, k, ns.Roles, verifiers.SourceAuth); err != nil {
			continue // no session material: nothing to revoke
		}
		c := Check{Case: "H-03", Group: GroupLifetime, Namespace: ns.Name, Transport: e.cfg.Transports[0],
			Title: "credential revoked while connected", Expected: "disconnect within " + ms(e.cfg.RevokeBound),
			Kind: k.Name, Where: string(verifiers.SourceAuth)}
		out = append(out, revokeTask(c, m, k, ns.Roles))
	}
	return out, nil
}

// revokeTask mints a fresh session (revoking is destructive, so never one
// another check uses), joins with it, revokes it and waits for the server to
// end the socket; past the bound it sends an event with an ack id, and an
// answer means handlers still run for the revoked credential.
func revokeTask(c Check, m *minter, k creds.Kind, roles []string) task {
	return task{check: c, cost: 2, run: func(ctx context.Context, e *env, c *Check) {
		s, cr := e.joinFresh(ctx, c, m, k, roles, "the session", "be revoked")
		if s == nil {
			return
		}
		defer s.close()
		e.note(c, DirSent, "revoke session ‹redacted›")
		if err := e.cfg.Revoke(ctx, cr.c.Method, cr.c.Value); err != nil {
			c.skip("the revocation failed: " + e.red.text(err.Error()))
			return
		}
		e.mustEnd(ctx, c, s, e.cfg.Now().Add(e.cfg.RevokeBound), "revocation", e.cfg.RevokeBound)
	}}
}
