package audit

import "errors"

// Sentinel errors callers branch on; every error Run returns wraps one of
// them or the context's error.
var (
	// ErrConfig: the configuration is invalid (no target, bad URL, a
	// namespace not starting with "/", an unknown transport).
	ErrConfig = errors.New("audit: invalid configuration")
	// ErrNotLoopback: the target is not on loopback and AllowRemote is not
	// set.
	ErrNotLoopback = errors.New("audit: target is not on loopback (AllowRemote not set)")
	// ErrBudget: the plan needs more handshakes than MaxRequests allows.
	ErrBudget = errors.New("audit: plan exceeds the request budget")
	// ErrUnreachable: not one Engine.IO session could be opened with the
	// target, on any transport; nothing the audit saw would mean anything.
	ErrUnreachable = errors.New("audit: target unreachable")
)
