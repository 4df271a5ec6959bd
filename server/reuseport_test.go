package server

import (
	"errors"
	"syscall"
	"testing"

	"github.com/gatecrash/gatecrash/server/internal/rawio"
)

// TestListenReusePort: a second server takes the first one's address only
// when both set ReusePort, and it serves websocket clients on that address
// after the first one closes.
func TestListenReusePort(t *testing.T) {
	tests := []struct {
		name         string
		first, other bool
		wantInUse    bool
	}{
		{name: "both reuse share the address", first: true, other: true},
		{name: "second without reuse is refused", first: true, other: false, wantInUse: true},
		{name: "first without reuse keeps it", first: false, other: true, wantInUse: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := New(Config{Verifiers: fakeVerifiers(), ReusePort: tc.first})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if err := a.Listen("127.0.0.1:0"); err != nil {
				t.Fatalf("Listen first: %v", err)
			}
			t.Cleanup(func() { _ = a.Close() })
			b, err := New(Config{Verifiers: fakeVerifiers(), ReusePort: tc.other})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			err = b.Listen(a.Addr().String())
			if tc.wantInUse {
				if !errors.Is(err, syscall.EADDRINUSE) {
					t.Fatalf("Listen second = %v, want EADDRINUSE", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Listen second: %v", err)
			}
			t.Cleanup(func() { _ = b.Close() })
			if b.URL() != a.URL() {
				t.Fatalf("second URL %s, first %s", b.URL(), a.URL())
			}
			if err := a.Close(); err != nil {
				t.Fatalf("Close first: %v", err)
			}
			c := dial(t, b, rawio.WebSocket, nil)
			checkAnswer(t, c, "/", `{"token":"jwt-user"}`, "ok")
		})
	}
}
