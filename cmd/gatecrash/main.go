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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
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
