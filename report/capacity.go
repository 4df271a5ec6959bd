package report

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/gatecrash/gatecrash/internal/capacity"
)

// The capacity chart's colours.
const (
	colourPass      = "#2ca02c"
	colourFail      = "#d62728"
	colourSaturated = "#ff7f0e"
	colourAchieved  = "#222222"
	colourSustained = "#9467bd"
)

// capacityView is what the template shows of a capacity search.
type capacityView struct {
	R       *capacity.Report
	Columns []string
	Rows    [][]string
	Answer  []string
	// Steps is SVG this package built, every text in it escaped.
	Steps template.HTML
}

func newCapacityView(c *capacity.Report) *capacityView {
	v := &capacityView{R: c, Columns: capacity.StepColumns, Answer: c.Answer()}
	for _, s := range c.Steps {
		v.Rows = append(v.Rows, s.Cells())
	}
	if len(c.Steps) > 0 {
		v.Steps = template.HTML(stepsChart(c)) //nolint:gosec // built and escaped here
	}
	return v
}

// stepsChart draws one column per probe, its height the offered rate,
// green when it met the SLO and red when not (outlined orange when the
// generator was saturated), a dark tick at the rate achieved, and a dashed
// line at the sustainable rate.
func stepsChart(c *capacity.Report) string {
	pts := [][2]float64{{0, c.Sustainable}}
	for _, s := range c.Steps {
		pts = append(pts, [2]float64{0, s.Rate}, [2]float64{0, s.Achieved})
	}
	yt := linearTicks(pts)
	y := axis{lo: yt[0].v, hi: yt[len(yt)-1].v, from: chartH - padB, to: padT}
	slot := float64(chartW-padR-padL) / float64(len(c.Steps))
	var b strings.Builder
	svgOpen(&b, "Capacity search: offered rate per probe", chartH)
	gridY(&b, yt, y)
	for i, s := range c.Steps {
		writeColumn(&b, s, float64(padL)+slot*float64(i), slot, y, i+1)
	}
	if c.Sustainable > 0 {
		py := y.at(c.Sustainable)
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s" stroke-width="2" `+
			`stroke-dasharray="6 4"/>`, padL, py, chartW-padR, py, colourSustained)
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" class="axis" text-anchor="middle">probe, in order</text>`,
		(padL+chartW-padR)/2, chartH-6)
	fmt.Fprintf(&b, `<text x="12" y="%d" class="axis" transform="rotate(-90 12 %d)" `+
		`text-anchor="middle">handshakes per second</text>`, chartH/2, chartH/2)
	writeLegend(&b, []legendEntry{{"met the SLO", colourPass}, {"missed it", colourFail},
		{"generator saturated", colourSaturated}, {"achieved", colourAchieved}, {"sustainable", colourSustained}})
	b.WriteString(`</svg>`)
	return b.String()
}

// writeColumn draws probe n in the slot starting at x.
func writeColumn(b *strings.Builder, s capacity.Step, x, slot float64, y axis, n int) {
	w := slot * 0.7
	left := x + (slot-w)/2
	top, base := y.at(s.Rate), y.at(0)
	fill, stroke := colourFail, "none"
	if s.Passed {
		fill = colourPass
	}
	if s.Saturated {
		stroke = colourSaturated
	}
	fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" stroke="%s" stroke-width="3" `+
		`class="bar"><title>%s</title></rect>`, left, top, w, base-top, fill, stroke,
		html.EscapeString(fmt.Sprintf("%s at %.4g/s: %s", s.Kind, s.Rate, s.Verdict())))
	ay := y.at(s.Achieved)
	fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="3"/>`,
		left, ay, left+w, ay, colourAchieved)
	fmt.Fprintf(b, `<text x="%.1f" y="%d" class="tick" text-anchor="middle">%d</text>`, x+slot/2,
		chartH-padB+16, n)
}
