package capacity

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/gatecrash/gatecrash/internal/atomicfile"
)

// WriteFile writes r as indented JSON to path atomically.
func (r *Report) WriteFile(path string) error {
	if err := atomicfile.WriteJSON(path, r); err != nil {
		return fmt.Errorf("capacity: %w", err)
	}
	return nil
}

// ReadFile reads a report written by WriteFile.
func ReadFile(path string) (*Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("capacity: %w", err)
	}
	r, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("capacity: %s: %w", path, err)
	}
	return r, nil
}

// Decode parses a report's JSON. Another format or schema version is an
// error wrapping ErrFormat.
func Decode(data []byte) (*Report, error) {
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	if r.Format != Format || r.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("%w: format %q version %d, want %q version %d",
			ErrFormat, r.Format, r.SchemaVersion, Format, SchemaVersion)
	}
	return &r, nil
}
