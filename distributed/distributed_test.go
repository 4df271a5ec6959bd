package distributed_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/gatecrash/gatecrash/distributed"
	"github.com/gatecrash/gatecrash/internal/runner"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/scenarios"
	"github.com/gatecrash/gatecrash/server"
	"github.com/gatecrash/gatecrash/verifiers"
)

// testSecret is an HS256 secret for a loopback test server, never a real one.
const testSecret = "gatecrash-distributed-test-secret-loopback-only"

const scenarioYAML = `
name: distributed-test
target: {url: %s}
namespaces:
  - {name: /, methods: [jwt]}
  - {name: /admin, methods: [jwt], roles: [admin]}
credentials:
  identities: 40
  reuse: uniform
  jwt: {secret: %s, issuer: gatecrash, audience: gatecrash}
  mix:
    - {kind: jwt, weight: 3}
    - {kind: jwt, roles: [admin]}
    - {kind: jwt-expired}
    - {kind: jwt-bad-signature}
    - {kind: missing}
load:
  model: open
  stages: [{duration: %s, rate: %d}]
  timeout: 5s
thresholds:
  - error_rate < 1%%
`

// startTarget starts the reference server the workers load, with the
// scenario's secret, on loopback.
func startTarget(t *testing.T) string {
	t.Helper()
	key, err := verifiers.NewHMACKey(verifiers.AlgHS256, "", []byte(testSecret))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := runner.StartReference(runner.ReferenceConfig{
		Server: server.Config{Profile: server.ProfileHardened, Policy: server.Policy{
			Namespaces: []server.NamespacePolicy{
				{Name: "/", Methods: []verifiers.Method{verifiers.MethodJWT}},
				{Name: "/admin", Methods: []verifiers.Method{verifiers.MethodJWT}, Roles: []string{"admin"}},
			},
		}},
		SigningKeys: []*verifiers.SigningKey{key},
		Issuer:      "gatecrash", Audience: "gatecrash",
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ref.Close() })
	return ref.Server.URL()
}

func testScenario(t *testing.T, url, duration string, rate int) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Parse("distributed.yaml", fmt.Appendf(nil, scenarioYAML, url, testSecret, duration, rate))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// workerProcess is a worker started by a test, to kill or to read.
type workerProcess struct {
	cmd    *exec.Cmd
	out    *syncBuffer
	exited chan struct{} // closed when the process has exited, with err set
	err    error
}

// startWorker starts this test binary as a worker process joining url, with
// env added to its environment.
func startWorker(t *testing.T, url string, env ...string) *workerProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], "--join", url)
	cmd.Env = append(append(os.Environ(), workerEnv+"=1"), env...)
	w := &workerProcess{cmd: cmd, out: &syncBuffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = w.out, w.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { w.err = cmd.Wait(); close(w.exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill() // by PID, ours; harmless once exited
		<-w.exited
	})
	return w
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func fastOptions(workers int) distributed.Options {
	return distributed.Options{
		Workers: workers, Version: "test", StartDelay: 300 * time.Millisecond,
		JoinTimeout: 20 * time.Second, LostAfter: 3 * time.Second, AbortGrace: 5 * time.Second,
	}
}

func TestRun_NoTargetRefused(t *testing.T) {
	sc := testScenario(t, "http://127.0.0.1:1", "1s", 10)
	sc.Target = nil
	if _, err := distributed.Run(context.Background(), sc, fastOptions(1)); !errors.Is(err, distributed.ErrNoTarget) {
		t.Errorf("err = %v, want ErrNoTarget", err)
	}
}

// checkHistogramsAreTheMerge verifies, cell by cell and phase by phase, that
// the merged result's histograms hold exactly the workers' own, added count
// for count with the HDR library itself.
func checkHistogramsAreTheMerge(t *testing.T, merged *results.Result, workers []*results.Result) {
	t.Helper()
	type key struct{ ns, kind, outcome, phase string }
	want := map[key]*hdr.Histogram{}
	for _, w := range workers {
		for _, c := range w.Cells {
			for p, pd := range c.Phases {
				k := key{c.Namespace, c.Kind, string(c.Outcome), p}
				if want[k] == nil {
					want[k] = hdr.Import(pd.Histogram.HDR().Export())
					continue
				}
				want[k].Merge(pd.Histogram.HDR())
			}
		}
	}
	got := 0
	for _, c := range merged.Cells {
		for p, pd := range c.Phases {
			k := key{c.Namespace, c.Kind, string(c.Outcome), p}
			w, ok := want[k]
			if !ok || !w.Equals(pd.Histogram.HDR()) {
				t.Errorf("cell %v: merged histogram differs from the workers' merge", k)
			}
			got++
		}
	}
	if got != len(want) {
		t.Errorf("merged result has %d cell phases, the workers %d", got, len(want))
	}
}
