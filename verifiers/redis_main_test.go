package verifiers

import (
	"context"
	"os"
	"testing"

	"github.com/gatecrash/gatecrash/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// TestMain stops the redis-server that the Redis backend's tests share
// (redistest.Shared) once every test has run. go-redis's global logger
// would print every refused dial of the outage tests; they are expected.
func TestMain(m *testing.M) {
	redis.SetLogger(quietLogger{})
	os.Exit(redistest.Main(m))
}

type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}
