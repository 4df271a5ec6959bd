package compare

import "errors"

// Sentinel errors callers branch on.
var (
	// ErrGate reports a gate expression that does not parse.
	ErrGate = errors.New("compare: bad gate")
	// ErrInput reports an input that is neither gatecrash results JSON nor
	// `go test -bench` output, or holds no measurement.
	ErrInput = errors.New("compare: unreadable input")
)
