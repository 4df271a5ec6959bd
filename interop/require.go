package interop

import (
	"os"
	"testing"
)

// RequireNode skips tb when the Node peers cannot run (NodeAvailable), with a
// message naming `make test-setup`. When the environment variable CI is set it
// fails tb instead: CI installs the peers, so their absence there is a broken
// setup, not a reason to pass quietly.
func RequireNode(tb testing.TB) {
	tb.Helper()
	err := NodeAvailable()
	if err == nil {
		return
	}
	if os.Getenv("CI") != "" {
		tb.Fatalf("Node peers unavailable under CI: %v", err)
	}
	tb.Skipf("Node peers unavailable (%v); run `make test-setup` to install them", err)
}
