package audit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strings"
)

// task is one planned check: its description, the handshakes it opens, and
// how it runs.
type task struct {
	check Check
	cost  int
	run   func(ctx context.Context, e *env, c *Check)
}

// credentialTask presents cr on nsp over t in one CONNECT and judges the
// answer under r.
func credentialTask(c Check, cr credential, r rule) task {
	c.Kind, c.Where, c.Refs = cr.kind, string(cr.where), cr.refs
	return task{check: c, cost: 1, run: func(ctx context.Context, e *env, c *Check) {
		h, q, auth := cr.handshake()
		obs, _ := e.run(ctx, c, exchange{transport: c.Transport, header: h, query: q,
			frames: [][]byte{connectFrame(c.Namespace, auth)}, nsp: c.Namespace}, false)
		e.judge(c, obs[0], r)
	}}
}

// badRule judges a credential that must be refused.
var badRule = rule{want: wantReject, onAccept: SeverityCritical, accepted: findBadAccepted}

// namespaceTasks plans F-01 and C-16 on every listed namespace and F-03/F-09
// on namespaces nobody listed.
func (e *env) namespaceTasks(ctx context.Context, m *minter) ([]task, error) {
	var out []task
	for _, ns := range e.cfg.Namespaces {
		crs, err := m.forRoles(ctx, ns.Roles)
		if err != nil {
			return nil, err
		}
		for _, t := range e.cfg.Transports {
			out = append(out, matrixTasks(ns.Name, t, crs)...)
		}
		if len(ns.Roles) == 0 {
			continue
		}
		plain, err := m.forRoles(ctx, nil)
		if err != nil {
			return nil, err
		}
		for _, t := range e.cfg.Transports {
			out = append(out, roleTasks(ns, t, plain)...)
		}
	}
	unlisted, err := e.unlistedTasks(ctx, m)
	return append(out, unlisted...), err
}

// matrixTasks is F-01 on one namespace and transport: every credential.
func matrixTasks(nsp string, t Transport, crs []credential) []task {
	var out []task
	for _, cr := range crs {
		c := Check{Case: "F-01", Group: GroupNamespaces, Namespace: nsp, Transport: t}
		if cr.good {
			c.Title, c.Expected = "good credential", "accept"
			out = append(out, credentialTask(c, cr, rule{want: wantAccept}))
			continue
		}
		c.Title, c.Expected = "missing or bad credential", "reject (CONNECT_ERROR)"
		out = append(out, credentialTask(c, cr, rule{want: wantReject, onAccept: cr.onAccept,
			accepted: cr.accepted}))
	}
	return out
}

// roleTasks is C-16: good credentials without the namespace's roles.
func roleTasks(ns Namespace, t Transport, plain []credential) []task {
	var out []task
	for _, cr := range plain {
		if !cr.good {
			continue
		}
		c := Check{Case: "C-16", Group: GroupNamespaces, Namespace: ns.Name, Transport: t,
			Title:    "valid credential without the role " + strings.Join(ns.Roles, ", "),
			Expected: "reject (CONNECT_ERROR)"}
		out = append(out, credentialTask(c, cr, rule{want: wantReject, onAccept: SeverityCritical,
			accepted: "a credential without the required role was accepted"}))
	}
	return out
}

// unlistedTasks probes namespaces nobody listed: an unknown name (F-09),
// spelling variants of the listed ones, and children (F-03). Each is tried
// with no credential (accepted: critical) and with a good one (accepted: the
// server creates or aliases namespaces it was not told about, medium).
func (e *env) unlistedTasks(ctx context.Context, m *minter) ([]task, error) {
	var out []task
	for _, p := range e.unlisted() {
		crs, err := m.forRoles(ctx, p.roles)
		if err != nil {
			return nil, err
		}
		missing := slices.IndexFunc(crs, func(cr credential) bool { return cr.kind == "missing" })
		good, hasGood := goodFor(crs, sources...)
		for _, t := range e.cfg.Transports {
			c := Check{Case: p.id, Group: GroupNamespaces, Namespace: p.name, Transport: t,
				Title: p.title + " (of " + p.of + ")", Expected: "reject (CONNECT_ERROR)"}
			if missing >= 0 {
				out = append(out, credentialTask(c, crs[missing], badRule))
			}
			if hasGood {
				out = append(out, credentialTask(c, good, rule{want: wantRefuse,
					onAccept: SeverityMedium, accepted: "a namespace nobody listed accepted a client"}))
			}
		}
	}
	return out, nil
}

// probeName is a namespace nobody listed.
type probeName struct {
	id, name, title, of string
	roles               []string
}

// unlisted returns the probe namespaces: one unknown name, then the spelling
// variants and a child of each listed namespace other than "/", leaving out
// any that is itself listed.
func (e *env) unlisted() []probeName {
	listed := func(n string) bool {
		return slices.ContainsFunc(e.cfg.Namespaces, func(ns Namespace) bool { return ns.Name == n })
	}
	out := []probeName{{id: "F-09", name: "/gatecrash-audit-" + randomHex(4), title: "unknown namespace",
		of: "nothing"}}
	for _, ns := range e.cfg.Namespaces {
		if ns.Name == "/" {
			continue
		}
		for _, v := range variants(ns.Name) {
			if !listed(v.name) {
				v.of, v.roles = ns.Name, ns.Roles
				out = append(out, v)
			}
		}
	}
	return out
}

// variants are the spellings a router might map onto name: case changes, a
// trailing or doubled slash, and a child (a dynamic namespace's).
func variants(name string) []probeName {
	out := []probeName{
		{id: "F-09", name: strings.ToUpper(name), title: "upper-case spelling"},
		{id: "F-09", name: name + "/", title: "trailing slash"},
		{id: "F-09", name: "/" + name, title: "doubled slash"},
		{id: "F-03", name: name + "/audit-child", title: "child namespace"},
	}
	if len(name) > 1 {
		capital := "/" + strings.ToUpper(name[1:2]) + name[2:]
		out = append(out, probeName{id: "F-09", name: capital, title: "capitalised spelling"})
	}
	seen := map[string]bool{name: true}
	return slices.DeleteFunc(out, func(p probeName) bool {
		dup := seen[p.name]
		seen[p.name] = true
		return dup
	})
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}
