package interop_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/gatecrash/gatecrash/interop"
)

const (
	testSecret   = "interop-test-secret-0123456789abcdef"
	testIssuer   = "gatecrash-test"
	testAudience = "gatecrash-test-aud"
)

// startServer starts server.js for one test and stops it when the test ends.
func startServer(t *testing.T, mode interop.Mode) *interop.NodeServer {
	t.Helper()
	interop.RequireNode(t)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	srv, err := interop.StartNodeServer(ctx, interop.ServerOptions{
		Secret: testSecret, Issuer: testIssuer, Audience: testAudience, Mode: mode,
	})
	if err != nil {
		t.Fatalf("StartNodeServer: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return srv
}

// goodClaims are valid claims for subject sub with roles.
func goodClaims(sub string, roles ...string) jwt.MapClaims {
	now := time.Now()
	return jwt.MapClaims{
		"sub": sub, "iss": testIssuer, "aud": testAudience, "roles": roles,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	}
}

func sign(t *testing.T, method jwt.SigningMethod, claims jwt.MapClaims, key any) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return tok
}

func hs256(t *testing.T, claims jwt.MapClaims) string {
	return sign(t, jwt.SigningMethodHS256, claims, []byte(testSecret))
}

func runClient(t *testing.T, opts interop.ClientOptions) []interop.ClientEvent {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	events, err := interop.RunNodeClient(ctx, opts)
	if err != nil {
		t.Fatalf("RunNodeClient: %v", err)
	}
	return events
}

// only returns the single outcome line of a one-namespace run.
func only(t *testing.T, events []interop.ClientEvent) interop.ClientEvent {
	t.Helper()
	if len(events) != 1 {
		t.Fatalf("got %d events, want 1: %+v", len(events), events)
	}
	return events[0]
}

func TestNodeServerAcceptsGoodJWTOnEveryNamespace(t *testing.T) {
	srv := startServer(t, interop.ModeAll)
	tok := hs256(t, goodClaims("user-000001", "user", "admin"))
	nsps := []string{"/", "/admin", "/api"}

	events := runClient(t, interop.ClientOptions{
		URL: srv.URL(), Namespaces: nsps, Auth: map[string]any{"token": tok},
	})

	if len(events) != len(nsps) {
		t.Fatalf("got %d events, want %d: %+v", len(events), len(nsps), events)
	}
	for i, e := range events {
		want := interop.Whoami{Sub: "user-000001", Method: "jwt", Namespace: nsps[i]}
		if e.Event != interop.EventConnect || e.Namespace != nsps[i] || e.ID == "" {
			t.Errorf("namespace %s: got %+v, want a connect with a socket id", nsps[i], e)
			continue
		}
		if e.Whoami == nil || *e.Whoami != want {
			t.Errorf("namespace %s: whoami = %+v, want %+v", nsps[i], e.Whoami, want)
		}
	}
}

// TestNodeServerRejectsBadCredentials covers CASES.md A, B and C rows that
// server.js decides, each with the reason code it must send.
func TestNodeServerRejectsBadCredentials(t *testing.T) {
	srv := startServer(t, interop.ModeAll)
	now := time.Now()
	with := func(mod func(jwt.MapClaims)) jwt.MapClaims {
		c := goodClaims("user-000002", "user")
		mod(c)
		return c
	}
	good := hs256(t, goodClaims("user-000002", "user"))
	tests := []struct {
		name    string
		nsp     string
		auth    map[string]any
		message string
		code    string
	}{
		{name: "A-01 missing", nsp: "/", auth: nil, message: "unauthorized", code: "missing"},
		{name: "A-01 missing on /admin", nsp: "/admin", auth: map[string]any{},
			message: "unauthorized", code: "missing"},
		{name: "A-02 empty token", nsp: "/api", auth: map[string]any{"token": ""},
			message: "unauthorized", code: "missing"},
		{name: "A-04 token of wrong type", nsp: "/", auth: map[string]any{"token": 123},
			message: "unauthorized", code: "malformed"},
		{name: "A-13 oversize", nsp: "/", auth: map[string]any{"token": strings.Repeat("a", 9000)},
			message: "unauthorized", code: "too_large"},
		{name: "B-02 malformed", nsp: "/", auth: map[string]any{"token": "not.a-jwt"},
			message: "unauthorized", code: "malformed"},
		{name: "B-04 alg none", nsp: "/",
			auth:    map[string]any{"token": sign(t, jwt.SigningMethodNone, goodClaims("u"), jwt.UnsafeAllowNoneSignatureType)},
			message: "unauthorized", code: "bad_algorithm"},
		{name: "B-06 HS384 when HS256 expected", nsp: "/",
			auth:    map[string]any{"token": sign(t, jwt.SigningMethodHS384, goodClaims("u"), []byte(testSecret))},
			message: "unauthorized", code: "bad_algorithm"},
		{name: "B-07 bad signature", nsp: "/",
			auth:    map[string]any{"token": sign(t, jwt.SigningMethodHS256, goodClaims("u"), []byte("other"))},
			message: "unauthorized", code: "bad_signature"},
		{name: "C-01 expired", nsp: "/", auth: map[string]any{"token": hs256(t, with(func(c jwt.MapClaims) {
			c["exp"] = now.Add(-time.Hour).Unix()
		}))}, message: "unauthorized", code: "expired"},
		{name: "C-04 exp missing", nsp: "/", auth: map[string]any{"token": hs256(t, with(func(c jwt.MapClaims) {
			delete(c, "exp")
		}))}, message: "unauthorized", code: "missing_claim"},
		{name: "C-10 nbf in future", nsp: "/", auth: map[string]any{"token": hs256(t, with(func(c jwt.MapClaims) {
			c["nbf"] = now.Add(time.Hour).Unix()
		}))}, message: "unauthorized", code: "not_yet_valid"},
		{name: "C-11 iat in future", nsp: "/", auth: map[string]any{"token": hs256(t, with(func(c jwt.MapClaims) {
			c["iat"] = now.Add(time.Hour).Unix()
		}))}, message: "unauthorized", code: "not_yet_valid"},
		{name: "C-12 iat missing", nsp: "/", auth: map[string]any{"token": hs256(t, with(func(c jwt.MapClaims) {
			delete(c, "iat")
		}))}, message: "unauthorized", code: "missing_claim"},
		{name: "C-13 wrong issuer", nsp: "/", auth: map[string]any{"token": hs256(t, with(func(c jwt.MapClaims) {
			c["iss"] = "https://evil"
		}))}, message: "unauthorized", code: "wrong_issuer"},
		{name: "C-14 wrong audience", nsp: "/", auth: map[string]any{"token": hs256(t, with(func(c jwt.MapClaims) {
			c["aud"] = "other"
		}))}, message: "unauthorized", code: "wrong_audience"},
		{name: "C-16 role missing for /admin", nsp: "/admin", auth: map[string]any{"token": good},
			message: "forbidden", code: "forbidden"},
		{name: "C-17 roles as a string", nsp: "/admin", auth: map[string]any{"token": hs256(t, with(func(c jwt.MapClaims) {
			c["roles"] = "admin"
		}))}, message: "forbidden", code: "forbidden"},
		{name: "C-17 role in another case", nsp: "/admin", auth: map[string]any{"token": hs256(t, with(func(c jwt.MapClaims) {
			c["roles"] = []string{"Admin"}
		}))}, message: "forbidden", code: "forbidden"},
		{name: "C-21 sub missing", nsp: "/", auth: map[string]any{"token": hs256(t, with(func(c jwt.MapClaims) {
			delete(c, "sub")
		}))}, message: "unauthorized", code: "missing_claim"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := only(t, runClient(t, interop.ClientOptions{
				URL: srv.URL(), Namespaces: []string{tt.nsp}, Auth: tt.auth,
			}))
			if e.Event != interop.EventConnectError || e.Message != tt.message || e.Code() != tt.code {
				t.Errorf("got %s message %q code %q, want connect_error %q code %q",
					e.Event, e.Message, e.Code(), tt.message, tt.code)
			}
		})
	}
}

