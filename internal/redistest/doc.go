// Package redistest runs real redis-server processes for tests: each on a
// free port of 127.0.0.1, with its own temporary directory, stopped by PID
// when the test (or, with Main and Shared, the test binary) ends.
//
// Require decides what happens where redis-server is not installed: the test
// fails with a clear message when the CI environment variable is set, and is
// skipped otherwise. `make test-setup` (scripts/test-setup) installs Debian's
// redis-server; it starts no system service, these helpers start their own.
package redistest
