package results

import "errors"

// Sentinel errors callers branch on.
var (
	// ErrSchema reports a results file whose format or schema version this
	// build does not read.
	ErrSchema = errors.New("results: unsupported schema")
	// ErrIncompatible reports results that cannot be merged exactly: their
	// histogram geometry or interval width differ.
	ErrIncompatible = errors.New("results: incompatible results")
	// ErrThreshold reports a threshold expression that does not parse.
	ErrThreshold = errors.New("results: bad threshold")
)
