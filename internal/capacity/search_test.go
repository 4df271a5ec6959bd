package capacity

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/results"
)

// fakeServer passes probes at or below capacity. Above it, the generator
// saturates from saturateAt on (zero: never); confirmations above
// confirmCap fail (zero: same as capacity).
type fakeServer struct {
	capacity, saturateAt, confirmCap float64
	probes                           int
}

func (f *fakeServer) Probe(_ context.Context, rate float64, d time.Duration) (Step, error) {
	f.probes++
	limit := f.capacity
	if d > time.Second && f.confirmCap > 0 {
		limit = f.confirmCap
	}
	st := Step{Verdicts: []results.ThresholdVerdict{{Expr: "p99(connect) < 50ms", Passed: rate <= limit}}}
	if f.saturateAt > 0 && rate >= f.saturateAt {
		st.Saturated, st.SaturationReason = true, "late starts"
	}
	st.judge()
	return st, nil
}

func TestSearch(t *testing.T) {
	base := SearchConfig{StartRate: 50, Probe: time.Second, Confirm: 2 * time.Second}
	tests := []struct {
		name           string
		server         fakeServer
		cfg            SearchConfig
		wantLo, wantHi float64 // Sustainable within [wantLo, wantHi]
		wantAtMax      bool
		wantGenLimited bool
		wantErr        error
		wantLastKind   StepKind
		wantMaxProbes  int
	}{
		{name: "lands below capacity", server: fakeServer{capacity: 300}, cfg: base,
			wantLo: 300 * 0.95, wantHi: 300, wantLastKind: KindConfirm, wantMaxProbes: 16},
		{name: "capacity below start rate", server: fakeServer{capacity: 20}, cfg: base,
			wantLo: 20 * 0.95, wantHi: 20, wantLastKind: KindConfirm, wantMaxProbes: 16},
		{name: "stops at max rate", server: fakeServer{capacity: 1e9},
			cfg:    SearchConfig{StartRate: 50, MaxRate: 400, Probe: time.Second, Confirm: 2 * time.Second},
			wantLo: 400, wantHi: 400, wantAtMax: true, wantLastKind: KindConfirm, wantMaxProbes: 5},
		{name: "generator saturated at the bound", server: fakeServer{capacity: 300, saturateAt: 301},
			cfg: base, wantLo: 285, wantHi: 300, wantGenLimited: true, wantLastKind: KindConfirm},
		{name: "confirmation steps down", server: fakeServer{capacity: 300, confirmCap: 250}, cfg: base,
			wantLo: 200, wantHi: 250, wantLastKind: KindConfirm},
		{name: "nothing passes", server: fakeServer{capacity: 0.5}, cfg: base, wantErr: ErrNoRate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := tt.server
			var seen []Step
			cfg := tt.cfg
			cfg.OnStep = func(s Step) { seen = append(seen, s) }
			out, err := Search(context.Background(), &srv, cfg)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if len(seen) != len(out.Steps) || srv.probes != len(out.Steps) {
				t.Errorf("OnStep saw %d, outcome has %d, prober ran %d", len(seen), len(out.Steps), srv.probes)
			}
			if tt.wantErr != nil {
				return
			}
			if out.Sustainable < tt.wantLo || out.Sustainable > tt.wantHi {
				t.Errorf("sustainable %g, want within [%g, %g]; steps %+v", out.Sustainable, tt.wantLo, tt.wantHi,
					out.Steps)
			}
			if out.AtMaxRate != tt.wantAtMax || out.GeneratorLimited != tt.wantGenLimited {
				t.Errorf("at max %v, generator limited %v; want %v, %v", out.AtMaxRate, out.GeneratorLimited,
					tt.wantAtMax, tt.wantGenLimited)
			}
			if last := out.Steps[len(out.Steps)-1]; last.Kind != tt.wantLastKind || !last.Passed {
				t.Errorf("last step %+v, want a passing %s", last, tt.wantLastKind)
			}
			if tt.wantMaxProbes > 0 && len(out.Steps) > tt.wantMaxProbes {
				t.Errorf("%d probes, want at most %d", len(out.Steps), tt.wantMaxProbes)
			}
		})
	}
}

func TestSearchRefusesConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  SearchConfig
	}{
		{name: "growth not above one", cfg: SearchConfig{Growth: 1}},
		{name: "max below start", cfg: SearchConfig{StartRate: 100, MaxRate: 10}},
		{name: "precision too coarse", cfg: SearchConfig{Precision: 0.6}},
		{name: "negative probe", cfg: SearchConfig{Probe: -time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Search(context.Background(), &fakeServer{capacity: 10}, tt.cfg)
			if !errors.Is(err, ErrConfig) {
				t.Errorf("err = %v, want ErrConfig", err)
			}
		})
	}
}

func TestSearchStopsOnProbeError(t *testing.T) {
	boom := errors.New("boom")
	p := ProberFunc(func(context.Context, float64, time.Duration) (Step, error) { return Step{}, boom })
	out, err := Search(context.Background(), p, SearchConfig{})
	if !errors.Is(err, boom) || len(out.Steps) != 1 {
		t.Errorf("err = %v after %d steps, want boom after one", err, len(out.Steps))
	}
}
