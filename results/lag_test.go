package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// lagHist records the given milliseconds in the default geometry.
func lagHist(msValues ...int64) *hdr.Histogram {
	c := DefaultHistogramConfig()
	h := hdr.New(c.LowestUS, c.HighestUS, c.SignificantFigures)
	for _, v := range msValues {
		_ = h.RecordValue(v * 1000)
	}
	return h
}

func lagResult(rows ...LagRow) *Result {
	r := record(genSamples(1, 50))
	r.Revocation = &RevocationLag{Revoked: 2, ProbeEvery: 5 * time.Millisecond, Rows: rows}
	return r
}

// TestRevocationLag_Merge: rows of the same server and namespace add count
// for count, others are kept, sorted; results without a lag merge with it.
func TestRevocationLag_Merge(t *testing.T) {
	a := lagResult(LagRow{Server: 1, Namespace: "/api", Rejection: LagData(lagHist(10, 20)), NotDisconnected: 2},
		LagRow{Server: 0, Namespace: "/api", Rejection: LagData(lagHist(1, 1))})
	b := lagResult(LagRow{Server: 1, Namespace: "/api", Rejection: LagData(lagHist(900, 1000)),
		Disconnect: LagData(lagHist(5)), NotRejected: 1})
	plain := record(genSamples(2, 50))
	m, err := Merge(a, plain, b)
	if err != nil {
		t.Fatal(err)
	}
	l := m.Revocation
	if l == nil || l.Revoked != 4 || len(l.Rows) != 2 || l.Rows[0].Server != 0 {
		t.Fatalf("merged lag = %+v, want 4 revoked and rows server 0 then 1", l)
	}
	one := l.Rows[1]
	if one.Rejection.Count != 4 || one.Rejection.Stats.Max < 990_000 || one.Disconnect.Count != 1 ||
		one.NotRejected != 1 || one.NotDisconnected != 2 {
		t.Errorf("server 1 row = %+v %+v %+v", one, one.Rejection.Stats, one.Disconnect)
	}
	if a.Revocation.Rows[0].Rejection.Count != 2 {
		t.Errorf("Merge modified its input: %+v", a.Revocation.Rows[0].Rejection.Stats)
	}
	if m2, err := Merge(plain); err != nil || m2.Revocation != nil {
		t.Errorf("merge without a lag: %+v, %v", m2.Revocation, err)
	}
}

// TestRevocationLag_JSON: the lag survives a round trip; a lag histogram
// of another geometry is ErrSchema.
func TestRevocationLag_JSON(t *testing.T) {
	tests := []struct {
		name    string
		hist    *hdr.Histogram
		wantErr error
	}{
		{name: "round trip", hist: lagHist(3, 7)},
		{name: "other geometry", hist: hdr.New(1, 1000, 3), wantErr: ErrSchema},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_ = tt.hist.RecordValue(500)
			r := lagResult(LagRow{Server: 1, Namespace: "/api", Rejection: LagData(tt.hist)})
			data, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Decode(data)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Decode: %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			row := got.Revocation.Rows[0]
			if !row.Rejection.Histogram.equal(r.Revocation.Rows[0].Rejection.Histogram) || row.Disconnect != nil {
				t.Errorf("row after round trip = %+v", row)
			}
		})
	}
}

// TestRevocationLag_Summary: the summary prints a line per server and
// namespace (figures at HDR's two-digit precision), "-" where nothing was
// recorded; none without a lag.
func TestRevocationLag_Summary(t *testing.T) {
	r := lagResult(LagRow{Server: 0, Namespace: "/api", Rejection: LagData(lagHist(2)),
		Disconnect: LagData(lagHist(3))},
		LagRow{Server: 1, Namespace: "/api", Rejection: LagData(lagHist(1500)), NotDisconnected: 2})
	var b bytes.Buffer
	if err := WriteSummary(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"revocation  2 credential(s) revoked through server 0, probed every 5ms",
		"0       /api       1         2.01ms  2.01ms  2.01ms  1             3.01ms  3.01ms  3.01ms  0               0",
		"1       /api       1         1.51s   1.51s   1.51s   0             -       -       -       0               2",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	b.Reset()
	r.Revocation = nil
	_ = WriteSummary(&b, r)
	if strings.Contains(b.String(), "revocation") {
		t.Errorf("summary without a lag mentions it:\n%s", b.String())
	}
}
