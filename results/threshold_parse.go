package results

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ParseThreshold parses one threshold expression:
//
//	pNN(phase[, ns=/x][, kind=k][, outcome=o]) OP duration   p99(connect) < 200ms
//	min|max|mean(phase, ...) OP duration                      max(total) <= 5s
//	error_rate|false_reject_rate|no_answer_rate OP percent     error_rate < 1%
//	rate([outcome|verdict|all], ...) OP N/s                    rate(accepted) > 100/s
//	count([outcome|verdict|all], ...) OP N                     count(timeout) == 0
//
// OP is one of <, <=, >, >=, ==. Ratios take the same filters in optional
// parentheses: error_rate(ns=/admin) < 1%. Errors are *ThresholdError.
func ParseThreshold(expr string) (Threshold, error) {
	p := &thresholdParser{src: expr}
	t, err := p.parse()
	if err != nil {
		return Threshold{}, err
	}
	t.Expr = expr
	return t, nil
}

type thresholdParser struct {
	src      string
	pos      int
	sawPhase bool
}

func (p *thresholdParser) fail(at int, format string, args ...any) error {
	return &ThresholdError{Expr: p.src, Offset: at, Msg: fmt.Sprintf(format, args...)}
}

func (p *thresholdParser) skipSpace() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

// word reads up to a delimiter: space, comma, parenthesis, '=' or an
// operator character.
func (p *thresholdParser) word() (string, int) {
	p.skipSpace()
	start := p.pos
	for p.pos < len(p.src) && !strings.ContainsRune(" \t,()=<>", rune(p.src[p.pos])) {
		p.pos++
	}
	return p.src[start:p.pos], start
}

func (p *thresholdParser) parse() (Threshold, error) {
	name, at := p.word()
	if name == "" {
		return Threshold{}, p.fail(at, "expected a metric such as p99(connect), error_rate or rate(accepted)")
	}
	t, err := p.metric(name, at)
	if err != nil {
		return Threshold{}, err
	}
	if err := p.op(&t); err != nil {
		return Threshold{}, err
	}
	p.skipSpace()
	vat := p.pos
	raw := strings.TrimSpace(p.src[p.pos:])
	if raw == "" {
		return Threshold{}, p.fail(vat, "expected a limit after %s", t.Op)
	}
	t.Limit, err = parseLimit(t.Kind, raw)
	if err != nil {
		return Threshold{}, p.fail(vat, "%v", err)
	}
	return t, nil
}

func (p *thresholdParser) metric(name string, at int) (Threshold, error) {
	switch {
	case slices.Contains(ratioNames, name):
		t := Threshold{Kind: MetricRatio, Select: name}
		return t, p.optionalArgs(&t, false)
	case name == "rate" || name == "count":
		t := Threshold{Kind: MetricRate, Select: "all"}
		if name == "count" {
			t.Kind = MetricCount
		}
		return t, p.requiredArgs(&t, at)
	case name == "min" || name == "max" || name == "mean":
		t := Threshold{Kind: MetricLatency, Agg: name}
		return t, p.requiredArgs(&t, at)
	case strings.HasPrefix(name, "p"):
		pct, err := strconv.ParseFloat(name[1:], 64)
		if err != nil || pct <= 0 || pct > 100 {
			return Threshold{}, p.fail(at, "bad percentile %q: want p50, p99, p99.9 and the like", name)
		}
		t := Threshold{Kind: MetricLatency, Agg: "p", Percentile: pct}
		return t, p.requiredArgs(&t, at)
	}
	return Threshold{}, p.fail(at, "unknown metric %q: want pNN, min, max, mean, %s, rate or count",
		name, strings.Join(ratioNames, ", "))
}

func (p *thresholdParser) requiredArgs(t *Threshold, at int) error {
	p.skipSpace()
	if p.pos >= len(p.src) || p.src[p.pos] != '(' {
		return p.fail(p.pos, "expected ( after %s", strings.TrimSpace(p.src[at:p.pos]))
	}
	return p.optionalArgs(t, true)
}

