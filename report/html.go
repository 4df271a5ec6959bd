package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/gatecrash/gatecrash/results"
)

//go:embed report.html.tmpl
var htmlTemplate string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"us": usString,
	"outcomes": func(row results.MatrixRow) string {
		return strings.NewReplacer(`\|`, "|", "&lt;", "<", "&gt;", ">").Replace(outcomeList(row))
	},
}).Parse(htmlTemplate))

// pageData is what the template reads.
type pageData struct {
	Title    string
	R        *results.Result
	Overhead *overheadView
	Capacity *capacityView
	Duration time.Duration
	Phases   []phaseRow
	// The charts are SVG this package built, every text in them escaped.
	Spectrum, Rate, P99 template.HTML
}

type phaseRow struct {
	Name string
	S    results.Stats
}

// HTML writes r as one self-contained HTML page: inline CSS and SVG charts,
// nothing fetched (its Content-Security-Policy forbids it), no script.
func HTML(w io.Writer, r *results.Result) error {
	return Input{Result: r}.HTML(w)
}

// HTML writes the input as one self-contained HTML page: the run's
// sections when there is a result, then the overhead table with its bars,
// then the capacity search with its probes; inline CSS and SVG charts,
// nothing fetched (its Content-Security-Policy forbids it), no script.
func (in Input) HTML(w io.Writer) error {
	if in.empty() {
		return fmt.Errorf("%w: nothing to report", ErrInput)
	}
	d := pageData{Title: in.title()}
	if in.Result != nil {
		resultData(&d, in.Result)
	}
	if in.Overhead != nil {
		d.Overhead = newOverheadView(in.Overhead)
	}
	if in.Capacity != nil {
		d.Capacity = newCapacityView(in.Capacity)
	}
	if err := page.Execute(w, d); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// resultData fills the run's part of the page.
func resultData(d *pageData, r *results.Result) {
	d.R, d.Duration = r, r.Meta.Duration.Round(time.Millisecond)
	for p := results.Phase(0); p < results.NumPhases; p++ {
		if s, ok := r.Phases[p.String()]; ok && s.Count > 0 {
			d.Phases = append(d.Phases, phaseRow{Name: p.String(), S: s})
		}
	}
	if hs := phaseHistograms(r); len(hs) > 0 {
		d.Spectrum = template.HTML(spectrumSVG(hs)) //nolint:gosec // built and escaped by svg.go
	}
	if tl := timeline(r); len(tl) > 1 {
		rate, p99 := timelineSVG(tl)
		d.Rate, d.P99 = template.HTML(rate), template.HTML(p99)
	}
}

// title names the page after the scenario of the first part present.
func (in Input) title() string {
	switch {
	case in.Result != nil:
		return in.Result.Meta.Scenario
	case in.Capacity != nil:
		return "capacity of " + in.Capacity.Scenario
	}
	return "authentication overhead"
}
