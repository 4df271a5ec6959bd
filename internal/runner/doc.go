// Package runner executes a scenario end to end: it starts the embedded
// reference server when the scenario names no target, mints every credential
// before the clock starts, drives the load generator, records the samples and
// returns the Result with its verdicts.
//
// It is the one place where scenarios, credential minting, the reference
// server, the load generator and results meet; the CLI and the benchmarks call
// it and print nothing of their own on its behalf. It never prints.
package runner
