package capacity

import (
	"errors"

	"github.com/gatecrash/gatecrash/internal/jsonfile"
)

// Sentinel errors callers branch on.
var (
	// ErrSLO reports an SLO that does not parse or is empty.
	ErrSLO = errors.New("capacity: bad SLO")
	// ErrConfig reports an impossible search configuration.
	ErrConfig = errors.New("capacity: bad configuration")
	// ErrNoRate reports a search in which no probed rate met the SLO.
	ErrNoRate = errors.New("capacity: no probed rate met the SLO")
	// ErrFormat (jsonfile.ErrFormat) reports a file that is not a capacity
	// report of a known schema version.
	ErrFormat = jsonfile.ErrFormat
)
