package loadgen_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/loadgen"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/server"
	"github.com/gatecrash/gatecrash/verifiers"
)

// jwtReference starts the reference server in this process with a real
// HS256 JWT verifier and returns it with n good handshakes on "/", minted
// before any clock starts.
func jwtReference(b *testing.B, n int) (*server.Server, []loadgen.Handshake) {
	key, err := verifiers.NewHMACKey("HS256", "k1", []byte("gatecrash-bench-secret-0123456789"))
	if err != nil {
		b.Fatal(err)
	}
	v, err := verifiers.NewJWT(verifiers.JWTConfig{Issuer: "gatecrash", Audiences: []string{"gatecrash"},
		Keys: []verifiers.VerificationKey{key.VerificationKey()}})
	if err != nil {
		b.Fatal(err)
	}
	s, err := server.New(server.Config{Verifiers: map[verifiers.Method]verifiers.Verifier{
		verifiers.MethodJWT: v, verifiers.MethodAPIKey: v, verifiers.MethodSession: v}})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Listen("127.0.0.1:0"); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	hss := make([]loadgen.Handshake, n)
	for i := range hss {
		sub := fmt.Sprint("user-", i)
		claims := verifiers.NewClaims(sub, "gatecrash", []string{"gatecrash"}, nil, time.Now(), time.Hour)
		tok, err := key.Sign(claims)
		if err != nil {
			b.Fatal(err)
		}
		hss[i] = loadgen.Handshake{Namespaces: []loadgen.Connect{{Namespace: "/", Kind: "jwt",
			Auth: []byte(`{"token":"` + tok + `"}`), Expect: results.ExpectAccept, Subject: sub}}}
	}
	return s, hss
}

// lockedCount counts accepted samples with a confirmed identity, and the
// others.
type lockedCount struct {
	mu        sync.Mutex
	ok, other int64
}

func (c *lockedCount) Record(s results.Sample) {
	c.mu.Lock()
	if s.Outcome == results.OutcomeAccepted && s.IdentityOK {
		c.ok++
	} else {
		c.other++
	}
	c.mu.Unlock()
}

func (c *lockedCount) counts() (ok, other int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ok, c.other
}

// BenchmarkReferenceServer measures sustained authenticated handshakes
// (websocket, CONNECT to "/" with an HS256 JWT, whoami checked) against the
// reference server embedded in this process, generator and server sharing
// the machine: a closed model at full speed, and open models at fixed rates.
func BenchmarkReferenceServer(b *testing.B) {
	for _, m := range []struct {
		name  string
		model loadgen.Model
	}{
		{name: "closed-32", model: loadgen.Closed{VUs: 32, Duration: 3 * time.Second}},
		{name: "open-2000", model: constantRate(2000, 3*time.Second)},
		{name: "open-4000", model: constantRate(4000, 3*time.Second)},
	} {
		b.Run(m.name, func(b *testing.B) {
			s, hss := jwtReference(b, 200)
			for b.Loop() {
				sink := &lockedCount{}
				plan := loadgen.Plan{URL: s.URL(), Handshakes: hss, AckEvent: "whoami",
					Model: m.model, EmbeddedServer: true, Timeout: 5 * time.Second}
				rep, err := loadgen.Run(context.Background(), plan, sink)
				if err != nil {
					b.Fatal(err)
				}
				ok, other := sink.counts()
				b.ReportMetric(float64(ok)/rep.Wall.Seconds(), "ok-handshakes/s")
				b.ReportMetric(float64(other), "not-ok")
				b.ReportMetric(float64(rep.Late), "late")
				b.ReportMetric(float64(rep.Dropped), "dropped")
				b.ReportMetric(float64(rep.CPU)/float64(max(rep.Started, 1)), "cpu-ns/handshake")
			}
		})
	}
}

func constantRate(rate float64, d time.Duration) loadgen.Open {
	return loadgen.Open{Stages: []loadgen.Stage{{From: rate, To: rate, Duration: d}}}
}
