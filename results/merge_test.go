package results

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

// assertSameData fails unless got and want hold the same recorded data:
// counters, cells with equal histograms, intervals, matrix and verdicts.
func assertSameData(t *testing.T, got, want *Result) {
	t.Helper()
	if !reflect.DeepEqual(got.Counters, want.Counters) {
		t.Errorf("counters = %+v\nwant %+v", got.Counters, want.Counters)
	}
	if len(got.Cells) != len(want.Cells) {
		t.Fatalf("%d cells, want %d", len(got.Cells), len(want.Cells))
	}
	for i, g := range got.Cells {
		w := want.Cells[i]
		if g.Namespace != w.Namespace || g.Kind != w.Kind || g.Outcome != w.Outcome || g.Count != w.Count ||
			!reflect.DeepEqual(g.Codes, w.Codes) || g.IdentityMismatches != w.IdentityMismatches {
			t.Errorf("cell %d = %+v, want %+v", i, g, w)
		}
		assertSamePhases(t, g.Phases, w.Phases)
	}
	if len(got.Intervals) != len(want.Intervals) {
		t.Fatalf("%d intervals, want %d", len(got.Intervals), len(want.Intervals))
	}
	for i, g := range got.Intervals {
		w := want.Intervals[i]
		if g.Index != w.Index || !reflect.DeepEqual(g.Outcomes, w.Outcomes) || !reflect.DeepEqual(g.Verdicts,
			w.Verdicts) {
			t.Errorf("interval %d = %+v, want %+v", i, g, w)
		}
		assertSamePhases(t, map[string]*PhaseData{"total": g.Total}, map[string]*PhaseData{"total": w.Total})
	}
	if !reflect.DeepEqual(got.Matrix, want.Matrix) || !reflect.DeepEqual(got.Security, want.Security) {
		t.Errorf("matrix or security differ:\n%+v\n%+v", got.Matrix, want.Matrix)
	}
	if !reflect.DeepEqual(got.Phases, want.Phases) {
		t.Errorf("phase stats = %+v\nwant %+v", got.Phases, want.Phases)
	}
}

func assertSamePhases(t *testing.T, got, want map[string]*PhaseData) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d phases, want %d", len(got), len(want))
	}
	for name, w := range want {
		g := got[name]
		if (g == nil) != (w == nil) || g != nil && (!g.Histogram.equal(w.Histogram) || g.Stats != w.Stats) {
			t.Errorf("phase %s: histograms differ", name)
		}
	}
}

func record(samples []Sample, ths ...Threshold) *Result {
	clk := newFakeClock()
	rec := NewRecorder(Options{Now: clk.Now, Thresholds: ths})
	for _, s := range samples {
		rec.Record(s)
	}
	clk.Add(10 * time.Second)
	return rec.Finish(Meta{Scenario: "merge"})
}

func TestMergeIsExact(t *testing.T) {
	th, err := ParseThreshold("p99(connect) < 4ms")
	if err != nil {
		t.Fatal(err)
	}
	samples := genSamples(5, 3000)
	whole := record(samples, th)
	a, b, c := record(samples[:1000], th), record(samples[1000:1700], th), record(samples[1700:], th)

	merged, err := Merge(a, b, c)
	if err != nil {
		t.Fatal(err)
	}
	assertSameData(t, merged, whole)
	if !reflect.DeepEqual(merged.Thresholds, whole.Thresholds) {
		t.Errorf("thresholds = %+v, want %+v", merged.Thresholds, whole.Thresholds)
	}
	if merged.Meta.Workers != 3 {
		t.Errorf("workers = %d, want 3", merged.Meta.Workers)
	}
	// The inputs are untouched: merging again gives the same answer.
	again, err := Merge(a, b, c)
	if err != nil {
		t.Fatal(err)
	}
	assertSameData(t, again, whole)
}

func TestMergeAfterJSONRoundTripIsExact(t *testing.T) {
	samples := genSamples(6, 2000)
	whole := record(samples)
	dir := t.TempDir()
	var parts []*Result
	for i, part := range [][]Sample{samples[:900], samples[900:]} {
		path := dir + "/" + string(rune('a'+i)) + ".json"
		if err := record(part).WriteFile(path); err != nil {
			t.Fatal(err)
		}
		r, err := ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, r)
	}
	merged, err := Merge(parts...)
	if err != nil {
		t.Fatal(err)
	}
	assertSameData(t, merged, whole)
}

func TestMergeIncompatible(t *testing.T) {
	a := record(genSamples(7, 10))
	rec := NewRecorder(Options{IntervalWidth: 2 * time.Second})
	b := rec.Finish(Meta{})
	tests := []struct {
		name string
		in   []*Result
	}{
		{name: "nothing", in: nil},
		{name: "interval width differs", in: []*Result{a, b}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Merge(tt.in...); !errors.Is(err, ErrIncompatible) {
				t.Errorf("Merge error = %v, want ErrIncompatible", err)
			}
		})
	}
}

func TestMergeMeta(t *testing.T) {
	a := record(genSamples(8, 10))
	b := record(genSamples(9, 10))
	b.Meta.Start = a.Meta.Start.Add(-time.Second)
	b.Meta.Incomplete, b.Meta.IncompleteReason = true, "interrupted"
	b.Meta.Generator = GeneratorReport{Planned: 10, Dropped: 2, Saturated: true}
	m, err := Merge(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Meta.Start.Equal(b.Meta.Start) || !m.Meta.Incomplete || m.Meta.IncompleteReason != "interrupted" {
		t.Errorf("meta = %+v", m.Meta)
	}
	g := m.Meta.Generator
	if g.Planned != 10 || g.Dropped != 2 || !g.Saturated || g.Late != a.Meta.Generator.Late+b.Meta.Generator.Late {
		t.Errorf("generator = %+v", g)
	}
}
