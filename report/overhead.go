package report

import (
	"fmt"
	"html/template"
	"time"

	"github.com/gatecrash/gatecrash/internal/overhead"
)

// The overhead charts' colours: no auth, uncached and cached variants.
const (
	colourBaseline = "#7f7f7f"
	colourUncached = "#1f77b4"
	colourCached   = "#2ca02c"
)

// overheadView is what the template shows of an overhead table.
type overheadView struct {
	R       *overhead.Report
	Note    string
	Columns []string
	Rows    [][]string
	// CPU and P99 are SVG this package built, every text in them escaped.
	CPU, P99 template.HTML
}

func newOverheadView(o *overhead.Report) *overheadView {
	v := &overheadView{R: o, Note: overhead.Note, Columns: overhead.Columns}
	for _, row := range o.Rows {
		v.Rows = append(v.Rows, row.Cells())
	}
	if len(o.Rows) > 0 {
		cpu, p99 := overheadCharts(o)
		v.CPU, v.P99 = template.HTML(cpu), template.HTML(p99) //nolint:gosec // built and escaped here
	}
	return v
}

// overheadCharts draws the process CPU per handshake and the p99 CONNECT
// latency of every variant as bars.
func overheadCharts(o *overhead.Report) (cpu, p99 string) {
	var cb, pb []bar
	for _, row := range o.Rows {
		colour := colourUncached
		switch {
		case row.Variant == overhead.None:
			colour = colourBaseline
		case row.Variant.Cached:
			colour = colourCached
		}
		name := row.Variant.Name()
		cb = append(cb, bar{label: name, value: us(row.CPU), colour: colour,
			text: fmt.Sprintf("%.1fµs (%+.1f)", us(row.CPU), us(row.CPUDelta))})
		pb = append(pb, bar{label: name, value: us(row.P99), colour: colour,
			text: fmt.Sprintf("%.0fµs (%+.0f)", us(row.P99), us(row.P99Delta))})
	}
	legend := []legendEntry{{"no auth", colourBaseline}, {"uncached", colourUncached}, {"cached", colourCached}}
	cpu = barChart("Process CPU per handshake, by variant", cb, "µs of CPU per handshake", legend)
	p99 = barChart("p99 of the CONNECT phase, by variant", pb, "µs", legend)
	return cpu, p99
}

// us converts d to microseconds.
func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
