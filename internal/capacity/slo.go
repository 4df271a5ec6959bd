package capacity

import (
	"fmt"
	"strings"

	"github.com/gatecrash/gatecrash/results"
)

// ParseSLO parses a service-level objective: threshold expressions (see
// results.ParseThreshold) separated by commas outside parentheses, such as
// "p99(connect) < 50ms, errors < 0.1%". "errors" is short for error_rate
// (the share of CONNECTs whose verdict was not ok). Errors wrap ErrSLO and,
// for an expression that does not parse, results.ErrThreshold.
func ParseSLO(s string) ([]results.Threshold, error) {
	var out []results.Threshold
	for _, term := range splitTerms(s) {
		expr := strings.TrimSpace(term)
		if expr == "" {
			return nil, fmt.Errorf("%w: %q has an empty term", ErrSLO, s)
		}
		if rest, ok := strings.CutPrefix(expr, "errors"); ok && !startsWord(rest) {
			expr = "error_rate" + rest
		}
		t, err := results.ParseThreshold(expr)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrSLO, err)
		}
		out = append(out, t)
	}
	return out, nil
}

// splitTerms splits s at the commas that are not inside parentheses.
func splitTerms(s string) []string {
	var terms []string
	depth, from := 0, 0
	for i, c := range s {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				terms = append(terms, s[from:i])
				from = i + 1
			}
		}
	}
	return append(terms, s[from:])
}

// startsWord reports whether s begins with a character that continues an
// identifier, so "errors_x" is not read as "errors".
func startsWord(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
