package keyfile

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatecrash/gatecrash/verifiers"
)

func TestAppendLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.jsonl")
	store := verifiers.NewMemoryKeyStore()
	var want []verifiers.APIKeyRecord
	for _, sub := range []string{"svc-a", "svc-b"} {
		_, rec, err := verifiers.NewAPIKey(context.Background(), store,
			verifiers.APIKeySpec{Env: "live", Subject: sub, Roles: []string{"api"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := Append(path, rec); err != nil {
			t.Fatal(err)
		}
		want = append(want, rec)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].ID != want[i].ID || got[i].Digest != want[i].Digest ||
			got[i].Subject != want[i].Subject || len(got[i].Roles) != 1 {
			t.Errorf("record %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestLoadNamesFileAndLine(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"bad json", "\n{not json}\n", ":2: keyfile: malformed record"},
		{"unknown field", `{"id":"a","env":"live","sha256":"","subject":"s","key":"x"}`, ":1:"},
		{"short digest", `{"id":"a","env":"live","sha256":"abcd","subject":"s"}`, "64 hex digits"},
		{"missing subject", `{"id":"a","env":"live","sha256":"` + strings.Repeat("0", 64) + `"}`,
			"subject are required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "keys.jsonl")
			if err := os.WriteFile(path, []byte(tc.text), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path)
			if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.want) ||
				!strings.Contains(err.Error(), path) {
				t.Fatalf("Load: %v; want an ErrFormat naming %s and %q", err, path, tc.want)
			}
		})
	}
}
