package loadgen_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/loadgen"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/server"
	"github.com/gatecrash/gatecrash/verifiers"
)

// tokenVerifier accepts "good:<sub>[:<role>]" and rejects anything else as a
// bad signature: the reference server's policy and wire behaviour are under
// test here, not a verifier.
type tokenVerifier struct {
	method verifiers.Method
	calls  atomic.Int64
}

func (v *tokenVerifier) Method() verifiers.Method { return v.method }

func (v *tokenVerifier) Verify(_ context.Context, c verifiers.Credential) (verifiers.Identity, error) {
	v.calls.Add(1)
	parts := strings.Split(c.Value, ":")
	if len(parts) < 2 || parts[0] != "good" {
		return verifiers.Identity{}, fmt.Errorf("test: %w", verifiers.ReasonBadSignature)
	}
	return verifiers.Identity{Subject: parts[1], Roles: parts[2:], Method: v.method}, nil
}

func startReference(tb testing.TB) *server.Server {
	tb.Helper()
	s, err := server.New(server.Config{Verifiers: map[verifiers.Method]verifiers.Verifier{
		verifiers.MethodJWT:     &tokenVerifier{method: verifiers.MethodJWT},
		verifiers.MethodAPIKey:  &tokenVerifier{method: verifiers.MethodAPIKey},
		verifiers.MethodSession: &tokenVerifier{method: verifiers.MethodSession},
	}})
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.Listen("127.0.0.1:0"); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// referenceHandshakes is F-01 on the reference server: every namespace with
// no, bad and good credentials, a user on /admin (role), and a bearer token
// in the handshake header (G-03).
func referenceHandshakes(tr loadgen.Transport) []loadgen.Handshake {
	accept, reject := results.ExpectAccept, results.ExpectReject
	tok := func(v string) []byte { return []byte(`{"token":"` + v + `"}`) }
	c := func(nsp, kind string, auth []byte, want results.Expect, sub string) loadgen.Connect {
		return loadgen.Connect{Namespace: nsp, Auth: auth, Kind: kind, Expect: want, Subject: sub}
	}
	return []loadgen.Handshake{
		{Transport: tr, Namespaces: []loadgen.Connect{
			c("/", "user", tok("good:alice"), accept, "alice"),
			c("/admin", "user", tok("good:alice"), reject, ""),
			c("/api", "user", tok("good:alice"), accept, "alice")}},
		{Transport: tr, Namespaces: []loadgen.Connect{
			c("/admin", "admin", tok("good:root:admin"), accept, "root")}},
		{Transport: tr, Namespaces: []loadgen.Connect{
			c("/", "missing", nil, reject, ""),
			c("/admin", "forged", tok("forged"), reject, ""),
			c("/api", "missing", []byte(`{}`), reject, "")}},
		{Transport: tr, Header: http.Header{"Authorization": {"Bearer good:bob"}},
			Namespaces: []loadgen.Connect{c("/api", "header", nil, accept, "bob")}},
	}
}

// TestReferenceServer runs the generator against gatecrash's reference
// server on both transports and checks every outcome against its
// expectation, with the whoami identity check.
func TestReferenceServer(t *testing.T) {
	s := startReference(t)
	for _, tr := range []loadgen.Transport{loadgen.WebSocket, loadgen.PollingUpgrade} {
		t.Run(tr.String(), func(t *testing.T) {
			var sink memSink
			plan := loadgen.Plan{URL: s.URL(), Handshakes: referenceHandshakes(tr), AckEvent: "whoami",
				Timeout: 5 * time.Second, Model: loadgen.Closed{VUs: 2, Iterations: 8}}
			if _, err := loadgen.Run(context.Background(), plan, &sink); err != nil {
				t.Fatal(err)
			}
			if len(sink.s) != 2*8 {
				t.Fatalf("%d samples, want 16", len(sink.s))
			}
			for _, sm := range sink.s {
				checkReference(t, sm)
			}
		})
	}
}

func checkReference(t *testing.T, s results.Sample) {
	t.Helper()
	if s.Expect == results.ExpectAccept {
		if s.Outcome != results.OutcomeAccepted || !s.IdentityChecked || !s.IdentityOK {
			t.Errorf("%s on %s: %+v", s.Kind, s.Namespace, s)
		}
		return
	}
	if s.Outcome != results.OutcomeRejected || s.Code == "" {
		t.Errorf("%s on %s: outcome %s code %q", s.Kind, s.Namespace, s.Outcome, s.Code)
	}
}
