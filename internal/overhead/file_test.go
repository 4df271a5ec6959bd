package overhead

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/verifiers"
)

func TestReportFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	want := &Report{Format: Format, SchemaVersion: SchemaVersion, Schedule: "open", Rounds: 2, Cores: 2,
		Rows: []Row{
			{Variant: None, Started: 10, CPU: 100 * time.Microsecond, HitRatio: -1},
			{Variant: Variant{Method: verifiers.MethodJWT, Alg: "RS256", Cached: true}, Started: 10,
				CPU: 150 * time.Microsecond, CPUDelta: 50 * time.Microsecond, HitRatio: 0.9},
		}}
	path := filepath.Join(dir, "overhead.json")
	if err := want.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Rows) != 2 || got.Rows[1].Variant != want.Rows[1].Variant ||
		got.Rows[1].CPUDelta != want.Rows[1].CPUDelta {
		t.Errorf("read back %+v", got)
	}
	tests := []struct {
		name    string
		path    string
		content string
		wantErr error
	}{
		{name: "a results file", path: "r.json", content: `{"format":"gatecrash-results","schema_version":1}`,
			wantErr: ErrFormat},
		{name: "missing", path: "none.json", wantErr: os.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.path)
			if tt.content != "" {
				os.WriteFile(p, []byte(tt.content), 0o644)
			}
			if _, err := ReadFile(p); !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}
