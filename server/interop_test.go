package server

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/interop"
)

// TestInterop_NodeClient: Node's socket.io-client (the pinned npm package)
// connects to the hardened server with auth over websocket only and over
// polling with upgrade, gets whoami acknowledged with its own subject, and
// gets connect_error with data.code for bad credentials.
func TestInterop_NodeClient(t *testing.T) {
	interop.RequireNode(t)
	st := newRealStack(t, Config{})
	admin := st.token(t, "root", []string{"admin"}, time.Hour)
	user := st.token(t, "alice", []string{"user"}, time.Hour)
	expired := st.token(t, "alice", nil, -time.Minute)
	cases := []struct {
		name      string
		transport interop.Transport
		auth      map[string]any
		nsps      []string
		want      []string // "ok" or the code, per namespace
	}{
		{name: "websocket good", transport: interop.TransportWebSocket, auth: map[string]any{"token": admin},
			nsps: []string{"/", "/admin", "/api"}, want: []string{"ok", "ok", "ok"}},
		{name: "websocket role", transport: interop.TransportWebSocket, auth: map[string]any{"token": user},
			nsps: []string{"/", "/admin"}, want: []string{"ok", "forbidden"}},
		{name: "websocket expired", transport: interop.TransportWebSocket, auth: map[string]any{"token": expired},
			nsps: []string{"/api"}, want: []string{"expired"}},
		{name: "websocket none", transport: interop.TransportWebSocket,
			nsps: []string{"/admin"}, want: []string{"missing"}},
		{name: "upgrade good", transport: interop.TransportUpgrade, auth: map[string]any{"token": admin},
			nsps: []string{"/", "/admin"}, want: []string{"ok", "ok"}},
		{name: "upgrade bad", transport: interop.TransportUpgrade, auth: map[string]any{"token": "a.b.c"},
			nsps: []string{"/admin"}, want: []string{"malformed"}},
		{name: "polling good", transport: interop.TransportPolling, auth: map[string]any{"apiKey": st.apiKey},
			nsps: []string{"/api"}, want: []string{"ok"}},
	}
	keepsCookies := nodeClientKeepsCookies(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.transport != interop.TransportWebSocket && !keepsCookies {
				// The hardened server binds a polling session to a cookie (G-06);
				// engine.io-client keeps cookies in Node only with
				// withCredentials: true, which client.js does not set yet.
				t.Skip("interop/node/client.js does not set withCredentials: polling cannot keep its session")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			events, err := interop.RunNodeClient(ctx, interop.ClientOptions{
				URL: st.s.URL(), Namespaces: tc.nsps, Auth: tc.auth, Transport: tc.transport,
				Timeout: 5 * time.Second,
			})
			if err != nil {
				t.Fatal(err)
			}
			checkNodeEvents(t, events, tc.nsps, tc.want, tc.transport == interop.TransportUpgrade)
		})
	}
}

