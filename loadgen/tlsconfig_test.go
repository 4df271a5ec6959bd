package loadgen

import (
	"context"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDialTLS(t *testing.T) {
	f := newFakeTLSServer(t)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	block := &pem.Block{Type: "CERTIFICATE", Bytes: f.Certificate().Raw}
	if err := os.WriteFile(caFile, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		caFile   string
		insecure bool
		url      string
		tr       Transport
		wantErr  error
	}{
		{name: "wss with CA file", caFile: caFile, url: "wss" + strings.TrimPrefix(f.URL, "https")},
		{name: "https polling with CA file", caFile: caFile, url: f.URL, tr: PollingUpgrade},
		{name: "explicit insecure", insecure: true, url: f.URL},
		{name: "untrusted", url: f.URL, wantErr: ErrTLS},
		{name: "untrusted polling", url: f.URL, tr: PollingUpgrade, wantErr: ErrTLS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := TLSConfig(tt.caFile, tt.insecure)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			c, err := Dial(ctx, tt.url, &Handshake{Transport: tt.tr}, &DialOptions{TLS: cfg})
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if c.Timings().TLS <= 0 {
				t.Fatalf("TLS phase not timed: %+v", c.Timings())
			}
		})
	}
}

func TestTLSConfigErrors(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.pem")
	os.WriteFile(empty, []byte("not a certificate"), 0o600)
	for _, file := range []string{filepath.Join(t.TempDir(), "missing.pem"), empty} {
		if _, err := TLSConfig(file, false); !errors.Is(err, ErrPlan) {
			t.Fatalf("TLSConfig(%s) err = %v, want ErrPlan", file, err)
		}
	}
}
