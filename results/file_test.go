package results

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFileRoundTrip(t *testing.T) {
	r := evalResult(t, "p99(connect) < 1s", "error_rate < 1%")
	path := filepath.Join(t.TempDir(), "results.json")
	if err := r.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	assertSameData(t, got, r)
	if len(got.Thresholds) != 2 || got.Thresholds[1] != r.Thresholds[1] || !got.Meta.Start.Equal(r.Meta.Start) {
		t.Errorf("round trip lost thresholds or meta: %+v", got.Thresholds)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "results.json")
	if err := os.WriteFile(path, []byte("old contents"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := evalResult(t).WriteFile(path); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(path); err != nil {
		t.Errorf("replaced file does not read back: %v", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only results.json (no temporary left)", len(entries))
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("mode = %v, %v; want 0644", info.Mode(), err)
	}
}

func TestWriteFileFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "missing", "results.json")
	if err := evalResult(t).WriteFile(path); err == nil {
		t.Fatal("WriteFile into a missing directory succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("failed write left %d entries", len(entries))
	}
}

func TestReadFileRejects(t *testing.T) {
	good, err := json.Marshal(evalResult(t))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(good, &m); err != nil {
		t.Fatal(err)
	}
	edit := func(f func(map[string]any)) []byte {
		var c map[string]any
		_ = json.Unmarshal(good, &c)
		f(c)
		b, _ := json.Marshal(c)
		return b
	}
	tests := []struct {
		name   string
		data   []byte
		schema bool
	}{
		{name: "not json", data: []byte("{")},
		{name: "other format", data: edit(func(c map[string]any) { c["format"] = "k6" }), schema: true},
		{name: "future schema", data: edit(func(c map[string]any) { c["schema_version"] = 99 }), schema: true},
		{name: "other geometry", data: edit(func(c map[string]any) {
			c["histograms"].(map[string]any)["significant_figures"] = 3
		}), schema: true},
		{name: "corrupt histogram", data: edit(func(c map[string]any) {
			c["intervals"].([]any)[0].(map[string]any)["total"].(map[string]any)["hdr"] = "AAAA"
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "r.json")
			if err := os.WriteFile(path, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadFile(path)
			if err == nil {
				t.Fatal("ReadFile accepted a bad file")
			}
			if errors.Is(err, ErrSchema) != tt.schema {
				t.Errorf("error = %v; ErrSchema expected: %v", err, tt.schema)
			}
		})
	}
}
