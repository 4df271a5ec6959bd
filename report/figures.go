package report

import (
	"slices"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/gatecrash/gatecrash/results"
)

// phaseHistograms merges the histograms of every cell per phase reached, in
// phase order.
func phaseHistograms(r *results.Result) []namedHist {
	var out []namedHist
	for p := results.Phase(0); p < results.NumPhases; p++ {
		var h *hdr.Histogram
		for _, c := range r.Cells {
			pd, ok := c.Phases[p.String()]
			if !ok || pd.Histogram == nil || pd.Histogram.Count() == 0 {
				continue
			}
			src := pd.Histogram.HDR()
			if h == nil {
				h = hdr.New(src.LowestTrackableValue(), src.HighestTrackableValue(), int(src.SignificantFigures()))
			}
			h.Merge(src)
		}
		if h != nil {
			out = append(out, namedHist{name: p.String(), h: h})
		}
	}
	return out
}

type namedHist struct {
	name string
	h    *hdr.Histogram
}

// spectrumQuantiles are the percentiles the spectrum plots, up to what the
// sample count can resolve.
var spectrumQuantiles = []float64{0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999}

// spectrum returns the (percentile, µs) points of h that its count resolves:
// a percentile p needs at least 100/(100-p) samples.
func spectrum(h *hdr.Histogram) [][2]float64 {
	var pts [][2]float64
	for _, q := range spectrumQuantiles {
		if q > 0 && float64(h.TotalCount()) < 100/(100-q) {
			break
		}
		pts = append(pts, [2]float64{q, float64(h.ValueAtQuantile(q))})
	}
	return pts
}

// timePoint is one interval of the run.
type timePoint struct {
	at   time.Duration
	rate float64 // CONNECTs per second
	p99  float64 // µs, total latency
}

func timeline(r *results.Result) []timePoint {
	w := r.IntervalWidth
	if w <= 0 {
		return nil
	}
	out := make([]timePoint, 0, len(r.Intervals))
	for _, iv := range r.Intervals {
		var n int64
		for _, c := range iv.Outcomes {
			n += c
		}
		tp := timePoint{at: time.Duration(iv.Index) * w, rate: float64(n) / w.Seconds()}
		if iv.Total != nil {
			tp.p99 = float64(iv.Total.P99)
		}
		out = append(out, tp)
	}
	slices.SortFunc(out, func(a, b timePoint) int { return int(a.at - b.at) })
	return out
}
