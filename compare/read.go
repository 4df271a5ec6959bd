package compare

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"golang.org/x/perf/benchfmt"

	"github.com/gatecrash/gatecrash/results"
)

// RunName is the Key.Name of every metric read from gatecrash results.
const RunName = "run"

// AddResult adds the metrics of one gatecrash run: p50, p90, p99 and mean of
// every phase reached ("p99(connect)", in µs), rate(all) and rate(accepted)
// per second, error_rate as a fraction, and the counts false_accepts,
// identity_mismatches and false_rejects.
func (s *Set) AddResult(r *results.Result) {
	for p := results.Phase(0); p < results.NumPhases; p++ {
		st, ok := r.Phases[p.String()]
		if !ok || st.Count == 0 {
			continue
		}
		for _, m := range []struct {
			agg string
			v   float64
		}{{"p50", float64(st.P50)}, {"p90", float64(st.P90)}, {"p99", float64(st.P99)}, {"mean", st.Mean}} {
			s.Add(Key{Name: RunName, Unit: m.agg + "(" + p.String() + ")"}, m.v)
		}
	}
	c := r.Counters
	if secs := r.Meta.Duration.Seconds(); secs > 0 {
		s.Add(Key{Name: RunName, Unit: "rate(all)"}, float64(c.Samples)/secs)
		s.Add(Key{Name: RunName, Unit: "rate(accepted)"}, float64(c.Outcomes[results.OutcomeAccepted])/secs)
	}
	if c.Samples > 0 {
		s.Add(Key{Name: RunName, Unit: "error_rate"}, 1-float64(c.Verdicts[results.VerdictOK])/float64(c.Samples))
	}
	s.Add(Key{Name: RunName, Unit: "false_accepts"}, float64(r.Security.FalseAccepts))
	s.Add(Key{Name: RunName, Unit: "identity_mismatches"}, float64(r.Security.IdentityMismatches))
	s.Add(Key{Name: RunName, Unit: "false_rejects"}, float64(c.Verdicts[results.VerdictFalseReject]))
}

// AddBench adds every benchmark result of `go test -bench` output read from
// r; file names the input in errors. Names and units are benchfmt's, as
// benchstat shows them: "BenchmarkX/y-8" is "X/y" (GOMAXPROCS is
// configuration), ns/op becomes sec/op. It returns how many result lines were read.
func (s *Set) AddBench(r io.Reader, file string) (int, error) {
	br := benchfmt.NewReader(r, file)
	n := 0
	for br.Scan() {
		switch rec := br.Result().(type) {
		case *benchfmt.SyntaxError:
			return n, fmt.Errorf("%w: %v", ErrInput, rec)
		case *benchfmt.Result:
			name := benchName(rec.Name)
			if pkg := rec.GetConfig("pkg"); pkg != "" {
				name = path.Base(pkg) + " " + name
			}
			for _, v := range rec.Values {
				s.Add(Key{Name: name, Unit: v.Unit}, v.Value)
			}
			n++
		}
	}
	if err := br.Err(); err != nil {
		return n, fmt.Errorf("%w: %s: %w", ErrInput, file, err)
	}
	return n, nil
}

// AddFile adds the measurements in the file at p: gatecrash results JSON
// (it starts with "{") or `go test -bench` output.
func (s *Set) AddFile(p string) error {
	data, err := os.ReadFile(p)
	if err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		r, err := results.Decode(data)
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrInput, p, err)
		}
		s.AddResult(r)
		return nil
	}
	n, err := s.AddBench(bytes.NewReader(data), p)
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%w: %s: no benchmark results and not results JSON", ErrInput, p)
	}
	return nil
}

// benchName is the benchmark's name without its "-N" GOMAXPROCS part, which
// benchfmt keeps as the last part of the name.
func benchName(n benchfmt.Name) string {
	base, parts := n.Parts()
	var b strings.Builder
	b.Write(base)
	for _, p := range parts {
		if len(p) > 0 && p[0] == '-' {
			continue
		}
		b.Write(p)
	}
	return b.String()
}
