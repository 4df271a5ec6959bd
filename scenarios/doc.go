// Package scenarios reads gatecrash scenarios: YAML files that say what to
// test (the embedded reference server or a target), which namespaces exist
// and what they require, which credentials clients present and what each
// must get, the load, the thresholds and the outputs.
//
// Load and Parse report every problem at once, each with its file:line:col
// and field path, in a *ValidationError (errors.Is(err, ErrInvalid)):
// unknown keys (with a suggestion when one is close), wrong types, bad
// durations, values out of range and impossible combinations. A valid
// Scenario has every default filled in. The field-by-field reference is
// README.md beside this file.
//
// The shipped scenarios (quickstart, node-peer, hold, hold-100k,
// revocation-lag) are embedded: Load
// accepts their names as well as paths.
//
// Kinds lists the credential kinds a mix may name; the credential minting
// code uses the same list. Scenario.Expect computes what each kind must get
// on each namespace from the declared policy.
package scenarios
