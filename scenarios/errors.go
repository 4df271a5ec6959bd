package scenarios

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gatecrash/gatecrash/internal/creds"
)

// Sentinel errors callers branch on.
var (
	// ErrInvalid is wrapped by every *ValidationError: the scenario was read
	// but is not valid.
	ErrInvalid = errors.New("scenarios: invalid scenario")
	// ErrNotFound reports a scenario that is neither a file nor a built-in.
	ErrNotFound = errors.New("scenarios: no such scenario")
	// ErrNotRegular reports a scenario or input file that is not a regular
	// file (a FIFO, a device, a directory): it is refused, not read.
	ErrNotRegular = creds.ErrNotRegular
)

// Pos is a position in a scenario file; Line and Col are 1-based, zero when
// unknown.
type Pos struct {
	File string
	Line int
	Col  int
}

// String renders the position as file:line:col.
func (p Pos) String() string {
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Problem is one thing wrong with a scenario: where, which field, what.
type Problem struct {
	Pos Pos
	// Path is the field path, for example "load.stages[1].rate"; empty for a
	// problem with the document as a whole.
	Path string
	Msg  string
}

// String renders the problem as "file:line:col: path: message".
func (p Problem) String() string {
	if p.Path == "" {
		return fmt.Sprintf("%s: %s", p.Pos, p.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", p.Pos, p.Path, p.Msg)
}

// ValidationError lists every problem found in a scenario, in file order.
type ValidationError struct {
	Problems []Problem
}

// Error lists the problems, one per line.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns ErrInvalid.
func (e *ValidationError) Unwrap() error { return ErrInvalid }
