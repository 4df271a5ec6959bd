package loadgen_test

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/gatecrash/gatecrash/interop"
	"github.com/gatecrash/gatecrash/loadgen"
	"github.com/gatecrash/gatecrash/results"
)

// interopSecret is a test secret for a loopback Node server, never a real one.
const interopSecret = "gatecrash-loadgen-interop"

func mintHS256(t *testing.T, sub string, roles []string, exp time.Duration) string {
	t.Helper()
	now := time.Now()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub": sub, "iss": "gatecrash", "aud": "gatecrash", "roles": roles,
		"iat": now.Unix(), "exp": now.Add(exp).Unix(),
	}).SignedString([]byte(interopSecret))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func authJSON(t *testing.T, token string) []byte {
	b, err := json.Marshal(map[string]string{"token": token})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// memSink collects samples.
type memSink struct {
	mu sync.Mutex
	s  []results.Sample
}

func (m *memSink) Record(s results.Sample) {
	m.mu.Lock()
	m.s = append(m.s, s)
	m.mu.Unlock()
}

// TestNodeServerInterop runs the generator against the real socket.io v4
// server of interop/node, on both transports: F-01 for good, admin, expired
// and forged tokens on every namespace, the token in AUTH and in the
// handshake's Authorization header (G-03), with the whoami identity check.
func TestNodeServerInterop(t *testing.T) {
	interop.RequireNode(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	srv, err := interop.StartNodeServer(ctx, interop.ServerOptions{Secret: interopSecret})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	user := mintHS256(t, "alice", []string{"user"}, time.Hour)
	admin := mintHS256(t, "root", []string{"admin"}, time.Hour)
	expired := mintHS256(t, "alice", nil, -time.Hour)
	forged := user[:len(user)-2] + "xx"
	conn := func(nsp, kind, tok string, want results.Expect, sub string) loadgen.Connect {
		return loadgen.Connect{Namespace: nsp, Auth: authJSON(t, tok), Kind: kind, Expect: want, Subject: sub}
	}
	accept, reject := results.ExpectAccept, results.ExpectReject
	for _, tr := range []loadgen.Transport{loadgen.WebSocket, loadgen.PollingUpgrade} {
		t.Run(tr.String(), func(t *testing.T) {
			hss := []loadgen.Handshake{
				{Transport: tr, Namespaces: []loadgen.Connect{
					conn("/", "user", user, accept, "alice"), conn("/admin", "user", user, reject, ""),
					conn("/api", "user", user, accept, "alice")}},
				{Transport: tr, Namespaces: []loadgen.Connect{conn("/admin", "admin", admin, accept, "root")}},
				{Transport: tr, Namespaces: []loadgen.Connect{
					conn("/", "expired", expired, reject, ""), conn("/api", "forged", forged, reject, "")}},
				{Transport: tr, Header: http.Header{"Authorization": {"Bearer " + user}},
					Namespaces: []loadgen.Connect{
						{Namespace: "/api", Kind: "header", Expect: accept, Subject: "alice"}}},
			}
			var sink memSink
			plan := loadgen.Plan{URL: srv.URL(), Handshakes: hss, AckEvent: "whoami",
				Timeout: 5 * time.Second, Model: loadgen.Closed{VUs: 2, Iterations: 8}}
			if _, err := loadgen.Run(ctx, plan, &sink); err != nil {
				t.Fatal(err)
			}
			checkInterop(t, sink.s)
		})
	}
}

func checkInterop(t *testing.T, got []results.Sample) {
	t.Helper()
	wantCode := map[string]string{"user": "forbidden", "expired": "expired", "forged": "bad_signature"}
	if len(got) != 2*7 {
		t.Fatalf("%d samples, want 14", len(got))
	}
	for _, s := range got {
		switch s.Expect {
		case results.ExpectAccept:
			if s.Outcome != results.OutcomeAccepted || !s.IdentityChecked || !s.IdentityOK {
				t.Errorf("%s on %s: %+v", s.Kind, s.Namespace, s)
			}
		case results.ExpectReject:
			if s.Outcome != results.OutcomeRejected || s.Code != wantCode[s.Kind] {
				t.Errorf("%s on %s: outcome %s code %q", s.Kind, s.Namespace, s.Outcome, s.Code)
			}
		}
	}
}
