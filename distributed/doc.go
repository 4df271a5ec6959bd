// Package distributed runs one scenario on several generator processes, the
// workers, coordinated over NATS, and returns one result: one schedule, one
// set of percentiles, one verdict.
//
// The coordinator (Run) embeds a nats-server on a loopback port by default,
// or joins a NATS URL; workers (Work) join it. The run goes in steps, each a
// message of a versioned protocol (ProtocolVersion):
//
//   - join: a worker says hello with its protocol version; the coordinator
//     refuses another version with a clear error, and otherwise assigns the
//     worker its share (k of N) and sends it the scenario;
//   - ready: the worker mints only its share's credentials (the same kinds
//     and identities one machine would give those handshakes) and reports
//     ready;
//   - start: once every worker is ready, the coordinator names an absolute
//     start time a little in the future, and every worker starts its clock
//     then;
//   - intervals: each worker streams what it recorded in the last second
//     (histograms included); the coordinator merges them exactly into live
//     progress;
//   - done: each worker sends its final result; the coordinator merges them
//     with results.Merge, so thresholds are evaluated on the merged figures.
//
// An abort (the coordinator's context cancelled) reaches every worker, which
// then sends what it recorded. A worker that stops beating is lost: the
// result is marked incomplete and names the share it did not deliver; it is
// never silently smaller.
//
// Worker k of N runs every N-th start of an open schedule, offset k, so the
// shares together start exactly the one-machine schedule; closed and hold
// models split users, iterations and sockets. A share can be rerun alone
// with runner.Options.Share.
package distributed
