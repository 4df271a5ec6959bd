// Package jsonfile reads and writes the JSON files gatecrash's reports save
// beside results files: written atomically (into a temporary file in the
// same directory, synced, then renamed over the destination, so a reader
// sees the old content or the new, never a part), and read only when their
// "format" and "schema_version" are the ones expected.
package jsonfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrFormat reports JSON whose format or schema version is not the one
// expected, or that does not parse.
var ErrFormat = errors.New("unexpected file format")

// header is the part of every report file that names it.
type header struct {
	Format        string `json:"format"`
	SchemaVersion int    `json:"schema_version"`
}

// Format returns the format named by data's "format" field; empty when
// there is none.
func Format(data []byte) string {
	var h header
	_ = json.Unmarshal(data, &h)
	return h.Format
}

// Decode unmarshals data into v when its "format" and "schema_version" are
// format and version. Errors wrap ErrFormat.
func Decode(data []byte, format string, version int, v any) error {
	var h header
	if err := json.Unmarshal(data, &h); err != nil {
		return fmt.Errorf("%w: %w", ErrFormat, err)
	}
	if h.Format != format || h.SchemaVersion != version {
		return fmt.Errorf("%w: format %q version %d, want %q version %d",
			ErrFormat, h.Format, h.SchemaVersion, format, version)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %w", ErrFormat, err)
	}
	return nil
}

// Write writes v as indented JSON, with a final newline, to path
// atomically.
func Write(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return writeBytes(path, append(data, '\n'))
}

// writeBytes writes data to path atomically, mode 0644.
func writeBytes(path string, data []byte) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("rename to %s: %w", path, err)
	}
	return nil
}

// Parse decodes data as a T, as Decode does.
func Parse[T any](data []byte, format string, version int) (*T, error) {
	var v T
	if err := Decode(data, format, version, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// Load reads path and decodes it as a T, as Decode does.
func Load[T any](path string, format string, version int) (*T, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	v, err := Parse[T](data, format, version)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}
