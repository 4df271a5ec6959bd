package overhead

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/scenarios"
	"github.com/gatecrash/gatecrash/verifiers"
)

// shortBase is the default schedule cut to 100 handshakes over half a second.
func shortBase(t *testing.T) *scenarios.Scenario {
	t.Helper()
	base, err := DefaultBase()
	if err != nil {
		t.Fatal(err)
	}
	base.Load.Stages = []scenarios.Stage{{Duration: 500 * time.Millisecond, Rate: 200}}
	base.Credentials.Identities = 10
	return base
}

func TestRunComparesWithBaseline(t *testing.T) {
	cached := Variant{Method: verifiers.MethodAPIKey, Cached: true}
	var order []string
	rep, err := Run(context.Background(), shortBase(t), Config{
		Variants: []Variant{None, cached},
		Rounds:   2,
		OnRun:    func(_ int, v Variant) { order = append(order, v.Name()) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "none apikey/cached apikey/cached none"; strings.Join(order, " ") != want {
		t.Errorf("run order %v, want %s (interleaved, rotated)", order, want)
	}
	for _, row := range rep.Rows {
		if row.Accepted != 200 || row.NotOK != 0 {
			t.Errorf("%s: accepted %d, not ok %d; want 200 and 0", row.Variant.Name(), row.Accepted, row.NotOK)
		}
		if row.CPU <= 0 || row.P99 < row.P50 || row.P50 <= 0 {
			t.Errorf("%s: cpu %v p50 %v p99 %v", row.Variant.Name(), row.CPU, row.P50, row.P99)
		}
	}
	base, c := rep.Rows[0], rep.Rows[1]
	if base.CPUDelta != 0 || base.HitRatio >= 0 {
		t.Errorf("baseline delta %v hit ratio %v, want 0 and none", base.CPUDelta, base.HitRatio)
	}
	// 10 identities over 200 handshakes: at most 10 misses per round (20),
	// so the ratio is at least 0.9 once the cache's admission settles.
	if c.HitRatio < 0.5 || c.HitRatio > 1 {
		t.Errorf("cached hit ratio %v, want most lookups hits", c.HitRatio)
	}
	if c.CPUDelta != c.CPU-base.CPU {
		t.Errorf("delta %v, want %v", c.CPUDelta, c.CPU-base.CPU)
	}
	var out bytes.Buffer
	if err := rep.Write(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "apikey/cached") || !strings.Contains(out.String(), "none") {
		t.Errorf("table lacks a variant:\n%s", out.String())
	}
}

func TestRunRefuses(t *testing.T) {
	withTarget := shortBase(t)
	withTarget.Target = &scenarios.Target{URL: "http://127.0.0.1:1"}
	tests := []struct {
		name    string
		base    *scenarios.Scenario
		cfg     Config
		wantErr error
	}{
		{name: "no baseline", base: shortBase(t),
			cfg: Config{Variants: []Variant{{Method: verifiers.MethodJWT}}}, wantErr: ErrNoBaseline},
		{name: "target", base: withTarget, cfg: Config{Variants: []Variant{None}}, wantErr: ErrTarget},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Run(context.Background(), tt.base, tt.cfg); !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}
