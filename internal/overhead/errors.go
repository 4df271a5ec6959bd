package overhead

import (
	"errors"

	"github.com/gatecrash/gatecrash/internal/jsonfile"
)

// Sentinel errors callers branch on.
var (
	// ErrTarget reports a base scenario with a target: overhead compares
	// verifiers of the embedded server, which a remote server does not let
	// it swap.
	ErrTarget = errors.New("overhead: the scenario names a target; overhead needs the embedded server")
	// ErrNoBaseline reports variants without the baseline (no auth) to
	// compare against.
	ErrNoBaseline = errors.New("overhead: no baseline variant")
	// ErrFormat (jsonfile.ErrFormat) reports a file that is not an overhead
	// report of a known schema version.
	ErrFormat = jsonfile.ErrFormat
)
