package report

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// bar is one bar of a bar chart.
type bar struct {
	label  string
	value  float64
	colour string
	// text is printed at the bar's end: the value as people read it.
	text string
}

// legendEntry names a colour in a chart's legend.
type legendEntry struct {
	name, colour string
}

// The horizontal bar chart's geometry: a wider left margin holds the
// labels; each bar takes one row.
const (
	barPadL, barRow, barH = 150, 24, 16
)

// barChart draws one horizontal bar per entry, from zero, on a linear axis.
func barChart(title string, bars []bar, xlabel string, legend []legendEntry) string {
	h := padT + len(bars)*barRow + padB
	var pts [][2]float64
	for _, b := range bars {
		pts = append(pts, [2]float64{0, b.value})
	}
	xt := linearTicks(pts)
	x := axis{lo: xt[0].v, hi: xt[len(xt)-1].v, from: barPadL, to: chartW - padR}
	var b strings.Builder
	svgOpen(&b, title, h)
	gridX(&b, xt, x, h)
	fmt.Fprintf(&b, `<text x="%d" y="%d" class="axis" text-anchor="middle">%s</text>`, (barPadL+chartW-padR)/2,
		h-6, html.EscapeString(xlabel))
	for i, br := range bars {
		y := padT + i*barRow + (barRow-barH)/2
		w := math.Max(x.at(math.Max(br.value, 0))-x.at(0), 1)
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="tick" text-anchor="end">%s</text>`, barPadL-6, y+barH-4,
			html.EscapeString(br.label))
		fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s" class="bar"/>`, x.at(0), y, w,
			barH, br.colour)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="tick">%s</text>`, x.at(0)+w+4, y+barH-4,
			html.EscapeString(br.text))
	}
	writeLegend(&b, legend)
	b.WriteString(`</svg>`)
	return b.String()
}

// svgOpen starts a chart of height h with its title.
func svgOpen(b *strings.Builder, title string, h int) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" class="chart">`, chartW, h)
	fmt.Fprintf(b, `<title>%s</title>`, html.EscapeString(title))
}

// writeLegend lists colours and names in the right margin.
func writeLegend(b *strings.Builder, legend []legendEntry) {
	for i, l := range legend {
		ly := padT + 14 + 18*i
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="14" height="10" fill="%s"/>`, chartW-padR+10, ly-9, l.colour)
		fmt.Fprintf(b, `<text x="%d" y="%d" class="legend">%s</text>`, chartW-padR+30, ly, html.EscapeString(l.name))
	}
}
