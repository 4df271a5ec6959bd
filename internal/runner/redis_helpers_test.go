package runner_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gatecrash/gatecrash/internal/redistest"
	"github.com/gatecrash/gatecrash/internal/runner"
	"github.com/gatecrash/gatecrash/internal/wire"
	"github.com/gatecrash/gatecrash/loadgen"
	"github.com/gatecrash/gatecrash/verifiers"
)

// TestMain stops the shared redis-server after the tests. go-redis's global
// logger would print every refused dial of the outage tests; they are
// expected.
func TestMain(m *testing.M) {
	redis.SetLogger(quietLogger{})
	os.Exit(redistest.Main(m))
}

type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}

// startRedisRef starts a reference server whose stores are in the Redis at
// url under prefix, with every method cached, its admin endpoint on and
// its audit log in audit (nil: none).
func startRedisRef(t *testing.T, url, prefix string, mod func(*runner.ReferenceConfig)) *runner.Reference {
	t.Helper()
	cache := verifiers.CacheConfig{MaxTTL: time.Minute}
	cfg := runner.ReferenceConfig{
		Issuer: "gatecrash", Audience: "gatecrash",
		Redis: &runner.RedisConfig{URL: url, Options: verifiers.RedisOptions{Prefix: prefix}},
		Cache: map[verifiers.Method]verifiers.CacheConfig{
			verifiers.MethodJWT: cache, verifiers.MethodAPIKey: cache, verifiers.MethodSession: cache,
		},
		Admin: true,
	}
	cfg.Server.MetricsAddr = "127.0.0.1:0"
	if mod != nil {
		mod(&cfg)
	}
	ref, err := runner.StartReference(cfg)
	if err != nil {
		t.Fatalf("StartReference: %v", err)
	}
	t.Cleanup(func() { ref.Close() })
	return ref
}

// material mints the credentials of the tests in a reference's stores.
type material struct {
	apiKey, keyID, sessionID, token, jti string
}

func mint(t *testing.T, ref *runner.Reference) material {
	t.Helper()
	ctx := testContext(t)
	m := ref.Material
	key, rec, err := verifiers.NewAPIKey(ctx, m.KeyStore, verifiers.APIKeySpec{Env: m.APIKeyEnv,
		Subject: "svc", Roles: []string{"api"}})
	if err != nil {
		t.Fatalf("NewAPIKey: %v", err)
	}
	sess, err := m.Sessions.Create(ctx, "alice", nil, time.Hour, 8*time.Hour)
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	claims := verifiers.NewClaims("bob", m.Issuer, []string{m.Audience}, nil, time.Now(), time.Hour)
	tok, err := m.Keys[0].Sign(claims)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return material{apiKey: key, keyID: rec.ID, sessionID: sess.ID, token: tok, jti: claims.ID}
}

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func authJSON(field, value string) []byte {
	b, _ := json.Marshal(map[string]string{field: value})
	return b
}

// connect opens a websocket session to ref and CONNECTs nsp with auth. It
// returns the open connection when accepted, else the rejection code.
func connect(t *testing.T, ref *runner.Reference, nsp string, auth []byte) (*loadgen.Conn, string) {
	t.Helper()
	ctx := testContext(t)
	c, err := loadgen.Dial(ctx, ref.Server.URL(), &loadgen.Handshake{Transport: loadgen.WebSocket}, nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	if _, err := c.Connect(ctx, nsp, auth); err != nil {
		c.Close()
		var ce *loadgen.ConnectError
		if errors.As(err, &ce) {
			return nil, ce.Code
		}
		t.Fatalf("connect %s: %v", nsp, err)
	}
	t.Cleanup(func() { c.Close() })
	return c, ""
}

// mustConnect connects and fails the test unless accepted.
func mustConnect(t *testing.T, ref *runner.Reference, nsp string, auth []byte) *loadgen.Conn {
	t.Helper()
	c, code := connect(t, ref, nsp, auth)
	if c == nil {
		t.Fatalf("connect %s: rejected %q, want accepted", nsp, code)
	}
	return c
}

// waitDisconnected reads c until the server disconnects nsp (a DISCONNECT
// packet or the session closing), failing after a bound.
func waitDisconnected(t *testing.T, c *loadgen.Conn, nsp string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		p, err := c.ReadPacket(ctx)
		if ctx.Err() != nil {
			t.Fatalf("%s: still connected after 5 s", nsp)
		}
		if err != nil || p.Type == wire.Disconnect && p.Namespace == nsp {
			return
		}
	}
}

// eventually polls cond every 10 ms for up to 5 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s: not within 5 s", what)
}
