// Package capacity finds the highest handshake arrival rate a server
// sustains within a service-level objective, and what each held socket costs
// it in memory.
//
// The search runs short open-model probes through internal/runner (the code
// `gatecrash run` uses): it steps the rate up geometrically until a probe
// misses the SLO, bisects between the last rate that met it and the first
// that did not, then holds the best rate for a longer confirmation run, and
// steps down when the confirmation fails. A probe fails when any SLO
// threshold fails, when the generator dropped starts (the offered rate was
// not applied), or when a bad credential got in. When the probe that bounded
// the search had the generator saturated, the Report says the generator, not
// necessarily the server, was the limit.
//
// A hold phase then opens sockets at the sustainable rate, holds them, and
// reads the server's memory before and during the hold: the process's RSS
// when the reference server is embedded (server and generator share the
// process, so the figure is an upper bound for the server), or the
// process_resident_memory_bytes the target reports on its metrics endpoint.
//
// The package never prints: Report.Write renders a Report on the caller's
// writer, and WriteFile saves it as JSON that `gatecrash report` draws.
package capacity
