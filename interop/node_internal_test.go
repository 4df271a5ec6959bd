package interop

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestNodeAvailableInModules(t *testing.T) {
	tests := []struct {
		name      string
		installed string // version of node_modules/socket.io, "" for none
		node      string
		want      error
	}{
		{name: "pinned version installed", installed: "4.8.4", want: nil},
		{name: "modules missing", installed: "", want: ErrModulesMissing},
		{name: "modules stale", installed: "4.7.0", want: ErrModulesMissing},
		{name: "node missing", installed: "4.8.4", node: "no-such-node-binary", want: ErrNodeMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.node == "" {
				if _, err := os.Stat("/bin/sh"); err != nil {
					t.Skip("needs /bin/sh as a stand-in executable")
				}
				tt.node = "/bin/sh"
			}
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "package.json"), `{"dependencies":{"socket.io":"4.8.4"}}`)
			if tt.installed != "" {
				writeFile(t, filepath.Join(dir, "node_modules", "socket.io", "package.json"),
					`{"version":"`+tt.installed+`"}`)
			}

			err := nodeAvailableIn(dir, tt.node)

			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("nodeAvailableIn = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCheckLoopbackURL(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{url: "http://127.0.0.1:3000", ok: true},
		{url: "http://127.3.4.5:3000", ok: true},
		{url: "http://localhost:3000", ok: true},
		{url: "http://[::1]:3000", ok: true},
		{url: "http://10.0.0.1:3000", ok: false},
		{url: "http://192.168.1.1", ok: false},
		{url: "http://example.com", ok: false},
	}
	for _, tt := range tests {
		err := checkLoopbackURL(tt.url)
		if tt.ok != (err == nil) || err != nil && !errors.Is(err, ErrNotLoopback) {
			t.Errorf("checkLoopbackURL(%q) = %v, want ok=%v", tt.url, err, tt.ok)
		}
	}
}

func TestTailBufferKeepsTheEnd(t *testing.T) {
	b := newTailBuffer(5)
	for _, s := range []string{"abc", "defg", "h"} {
		if n, err := b.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if got := b.String(); got != "defgh" {
		t.Errorf("String() = %q, want %q", got, "defgh")
	}
}
