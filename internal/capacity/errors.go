package capacity

import "errors"

// Sentinel errors callers branch on.
var (
	// ErrSLO reports an SLO that does not parse or is empty.
	ErrSLO = errors.New("capacity: bad SLO")
	// ErrConfig reports an impossible search configuration.
	ErrConfig = errors.New("capacity: bad configuration")
	// ErrNoRate reports a search in which no probed rate met the SLO.
	ErrNoRate = errors.New("capacity: no probed rate met the SLO")
	// ErrFormat reports a file that is not a capacity report of a known
	// schema version.
	ErrFormat = errors.New("capacity: not a capacity report")
)
