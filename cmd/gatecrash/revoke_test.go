package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/internal/redistest"
	"github.com/gatecrash/gatecrash/internal/wire"
	"github.com/gatecrash/gatecrash/loadgen"
)

// TestServeRedis_RevokeCommand: `gatecrash serve --redis --admin` keeps the
// demo API key in Redis and prints its id beside it; `gatecrash revoke
// apikey -` given the whole key on stdin disconnects the socket using it and
// a new CONNECT with it is rejected as revoked.
func TestServeRedis_RevokeCommand(t *testing.T) {
	rs := redistest.Start(t, redistest.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0",
			"--audit-log", "", "--redis", rs.URL(), "--redis-prefix", "clitest:", "--admin"}, pw, io.Discard)
		pw.Close()
	}()
	lines := map[string]string{}
	var keyLine string
	sc := bufio.NewScanner(pr)
	for sc.Scan() && len(lines) < 3 {
		for _, prefix := range []string{"gatecrash serve: Socket.IO at ", "admin at ", "demo API key: "} {
			if rest, ok := strings.CutPrefix(sc.Text(), prefix); ok {
				lines[prefix] = strings.Fields(rest)[0]
				if prefix == "demo API key: " {
					keyLine = rest
				}
			}
		}
	}
	go io.Copy(io.Discard, pr)
	url, adminURL, key := lines["gatecrash serve: Socket.IO at "], lines["admin at "], lines["demo API key: "]
	if url == "" || adminURL == "" || key == "" {
		t.Fatalf("serve printed %v", lines)
	}
	if want := "(id " + strings.Split(key, "_")[2] + ","; !strings.Contains(keyLine, want) {
		t.Errorf("demo API key line %q does not print the key's id as %q", keyLine, want)
	}

	auth, _ := json.Marshal(map[string]string{"apiKey": key})
	conn := connectAPI(ctx, t, url, auth)
	defer conn.Close()
	var out bytes.Buffer
	cmd := newRevokeCmd()
	cmd.SetArgs([]string{"apikey", "-", "--admin-url", strings.TrimSuffix(adminURL, "/admin/revoke")})
	cmd.SetIn(strings.NewReader(key + "\n")) // the whole key, kept out of the arguments
	cmd.SetOut(&out)
	if err := cmd.ExecuteContext(ctx); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	if !strings.Contains(out.String(), "1 socket(s) disconnected") {
		t.Errorf("revoke printed %q", out.String())
	}
	if p, err := conn.ReadPacket(ctx); err == nil && (p.Type != wire.Disconnect || p.Namespace != "/api") {
		t.Errorf("after revocation the socket read %+v, want its DISCONNECT", p)
	}
	second, err := loadgen.Dial(ctx, url, &loadgen.Handshake{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	var ce *loadgen.ConnectError
	if _, err := second.Connect(ctx, "/api", auth); !errors.As(err, &ce) || ce.Code != "revoked" {
		t.Errorf("revoked key: %v, want a CONNECT_ERROR revoked", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
}

func connectAPI(ctx context.Context, t *testing.T, url string, auth []byte) *loadgen.Conn {
	t.Helper()
	conn, err := loadgen.Dial(ctx, url, &loadgen.Handshake{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Connect(ctx, "/api", auth); err != nil {
		t.Fatalf("demo API key refused on /api: %v", err)
	}
	return conn
}

// testKey is a well-formed API key (format only) whose id is testKeyID.
const (
	testKeyID = "abcdefghijklmnop"
	testKey   = "gck_live_" + testKeyID + "_abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst"
)

// TestRevokeRequest: arguments and flags become a valid request, or an
// error naming what is wrong.
func TestRevokeRequest(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		args    []string
		until   string
		stdin   string
		wantID  string
		wantEnd time.Time
		wantErr string
	}{
		{name: "api key", args: []string{"apikey", "k1"}, wantID: "k1"},
		{name: "whole api key", args: []string{"apikey", testKey}, wantID: testKeyID},
		{name: "whole api key from stdin", args: []string{"apikey", "-"}, stdin: testKey + "\n",
			wantID: testKeyID},
		{name: "malformed whole key", args: []string{"apikey", testKey + "x"}, wantErr: "malformed"},
		{name: "kind case-insensitive", args: []string{"APIKEY", "k1"}, wantID: "k1"},
		{name: "session from stdin", args: []string{"session", "-"}, stdin: "s3cret\n", wantID: "s3cret"},
		{name: "jwt for a duration", args: []string{"jwt", "j1"}, until: "2h", wantID: "j1",
			wantEnd: now.Add(2 * time.Hour)},
		{name: "jwt until a time", args: []string{"jwt", "j1"}, until: "2026-02-01T00:00:00Z", wantID: "j1",
			wantEnd: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)},
		{name: "until on a key", args: []string{"apikey", "k1"}, until: "2h", wantErr: "jwt only"},
		{name: "bad until", args: []string{"jwt", "j1"}, until: "soon", wantErr: "RFC 3339"},
		{name: "past duration", args: []string{"jwt", "j1"}, until: "-1h", wantErr: "future"},
		{name: "unknown kind", args: []string{"password", "x"}, wantErr: "kind"},
		{name: "empty stdin", args: []string{"session", "-"}, wantErr: "no id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := revokeRequest(tt.args, tt.until, strings.NewReader(tt.stdin), now)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one about %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || req.ID != tt.wantID || !req.Until.Equal(tt.wantEnd) {
				t.Errorf("request = %+v, %v", req, err)
			}
			if string(req.Kind) != strings.ToLower(tt.args[0]) {
				t.Errorf("kind = %q", req.Kind)
			}
		})
	}
}

// TestLoopbackURL: the client talks to loopback only.
func TestLoopbackURL(t *testing.T) {
	for url, ok := range map[string]bool{
		"http://127.0.0.1:9464": true, "http://localhost:9464": true, "http://[::1]:9464": true,
		"https://127.0.0.1:9464": false, "http://10.0.0.1:9464": false, "http://example.com": false,
	} {
		if err := loopbackURL(url); (err == nil) != ok {
			t.Errorf("loopbackURL(%q) = %v, want ok %v", url, err, ok)
		}
	}
}
