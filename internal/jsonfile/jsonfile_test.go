package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteJSON(t *testing.T) {
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
			err := WriteJSON(p, tt.v)
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
