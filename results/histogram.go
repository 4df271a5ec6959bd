package results

import (
	"encoding/json"
	"fmt"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// HistogramConfig is the geometry every histogram of a run shares. Values are
// microseconds. Results merge exactly only when their geometries are equal.
type HistogramConfig struct {
	// LowestUS is the lowest discernible value, in microseconds.
	LowestUS int64 `json:"lowest_us"`
	// HighestUS is the highest trackable value; longer durations are
	// recorded as HighestUS and counted in Counters.Clamped.
	HighestUS int64 `json:"highest_us"`
	// SignificantFigures is the value precision (1 to 5).
	SignificantFigures int `json:"significant_figures"`
}

// DefaultHistogramConfig returns the default geometry: 1 µs to 5 minutes with
// two significant figures (values within 1%). Two figures keep one histogram
// near 24 KB; three would take 164 KB each, and a run holds hundreds of them
// (phase × namespace × kind × outcome, plus one per interval).
func DefaultHistogramConfig() HistogramConfig {
	return HistogramConfig{LowestUS: 1, HighestUS: int64(5 * time.Minute / time.Microsecond), SignificantFigures: 2}
}

func (c HistogramConfig) valid() error {
	if c.LowestUS < 1 || c.HighestUS < 2*c.LowestUS || c.SignificantFigures < 1 || c.SignificantFigures > 5 {
		return fmt.Errorf("%w: histogram geometry %+v", ErrIncompatible, c)
	}
	return nil
}

func (c HistogramConfig) newHistogram() *Histogram {
	return &Histogram{h: hdr.New(c.LowestUS, c.HighestUS, c.SignificantFigures)}
}

// micros converts d to the recorded value, clamping it into the geometry's
// range; clamped reports a value above HighestUS.
func (c HistogramConfig) micros(d time.Duration) (v int64, clamped bool) {
	v = int64(d / time.Microsecond)
	if v > c.HighestUS {
		return c.HighestUS, true
	}
	return v, false
}

// Histogram is an HDR histogram of durations in microseconds. In JSON it is
// the HdrHistogram V2 compressed encoding in base64, which every HdrHistogram
// implementation reads; decoding restores it exactly.
type Histogram struct {
	h *hdr.Histogram
}

// HDR returns the underlying histogram. Callers must not record into the
// histograms of a Result they share.
func (h *Histogram) HDR() *hdr.Histogram { return h.h }

// Count returns the number of recorded values.
func (h *Histogram) Count() int64 { return h.h.TotalCount() }

func (h *Histogram) record(v int64) {
	// v is clamped to the geometry by the caller, so RecordValue cannot fail.
	_ = h.h.RecordValue(v)
}

// merge adds from into h and reports values that did not fit.
func (h *Histogram) merge(from *Histogram) int64 { return h.h.Merge(from.h) }

func (h *Histogram) clone() *Histogram { return &Histogram{h: h.h.Clone()} }

// equal reports whether both histograms have the same geometry and counts.
func (h *Histogram) equal(o *Histogram) bool { return h.h.Equals(o.h) }

func (h *Histogram) config() HistogramConfig {
	return HistogramConfig{
		LowestUS:           h.h.LowestTrackableValue(),
		HighestUS:          h.h.HighestTrackableValue(),
		SignificantFigures: int(h.h.SignificantFigures()),
	}
}

// MarshalJSON encodes the histogram in the HdrHistogram V2 compressed form.
func (h *Histogram) MarshalJSON() ([]byte, error) {
	b, err := h.h.Encode(hdr.V2CompressedEncodingCookieBase)
	if err != nil {
		return nil, fmt.Errorf("results: encode histogram: %w", err)
	}
	return json.Marshal(string(b))
}

// UnmarshalJSON decodes the HdrHistogram V2 compressed form.
func (h *Histogram) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("results: histogram: %w", err)
	}
	d, err := hdr.Decode([]byte(s))
	if err != nil {
		return fmt.Errorf("results: decode histogram: %w", err)
	}
	h.h = d
	return nil
}

// Stats are a histogram's precomputed figures, in microseconds, for readers
// that do not decode histograms.
type Stats struct {
	Count int64   `json:"count"`
	Min   int64   `json:"min_us"`
	Mean  float64 `json:"mean_us"`
	P50   int64   `json:"p50_us"`
	P90   int64   `json:"p90_us"`
	P95   int64   `json:"p95_us"`
	P99   int64   `json:"p99_us"`
	P999  int64   `json:"p999_us"`
	Max   int64   `json:"max_us"`
}

// Stats computes the histogram's figures.
func (h *Histogram) Stats() Stats {
	if h == nil || h.h.TotalCount() == 0 {
		return Stats{}
	}
	q := h.h.ValueAtPercentilesSlice([]float64{50, 90, 95, 99, 99.9})
	return Stats{
		Count: h.h.TotalCount(), Min: h.h.Min(), Mean: h.h.Mean(),
		P50: q[0], P90: q[1], P95: q[2], P99: q[3], P999: q[4], Max: h.h.Max(),
	}
}
