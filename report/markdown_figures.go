package report

import (
	"fmt"
	"strings"

	"github.com/gatecrash/gatecrash/internal/capacity"
	"github.com/gatecrash/gatecrash/internal/overhead"
)

// writeOverheadMD writes the overhead table.
func writeOverheadMD(b *strings.Builder, o *overhead.Report) {
	fmt.Fprintf(b, "## gatecrash: authentication overhead\n\n%s. %s\n\n", mdEscape(o.Summary()), overhead.Note)
	rows := make([][]string, len(o.Rows))
	for i, row := range o.Rows {
		rows[i] = row.Cells()
	}
	mdTable(b, overhead.Columns, rows)
}

// writeCapacityMD writes the capacity search's answer, probes and
// assumptions.
func writeCapacityMD(b *strings.Builder, c *capacity.Report) {
	fmt.Fprintf(b, "## gatecrash: capacity of %s\n\nTarget %s · SLO `%s`\n\n", mdEscape(c.Scenario),
		mdEscape(c.Target), strings.Join(c.SLO, ", "))
	for _, line := range c.Answer() {
		fmt.Fprintf(b, "- %s\n", mdEscape(strings.TrimSpace(line)))
	}
	b.WriteString("\n")
	rows := make([][]string, len(c.Steps))
	for i, s := range c.Steps {
		rows[i] = s.Cells()
	}
	mdTable(b, capacity.StepColumns, rows)
	if len(c.Assumptions) > 0 {
		b.WriteString("Assumptions:\n\n")
		for _, a := range c.Assumptions {
			fmt.Fprintf(b, "- %s\n", mdEscape(a))
		}
		b.WriteString("\n")
	}
}

// mdTable writes a table whose first column is left-aligned and the others
// right-aligned.
func mdTable(b *strings.Builder, columns []string, rows [][]string) {
	fmt.Fprintf(b, "| %s |\n|---|%s\n", strings.Join(columns, " | "), strings.Repeat("---:|", len(columns)-1))
	for _, row := range rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = mdEscape(c)
		}
		fmt.Fprintf(b, "| %s |\n", strings.Join(cells, " | "))
	}
	b.WriteString("\n")
}
