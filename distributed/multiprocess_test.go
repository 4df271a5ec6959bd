package distributed_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/distributed"
	"github.com/gatecrash/gatecrash/results"
)

// TestRun_ThreeWorkerProcesses: a coordinator and three worker processes on
// loopback run one open schedule; the merged result counts exactly the
// schedule's handshakes, its histograms are the exact merge of the workers'
// own, every matrix row is right, and the live view saw the whole run.
func TestRun_ThreeWorkerProcesses(t *testing.T) {
	url := startTarget(t)
	sc := testScenario(t, url, "2s", 150) // 300 handshakes
	t.Setenv(workerEnv, "1")
	opts := fastOptions(3)
	opts.Spawn = []string{os.Args[0]}
	var snap func() results.Snapshot
	opts.OnStart = func(s func() results.Snapshot, _ time.Duration) { snap = s }

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := distributed.Run(ctx, sc, opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	r := out.Result
	if r.Meta.Incomplete || len(out.Missing) > 0 {
		t.Fatalf("incomplete (%s), missing %v, workers %+v", r.Meta.IncompleteReason, out.Missing,
			out.Workers)
	}
	if r.Meta.Generator.Planned != 300 || r.Counters.Connections != 300 || r.Meta.Workers != 3 {
		t.Errorf("planned %d, connections %d, workers %d: want 300, 300, 3",
			r.Meta.Generator.Planned, r.Counters.Connections, r.Meta.Workers)
	}
	var own []*results.Result
	for _, w := range out.Workers {
		if w.Status != distributed.StatusDone || w.Result == nil {
			t.Fatalf("worker %+v not done", w.Share)
		}
		if w.Result.Counters.Connections != w.Planned {
			t.Errorf("share %d: %d connections, want its %d", w.Share.Index,
				w.Result.Counters.Connections, w.Planned)
		}
		own = append(own, w.Result)
	}
	checkHistogramsAreTheMerge(t, r, own)
	for _, row := range r.Matrix {
		if row.Verdict != results.VerdictOK {
			t.Errorf("%s %s: verdict %s", row.Namespace, row.Kind, row.Verdict)
		}
	}
	if !r.ThresholdsPassed || !r.Security.Passed {
		t.Errorf("thresholds %v security %+v", r.ThresholdsPassed, r.Security)
	}
	if s := snap(); s.Connections != 300 {
		t.Errorf("live view saw %d connections, want 300", s.Connections)
	}
}

// TestRun_WorkerKilledMidRun: one of three worker processes is killed a
// second into the run; the result is marked partial, names the missing
// share, and holds exactly the other two shares.
func TestRun_WorkerKilledMidRun(t *testing.T) {
	url := startTarget(t)
	sc := testScenario(t, url, "3s", 100) // 300 handshakes
	nats, err := distributed.StartServer("")
	if err != nil {
		t.Fatal(err)
	}
	defer nats.Close()
	opts := fastOptions(3)
	opts.Join = nats.URL()
	procs := []*workerProcess{startWorker(t, opts.Join), startWorker(t, opts.Join), startWorker(t, opts.Join)}
	started := make(chan struct{})
	opts.OnStart = func(func() results.Snapshot, time.Duration) { close(started) }
	go func() {
		<-started
		time.Sleep(time.Second)
		_ = procs[1].cmd.Process.Kill() // by PID: the process this test started
	}()

	out, err := distributed.Run(context.Background(), sc, opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	r := out.Result
	if !r.Meta.Incomplete || len(out.Missing) != 1 {
		t.Fatalf("incomplete %v, missing %v: want one missing share", r.Meta.Incomplete, out.Missing)
	}
	lost := out.Missing[0]
	if !strings.Contains(r.Meta.IncompleteReason, "partial") || out.Workers[lost.Index].Status != distributed.StatusLost {
		t.Errorf("reason %q, status %s", r.Meta.IncompleteReason, out.Workers[lost.Index].Status)
	}
	var want int64
	for _, w := range out.Workers {
		if w.Share != lost {
			want += w.Planned
		}
	}
	if r.Counters.Connections != want || r.Meta.Generator.Planned != 300 {
		t.Errorf("connections %d, planned %d: want the other shares' %d of 300",
			r.Counters.Connections, r.Meta.Generator.Planned, want)
	}
	if !containsAny(out.Warnings, "lost") {
		t.Errorf("warnings %q name no lost worker", out.Warnings)
	}
}

// TestRun_VersionMismatchRefused: a worker of another protocol version is
// refused with a clear error, exits non-zero, and the run goes on with a
// worker of the right version.
func TestRun_VersionMismatchRefused(t *testing.T) {
	url := startTarget(t)
	sc := testScenario(t, url, "500ms", 40)
	nats, err := distributed.StartServer("")
	if err != nil {
		t.Fatal(err)
	}
	defer nats.Close()
	opts := fastOptions(1)
	opts.Join = nats.URL()
	old := startWorker(t, opts.Join, protocolEnv+"=99") // retries until the coordinator is up
	done := make(chan struct{})
	var out *distributed.Output
	go func() {
		defer close(done)
		out, err = distributed.Run(context.Background(), sc, opts)
	}()
	select {
	case <-old.exited:
	case <-time.After(20 * time.Second):
		t.Fatal("the worker of another version was not refused")
	}
	if old.err == nil || !strings.Contains(old.out.String(), "protocol version 99") {
		t.Errorf("refused worker exited with %v, said %q", old.err, old.out.String())
	}
	startWorker(t, opts.Join)
	<-done
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(out.Refused) != 1 || !strings.Contains(out.Refused[0], "version 99") {
		t.Errorf("refused %q: want the version-99 worker", out.Refused)
	}
	if out.Result.Counters.Connections != 20 {
		t.Errorf("%d connections, want 20", out.Result.Counters.Connections)
	}
}

// TestWork_VersionMismatchIsErrVersion: in process, the refusal is
// ErrVersion.
func TestWork_VersionMismatchIsErrVersion(t *testing.T) {
	url := startTarget(t)
	sc := testScenario(t, url, "500ms", 10)
	nats, err := distributed.StartServer("")
	if err != nil {
		t.Fatal(err)
	}
	defer nats.Close()
	opts := fastOptions(1)
	opts.Join, opts.JoinTimeout = nats.URL(), 2*time.Second
	go distributed.Run(context.Background(), sc, opts) //nolint:errcheck // times out: no good worker joins
	wo := distributed.WithProtocol(distributed.WorkerOptions{JoinTimeout: 5 * time.Second}, 2)
	_, err = distributed.Work(context.Background(), nats.URL(), wo)
	if !errors.Is(err, distributed.ErrVersion) {
		t.Errorf("err = %v, want ErrVersion", err)
	}
}

func containsAny(ss []string, sub string) bool {
	for _, s := range ss {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
