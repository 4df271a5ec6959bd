package runner_test

import (
	"context"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/internal/runner"
	"github.com/gatecrash/gatecrash/interop"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/scenarios"
)

// embeddedYAML is a short scenario over every method and a bad kind of each,
// across the three default namespaces, on both transports.
const embeddedYAML = `
name: runner-test
server:
  profile: %s
  cache:
    jwt: {enabled: true}
namespaces:
  - {name: /, methods: [jwt, session]}
  - {name: /admin, methods: [jwt, session], roles: [admin]}
  - {name: /api, methods: [jwt, apikey]}
credentials:
  identities: 20
  reuse: uniform
  mix:
    - {kind: jwt, weight: 3}
    - {kind: jwt, roles: [admin]}
    - {kind: apikey}
    - {kind: session, place: cookie}
    - {kind: missing}
    - {kind: jwt-expired}
    - {kind: jwt-alg-none}
    - {kind: apikey-revoked}
    - {kind: session-unknown}
load:
  model: open
  transport: %s
  stages:
    - {duration: 1500ms, rate: 100}
  timeout: 5s
`

func parse(t *testing.T, yaml string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Parse("test.yaml", []byte(yaml))
	if err != nil {
		t.Fatalf("scenario: %v", err)
	}
	return sc
}

func runScenario(t *testing.T, ctx context.Context, sc *scenarios.Scenario) *runner.Output {
	t.Helper()
	out, err := runner.Run(ctx, sc, runner.Options{Version: "test"})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out
}

// checkMatrix fails t for every matrix row whose verdict is not ok.
func checkMatrix(t *testing.T, r *results.Result) {
	t.Helper()
	if len(r.Matrix) == 0 {
		t.Fatal("empty matrix")
	}
	for _, row := range r.Matrix {
		if row.Verdict != results.VerdictOK {
			t.Errorf("%s %s (expect %s): verdict %s, outcomes %v codes %v",
				row.Namespace, row.Kind, row.Expect, row.Verdict, row.Outcomes, row.Codes)
		}
	}
}

func TestRun_EmbeddedHardened_EveryRowCorrect(t *testing.T) {
	for _, transport := range []string{"websocket", "polling"} {
		t.Run(transport, func(t *testing.T) {
			sc := parse(t, sprintf(embeddedYAML, "hardened", transport))
			out := runScenario(t, context.Background(), sc)
			r := out.Result
			if !r.Security.Passed || r.Counters.Samples == 0 {
				t.Fatalf("security %+v over %d samples", r.Security, r.Counters.Samples)
			}
			checkMatrix(t, r)
			if r.Meta.Incomplete || !out.Embedded {
				t.Errorf("incomplete %v (%s), embedded %v", r.Meta.Incomplete, r.Meta.IncompleteReason,
					out.Embedded)
			}
			if st, ok := out.Cache["jwt"]; !ok || st.Hits+st.Misses == 0 {
				t.Errorf("jwt cache stats %+v: the scenario caches jwt", st)
			}
		})
	}
}

// TestRun_SeedGap_FalseAcceptsFailSecurity: the seed-gap profile leaves
// /admin open, so the bad credentials the scenario sends there get in, and
// the run's security verdict must say so.
func TestRun_SeedGap_FalseAcceptsFailSecurity(t *testing.T) {
	sc := parse(t, sprintf(embeddedYAML, "seed-gap", "websocket"))
	out := runScenario(t, context.Background(), sc)
	sec := out.Result.Security
	if sec.Passed || sec.FalseAccepts == 0 {
		t.Fatalf("security %+v: want false accepts on the open /admin", sec)
	}
	found := false
	for _, f := range sec.Findings {
		if f.Namespace == "/admin" && f.Verdict == results.VerdictFalseAccept {
			found = true
		}
	}
	if !found {
		t.Errorf("findings %+v: want a false accept on /admin", sec.Findings)
	}
}

// TestRun_CancelKeepsResults: a run cancelled halfway still returns what it
// recorded, marked incomplete.
func TestRun_CancelKeepsResults(t *testing.T) {
	sc := parse(t, sprintf(embeddedYAML, "hardened", "websocket"))
	sc.Load.Stages[0].Duration = time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(1200*time.Millisecond, cancel)
	out := runScenario(t, ctx, sc)
	r := out.Result
	if !r.Meta.Incomplete || r.Counters.Samples == 0 {
		t.Fatalf("incomplete %v with %d samples: want an incomplete result with samples",
			r.Meta.Incomplete, r.Counters.Samples)
	}
	if r.Counters.Samples >= 6000 {
		t.Errorf("%d samples: the run did not stop at cancellation", r.Counters.Samples)
	}
}

// TestRun_NodePeer: the shipped node-peer scenario, shortened, against the
// real Node socket.io server: the same matrix must come out correct, which
// proves the generator speaks the real protocol.
func TestRun_NodePeer(t *testing.T) {
	interop.RequireNode(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sc, err := scenarios.Load("node-peer")
	if err != nil {
		t.Fatal(err)
	}
	node, err := interop.StartNodeServer(ctx, interop.ServerOptions{
		Secret: sc.Credentials.JWT.Secret, Issuer: sc.Credentials.JWT.Issuer,
		Audience: sc.Credentials.JWT.Audience,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer node.Close()
	sc.Target.URL = node.URL()
	sc.Load.Stages = []scenarios.Stage{{Duration: 1500 * time.Millisecond, Rate: 100}}
	out := runScenario(t, ctx, sc)
	if !out.Result.Security.Passed {
		t.Errorf("security %+v", out.Result.Security)
	}
	checkMatrix(t, out.Result)
}

// TestRun_PublicNamespaceNoIdentityCheck: a public namespace admits sockets
// without reading their credentials, so whoami names no credential's
// subject there and must not be checked against one (it was reported as an
// identity mismatch, a false security failure).
func TestRun_PublicNamespaceNoIdentityCheck(t *testing.T) {
	sc := parse(t, `
name: public
namespaces:
  - {name: /, methods: [jwt]}
  - {name: /pub, public: true}
credentials:
  mix: [{kind: jwt}, {kind: missing}, {kind: jwt-expired}]
load:
  model: closed
  vus: 2
  iterations: 40
`)
	out := runScenario(t, context.Background(), sc)
	r := out.Result
	if !r.Security.Passed {
		t.Fatalf("security %+v", r.Security)
	}
	checkMatrix(t, r)
	if r.Counters.IdentityChecked == 0 {
		t.Error("no identity checked: the authenticated namespace / must still be checked")
	}
}