// nodeClientKeepsCookies reports whether client.js asks engine.io-client to
// keep cookies (withCredentials), which polling against the hardened server
// needs.
func nodeClientKeepsCookies(t *testing.T) bool {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(interop.NodeDir(), "client.js"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Contains(string(src), "withCredentials")
}

func checkNodeEvents(t *testing.T, events []interop.ClientEvent, nsps, want []string, upgrade bool) {
	t.Helper()
	if upgrade {
		if n := len(events); n == 0 || events[n-1].Event != interop.EventUpgrade {
			t.Errorf("no upgrade to websocket: %+v", events)
		} else {
			events = events[:n-1]
		}
	}
	if len(events) != len(nsps) {
		t.Fatalf("%d events for %d namespaces: %+v", len(events), len(nsps), events)
	}
	for i, e := range events {
		switch {
		case want[i] == "ok" && e.Event != interop.EventConnect:
			t.Errorf("%s: %s %s (%s), want connect", nsps[i], e.Event, e.Message, e.Code())
		case want[i] == "ok" && (e.Whoami == nil || e.Whoami.Namespace != nsps[i] || e.Whoami.Sub == ""):
			t.Errorf("%s: whoami %+v", nsps[i], e.Whoami)
		case want[i] != "ok" && (e.Event != interop.EventConnectError || e.Code() != want[i]):
			t.Errorf("%s: %s %s code %q, want connect_error %q", nsps[i], e.Event, e.Message, e.Code(), want[i])
		}
	}
}

// nodeCookieClient is a socket.io-client run with withCredentials, so that
// engine.io-client keeps the session-binding cookie in Node, as a browser
// does. It prints one JSON line: the connect outcome, the whoami ack and the
// transport in use once the whoami ack came (after any upgrade).
const nodeCookieClient = `
const { Manager } = require(process.argv[1] + '/node_modules/socket.io-client');
const [url, nsp, transport, auth] = process.argv.slice(2);
const m = new Manager(url, { transports: transport === 'polling' ? ['polling'] : ['polling', 'websocket'],
  upgrade: transport !== 'polling', withCredentials: true, reconnection: false, autoConnect: false });
const s = m.socket(nsp, { auth: JSON.parse(auth) });
const done = (o) => { console.log(JSON.stringify(o)); process.exit(0); };
s.on('connect_error', (e) => done({ event: 'connect_error', code: e.data && e.data.code }));
s.on('connect', () => {
  const ask = () => s.timeout(3000).emit('whoami', (err, r) =>
    done({ event: 'connect', whoami: err ? null : r, transport: m.engine.transport.name }));
  if (transport === 'polling' || m.engine.transport.name === 'websocket') ask();
  else m.engine.once('upgrade', ask);
});
s.connect();
setTimeout(() => done({ event: 'timeout' }), 5000);
`

// TestInterop_NodeClientPollingWithCookies: the real client over polling
// only and over polling with upgrade keeps its session when it keeps cookies
// (withCredentials), and gets whoami acknowledged with its own identity; a bad
// token still gets connect_error with data.code.
func TestInterop_NodeClientPollingWithCookies(t *testing.T) {
	interop.RequireNode(t)
	st := newRealStack(t, Config{})
	admin := st.token(t, "root", []string{"admin"}, time.Hour)
	cases := []struct {
		name, transport, nsp, auth string
		wantEvent, wantCode        string
		wantTransport              string
	}{
		{name: "polling", transport: "polling", nsp: "/admin", auth: `{"token":"` + admin + `"}`,
			wantEvent: "connect", wantTransport: "polling"},
		{name: "upgrade", transport: "upgrade", nsp: "/admin", auth: `{"token":"` + admin + `"}`,
			wantEvent: "connect", wantTransport: "websocket"},
		{name: "upgrade bad token", transport: "upgrade", nsp: "/api", auth: `{"token":"a.b.c"}`,
			wantEvent: "connect_error", wantCode: "malformed"},
		{name: "polling api key", transport: "polling", nsp: "/api", auth: `{"apiKey":"` + st.apiKey + `"}`,
			wantEvent: "connect", wantTransport: "polling"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, "node", "-e", nodeCookieClient, interop.NodeDir(),
				st.s.URL(), tc.nsp, tc.transport, tc.auth)
			cmd.WaitDelay = time.Second
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("node: %v", err)
			}
			var got struct {
				Event, Code, Transport string
				Whoami                 map[string]string
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("node output %q: %v", out, err)
			}
			switch {
			case got.Event != tc.wantEvent || got.Code != tc.wantCode:
				t.Errorf("got %s %q, want %s %q", got.Event, got.Code, tc.wantEvent, tc.wantCode)
			case tc.wantEvent == "connect" && (got.Whoami["nsp"] != tc.nsp || got.Transport != tc.wantTransport):
				t.Errorf("whoami %v over %s, want nsp %s over %s", got.Whoami, got.Transport, tc.nsp, tc.wantTransport)
			}
		})
	}
}
