package report

import (
	"fmt"
	"html"
	"math"
	"strings"
	"time"
)

// The charts' geometry, in SVG user units.
const (
	chartW, chartH = 720, 300
	padL, padR     = 64, 120
	padT, padB     = 16, 40
)

// palette colours series; colours repeat past its end.
var palette = []string{"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
	"#7f7f7f", "#17becf"}

// series is one line of a chart.
type series struct {
	name string
	pts  [][2]float64 // already in axis units (logs taken)
}

// axis maps data to pixels.
type axis struct {
	lo, hi   float64
	from, to float64
}

func (a axis) at(v float64) float64 {
	if a.hi == a.lo {
		return (a.from + a.to) / 2
	}
	return a.from + (v-a.lo)/(a.hi-a.lo)*(a.to-a.from)
}

// spectrumSVG plots each phase's latency (log µs) against its percentile on
// the HdrHistogram log axis, where 90, 99, 99.9 are evenly spaced.
func spectrumSVG(hs []namedHist) string {
	var ss []series
	for _, nh := range hs {
		s := series{name: nh.name}
		for _, p := range spectrum(nh.h) {
			s.pts = append(s.pts, [2]float64{math.Log10(100 / (100 - p[0])), math.Log10(math.Max(p[1], 1))})
		}
		ss = append(ss, s)
	}
	var xt []tick
	for _, q := range []float64{0, 90, 99, 99.9, 99.99, 99.999} {
		xt = append(xt, tick{v: math.Log10(100 / (100 - q)), label: fmt.Sprintf("%g%%", q)})
	}
	return lineChart("Latency by percentile, per phase", ss, xt, logTicks(ss), "percentile", "latency")
}

// timelineSVG plots the rate and the p99 total latency of each interval.
func timelineSVG(tl []timePoint) (rate, p99 string) {
	r, l := series{name: "CONNECTs/s"}, series{name: "p99 total"}
	var xt []tick
	step := max(1, len(tl)/8)
	for i, tp := range tl {
		x := tp.at.Seconds()
		r.pts = append(r.pts, [2]float64{x, tp.rate})
		if tp.p99 > 0 {
			l.pts = append(l.pts, [2]float64{x, math.Log10(tp.p99)})
		}
		if i%step == 0 {
			xt = append(xt, tick{v: x, label: tp.at.String()})
		}
	}
	rt := linearTicks(r.pts)
	rate = lineChart("Rate over the run", []series{r}, xt, rt, "time", "per second")
	p99 = lineChart("p99 total latency over the run", []series{l}, xt, logTicks([]series{l}), "time", "latency")
	return rate, p99
}

type tick struct {
	v     float64
	label string
}

// logTicks labels the powers of ten the series (in log10 µs) span.
func logTicks(ss []series) []tick {
	lo, hi := bounds(ss, 1)
	var out []tick
	for e := math.Floor(lo); e <= math.Ceil(hi); e++ {
		out = append(out, tick{v: e, label: (time.Duration(math.Pow(10, e)) * time.Microsecond).String()})
	}
	return out
}

func linearTicks(pts [][2]float64) []tick {
	hi := 0.0
	for _, p := range pts {
		hi = math.Max(hi, p[1])
	}
	if hi == 0 {
		hi = 1
	}
	step := math.Pow(10, math.Floor(math.Log10(hi)))
	var out []tick
	for v := 0.0; v <= hi+step; v += step {
		out = append(out, tick{v: v, label: fmt.Sprintf("%g", v)})
	}
	return out
}

// bounds returns the range of coordinate i over every point.
func bounds(ss []series, i int) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range ss {
		for _, p := range s.pts {
			lo, hi = math.Min(lo, p[i]), math.Max(hi, p[i])
		}
	}
	if lo > hi {
		return 0, 1
	}
	return lo, hi
}

// lineChart draws series on axes whose ranges are the ticks'.
func lineChart(title string, ss []series, xt, yt []tick, xlabel, ylabel string) string {
	x := axis{lo: xt[0].v, hi: xt[len(xt)-1].v, from: padL, to: chartW - padR}
	y := axis{lo: yt[0].v, hi: yt[len(yt)-1].v, from: chartH - padB, to: padT}
	if xl, xh := bounds(ss, 0); xh > x.hi || xl < x.lo {
		x.lo, x.hi = math.Min(x.lo, xl), math.Max(x.hi, xh)
	}
	var b strings.Builder
	svgOpen(&b, title, chartH)
	gridX(&b, xt, x, chartH)
	gridY(&b, yt, y)
	fmt.Fprintf(&b, `<text x="%d" y="%d" class="axis" text-anchor="middle">%s</text>`, (padL+chartW-padR)/2,
		chartH-6, html.EscapeString(xlabel))
	fmt.Fprintf(&b, `<text x="12" y="%d" class="axis" transform="rotate(-90 12 %d)" text-anchor="middle">%s</text>`,
		chartH/2, chartH/2, html.EscapeString(ylabel))
	for i, s := range ss {
		writeSeries(&b, s, x, y, palette[i%len(palette)], i)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// gridX draws a vertical grid line and label at each tick of a chart of
// height h.
func gridX(b *strings.Builder, xt []tick, x axis, h int) {
	for _, t := range xt {
		px := x.at(t.v)
		fmt.Fprintf(b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" class="grid"/>`, px, padT, px, h-padB)
		fmt.Fprintf(b, `<text x="%.1f" y="%d" class="tick" text-anchor="middle">%s</text>`, px, h-padB+16,
			html.EscapeString(t.label))
	}
}

// gridY draws a horizontal grid line across the plot and a label at each
// tick.
func gridY(b *strings.Builder, yt []tick, y axis) {
	for _, t := range yt {
		py := y.at(t.v)
		fmt.Fprintf(b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" class="grid"/>`, padL, py, chartW-padR, py)
		fmt.Fprintf(b, `<text x="%d" y="%.1f" class="tick" text-anchor="end">%s</text>`, padL-6, py+4,
			html.EscapeString(t.label))
	}
}

func writeSeries(b *strings.Builder, s series, x, y axis, colour string, i int) {
	if len(s.pts) == 0 {
		return
	}
	pts := make([]string, len(s.pts))
	for j, p := range s.pts {
		pts[j] = fmt.Sprintf("%.1f,%.1f", x.at(p[0]), y.at(p[1]))
	}
	fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2" class="series"/>`,
		strings.Join(pts, " "), colour)
	ly := padT + 14 + 18*i
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="3"/>`,
		chartW-padR+10, ly-4, chartW-padR+28, ly-4, colour)
	fmt.Fprintf(b, `<text x="%d" y="%d" class="legend">%s</text>`, chartW-padR+32, ly, html.EscapeString(s.name))
}
