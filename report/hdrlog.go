package report

import (
	"fmt"
	"io"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/gatecrash/gatecrash/results"
)

// HdrLog writes the run's per-interval total latency (PhaseTotal, from the
// intended start) as an HdrHistogram interval log: the V2 log format with
// compressed V2 histograms, one line per interval that had samples, which
// HdrHistogram's own tools read (HistogramLogReader, HistogramLogProcessor,
// HdrHistogramVisualizer). Timestamps are seconds relative to the base time,
// the run's start truncated to the second.
//
// Values are microseconds, as in the results file. The Interval_Max column
// divides by the format's default ratio of 10⁶, so it reads in seconds;
// HistogramLogProcessor reports milliseconds given -outputValueUnitRatio 1000.
// A result with no intervals (or no interval width) writes the headers
// alone.
func HdrLog(w io.Writer, r *results.Result) error {
	lw := hdr.NewHistogramLogWriter(w)
	startMs := r.Meta.Start.UnixMilli()
	baseMs := startMs - startMs%1000
	lw.SetBaseTime(baseMs)
	headers := []func() error{
		lw.OutputLogFormatVersion,
		func() error {
			return lw.OutputComment(fmt.Sprintf("[gatecrash %s: total latency per %s interval, "+
				"values in microseconds]", r.Meta.Scenario, r.IntervalWidth))
		},
		func() error { return lw.OutputStartTime(startMs) },
		func() error { return lw.OutputBaseTime(baseMs) },
		lw.OutputLegend,
	}
	for _, h := range headers {
		if err := h(); err != nil {
			return fmt.Errorf("report: hdr log: %w", err)
		}
	}
	width := r.IntervalWidth.Milliseconds()
	if width <= 0 {
		return nil
	}
	for _, iv := range r.Intervals {
		if iv.Total == nil || iv.Total.Histogram == nil || iv.Total.Histogram.Count() == 0 {
			continue
		}
		hist := iv.Total.Histogram.HDR().Clone()
		from := startMs + int64(iv.Index)*width
		hist.SetStartTimeMs(from)
		hist.SetEndTimeMs(from + width)
		if err := lw.OutputIntervalHistogram(hist); err != nil {
			return fmt.Errorf("report: hdr log: interval %d: %w", iv.Index, err)
		}
	}
	return nil
}
