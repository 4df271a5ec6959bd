package runner_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/internal/runner"
)

// TestRun_Shares_AddUpToTheWhole: three shares of an open schedule start
// exactly the schedule's handshakes between them, each its own share.
func TestRun_Shares_AddUpToTheWhole(t *testing.T) {
	sc := parse(t, sprintf(embeddedYAML, "hardened", "websocket"))
	sc.Load.Stages[0].Duration = 500 * time.Millisecond // 50 handshakes at 100/s
	const shares = 3
	var planned, started int64
	for k := range shares {
		out, err := runner.Run(context.Background(), sc, runner.Options{
			Share: creds.Share{Index: k, Count: shares},
		})
		if err != nil {
			t.Fatalf("share %d: %v", k, err)
		}
		g := out.Result.Meta.Generator
		if want := int64(creds.Share{Index: k, Count: shares}.Len(50)); g.Planned != want ||
			g.Started != want {
			t.Errorf("share %d: planned %d, started %d, want %d", k, g.Planned, g.Started, want)
		}
		checkMatrix(t, out.Result)
		planned += g.Planned
		started += out.Result.Counters.Connections
	}
	if planned != 50 || started != 50 {
		t.Errorf("shares planned %d and connected %d, want 50 each", planned, started)
	}
}

// TestRun_Shares_EmptyShareRefused: a share with no users is an error, not a
// silently smaller run.
func TestRun_Shares_EmptyShareRefused(t *testing.T) {
	sc := parse(t, sprintf(embeddedYAML, "hardened", "websocket"))
	sc.Load.Model, sc.Load.VUs, sc.Load.Iterations = "closed", 2, 10
	_, err := runner.Run(context.Background(), sc, runner.Options{Share: creds.Share{Index: 2, Count: 3}})
	if !errors.Is(err, runner.ErrEmptyShare) {
		t.Errorf("err = %v, want ErrEmptyShare", err)
	}
}
