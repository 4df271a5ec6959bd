package capacity

import (
	"fmt"

	"github.com/gatecrash/gatecrash/internal/jsonfile"
)

// WriteFile writes r as indented JSON to path atomically.
func (r *Report) WriteFile(path string) error {
	if err := jsonfile.Write(path, r); err != nil {
		return fmt.Errorf("capacity: %w", err)
	}
	return nil
}

// ReadFile reads a report written by WriteFile. A file of another format
// or schema version is an error wrapping ErrFormat.
func ReadFile(path string) (*Report, error) {
	r, err := jsonfile.Load[Report](path, Format, SchemaVersion)
	if err != nil {
		return nil, fmt.Errorf("capacity: %w", err)
	}
	return r, nil
}

// Decode parses a report's JSON. Another format or schema version is an
// error wrapping ErrFormat.
func Decode(data []byte) (*Report, error) {
	r, err := jsonfile.Parse[Report](data, Format, SchemaVersion)
	if err != nil {
		return nil, fmt.Errorf("capacity: %w", err)
	}
	return r, nil
}
