package distributed

import "errors"

// Sentinel errors callers branch on.
var (
	// ErrVersion: a worker and the coordinator speak different protocol
	// versions; the worker is refused.
	ErrVersion = errors.New("distributed: protocol version mismatch")
	// ErrRefused: the coordinator refused the worker for another reason
	// (the run is full, it has started).
	ErrRefused = errors.New("distributed: worker refused")
	// ErrNoTarget: the scenario names no target. Workers mint credentials
	// themselves, from the scenario's key material and records file, and
	// cannot reach the in-memory stores of an embedded server in another
	// process: start `gatecrash serve` and name it as the target.
	ErrNoTarget = errors.New("distributed: a distributed run needs a target")
	// ErrJoinTimeout: not every worker joined in time.
	ErrJoinTimeout = errors.New("distributed: workers did not join in time")
	// ErrWorker: a worker failed before the run started (minting, its
	// plan); the run is aborted.
	ErrWorker = errors.New("distributed: worker failed")
	// ErrLost: a worker stopped beating before the run started.
	ErrLost = errors.New("distributed: worker lost")
)
