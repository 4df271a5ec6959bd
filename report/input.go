package report

import (
	"errors"
	"fmt"
	"os"

	"github.com/gatecrash/gatecrash/internal/capacity"
	"github.com/gatecrash/gatecrash/internal/jsonfile"
	"github.com/gatecrash/gatecrash/internal/overhead"
	"github.com/gatecrash/gatecrash/results"
)

// ErrInput reports files a report cannot be made of: none, one of an
// unknown format, or two of the same kind.
var ErrInput = errors.New("report: bad input")

// Input is what one report shows: a run's result, an overhead table
// (`gatecrash overhead --json`), a capacity search (`gatecrash capacity
// --json`), or any mix of them; at least one.
type Input struct {
	Result   *results.Result
	Overhead *overhead.Report
	Capacity *capacity.Report
}

// ReadInput reads the files a report is made of, telling them apart by
// their "format" field, at most one of each kind.
func ReadInput(paths ...string) (Input, error) {
	var in Input
	if len(paths) == 0 {
		return in, fmt.Errorf("%w: no file", ErrInput)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return in, fmt.Errorf("report: %w", err)
		}
		if err := in.add(p, data); err != nil {
			return in, err
		}
	}
	return in, nil
}

// add decodes one file into the part its format names.
func (in *Input) add(path string, data []byte) error {
	var err error
	twice := false
	switch f := jsonfile.Format(data); f {
	case results.Format:
		twice = in.Result != nil
		in.Result, err = results.Decode(data)
	case overhead.Format:
		twice = in.Overhead != nil
		in.Overhead, err = overhead.Decode(data)
	case capacity.Format:
		twice = in.Capacity != nil
		in.Capacity, err = capacity.Decode(data)
	default:
		return fmt.Errorf("%w: %s: format %q is none of %s, %s, %s", ErrInput, path, f,
			results.Format, overhead.Format, capacity.Format)
	}
	if twice {
		return fmt.Errorf("%w: %s: a second %s file", ErrInput, path, jsonfile.Format(data))
	}
	if err != nil {
		return fmt.Errorf("report: %s: %w", path, err)
	}
	return nil
}

// empty reports whether in has nothing to show.
func (in Input) empty() bool {
	return in.Result == nil && in.Overhead == nil && in.Capacity == nil
}
