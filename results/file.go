package results

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile writes r as indented JSON to path atomically: into a temporary
// file in the same directory, synced, then renamed over path. A reader sees
// the old file or the new one, never a part.
func (r *Result) WriteFile(path string) (err error) {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("results: encode %s: %w", path, err)
	}
	data = append(data, '\n')

	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("results: write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("results: write %s: %w", path, err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("results: write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("results: sync %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("results: close %s: %w", path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("results: rename to %s: %w", path, err)
	}
	return nil
}

// ReadFile reads a results file written by WriteFile. A file of another
// format or schema version is an error wrapping ErrSchema.
func ReadFile(path string) (*Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("results: read %s: %w", path, err)
	}
	r, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("results: %s: %w", path, err)
	}
	return r, nil
}

// Decode parses results JSON, checking its format and schema version and
// that every histogram is present and shares the declared geometry.
func Decode(data []byte) (*Result, error) {
	var head struct {
		Format        string `json:"format"`
		SchemaVersion int    `json:"schema_version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("decode results: %w", err)
	}
	if head.Format != Format || head.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("%w: format %q version %d (this build reads %q version %d)",
			ErrSchema, head.Format, head.SchemaVersion, Format, SchemaVersion)
	}
	var r Result
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("decode results: %w", err)
	}
	if err := r.checkHistograms(); err != nil {
		return nil, err
	}
	if err := r.checkLag(); err != nil {
		return nil, err
	}
	return &r, nil
}

// checkHistograms verifies every histogram is present and has the result's
// geometry.
func (r *Result) checkHistograms() error {
	check := func(where string, pd *PhaseData) error {
		if pd == nil || pd.Histogram == nil || pd.Histogram.h == nil {
			return fmt.Errorf("%w: %s: missing histogram", ErrSchema, where)
		}
		if pd.Histogram.config() != r.Histograms {
			return fmt.Errorf("%w: %s: histogram geometry %+v, want %+v",
				ErrSchema, where, pd.Histogram.config(), r.Histograms)
		}
		return nil
	}
	for _, c := range r.Cells {
		for name, pd := range c.Phases {
			if err := check(fmt.Sprintf("cell %s %s %s %s", c.Namespace, c.Kind, c.Outcome, name), pd); err != nil {
				return err
			}
		}
	}
	for _, iv := range r.Intervals {
		if iv.Total == nil {
			continue
		}
		if err := check(fmt.Sprintf("interval %d", iv.Index), iv.Total); err != nil {
			return err
		}
	}
	return nil
}
