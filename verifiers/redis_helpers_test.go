package verifiers

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/internal/redistest"
)

// redisBackend runs the case tables against the Redis stores, each test
// with its own key prefix on the binary's shared redis-server.
var redisBackend = backend{
	name: "redis",
	keys: func(t *testing.T, clock func() time.Time) KeyStore {
		return newTestRedis(t, redistest.Shared(t), RedisOptions{Clock: clock}).KeyStore()
	},
	sessions: func(t *testing.T, clock func() time.Time) SessionStore {
		return newTestRedis(t, redistest.Shared(t), RedisOptions{Clock: clock}).SessionStore()
	},
	denylist: func(t *testing.T, clock func() time.Time) revocableDenylist {
		r := newTestRedis(t, redistest.Shared(t), RedisOptions{Clock: clock})
		return testRedisDenylist{RedisDenylist: r.Denylist(), t: t}
	},
}

// testRedisDenylist gives RedisDenylist the error-free Revoke of the tests.
type testRedisDenylist struct {
	*RedisDenylist
	t *testing.T
}

func (d testRedisDenylist) Revoke(jti string, until time.Time) {
	if err := d.RedisDenylist.Revoke(context.Background(), jti, until); err != nil {
		d.t.Errorf("revoke jti: %v", err)
	}
}

var testPrefixes atomic.Uint64

// newTestRedis connects to srv under a prefix no other test uses (unless
// opts sets one), waits for the revocation feed and closes the connection
// when the test ends.
func newTestRedis(t testing.TB, srv *redistest.Server, opts RedisOptions) *Redis {
	t.Helper()
	if opts.Prefix == "" {
		opts.Prefix = fmt.Sprintf("gctest:%d:", testPrefixes.Add(1))
	}
	r, err := OpenRedis(srv.URL(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	return r
}
