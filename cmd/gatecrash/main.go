// Command gatecrash load-tests and verifies authenticated Socket.IO: it runs
// scenarios of handshakes with good and bad credentials against the embedded
// reference server or any Socket.IO server, and reports who got in, who did
// not, and what each phase of the handshake cost.
//
// main is a thin shell: everything happens in run, which takes its arguments
// and writers so it can be tested.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/redis/go-redis/v9"
)

func main() {
	redis.SetLogger(quietRedisLogger{})
	ctx, stop := signalContext(os.Stderr)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// signalContext returns a context cancelled by the first SIGINT or SIGTERM,
// which makes a run wind down and write its results. The first signal
// also restores the default handling, so a second one ends the process at
// once, should winding down hang.
func signalContext(stderr io.Writer) (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	context.AfterFunc(ctx, func() {
		stop()
		fmt.Fprintln(stderr, "gatecrash: interrupted: writing what was collected (interrupt again to quit now)")
	})
	return ctx, stop
}

// exitCode prints err (if any) and maps it to the documented exit codes.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return ExitPassed
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "gatecrash:", ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "gatecrash:", err)
	return ExitError
}
