package interop_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/gatecrash/gatecrash/interop"
	"github.com/gatecrash/gatecrash/loadgen"
	"github.com/gatecrash/gatecrash/results"
)

// BenchmarkClientCPU measures, in one run against the same Node socket.io
// server, the CPU one authenticated handshake (websocket, CONNECT with a JWT,
// whoami with ack, close) costs Node's socket.io-client (loadclient.js) and
// gatecrash's generator, and reports the ratio. The server runs in its own
// process, so each client's CPU is its own. b.N handshakes for each client.
//
//	go test -run '^$' -bench ClientCPU -benchtime 3000x ./interop
func BenchmarkClientCPU(b *testing.B) {
	interop.RequireNode(b)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	srv, err := interop.StartNodeServer(ctx, interop.ServerOptions{
		Secret: testSecret, Issuer: testIssuer, Audience: testAudience,
	})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	tok, err := signBench(goodClaimsBench("bench-user"))
	if err != nil {
		b.Fatal(err)
	}
	const concurrency = 16

	b.ResetTimer()
	nodeCPU, err := nodeClientCPU(ctx, srv.URL(), tok, b.N, concurrency)
	if err != nil {
		b.Fatal(err)
	}
	ourCPU, err := gatecrashClientCPU(ctx, srv.URL(), tok, b.N, concurrency)
	if err != nil {
		b.Fatal(err)
	}
	b.StopTimer()

	b.ReportMetric(nodeCPU, "node-cpu-µs/hs")
	b.ReportMetric(ourCPU, "gatecrash-cpu-µs/hs")
	b.ReportMetric(nodeCPU/ourCPU, "node/gatecrash")
}

// nodeClientCPU runs loadclient.js and returns its CPU per handshake, in µs.
func nodeClientCPU(ctx context.Context, url, tok string, n, c int) (float64, error) {
	cmd := exec.CommandContext(ctx, "node", filepath.Join(interop.NodeDir(), "loadclient.js"),
		"--url", url, "--token", tok, "--count", fmt.Sprint(n), "--concurrency", fmt.Sprint(c))
	out, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("loadclient.js: %w", err)
	}
	var r struct {
		Handshakes, Failed int
		CPU                float64 `json:"cpu_us"`
	}
	if err := json.Unmarshal(out, &r); err != nil {
		return 0, fmt.Errorf("loadclient.js output %q: %w", out, err)
	}
	if r.Failed > 0 || r.Handshakes != n {
		return 0, fmt.Errorf("loadclient.js: %d of %d handshakes, %d failed", r.Handshakes, n, r.Failed)
	}
	return r.CPU / float64(n), nil
}

// gatecrashClientCPU runs the same handshakes with the load generator (a
// closed model of c users) and returns its CPU per handshake, in µs.
func gatecrashClientCPU(ctx context.Context, url, tok string, n, c int) (float64, error) {
	auth, _ := json.Marshal(map[string]string{"token": tok})
	plan := loadgen.Plan{
		URL:      url,
		Model:    loadgen.Closed{VUs: c, Iterations: n},
		AckEvent: "whoami",
		Handshakes: []loadgen.Handshake{{Namespaces: []loadgen.Connect{{
			Namespace: "/", Auth: auth, Kind: "jwt", Expect: results.ExpectAccept, Subject: "bench-user",
		}}}},
	}
	var sink countSink
	rep, err := loadgen.Run(ctx, plan, &sink)
	if err != nil {
		return 0, err
	}
	if ok := sink.ok.Load(); ok != int64(n) {
		return 0, fmt.Errorf("gatecrash: %d of %d handshakes accepted with the right identity", ok, n)
	}
	return float64(rep.CPU.Microseconds()) / float64(n), nil
}

// countSink counts accepted handshakes whose identity checked out.
type countSink struct{ ok atomic.Int64 }

func (s *countSink) Record(sm results.Sample) {
	if sm.Outcome == results.OutcomeAccepted && sm.IdentityOK {
		s.ok.Add(1)
	}
}

func goodClaimsBench(sub string) jwt.MapClaims {
	now := time.Now()
	return jwt.MapClaims{
		"sub": sub, "iss": testIssuer, "aud": testAudience,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	}
}

func signBench(claims jwt.MapClaims) (string, error) {
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(testSecret))
}
