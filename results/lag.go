package results

import (
	"cmp"
	"fmt"
	"slices"
	"text/tabwriter"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// RevocationLag is the revocation lag a run measured (a scenario's revoke
// block): per server and namespace, the time from each revocation to the
// first rejected CONNECT of the revoked credential, and to the DISCONNECT
// of a socket held with it. An optional field: results without it are read
// as before, with no schema change.
type RevocationLag struct {
	// Revoked is the number of credentials revoked.
	Revoked int64 `json:"revoked"`
	// ProbeEvery is the pause between probing CONNECTs: the rejection
	// lag's resolution.
	ProbeEvery time.Duration `json:"probe_every_ns"`
	// Rows are sorted by server, then namespace.
	Rows []LagRow `json:"rows"`
}

// LagRow is the lag on one server (its index; 0 revoked) and namespace.
type LagRow struct {
	Server    int    `json:"server"`
	Namespace string `json:"namespace"`
	// Rejection and Disconnect are nil when nothing was recorded.
	Rejection  *PhaseData `json:"rejection,omitempty"`
	Disconnect *PhaseData `json:"disconnect,omitempty"`
	// NotRejected and NotDisconnected count credentials still accepted, or
	// held sockets still connected, at the measurement's bound.
	NotRejected     int64 `json:"not_rejected"`
	NotDisconnected int64 `json:"not_disconnected"`
	// Reconnects counts probing sessions the server ended.
	Reconnects int64 `json:"reconnects"`
}

// LagData wraps an HDR histogram of microseconds (a copy) as PhaseData with
// its figures; nil for a nil or empty histogram.
func LagData(h *hdr.Histogram) *PhaseData {
	if h == nil || h.TotalCount() == 0 {
		return nil
	}
	hist := &Histogram{h: h.Clone()}
	return &PhaseData{Stats: hist.Stats(), Histogram: hist}
}

// SortRows orders the rows by server, then namespace.
func (l *RevocationLag) SortRows() {
	slices.SortFunc(l.Rows, func(a, b LagRow) int {
		return cmp.Or(cmp.Compare(a.Server, b.Server), cmp.Compare(a.Namespace, b.Namespace))
	})
}

// mergeLag adds src into dst (nil when both are): counts add, histograms
// merge per server and namespace, ProbeEvery is the coarser.
func mergeLag(dst, src *RevocationLag) *RevocationLag {
	if src == nil {
		return dst
	}
	if dst == nil {
		dst = &RevocationLag{}
	}
	dst.Revoked += src.Revoked
	dst.ProbeEvery = max(dst.ProbeEvery, src.ProbeEvery)
	for _, r := range src.Rows {
		i := slices.IndexFunc(dst.Rows, func(d LagRow) bool {
			return d.Server == r.Server && d.Namespace == r.Namespace
		})
		if i < 0 {
			dst.Rows = append(dst.Rows, LagRow{Server: r.Server, Namespace: r.Namespace})
			i = len(dst.Rows) - 1
		}
		d := &dst.Rows[i]
		d.Rejection = mergeLagData(d.Rejection, r.Rejection)
		d.Disconnect = mergeLagData(d.Disconnect, r.Disconnect)
		d.NotRejected += r.NotRejected
		d.NotDisconnected += r.NotDisconnected
		d.Reconnects += r.Reconnects
	}
	dst.SortRows()
	return dst
}

func mergeLagData(dst, src *PhaseData) *PhaseData {
	if src == nil {
		return dst
	}
	if dst == nil {
		return LagData(src.Histogram.h)
	}
	out := LagData(dst.Histogram.h)
	out.Histogram.merge(src.Histogram)
	out.Stats = out.Histogram.Stats()
	return out
}

// checkLag verifies every lag histogram is present and has the geometry.
func (r *Result) checkLag() error {
	if r.Revocation == nil {
		return nil
	}
	for _, row := range r.Revocation.Rows {
		for name, pd := range map[string]*PhaseData{"rejection": row.Rejection, "disconnect": row.Disconnect} {
			if pd == nil {
				continue
			}
			if pd.Histogram == nil || pd.Histogram.h == nil {
				return fmt.Errorf("%w: revocation %d %s %s: missing histogram", ErrSchema, row.Server,
					row.Namespace, name)
			}
			if pd.Histogram.config() != r.Histograms {
				return fmt.Errorf("%w: revocation %d %s %s: histogram geometry %+v, want %+v", ErrSchema,
					row.Server, row.Namespace, name, pd.Histogram.config(), r.Histograms)
			}
		}
	}
	return nil
}

// revocation writes the revocation lag table: per server and namespace,
// the rejection lag's figures, the disconnection lag's, and what the bound
// left accepted or connected.
func (s *summaryWriter) revocation(r *Result) {
	l := r.Revocation
	if l == nil {
		return
	}
	s.printf("\nrevocation  %d credential(s) revoked through server 0, probed every %s\n",
		l.Revoked, l.ProbeEvery)
	s.table(func(tw *tabwriter.Writer) {
		fmt.Fprintln(tw, "server\tnamespace\trejected\tp50\tp99\tmax\tdisconnected\tp50\tp99\tmax\t"+
			"still accepted\tstill connected")
		for _, row := range l.Rows {
			rj, dc := lagStats(row.Rejection), lagStats(row.Disconnect)
			fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%d\t%d\n", row.Server, row.Namespace,
				rj.Count, lagFigure(rj, rj.P50), lagFigure(rj, rj.P99), lagFigure(rj, rj.Max),
				dc.Count, lagFigure(dc, dc.P50), lagFigure(dc, dc.P99), lagFigure(dc, dc.Max),
				row.NotRejected, row.NotDisconnected)
		}
	})
}

func lagStats(pd *PhaseData) Stats {
	if pd == nil {
		return Stats{}
	}
	return pd.Stats
}

// lagFigure formats one figure, "-" when nothing was recorded.
func lagFigure(st Stats, us int64) string {
	if st.Count == 0 {
		return "-"
	}
	return formatMicros(us)
}