// TestNodeServerTransportsAndSources covers CASES.md G-03 and G-04: the same
// decision on every transport, and a Bearer header on the handshake request.
func TestNodeServerTransportsAndSources(t *testing.T) {
	srv := startServer(t, interop.ModeAll)
	tok := hs256(t, goodClaims("user-000003", "admin"))
	tests := []struct {
		name      string
		transport interop.Transport
		auth      map[string]any
		headers   map[string]string
		event     string
		code      string
	}{
		{name: "G-04 websocket auth", transport: interop.TransportWebSocket,
			auth: map[string]any{"token": tok}, event: interop.EventConnect},
		{name: "G-04 polling auth", transport: interop.TransportPolling,
			auth: map[string]any{"token": tok}, event: interop.EventConnect},
		{name: "G-04 upgrade auth", transport: interop.TransportUpgrade,
			auth: map[string]any{"token": tok}, event: interop.EventConnect},
		{name: "G-03 websocket header", transport: interop.TransportWebSocket,
			headers: map[string]string{"Authorization": "Bearer " + tok}, event: interop.EventConnect},
		{name: "G-04 polling header", transport: interop.TransportPolling,
			headers: map[string]string{"Authorization": "bearer " + tok}, event: interop.EventConnect},
		{name: "A-12 header and auth disagree", transport: interop.TransportWebSocket,
			auth:    map[string]any{"token": hs256(t, goodClaims("user-000004", "admin"))},
			headers: map[string]string{"Authorization": "Bearer " + tok},
			event:   interop.EventConnectError, code: "conflict"},
		{name: "A-03 header without bearer scheme", transport: interop.TransportPolling,
			headers: map[string]string{"Authorization": "Basic " + tok},
			event:   interop.EventConnectError, code: "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events := runClient(t, interop.ClientOptions{
				URL: srv.URL(), Namespaces: []string{"/admin"}, Auth: tt.auth, Headers: tt.headers,
				Transport: tt.transport,
			})
			if len(events) == 0 {
				t.Fatal("no events")
			}
			e := events[0]
			if e.Event != tt.event || e.Code() != tt.code {
				t.Fatalf("got %+v, want %s code %q", e, tt.event, tt.code)
			}
			if tt.event == interop.EventConnect && (e.Whoami == nil || e.Whoami.Sub != "user-000003") {
				t.Errorf("whoami = %+v, want sub user-000003", e.Whoami)
			}
			if tt.transport == interop.TransportUpgrade {
				last := events[len(events)-1]
				if last.Event != interop.EventUpgrade || last.Transport != "websocket" {
					t.Errorf("last event %+v, want an upgrade to websocket", last)
				}
			}
		})
	}
}

