package compare

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/results"
)

const benchOutput = `goos: linux
goarch: amd64
pkg: github.com/gatecrash/gatecrash
BenchmarkHandshake/jwt/cached-2   	 200	  568550 ns/op	  533.4 cpu-µs/handshake	 1771 handshakes/s
BenchmarkHandshake/jwt/cached-2   	 200	  600000 ns/op	  540.0 cpu-µs/handshake	 1700 handshakes/s
PASS
`

func TestAddBench(t *testing.T) {
	s := NewSet("base")
	n, err := s.AddBench(strings.NewReader(benchOutput), "bench.txt")
	if err != nil {
		t.Fatal(err)
	}
	k := Key{Name: "gatecrash Handshake/jwt/cached", Unit: "sec/op"}
	if n != 2 || len(s.Values[k]) != 2 || s.Values[k][0] != 568550e-9 {
		t.Fatalf("read %d results, %v = %v; keys %v", n, k, s.Values[k], s.Keys)
	}
	if got := s.Values[Key{Name: k.Name, Unit: "handshakes/s"}]; len(got) != 2 || got[1] != 1700 {
		t.Errorf("handshakes/s = %v", got)
	}
}

func TestAddFileKinds(t *testing.T) {
	dir := t.TempDir()
	rec := results.NewRecorder(results.Options{})
	for i := range 10 {
		var s results.Sample
		s.Namespace, s.Kind, s.Expect, s.Outcome = "/", "jwt", results.ExpectAccept, results.OutcomeAccepted
		s.ConnFirst = true
		s.Phases[results.PhaseConnect] = time.Duration(100+i) * time.Microsecond
		s.Phases[results.PhaseTotal] = time.Duration(900+i) * time.Microsecond
		rec.Record(s)
	}
	jsonPath := filepath.Join(dir, "r.json")
	if err := rec.Finish(results.Meta{Duration: 2 * time.Second}).WriteFile(jsonPath); err != nil {
		t.Fatal(err)
	}
	benchPath := filepath.Join(dir, "bench.txt")
	emptyPath := filepath.Join(dir, "empty.txt")
	for p, data := range map[string]string{benchPath: benchOutput, emptyPath: "PASS\n"} {
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		path    string
		wantKey Key
		wantVal float64
		wantErr error
	}{
		{name: "results json", path: jsonPath, wantKey: Key{Name: RunName, Unit: "rate(all)"}, wantVal: 5},
		{name: "results false accepts", path: jsonPath, wantKey: Key{Name: RunName, Unit: "false_accepts"}},
		{name: "bench output", path: benchPath,
			wantKey: Key{Name: "gatecrash Handshake/jwt/cached", Unit: "cpu-µs/handshake"}, wantVal: 533.4},
		{name: "no results", path: emptyPath, wantErr: ErrInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSet(tt.name)
			err := s.AddFile(tt.path)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Values[tt.wantKey]; len(got) == 0 || got[0] != tt.wantVal {
				t.Errorf("%v = %v, want %v; keys %v", tt.wantKey, got, tt.wantVal, s.Keys)
			}
		})
	}
	s := NewSet("p")
	if err := s.AddFile(jsonPath); err != nil {
		t.Fatal(err)
	}
	if p99 := s.Values[Key{Name: RunName, Unit: "p99(connect)"}]; len(p99) != 1 || p99[0] < 100 || p99[0] > 111 {
		t.Errorf("p99(connect) = %v, want about 109", p99)
	}
}
