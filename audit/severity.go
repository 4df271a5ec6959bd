package audit

import (
	"fmt"
	"strings"
)

// Severity ranks a failed check. The zero value is SeverityNone: a check that
// passed or could not run.
type Severity int

// The severities, in increasing order.
const (
	SeverityNone Severity = iota
	SeverityInfo
	SeverityMedium
	SeverityHigh
	SeverityCritical
)

var severityNames = [...]string{"none", "info", "medium", "high", "critical"}

// String returns the severity's lower-case name.
func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// MarshalText writes the name, so JSON reports read "critical", not 4.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a name written by MarshalText.
func (s *Severity) UnmarshalText(b []byte) error {
	for i, n := range severityNames {
		if strings.EqualFold(n, string(b)) {
			*s = Severity(i)
			return nil
		}
	}
	return fmt.Errorf("%w: unknown severity %q", ErrConfig, b)
}

// Verdict is how a check ended.
type Verdict string

// The verdicts.
const (
	// VerdictPass: the server did what the case requires.
	VerdictPass Verdict = "pass"
	// VerdictFail: it did not; the check has a Severity.
	VerdictFail Verdict = "fail"
	// VerdictSkipped: the case could not run (no good credential for the
	// namespace, a transport the server does not offer); it proves nothing.
	VerdictSkipped Verdict = "skipped"
)
