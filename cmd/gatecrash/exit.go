package main

// The exit codes, documented in the README.
const (
	// ExitPassed: the run completed and every threshold passed.
	ExitPassed = 0
	// ExitError: bad input (scenario, flag, file) or a run error.
	ExitError = 1
	// ExitThresholds: the run completed but a threshold failed.
	ExitThresholds = 2
	// ExitSecurity: a bad credential was accepted, or an accepted socket
	// answered as someone else. Takes precedence over ExitThresholds.
	ExitSecurity = 3
)

// exitError carries an exit code out of run. msg, when set, is printed on
// stderr by main.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }
