package runner_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gatecrash/gatecrash/internal/admin"
	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/internal/redistest"
	"github.com/gatecrash/gatecrash/internal/runner"
	"github.com/gatecrash/gatecrash/loadgen"
	"github.com/gatecrash/gatecrash/verifiers"
)

// revocationCase is one credential kind: where it connects, how it is
// presented and revoked, and the code a later CONNECT gets.
type revocationCase struct {
	name     string
	nsp      string
	auth     func(material) []byte
	request  func(material) admin.Request
	wantCode string
}

var revocationCases = []revocationCase{
	{name: "apikey", nsp: "/api",
		auth:     func(m material) []byte { return authJSON("apiKey", m.apiKey) },
		request:  func(m material) admin.Request { return admin.Request{Kind: verifiers.MethodAPIKey, ID: m.keyID} },
		wantCode: "revoked"},
	{name: "session", nsp: "/",
		auth:     func(m material) []byte { return authJSON("sessionId", m.sessionID) },
		request:  func(m material) admin.Request { return admin.Request{Kind: verifiers.MethodSession, ID: m.sessionID} },
		wantCode: "unknown"},
	{name: "jwt", nsp: "/",
		auth: func(m material) []byte { return authJSON("token", m.token) },
		request: func(m material) admin.Request {
			return admin.Request{Kind: verifiers.MethodJWT, ID: m.jti, Until: time.Now().Add(2 * time.Hour)}
		},
		wantCode: "revoked"},
}

// TestRedis_TwoServers_RevokeDisconnectsAndRejectsOnBoth (CASES H-03
// across servers): two reference servers share one Redis; a credential
// revoked through either one's admin endpoint disconnects its live sockets
// on both and is rejected by both afterwards, although both had it cached.
func TestRedis_TwoServers_RevokeDisconnectsAndRejectsOnBoth(t *testing.T) {
	rs := redistest.Shared(t)
	for i, tc := range revocationCases {
		for _, via := range []int{0, 1} {
			t.Run(fmt.Sprintf("%s/via-%d", tc.name, via), func(t *testing.T) {
				prefix := fmt.Sprintf("twoservers-%d-%d:", i, via)
				first := startRedisRef(t, rs.URL(), prefix, nil)
				refs := []*runner.Reference{first, startRedisRef(t, rs.URL(), prefix,
					func(c *runner.ReferenceConfig) { c.SigningKeys = first.Material.Keys })}
				m := mint(t, refs[0])
				conns := []*loadgen.Conn{mustConnect(t, refs[0], tc.nsp, tc.auth(m)),
					mustConnect(t, refs[1], tc.nsp, tc.auth(m))}
				mustConnect(t, refs[1], tc.nsp, tc.auth(m)) // a cache hit on the second

				base := "http://" + refs[via].Server.MetricsAddr().String()
				resp, err := admin.Revoke(testContext(t), nil, base, tc.request(m))
				if err != nil {
					t.Fatalf("revoke: %v", err)
				}
				if wantN := map[int]int{0: 1, 1: 2}[via]; resp.Disconnected != wantN {
					t.Errorf("disconnected here = %d, want %d", resp.Disconnected, wantN)
				}
				for i, c := range conns {
					waitDisconnected(t, c, tc.nsp)
					if _, code := connect(t, refs[i], tc.nsp, tc.auth(m)); code != tc.wantCode {
						t.Errorf("server %d after revocation: code %q, want %q", i, code, tc.wantCode)
					}
				}
			})
		}
	}
}

// TestRevoke_MemoryStores: without Redis the admin endpoint revokes in the
// process's own stores and disconnects its sockets; an unknown credential is
// ErrNotFound.
func TestRevoke_MemoryStores(t *testing.T) {
	ref := startRedisRef(t, "", "", func(c *runner.ReferenceConfig) { c.Redis = nil })
	base := "http://" + ref.Server.MetricsAddr().String()
	for _, tc := range revocationCases {
		t.Run(tc.name, func(t *testing.T) {
			m := mint(t, ref)
			c := mustConnect(t, ref, tc.nsp, tc.auth(m))
			resp, err := admin.Revoke(testContext(t), nil, base, tc.request(m))
			if err != nil || resp.Disconnected != 1 {
				t.Fatalf("revoke: %+v, %v; want 1 disconnected", resp, err)
			}
			waitDisconnected(t, c, tc.nsp)
			if _, code := connect(t, ref, tc.nsp, tc.auth(m)); code != tc.wantCode {
				t.Errorf("after revocation: code %q, want %q", code, tc.wantCode)
			}
		})
	}
	for _, req := range []admin.Request{
		{Kind: verifiers.MethodAPIKey, ID: "nosuchkey"},
		{Kind: verifiers.MethodSession, ID: "nosuchsession"},
	} {
		if _, err := admin.Revoke(testContext(t), nil, base, req); !errors.Is(err, admin.ErrNotFound) {
			t.Errorf("revoke unknown %s: err = %v, want ErrNotFound", req.Kind, err)
		}
	}
}

// TestRedis_StartNeedsRedis: a server pointed at a Redis that does not
// answer fails to start within its ready bound, naming the address without
// the password.
func TestRedis_StartNeedsRedis(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	cfg := runner.ReferenceConfig{Redis: &runner.RedisConfig{
		URL: "redis://user:hunter2@" + addr, ReadyTimeout: 300 * time.Millisecond}}
	ref, err := runner.StartReference(cfg)
	if err == nil {
		ref.Close()
		t.Fatal("StartReference succeeded without Redis")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want a deadline", err)
	}
	if msg := err.Error(); !strings.Contains(msg, addr) || strings.Contains(msg, "hunter2") {
		t.Errorf("err = %q: want the address, not the password", msg)
	}
}

// TestRedis_JWTRevokedKind_RejectedByEveryServer (CASES C-18 across
// servers): the jwt-revoked kind minted from one server's material lists
// its jti in the shared Redis, so a second server that never minted it
// rejects it as revoked too, and the jti is in Redis under the prefix.
func TestRedis_JWTRevokedKind_RejectedByEveryServer(t *testing.T) {
	rs := redistest.Shared(t)
	const prefix = "jwt-revoked-kind:"
	first := startRedisRef(t, rs.URL(), prefix, nil)
	second := startRedisRef(t, rs.URL(), prefix,
		func(c *runner.ReferenceConfig) { c.SigningKeys = first.Material.Keys })
	set, err := creds.Mint(testContext(t), first.Material, creds.Plan{
		Identities: 1, Handshakes: 1, Mix: []creds.Spec{{Kind: "jwt-revoked"}},
	})
	if err != nil {
		t.Fatalf("Mint: %v", err)
	}
	c := set.At(0)
	for i, ref := range []*runner.Reference{first, second} {
		if _, code := connect(t, ref, "/", c.Auth()); code != "revoked" {
			t.Errorf("server %d: code %q, want revoked", i, code)
		}
	}
	client := redis.NewClient(&redis.Options{Addr: rs.Addr()})
	defer client.Close()
	keys, err := client.Keys(testContext(t), prefix+"*").Result()
	if err != nil || len(keys) == 0 {
		t.Errorf("keys under %s: %v (%v): the jti is not in Redis", prefix, keys, err)
	}
}
