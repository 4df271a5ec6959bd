package server

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/server/internal/rawio"
)

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestAudit_OneLinePerDecision_A15: each decision writes one JSON line with
// the documented fields; credentials never appear, even when they carry CR
// LF and a forged JSON line.
func TestAudit_OneLinePerDecision_A15(t *testing.T) {
	var buf syncBuffer
	s := start(t, Config{AuditLog: slog.New(slog.NewJSONHandler(&buf, nil))})
	injected := `jwt-x\r\n{\"msg\":\"handshake\",\"outcome\":\"accepted\"}`
	c := dial(t, s, rawio.WebSocket, nil)
	checkAnswer(t, c, "/", `{"token":"jwt-user"}`, "ok")
	checkAnswer(t, c, "/admin", `{"token":"`+injected+`"}`, "bad_signature")
	checkAnswer(t, c, "/api", "", "missing")

	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(buf.String()))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("audit line is not JSON: %q", sc.Text())
		}
		if m["msg"] == "handshake" {
			lines = append(lines, m)
		}
	}
	if len(lines) != 3 {
		t.Fatalf("%d handshake lines, want 3:\n%s", len(lines), buf.String())
	}
	for _, k := range []string{"time", "namespace", "method", "transport", "subject", "outcome",
		"reason", "remote", "verify", "fingerprint"} {
		if _, ok := lines[0][k]; !ok {
			t.Errorf("audit line lacks %q: %v", k, lines[0])
		}
	}
	if lines[0]["subject"] != "alice" || lines[0]["outcome"] != "accepted" || lines[0]["transport"] != "websocket" {
		t.Errorf("accepted line: %v", lines[0])
	}
	if lines[1]["reason"] != "bad_signature" || lines[1]["fingerprint"] == "" {
		t.Errorf("rejected line: %v", lines[1])
	}
	for _, secret := range []string{"jwt-user", "jwt-x"} {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("audit log contains the credential %q", secret)
		}
	}
}

// TestMetrics_Endpoints: /metrics counts decisions by namespace, method,
// outcome and reason; /healthz answers; pprof is off unless asked.
func TestMetrics_Endpoints(t *testing.T) {
	s := start(t, Config{MetricsAddr: "127.0.0.1:0"})
	c := dial(t, s, rawio.Polling, nil)
	checkAnswer(t, c, "/", `{"token":"jwt-user"}`, "ok")
	checkAnswer(t, c, "/admin", `{"token":"jwt-user"}`, "forbidden")

	base := "http://" + s.MetricsAddr().String()
	body := get(t, base+"/metrics", http.StatusOK)
	for _, want := range []string{
		`gatecrash_handshakes_total{method="jwt",namespace="/",outcome="accepted",reason=""} 1`,
		`gatecrash_handshakes_total{method="jwt",namespace="/admin",outcome="rejected",reason="forbidden"} 1`,
		`gatecrash_verify_seconds_count{cache="uncached",method="jwt"} 2`,
		`gatecrash_connected_sockets 1`,
		`process_cpu_seconds_total`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if got := get(t, base+"/healthz", http.StatusOK); got != "ok\n" {
		t.Errorf("/healthz = %q", got)
	}
	get(t, base+"/debug/pprof/", http.StatusNotFound)
}

func get(t *testing.T, url string, status int) string {
	t.Helper()
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("GET %s: %d, want %d", url, resp.StatusCode, status)
	}
	return string(b)
}

// TestTLS_SelfSigned: wss:// and https:// polling with a self-signed
// certificate the client trusts explicitly.
func TestTLS_SelfSigned(t *testing.T) {
	s := start(t, Config{TLS: &TLSConfig{SelfSigned: true}})
	if !strings.HasPrefix(s.URL(), "https://127.0.0.1:") {
		t.Fatalf("URL %q, want https://127.0.0.1:port", s.URL())
	}
	pool := x509.NewCertPool()
	pool.AddCert(s.Certificate())
	for _, tr := range transports {
		t.Run(string(tr), func(t *testing.T) {
			c, err := rawio.Dial(testCtx(t), s.URL(), rawio.Options{Transport: tr, TLS: &tls.Config{RootCAs: pool}})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			checkAnswer(t, c, "/api", `{"apiKey":"key-good"}`, "ok")
		})
	}
}

// TestMetrics_PprofWhenAsked: pprof is served on the metrics listener only
// with Config.Pprof.
func TestMetrics_PprofWhenAsked(t *testing.T) {
	s := start(t, Config{MetricsAddr: "127.0.0.1:0", Pprof: true})
	if body := get(t, "http://"+s.MetricsAddr().String()+"/debug/pprof/", http.StatusOK); !strings.Contains(body, "goroutine") {
		t.Errorf("pprof index lacks goroutine profile")
	}
}
