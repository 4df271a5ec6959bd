package report

import (
	"bytes"
	"strings"
	"testing"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/gatecrash/gatecrash/results"
)

// TestHdrLogRoundTrip reads the log back with HdrHistogram's own log
// reader: every interval's histogram and timestamps come back exactly.
func TestHdrLogRoundTrip(t *testing.T) {
	r := fixedResult(t, false)
	var b bytes.Buffer
	if err := HdrLog(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"#[Histogram log format version 1.3]", "#[StartTime: 1767323045",
		"#[BaseTime: 1767323045", "\"StartTimestamp\""} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("log lacks %q:\n%.400s", want, b.String())
		}
	}
	rd := hdr.NewHistogramLogReader(&b)
	var total int64
	for i, iv := range r.Intervals {
		h, err := rd.NextIntervalHistogram()
		if err != nil || h == nil {
			t.Fatalf("interval %d: %v, %v", i, h, err)
		}
		if !h.Equals(iv.Total.Histogram.HDR()) {
			t.Errorf("interval %d: counts differ", iv.Index)
		}
		wantStart := r.Meta.Start.UnixMilli() + int64(iv.Index)*r.IntervalWidth.Milliseconds()
		if h.StartTimeMs() != wantStart || h.EndTimeMs()-h.StartTimeMs() != r.IntervalWidth.Milliseconds() {
			t.Errorf("interval %d: %d..%d ms, want %d for %v", iv.Index, h.StartTimeMs(), h.EndTimeMs(),
				wantStart, r.IntervalWidth)
		}
		total += h.TotalCount()
	}
	if h, err := rd.NextIntervalHistogram(); h != nil || err != nil {
		t.Errorf("an extra histogram after the intervals: %v, %v", h, err)
	}
	if want := r.Phases[results.PhaseTotal.String()].Count; total != want || total == 0 {
		t.Errorf("%d values over the intervals, want the run's %d", total, want)
	}
}

func TestHdrLogWithoutIntervals(t *testing.T) {
	r := fixedResult(t, false)
	r.Intervals = nil
	var b bytes.Buffer
	if err := HdrLog(&b, r); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	h, err := hdr.NewHistogramLogReader(&b).NextIntervalHistogram()
	if h != nil || err != nil || !strings.HasPrefix(text, "#[Histogram log format") {
		t.Errorf("headers only expected; read %v, %v from\n%s", h, err, text)
	}
}
