package scenarios

import (
	"slices"
	"time"

	"github.com/goccy/go-yaml/ast"

	"github.com/gatecrash/gatecrash/verifiers"
)

// Revoke is the revoke block: measure the revocation lag across servers
// sharing the embedded server's Redis. Count API keys are probed on every
// server and on every namespace accepting API keys, then revoked through the
// first server At after the clock starts; each server's time to reject them
// and to disconnect their held sockets is the lag.
type Revoke struct {
	// At is when the keys are revoked, from the start of the load.
	At time.Duration
	// Count is the number of API keys revoked (default 20).
	Count int
	// Servers is the number of servers sharing the Redis, the embedded one
	// included (default 2).
	Servers int
	// ProbeEvery is the pause between one prober's CONNECTs, the rejection
	// lag's resolution (default 5ms).
	ProbeEvery time.Duration
	// Bound is how long after the revocation a server may keep accepting a
	// key before it counts as not rejected (default 10s).
	Bound time.Duration
}

// Revoke block defaults and limits.
const (
	DefaultRevokeCount      = 20
	DefaultRevokeServers    = 2
	DefaultRevokeProbeEvery = 5 * time.Millisecond
	DefaultRevokeBound      = 10 * time.Second
	// MaxRevokeCount and MaxRevokeServers bound the probers: each key holds
	// two sockets per server and namespace.
	MaxRevokeCount   = 1000
	MaxRevokeServers = 16
	// MinRevokeProbeEvery keeps one prober from flooding its server.
	MinRevokeProbeEvery = time.Millisecond
	// MaxRevokeBound is the longest wait for a rejection.
	MaxRevokeBound = 10 * time.Minute
)

func (d *decoder) revoke(n ast.Node, path string) *Revoke {
	r := &Revoke{}
	d.mapping(n, path, []field{
		{"at", func(v ast.Node, p string) { r.At, _ = d.duration(v, p) }},
		{"count", func(v ast.Node, p string) { r.Count = d.count(v, p, MaxRevokeCount) }},
		{"servers", func(v ast.Node, p string) { r.Servers = d.count(v, p, MaxRevokeServers) }},
		{"probe_every", func(v ast.Node, p string) { r.ProbeEvery, _ = d.duration(v, p) }},
		{"bound", func(v ast.Node, p string) { r.Bound, _ = d.duration(v, p) }},
	})
	return r
}

// validateRevoke fills the block's defaults and checks it runs where it
// means something: on the embedded server (the lag needs the admin power to
// revoke and more servers started beside it), with server.redis (servers
// share revocations only through Redis; in memory each would be alone), and
// with a namespace accepting API keys (the revoked credentials).
func (d *decoder) validateRevoke(s *Scenario) {
	r := s.Revoke
	if r == nil {
		return
	}
	switch {
	case s.Target != nil:
		d.problemAt("revoke", "needs the embedded server: it cannot go with a target")
	case s.Server == nil || s.Server.Redis == nil:
		d.problemAt("revoke", "needs server.redis: servers share revocations only through Redis")
	case !slices.ContainsFunc(s.Namespaces, acceptsAPIKey):
		d.problemAt("revoke", "needs a namespace accepting apikey without roles: the revoked credentials are API keys")
	}
	setIfZero(&r.Count, DefaultRevokeCount)
	setIfZero(&r.Servers, DefaultRevokeServers)
	setIfZero(&r.ProbeEvery, DefaultRevokeProbeEvery)
	setIfZero(&r.Bound, DefaultRevokeBound)
	if !d.has("revoke.at") || r.At <= 0 {
		d.problemAt(cmpOr(pathIf(d.has("revoke.at"), "revoke.at"), "revoke"), "needs at > 0 (when to revoke)")
	} else if planned := s.Load.PlannedDuration(); planned > 0 && r.At >= planned {
		d.problemAt("revoke.at", "%s is not before the load's end (%s)", r.At, planned)
	}
	if r.ProbeEvery < MinRevokeProbeEvery {
		d.problemAt("revoke.probe_every", "must be at least %s", MinRevokeProbeEvery)
	}
	if r.Bound > MaxRevokeBound {
		d.problemAt("revoke.bound", "must be at most %s", MaxRevokeBound)
	}
}

// acceptsAPIKey: the namespace takes an API key with no roles, which is
// what the lag mints.
func acceptsAPIKey(ns Namespace) bool {
	return !ns.Public && len(ns.Roles) == 0 && slices.Contains(ns.Methods, verifiers.MethodAPIKey)
}

// RevokeNamespaces are the namespaces the revoke block probes: those
// accepting an API key with no roles. With server.policy they are read from
// the scenario's namespaces, not the policy file: a policy that disagrees
// makes the probes fail before the revocation, and the run with them.
func (s *Scenario) RevokeNamespaces() []string {
	var out []string
	for _, ns := range s.Namespaces {
		if acceptsAPIKey(ns) {
			out = append(out, ns.Name)
		}
	}
	return out
}

func setIfZero[T int | time.Duration](v *T, def T) {
	if *v == 0 {
		*v = def
	}
}
