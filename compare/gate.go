package compare

import (
	"fmt"
	"strconv"
	"strings"
)

// Gate is one rule a comparison must pass, such as "p99(connect) < +10%"
// (the relative change of the metric's center must stay under 10 %) or
// "false_accepts == 0" (every new value must be zero).
type Gate struct {
	// Expr is the expression as written.
	Expr string
	// Unit is the metric the gate reads, in every benchmark that has it.
	Unit string
	// Op is "<", "<=", ">", ">=" or "==".
	Op string
	// Limit is a fraction (0.10 for +10 %) when Relative, else a value in
	// the metric's unit.
	Limit float64
	// Relative says Limit bounds the change from base to new; otherwise it
	// bounds every new value.
	Relative bool
}

var gateOps = []string{"<=", ">=", "==", "<", ">"}

// ParseGate parses "UNIT OP LIMIT". A LIMIT with an explicit sign and a "%"
// ("+10%", "-5%") bounds the relative change of the metric's center from the
// base; any other LIMIT bounds every new value, with "%" dividing by 100
// ("error_rate < 1%"). Errors wrap ErrGate.
func ParseGate(expr string) (Gate, error) {
	g := Gate{Expr: expr}
	for _, op := range gateOps {
		if i := strings.Index(expr, op); i > 0 {
			g.Unit, g.Op = strings.TrimSpace(expr[:i]), op
			return g, g.parseLimit(strings.TrimSpace(expr[i+len(op):]))
		}
	}
	return g, fmt.Errorf("%w: %q: want METRIC OP LIMIT, OP one of < <= > >= ==", ErrGate, expr)
}

func (g *Gate) parseLimit(s string) error {
	if g.Unit == "" || s == "" {
		return fmt.Errorf("%w: %q: missing metric or limit", ErrGate, g.Expr)
	}
	pct := strings.HasSuffix(s, "%")
	g.Relative = pct && (s[0] == '+' || s[0] == '-')
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil {
		return fmt.Errorf("%w: %q: limit %q is not a number", ErrGate, g.Expr, s)
	}
	if pct {
		v /= 100
	}
	g.Limit = v
	return nil
}

// ParseGates parses several expressions and returns the first error.
func ParseGates(exprs []string) ([]Gate, error) {
	out := make([]Gate, 0, len(exprs))
	for _, e := range exprs {
		g, err := ParseGate(e)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// holds says whether v op limit.
func (g Gate) holds(v float64) bool {
	switch g.Op {
	case "<":
		return v < g.Limit
	case "<=":
		return v <= g.Limit
	case ">":
		return v > g.Limit
	case ">=":
		return v >= g.Limit
	}
	return v == g.Limit
}

// String returns the expression as written.
func (g Gate) String() string { return g.Expr }
