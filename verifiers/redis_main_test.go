package verifiers

import (
	"os"
	"testing"

	"github.com/gatecrash/gatecrash/internal/redistest"
)

// TestMain stops the redis-server that the Redis backend's tests share
// (redistest.Shared) once every test has run.
func TestMain(m *testing.M) { os.Exit(redistest.Main(m)) }
