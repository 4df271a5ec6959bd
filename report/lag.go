package report

import (
	"fmt"
	"strings"

	"github.com/gatecrash/gatecrash/results"
)

// writeLagMD writes the revocation lag, when the run measured it: a row
// per server and namespace with the rejection and disconnection figures
// and what the measurement's bound left accepted or connected.
func writeLagMD(b *strings.Builder, r *results.Result) {
	l := r.Revocation
	if l == nil {
		return
	}
	fmt.Fprintf(b, "### Revocation lag\n\n%d credential(s) revoked through server 0, probed every %s.\n\n",
		l.Revoked, l.ProbeEvery)
	b.WriteString("| server | namespace | rejected | p50 | p99 | max | disconnected | p50 | p99 | max | " +
		"still accepted | still connected |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, row := range l.Rows {
		fmt.Fprintf(b, "| %d | `%s` | %s | %s | %d | %d |\n", row.Server, mdEscape(row.Namespace),
			lagCells(row.Rejection), lagCells(row.Disconnect), row.NotRejected, row.NotDisconnected)
	}
	b.WriteString("\n")
}

// lagCells renders count, p50, p99 and max; dashes when nothing was
// recorded.
func lagCells(pd *results.PhaseData) string {
	if pd == nil || pd.Count == 0 {
		return "0 | – | – | –"
	}
	return fmt.Sprintf("%d | %s | %s | %s", pd.Count, usString(pd.P50), usString(pd.P99), usString(pd.Max))
}
