//go:build unix

package server

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/server/internal/rawio"
	"github.com/gatecrash/gatecrash/verifiers"
)

// BenchmarkHandshake measures full loopback handshakes (websocket dial,
// Engine.IO open, namespace CONNECT and its answer, close) against the
// server, with no authentication and with each verifier. The client runs in
// the same process, so cpu-us/handshake counts both sides: compare cases to
// see the cost authentication adds.
func BenchmarkHandshake(b *testing.B) {
	key, err := verifiers.NewHMACKey("HS256", "k1", []byte(strings.Repeat("s", 32)))
	if err != nil {
		b.Fatal(err)
	}
	jv, err := verifiers.NewJWT(verifiers.JWTConfig{Keys: []verifiers.VerificationKey{key.VerificationKey()},
		Issuer: testIssuer, Audiences: []string{testAudience}})
	if err != nil {
		b.Fatal(err)
	}
	cached, err := verifiers.NewCached(Instrument(jv), verifiers.CacheConfig{})
	if err != nil {
		b.Fatal(err)
	}
	defer cached.Close()
	tok, err := key.Sign(verifiers.NewClaims("alice", testIssuer, []string{testAudience}, nil, time.Now(), time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	jwtOnly := Policy{Namespaces: []NamespacePolicy{{Name: "/", Methods: []verifiers.Method{"jwt"}}}}
	cases := []struct {
		name   string
		policy Policy
		v      verifiers.Verifier
	}{
		{name: "public", policy: Policy{Namespaces: []NamespacePolicy{{Name: "/", Public: true}}}},
		{name: "fake", policy: jwtOnly, v: &fakeVerifier{method: verifiers.MethodJWT,
			ids: map[string]verifiers.Identity{tok: {Subject: "alice"}}}},
		{name: "jwt-hs256", policy: jwtOnly, v: jv},
		{name: "jwt-hs256-cached", policy: jwtOnly, v: cached},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			cfg := Config{Policy: bc.policy, Verifiers: map[verifiers.Method]verifiers.Verifier{}}
			if bc.v != nil {
				cfg.Verifiers[verifiers.MethodJWT] = bc.v
			}
			s, err := New(cfg)
			if err != nil {
				b.Fatal(err)
			}
			if err := s.Listen("127.0.0.1:0"); err != nil {
				b.Fatal(err)
			}
			defer func() { _ = s.Close() }()
			benchHandshakes(b, s.URL(), `{"token":"`+tok+`"}`)
		})
	}
}

func benchHandshakes(b *testing.B, url, auth string) {
	b.ReportAllocs()
	cpu0 := cpuTime()
	start := time.Now()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			c, err := rawio.Dial(ctx, url, rawio.Options{Transport: rawio.WebSocket})
			if err != nil {
				b.Error(err)
				return
			}
			a, err := c.Connect(ctx, "/", auth)
			c.Close()
			if err != nil || !a.Accepted {
				b.Errorf("connect: %+v %v", a, err)
				return
			}
		}
	})
	b.StopTimer()
	elapsed := time.Since(start)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "handshakes/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-us/handshake")
}

// cpuTime is the process's user plus system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