// TestNodeServerMainOnlyLeavesNamespacesOpen reproduces CASES.md V1 / BL-01:
// with auth through io.use only, "/" is guarded and "/admin" is not.
func TestNodeServerMainOnlyLeavesNamespacesOpen(t *testing.T) {
	srv := startServer(t, interop.ModeMainOnly)
	if srv.Mode() != interop.ModeMainOnly {
		t.Fatalf("Mode() = %q", srv.Mode())
	}

	events := runClient(t, interop.ClientOptions{URL: srv.URL(), Namespaces: []string{"/", "/admin"}})

	if len(events) != 2 {
		t.Fatalf("got %d events, want 2: %+v", len(events), events)
	}
	if e := events[0]; e.Event != interop.EventConnectError || e.Code() != "missing" {
		t.Errorf("/: got %+v, want connect_error missing", e)
	}
	if e := events[1]; e.Event != interop.EventConnect {
		t.Errorf("/admin: got %+v, want the hole (connect without credentials)", e)
	}
}

// TestNodeServerEchoAndUnknownNamespace covers the echo event and CASES.md
// F-09 (an unknown namespace is refused, not created).
func TestNodeServerEchoAndUnknownNamespace(t *testing.T) {
	srv := startServer(t, interop.ModeAll)
	tok := hs256(t, goodClaims("user-000005"))
	echo := []any{"ping", 1.0, map[string]any{"b": true}}

	events := runClient(t, interop.ClientOptions{
		URL: srv.URL(), Namespaces: []string{"/api", "/nope"}, Auth: map[string]any{"token": tok},
		Echo: echo, SkipWhoami: true,
	})

	if len(events) != 2 {
		t.Fatalf("got %d events, want 2: %+v", len(events), events)
	}
	got, _ := json.Marshal(events[0].Echo)
	want, _ := json.Marshal(echo)
	if events[0].Event != interop.EventConnect || string(got) != string(want) || events[0].Whoami != nil {
		t.Errorf("/api: got %+v echo %s, want connect, echo %s, no whoami", events[0], got, want)
	}
	if e := events[1]; e.Event != interop.EventConnectError || e.Message != "Invalid namespace" {
		t.Errorf("/nope: got %+v, want connect_error Invalid namespace", e)
	}
}

func TestNodeServerCloseStopsListening(t *testing.T) {
	interop.RequireNode(t)
	srv, err := interop.StartNodeServer(t.Context(), interop.ServerOptions{Secret: testSecret})
	if err != nil {
		t.Fatalf("StartNodeServer: %v", err)
	}
	if !strings.HasPrefix(srv.URL(), "http://127.0.0.1:") || srv.PID() <= 0 {
		t.Fatalf("URL %q PID %d", srv.URL(), srv.PID())
	}

	if err := srv.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := srv.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if c, err := net.DialTimeout("tcp", srv.Addr(), time.Second); err == nil {
		c.Close()
		t.Errorf("dial %s after Close succeeded", srv.Addr())
	}
}

func TestStartNodeServerErrors(t *testing.T) {
	interop.RequireNode(t)
	canceled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		opts interop.ServerOptions
		want error
	}{
		{name: "no secret", ctx: t.Context(), opts: interop.ServerOptions{}},
		{name: "bad mode", ctx: t.Context(), opts: interop.ServerOptions{Secret: "s", Mode: "open"},
			want: interop.ErrPeerFailed},
		{name: "missing modules", ctx: t.Context(),
			opts: interop.ServerOptions{Secret: "s", Dir: t.TempDir()}},
		{name: "canceled", ctx: canceled, opts: interop.ServerOptions{Secret: "s"},
			want: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := interop.StartNodeServer(tt.ctx, tt.opts)
			if err == nil {
				srv.Close()
				t.Fatal("StartNodeServer succeeded")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestRunNodeClientRefusesNonLoopback(t *testing.T) {
	for _, u := range []string{"http://10.0.0.1:3000", "http://example.com", "http://[2001:db8::1]:80"} {
		_, err := interop.RunNodeClient(t.Context(), interop.ClientOptions{URL: u})
		if !errors.Is(err, interop.ErrNotLoopback) {
			t.Errorf("%s: err = %v, want ErrNotLoopback", u, err)
		}
	}
}
