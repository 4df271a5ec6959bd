// Package overhead measures what authentication costs a Socket.IO handshake.
//
// It runs one schedule against the embedded reference server several times:
// once on a public namespace (no authentication, the baseline), then with
// each verifier, uncached and cached, interleaved round after round so that
// drift of a shared, noisy machine hits every variant alike. Each variant's
// runs are merged, and the Report sets them against the baseline: CPU per
// handshake and its difference, p50 and p99 of the CONNECT phase and their
// differences, the cache hit ratio, and the rates reached.
//
// Every run goes through internal/runner, the code `gatecrash run` uses, so
// what is measured here is what users run. The package never prints; Write
// renders a Report on the writer the caller gives.
package overhead
