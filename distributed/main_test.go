package distributed_test

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"testing"

	"github.com/gatecrash/gatecrash/distributed"
)

// workerEnv makes the test binary a worker process: the multi-process tests
// start this binary with it set and "--join URL" as arguments.
const (
	workerEnv   = "GATECRASH_TEST_WORKER"
	protocolEnv = "GATECRASH_TEST_PROTOCOL"
)

func TestMain(m *testing.M) {
	if os.Getenv(workerEnv) != "" {
		os.Exit(workerMain(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// workerMain runs one worker process, as `gatecrash worker --join URL` does.
func workerMain(args []string) int {
	if len(args) != 2 || args[0] != "--join" {
		fmt.Fprintf(os.Stderr, "worker: want --join URL, got %q\n", args)
		return 2
	}
	opts := distributed.WorkerOptions{Version: "test"}
	if p := os.Getenv(protocolEnv); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, "worker:", err)
			return 2
		}
		opts = distributed.WithProtocol(opts, n)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if _, err := distributed.Work(ctx, args[1], opts); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		return 1
	}
	return 0
}
