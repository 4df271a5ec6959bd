package server

import (
	"context"
	"slices"
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
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
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

func checkNodeEvents(t *testing.T, events []interop.ClientEvent, nsps, want []string, upgrade bool) {
	t.Helper()
	if upgrade {
		// client.js ends an upgrade run with the upgrade, or a timeout when
		// none came. A session that joined no namespace may be closed before
		// it upgrades, so only an accepted one must have upgraded.
		n := len(events)
		last := interop.ClientEvent{}
		if n > 0 {
			last = events[n-1]
		}
		switch {
		case last.Event == interop.EventUpgrade || (last.Event == "timeout" && !slices.Contains(want, "ok")):
			events = events[:n-1]
		case slices.Contains(want, "ok"):
			t.Errorf("no upgrade to websocket: %+v", events)
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
