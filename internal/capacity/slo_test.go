package capacity

import (
	"errors"
	"testing"

	"github.com/gatecrash/gatecrash/results"
)

func TestParseSLO(t *testing.T) {
	tests := []struct {
		name      string
		slo       string
		wantExprs []string
		wantErr   error
	}{
		{name: "issue example", slo: "p99(connect) < 50ms, errors < 0.1%",
			wantExprs: []string{"p99(connect) < 50ms", "error_rate < 0.1%"}},
		{name: "comma inside a filter", slo: "p99(connect, ns=/admin) < 80ms,error_rate<1%",
			wantExprs: []string{"p99(connect, ns=/admin) < 80ms", "error_rate<1%"}},
		{name: "errors needs a word boundary", slo: "errors_total < 1", wantErr: results.ErrThreshold},
		{name: "empty term", slo: "p99(connect) < 50ms,", wantErr: ErrSLO},
		{name: "empty", slo: "", wantErr: ErrSLO},
		{name: "bad expression", slo: "p99(nowhere) < 5ms", wantErr: results.ErrThreshold},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, err := ParseSLO(tt.slo)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil {
				if !errors.Is(err, ErrSLO) {
					t.Errorf("err = %v, want it to wrap ErrSLO too", err)
				}
				return
			}
			if len(ts) != len(tt.wantExprs) {
				t.Fatalf("got %d thresholds, want %d", len(ts), len(tt.wantExprs))
			}
			for i, th := range ts {
				if th.Expr != tt.wantExprs[i] {
					t.Errorf("threshold %d = %q, want %q", i, th.Expr, tt.wantExprs[i])
				}
			}
		})
	}
}