// optionalArgs reads "(arg, key=value, ...)" when present; positional says
// whether the first argument may be positional (a phase or a selection).
func (p *thresholdParser) optionalArgs(t *Threshold, positional bool) error {
	p.skipSpace()
	if p.pos >= len(p.src) || p.src[p.pos] != '(' {
		return nil
	}
	p.pos++
	for i := 0; ; i++ {
		w, at := p.word()
		if err := p.arg(t, w, at, positional && i == 0); err != nil {
			return err
		}
		p.skipSpace()
		if p.pos >= len(p.src) {
			return p.fail(p.pos, "missing )")
		}
		switch p.src[p.pos] {
		case ')':
			p.pos++
			if t.Kind == MetricLatency && !p.sawPhase {
				return p.fail(at, "expected a phase, such as connect or total")
			}
			return nil
		case ',':
			p.pos++
		default:
			return p.fail(p.pos, "expected , or )")
		}
	}
}

func (p *thresholdParser) arg(t *Threshold, w string, at int, positional bool) error {
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == '=' {
		p.pos++
		v, vat := p.word()
		if v == "" {
			return p.fail(vat, "expected a value after %s=", w)
		}
		return p.filter(t, w, at, v, vat)
	}
	if !positional {
		if w == "" {
			return p.fail(at, "expected an argument")
		}
		return p.fail(at, "unexpected %q: want ns=, kind= or outcome=", w)
	}
	if w == "" {
		return nil // an empty first argument: the default selection, or a missing phase reported at )
	}
	if t.Kind == MetricLatency {
		ph, ok := ParsePhase(w)
		if !ok {
			return p.fail(at, "unknown phase %q: want one of %s", w, strings.Join(phaseNames[:], ", "))
		}
		t.Phase, p.sawPhase = ph, true
		return nil
	}
	if !isSelectable(w) {
		return p.fail(at, "cannot count %q: want one of %s", w, selectableNames())
	}
	t.Select = w
	return nil
}

func (p *thresholdParser) filter(t *Threshold, key string, kat int, v string, vat int) error {
	switch key {
	case "ns":
		if !strings.HasPrefix(v, "/") {
			return p.fail(vat, "namespace %q must start with /", v)
		}
		t.Filter.Namespace = v
	case "kind":
		t.Filter.Kind = v
	case "outcome":
		if !slices.Contains(Outcomes(), Outcome(v)) {
			return p.fail(vat, "unknown outcome %q", v)
		}
		t.Filter.Outcome = Outcome(v)
	default:
		return p.fail(kat, "unknown filter %q: want ns, kind or outcome", key)
	}
	return nil
}

func (p *thresholdParser) op(t *Threshold) error {
	p.skipSpace()
	for _, op := range []string{"<=", ">=", "==", "<", ">"} {
		if strings.HasPrefix(p.src[p.pos:], op) {
			t.Op = op
			p.pos += len(op)
			return nil
		}
	}
	if p.pos >= len(p.src) {
		return p.fail(p.pos, "expected a comparison (<, <=, >, >=, ==) and a limit")
	}
	return p.fail(p.pos, "expected a comparison (<, <=, >, >=, ==), found %q", p.src[p.pos:])
}

// parseLimit reads a limit in the unit the metric kind needs.
func parseLimit(kind MetricKind, raw string) (float64, error) {
	switch kind {
	case MetricLatency:
		d, err := time.ParseDuration(raw)
		if err != nil || d < 0 {
			return 0, fmt.Errorf("bad duration %q: want for example 200ms or 1.5s", raw)
		}
		return float64(d) / float64(time.Microsecond), nil
	case MetricRatio:
		s, pct := strings.CutSuffix(raw, "%")
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if pct {
			f /= 100
		}
		if err != nil || f < 0 || f > 1 {
			return 0, fmt.Errorf("bad ratio %q: want a percentage such as 1%% or a fraction such as 0.01", raw)
		}
		return f, nil
	case MetricRate:
		s, ok := strings.CutSuffix(raw, "/s")
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if !ok || err != nil || f < 0 {
			return 0, fmt.Errorf("bad rate %q: want a number per second such as 100/s", raw)
		}
		return f, nil
	default:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("bad count %q: want a whole number", raw)
		}
		return float64(n), nil
	}
}
