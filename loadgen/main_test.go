package loadgen

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestMain fails the package when goroutines outlive the tests: every
// connection, reader and pacer the package starts must end.
func TestMain(m *testing.M) {
	if os.Getenv(fakeServerEnv) != "" {
		serveFakeProcess()
		return
	}
	before := runtime.NumGoroutine()
	code := m.Run()
	if code == 0 {
		if leaked := leakedGoroutines(before); leaked != "" {
			fmt.Fprintln(os.Stderr, "goroutines leaked:\n"+leaked)
			code = 1
		}
	}
	os.Exit(code)
}

// leakedGoroutines waits up to 5 s for the goroutine count to fall back to
// base and returns the stacks of the extra ones if it does not.
func leakedGoroutines(base int) string {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if runtime.NumGoroutine() <= base {
			return ""
		}
		time.Sleep(20 * time.Millisecond)
	}
	buf := make([]byte, 1<<20)
	stacks := string(buf[:runtime.Stack(buf, true)])
	var out []string
	for g := range strings.SplitSeq(stacks, "\n\n") {
		if strings.Contains(g, "gatecrash/loadgen") || strings.Contains(g, "gorilla") {
			out = append(out, g)
		}
	}
	return strings.Join(out, "\n\n")
}
