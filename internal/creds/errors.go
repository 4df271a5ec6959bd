package creds

import "errors"

// Sentinel errors callers branch on; each error this package returns wraps
// one of them.
var (
	// ErrUnknownKind: a kind name that is not in the catalogue.
	ErrUnknownKind = errors.New("creds: unknown credential kind")
	// ErrNoMaterial: a kind cannot be minted from the material in Config (no
	// signing key for its algorithm, no store and no records file, …).
	ErrNoMaterial = errors.New("creds: no material to mint this kind")
	// ErrPlacement: a kind cannot travel where its Spec puts it (a session in
	// an Authorization header, a JWT in the session cookie).
	ErrPlacement = errors.New("creds: credential cannot travel there")
	// ErrPlan: the plan is invalid (no identity, no handshake, empty mix,
	// bad weight or reuse parameter).
	ErrPlan = errors.New("creds: invalid plan")
	// ErrRecords: a records file could not be read or has a bad line.
	ErrRecords = errors.New("creds: invalid records file")
)
