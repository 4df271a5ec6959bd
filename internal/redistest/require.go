package redistest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// Binary is the name of the server executable looked up in PATH.
const Binary = "redis-server"

// ErrNotInstalled is returned by Available when redis-server is not in PATH.
var ErrNotInstalled = errors.New("redistest: redis-server not found in PATH")

// Available returns the path of redis-server, or ErrNotInstalled.
func Available() (string, error) {
	path, err := exec.LookPath(Binary)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrNotInstalled, err)
	}
	return path, nil
}

// Require returns the path of redis-server. Where it is missing the test
// fails when the CI environment variable is set (CI must run every test)
// and is skipped otherwise.
func Require(tb testing.TB) string {
	tb.Helper()
	path, err := Available()
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		tb.Fatalf("redis-server is required under CI: %v; run `make test-setup`", err)
	}
	tb.Skipf("redis-server unavailable (%v); run `make test-setup` to install it", err)
	return ""
}
