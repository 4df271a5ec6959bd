package jsonfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	tests := []struct {
		name    string
		path    func(dir string) string
		v       any
		want    string
		wantErr bool
	}{
		{name: "new file", path: func(d string) string { return filepath.Join(d, "a.json") },
			v: map[string]int{"n": 1}, want: "{\n  \"n\": 1\n}\n"},
		{name: "unencodable", path: func(d string) string { return filepath.Join(d, "b.json") },
			v: func() {}, wantErr: true},
		{name: "missing directory", path: func(d string) string { return filepath.Join(d, "no", "c.json") },
			v: 1, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := tt.path(dir)
			err := Write(p, tt.v)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if e.Name() != filepath.Base(p) && e.Name() != "no" {
					t.Errorf("left %s behind", e.Name())
				}
			}
			if tt.wantErr {
				return
			}
			got, err := os.ReadFile(p)
			if err != nil || string(got) != tt.want {
				t.Errorf("file = %q (%v), want %q", got, err, tt.want)
			}
		})
	}
}

func TestDecode(t *testing.T) {
	type doc struct {
		Format        string `json:"format"`
		SchemaVersion int    `json:"schema_version"`
		N             int    `json:"n"`
	}
	tests := []struct {
		name    string
		data    string
		wantN   int
		wantErr error
	}{
		{name: "expected", data: `{"format":"f","schema_version":1,"n":3}`, wantN: 3},
		{name: "other format", data: `{"format":"g","schema_version":1,"n":3}`, wantErr: ErrFormat},
		{name: "newer version", data: `{"format":"f","schema_version":2}`, wantErr: ErrFormat},
		{name: "not json", data: `format: f`, wantErr: ErrFormat},
		{name: "wrong field type", data: `{"format":"f","schema_version":1,"n":"x"}`, wantErr: ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d doc
			err := Decode([]byte(tt.data), "f", 1, &d)
			if !errors.Is(err, tt.wantErr) || d.N != tt.wantN {
				t.Errorf("n = %d, err = %v; want %d, %v", d.N, err, tt.wantN, tt.wantErr)
			}
			if tt.wantErr == nil && Format([]byte(tt.data)) != "f" {
				t.Errorf("Format() = %q, want f", Format([]byte(tt.data)))
			}
		})
	}
}
