package overhead

import (
	"fmt"

	"github.com/gatecrash/gatecrash/internal/jsonfile"
)

// Format names the overhead JSON, so `gatecrash report` can tell it from a
// results file.
const Format = "gatecrash-overhead"

// SchemaVersion is the version of the overhead JSON this build writes and
// reads.
const SchemaVersion = 1

// WriteFile writes r as indented JSON to path atomically.
func (r *Report) WriteFile(path string) error {
	if err := jsonfile.Write(path, r); err != nil {
		return fmt.Errorf("overhead: %w", err)
	}
	return nil
}

// ReadFile reads a report written by WriteFile. A file of another format
// or schema version is an error wrapping ErrFormat.
func ReadFile(path string) (*Report, error) {
	r, err := jsonfile.Load[Report](path, Format, SchemaVersion)
	if err != nil {
		return nil, fmt.Errorf("overhead: %w", err)
	}
	return r, nil
}

// Decode parses a report's JSON. Another format or schema version is an
// error wrapping ErrFormat.
func Decode(data []byte) (*Report, error) {
	r, err := jsonfile.Parse[Report](data, Format, SchemaVersion)
	if err != nil {
		return nil, fmt.Errorf("overhead: %w", err)
	}
	return r, nil
}
