package gatecrash_test

import (
	"context"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/internal/overhead"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/scenarios"
	"github.com/gatecrash/gatecrash/verifiers"
)

// handshakeVUs is the concurrency of BenchmarkHandshake's closed model:
// enough to keep both sides busy on two cores without queueing for long.
const handshakeVUs = 8

// BenchmarkHandshake measures whole authenticated handshakes end to end over
// loopback: the embedded reference server and the loadgen client in this
// process, websocket, CONNECT to "/" with the method's credential, whoami
// checked. One op is one handshake of a closed model (handshakeVUs users);
// minting and server start are outside the timer. Reported: handshakes/s,
// p99 of the CONNECT phase in µs, and process CPU per handshake in µs (server
// and generator together: compare variants, the generator's share is the
// same in each). none/public is the baseline on a public namespace.
func BenchmarkHandshake(b *testing.B) {
	base, err := overhead.DefaultBase()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("none/public", func(b *testing.B) { benchHandshake(b, base, overhead.None) })
	methods := []overhead.Variant{
		{Method: verifiers.MethodJWT},
		{Method: verifiers.MethodJWT, Alg: "RS256"},
		{Method: verifiers.MethodAPIKey},
		{Method: verifiers.MethodSession},
	}
	for _, v := range methods {
		name := string(v.Method)
		if v.Alg != "" {
			name += "-rs256"
		}
		for _, cached := range []bool{false, true} {
			v.Cached = cached
			b.Run(name+"/"+map[bool]string{false: "uncached", true: "cached"}[cached], func(b *testing.B) {
				benchHandshake(b, base, v)
			})
		}
	}
}

func benchHandshake(b *testing.B, base *scenarios.Scenario, v overhead.Variant) {
	sc := *base
	sc.Load.Model, sc.Load.Stages = scenarios.ModelClosed, nil
	sc.Load.VUs, sc.Load.Iterations, sc.Load.Duration = handshakeVUs, int64(b.N), 0
	b.ReportAllocs()
	b.StopTimer()
	m, err := overhead.Measure(context.Background(), &sc, v, overhead.RunOptions{
		OnStart: func(func() results.Snapshot, time.Duration) { b.StartTimer() },
	})
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if m.Accepted != int64(b.N) {
		b.Fatalf("%d of %d handshakes accepted; outcomes %v", m.Accepted, b.N, m.Result.Counters.Outcomes)
	}
	b.ReportMetric(m.Rate(), "handshakes/s")
	b.ReportMetric(float64(m.Connect().P99), "p99-connect-µs")
	b.ReportMetric(float64(m.CPUPerHandshake().Nanoseconds())/1e3, "cpu-µs/handshake")
}
