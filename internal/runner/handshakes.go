package runner

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/loadgen"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/scenarios"
	"github.com/gatecrash/gatecrash/verifiers"
)

// seed makes runs of one scenario draw the same kinds, identities and
// namespaces in the same order, so two runs compare like for like.
const seed = 0x6761746563726173 // "gatecras"

// maxMinted bounds the credentials minted for a schedule whose length depends
// on the server (a closed model bounded by time): past it, handshakes reuse
// the set from the start, so a "unique" mix stops being unique.
const maxMinted = 200_000

// mixKinds returns the catalogue kind of each mix entry: a valid JWT entry
// with an explicit algorithm becomes that algorithm's kind ("jwt-rs256").
func mixKinds(sc *scenarios.Scenario) []string {
	out := make([]string, len(sc.Credentials.Mix))
	for i, m := range sc.Credentials.Mix {
		out[i] = m.Kind
		if m.Kind == "jwt" && m.Alg != "" && !strings.EqualFold(m.Alg, sc.Credentials.JWT.Alg) {
			out[i] = "jwt-" + strings.ToLower(m.Alg)
		}
	}
	return out
}

// jwtAlgs returns the JWT algorithms the scenario signs with, the default
// one first.
func jwtAlgs(sc *scenarios.Scenario) []string {
	algs := []string{sc.Credentials.JWT.Alg}
	for _, m := range sc.Credentials.Mix {
		if m.Alg != "" && !slices.ContainsFunc(algs, func(a string) bool {
			return strings.EqualFold(a, m.Alg)
		}) {
			algs = append(algs, m.Alg)
		}
	}
	return algs
}

// mintPlan turns the scenario's credentials block into a minting plan for n
// handshakes.
func mintPlan(sc *scenarios.Scenario, n int) creds.Plan {
	kinds := mixKinds(sc)
	specs := make([]creds.Spec, len(sc.Credentials.Mix))
	for i, m := range sc.Credentials.Mix {
		specs[i] = creds.Spec{Kind: kinds[i], Roles: m.Roles, Source: m.Place, Weight: m.Weight}
	}
	return creds.Plan{
		Identities: sc.Credentials.Identities,
		Reuse: creds.Reuse{
			Pattern: creds.Pattern(sc.Credentials.Reuse),
			S:       sc.Credentials.ZipfS,
		},
		Mix:        specs,
		Handshakes: n,
		Seed:       seed,
	}
}

// plannedHandshakes returns how many handshakes to mint credentials for.
func plannedHandshakes(sc *scenarios.Scenario) int {
	n, fixed := sc.Load.PlannedHandshakes()
	if !fixed || n > maxMinted {
		n = maxMinted
	}
	if n < 1 {
		n = 1
	}
	return int(n)
}

// mixEntry finds the mix entry a credential was drawn from: the first entry
// with its kind, roles and place. Two entries alike in all three are the
// same matrix row anyway.
type mixIndex map[string]int

func newMixIndex(sc *scenarios.Scenario) mixIndex {
	kinds := mixKinds(sc)
	idx := mixIndex{}
	for i, m := range sc.Credentials.Mix {
		k := mixKey(kinds[i], m.Roles, m.Place)
		if _, dup := idx[k]; !dup {
			idx[k] = i
		}
	}
	return idx
}

func mixKey(kind string, roles []string, src verifiers.Source) string {
	if src == "" {
		src = verifiers.SourceAuth
	}
	return kind + "\x00" + strings.Join(roles, "\x00") + "\x00" + string(src)
}

// buildHandshakes mints the credentials of the scenario's share from
// material and turns each into a fully specified handshake with its
// expectations. The namespace draws of the handshakes outside the share are
// made too, so each handshake gets the namespace it gets on one machine.
func buildHandshakes(ctx context.Context, sc *scenarios.Scenario, material creds.Config,
	share creds.Share) ([]loadgen.Handshake, error) {
	n := plannedHandshakes(sc)
	set, err := creds.MintShare(ctx, material, mintPlan(sc, n), share)
	if err != nil {
		return nil, fmt.Errorf("minting credentials: %w", err)
	}
	b := newBuilder(sc)
	hs := make([]loadgen.Handshake, 0, set.Len())
	for g := range n {
		if !share.Whole() && g%share.Count != share.Index {
			b.skip()
			continue
		}
		hs = append(hs, b.handshake(set.At(len(hs))))
	}
	return hs, nil
}

// builder turns credentials into handshakes.
type builder struct {
	sc        *scenarios.Scenario
	mix       mixIndex
	policies  []creds.Policy
	weights   []float64
	total     float64
	rng       *rand.Rand
	transport loadgen.Transport
}

func newBuilder(sc *scenarios.Scenario) *builder {
	b := &builder{sc: sc, mix: newMixIndex(sc), rng: rand.New(rand.NewPCG(seed, 1))}
	for _, ns := range sc.Namespaces {
		b.policies = append(b.policies, creds.Policy{
			Methods: ns.Methods, Roles: ns.Roles, Public: ns.Public,
		})
		b.weights = append(b.weights, ns.Weight)
		b.total += ns.Weight
	}
	if sc.Load.Transport == scenarios.TransportPolling {
		b.transport = loadgen.PollingUpgrade
	}
	return b
}

// handshake builds the handshake of one credential: on one namespace drawn by
// weight, or on all of them when the scenario multiplexes.
func (b *builder) handshake(c *creds.Credential) loadgen.Handshake {
	hs := loadgen.Handshake{Transport: b.transport}
	var h http.Header
	var q url.Values
	switch c.Source {
	case verifiers.SourceHeader, verifiers.SourceCookie:
		h = http.Header{}
	case verifiers.SourceQuery:
		q = url.Values{}
	}
	c.Apply(h, q)
	hs.Header, hs.Query = h, q
	if b.sc.Load.Multiplex {
		for i := range b.sc.Namespaces {
			hs.Namespaces = append(hs.Namespaces, b.connect(c, i))
		}
		return hs
	}
	hs.Namespaces = []loadgen.Connect{b.connect(c, b.pickNamespace())}
	return hs
}

// skip makes the draws of a handshake built elsewhere (another share's).
func (b *builder) skip() {
	if !b.sc.Load.Multiplex {
		b.pickNamespace()
	}
}

// connect builds the CONNECT of credential c to namespace i.
func (b *builder) connect(c *creds.Credential, i int) loadgen.Connect {
	ns := b.sc.Namespaces[i]
	entry := b.sc.Credentials.Mix[b.entryOf(c)]
	expect := c.Expect(b.policies[i]).Expect
	if e, ok := entry.Expect[ns.Name]; ok {
		expect = e
	}
	cn := loadgen.Connect{
		Namespace: ns.Name,
		Auth:      c.Auth(),
		Kind:      entry.Label,
		Expect:    expect,
	}
	// The identity check asks whoami who the server says the socket is: only
	// a namespace that authenticates binds the credential's subject. A public
	// one admits the socket without reading its credential.
	if expect == results.ExpectAccept && c.Method != "" && !ns.Public {
		cn.Subject = c.Subject
	}
	return cn
}

func (b *builder) entryOf(c *creds.Credential) int {
	if i, ok := b.mix[mixKey(c.Kind, c.Roles(), c.Source)]; ok {
		return i
	}
	return 0 // unreachable: every credential is drawn from the mix
}

// pickNamespace draws a namespace by weight.
func (b *builder) pickNamespace() int {
	if len(b.weights) == 1 {
		return 0
	}
	x := b.rng.Float64() * b.total
	for i, w := range b.weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(b.weights) - 1
}
