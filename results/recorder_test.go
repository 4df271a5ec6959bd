package results

import (
	"sync"
	"testing"
	"time"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name    string
		expect  Expect
		outcome Outcome
		checked bool
		idOK    bool
		want    Verdict
	}{
		{name: "good accepted", expect: ExpectAccept, outcome: OutcomeAccepted, want: VerdictOK},
		{name: "good accepted identity ok", expect: ExpectAccept, outcome: OutcomeAccepted, checked: true,
			idOK: true, want: VerdictOK},
		{name: "good accepted as someone else", expect: ExpectAccept, outcome: OutcomeAccepted, checked: true,
			want: VerdictIdentityMismatch},
		{name: "good rejected", expect: ExpectAccept, outcome: OutcomeRejected, want: VerdictFalseReject},
		{name: "good closed", expect: ExpectAccept, outcome: OutcomeClosed, want: VerdictFalseReject},
		{name: "good http error", expect: ExpectAccept, outcome: OutcomeHTTPError, want: VerdictFalseReject},
		{name: "good timeout", expect: ExpectAccept, outcome: OutcomeTimeout, want: VerdictNoAnswer},
		{name: "bad accepted", expect: ExpectReject, outcome: OutcomeAccepted, checked: true, idOK: true,
			want: VerdictFalseAccept},
		{name: "bad rejected", expect: ExpectReject, outcome: OutcomeRejected, want: VerdictOK},
		{name: "bad closed", expect: ExpectReject, outcome: OutcomeClosed, want: VerdictOK},
		{name: "bad http error", expect: ExpectReject, outcome: OutcomeHTTPError, want: VerdictOK},
		{name: "bad timeout is no pass", expect: ExpectReject, outcome: OutcomeTimeout, want: VerdictNoAnswer},
		{name: "bad transport error", expect: ExpectReject, outcome: OutcomeTransportError, want: VerdictNoAnswer},
		{name: "unknown outcome", expect: ExpectReject, outcome: "weird", want: VerdictNoAnswer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Classify(tt.expect, tt.outcome, tt.checked, tt.idOK); got != tt.want {
				t.Errorf("Classify = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestRecorderConcurrent(t *testing.T) {
	const workers, each = 8, 500
	rec := NewRecorder(Options{})
	samples := genSamples(1, workers*each)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for _, s := range samples[w*each : (w+1)*each] {
				rec.Record(s)
			}
		})
	}
	// Snapshots race with recording on purpose.
	wg.Go(func() {
		for range 50 {
			_ = rec.Snapshot()
		}
	})
	wg.Wait()
	res := rec.Finish(Meta{Scenario: "concurrent"})

	want := NewRecorder(Options{})
	for _, s := range samples {
		want.Record(s)
	}
	wantRes := want.Finish(Meta{Scenario: "concurrent"})
	if res.Counters.Samples != workers*each {
		t.Fatalf("samples = %d, want %d", res.Counters.Samples, workers*each)
	}
	assertSameData(t, res, wantRes)
}

func TestRecorderSteadyStateDoesNotAllocate(t *testing.T) {
	rec := NewRecorder(Options{})
	s := genSamples(2, 1)[0]
	rec.Record(s) // first sight of the cell, code and interval allocates
	if n := testing.AllocsPerRun(200, func() { rec.Record(s) }); n != 0 {
		t.Errorf("Record allocates %.1f times per call in the steady state", n)
	}
}

func TestRecorderAfterFinishOnlyCounted(t *testing.T) {
	rec := NewRecorder(Options{})
	s := genSamples(3, 1)[0]
	rec.Record(s)
	first := rec.Finish(Meta{})
	rec.Record(s)
	second := rec.Finish(Meta{})
	if first.Counters.Samples != 1 || second.Counters.Samples != 1 {
		t.Errorf("samples = %d then %d, want 1 and 1", first.Counters.Samples, second.Counters.Samples)
	}
	if second.Counters.AfterFinish != 1 {
		t.Errorf("after_finish = %d, want 1", second.Counters.AfterFinish)
	}
}

func TestRecorderClampsAndUnplaced(t *testing.T) {
	rec := NewRecorder(Options{MaxIntervals: 5})
	s := Sample{Namespace: "/", Kind: "jwt", Expect: ExpectAccept, Outcome: OutcomeAccepted,
		Offset: 7 * time.Second, Phases: phases(time.Hour, time.Hour)}
	rec.Record(s)
	res := rec.Finish(Meta{})
	if res.Counters.Clamped != 3 { // connect, service, total
		t.Errorf("clamped = %d, want 3", res.Counters.Clamped)
	}
	if res.Counters.Unplaced != 1 || len(res.Intervals) != 0 {
		t.Errorf("unplaced = %d, intervals = %d; want 1 and 0", res.Counters.Unplaced, len(res.Intervals))
	}
	if got, want := res.Phases["connect"].Max, DefaultHistogramConfig().HighestUS; got < want {
		t.Errorf("max connect = %d µs, want the clamp %d", got, want)
	}
}

func TestRecorderSnapshot(t *testing.T) {
	clk := newFakeClock()
	rec := NewRecorder(Options{Now: clk.Now})
	for i := range 10 {
		out := OutcomeAccepted
		if i%5 == 0 {
			out = OutcomeRejected
		}
		rec.Record(Sample{Namespace: "/", Kind: "jwt", Expect: ExpectAccept, Outcome: out,
			Offset: ms(100 * float64(i)), ConnFirst: true, Late: i == 3, Phases: phases(ms(1), ms(2))})
	}
	clk.Add(1500 * time.Millisecond)
	s := rec.Snapshot()
	want := Snapshot{Elapsed: 1500 * time.Millisecond, Samples: 10, Connections: 10, Accepted: 8,
		Refused: 2, FalseRejects: 2, Late: 1, RecentRate: 10, RecentP99: s.RecentP99}
	if s != want {
		t.Errorf("snapshot = %+v\nwant %+v", s, want)
	}
	if s.RecentP99 < ms(1.9) || s.RecentP99 > ms(2.1) {
		t.Errorf("recent p99 = %v, want about 2ms", s.RecentP99)
	}
}

func TestFinishFillsMeta(t *testing.T) {
	clk := newFakeClock()
	rec := NewRecorder(Options{Now: clk.Now})
	start := clk.Now()
	clk.Add(30 * time.Second)
	res := rec.Finish(Meta{Scenario: "x", Generator: GeneratorReport{Planned: 5, Late: 99}})
	if !res.Meta.Start.Equal(start) || res.Meta.Duration != 30*time.Second || res.Meta.Workers != 1 {
		t.Errorf("meta = %+v", res.Meta)
	}
	if res.Meta.Generator.Late != 0 || res.Meta.Generator.Planned != 5 {
		t.Errorf("generator = %+v, want late from samples (0) and planned kept", res.Meta.Generator)
	}
}

func BenchmarkRecord(b *testing.B) {
	samples := genSamples(4, 1024)
	b.Run("serial", func(b *testing.B) {
		rec := NewRecorder(Options{})
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			rec.Record(samples[i%len(samples)])
		}
	})
	b.Run("parallel", func(b *testing.B) {
		rec := NewRecorder(Options{})
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				rec.Record(samples[i%len(samples)])
				i++
			}
		})
	})
}
