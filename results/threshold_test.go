package results

import (
	"errors"
	"testing"
	"time"
)

func TestParseThreshold(t *testing.T) {
	tests := []struct {
		expr string
		want Threshold
	}{
		{expr: "p99(connect) < 200ms", want: Threshold{Kind: MetricLatency, Agg: "p", Percentile: 99,
			Phase: PhaseConnect, Op: "<", Limit: 200_000}},
		{expr: "p99.9(total, ns=/admin) <= 1s", want: Threshold{Kind: MetricLatency, Agg: "p", Percentile: 99.9,
			Phase: PhaseTotal, Filter: Filter{Namespace: "/admin"}, Op: "<=", Limit: 1e6}},
		{expr: "p50(wait)<1ms", want: Threshold{Kind: MetricLatency, Agg: "p", Percentile: 50,
			Phase: PhaseWait, Op: "<", Limit: 1000}},
		{expr: "max( first_ack , kind=jwt, outcome=accepted ) < 2s", want: Threshold{Kind: MetricLatency, Agg: "max",
			Phase: PhaseFirstAck, Filter: Filter{Kind: "jwt", Outcome: OutcomeAccepted}, Op: "<", Limit: 2e6}},
		{expr: "error_rate < 1%", want: Threshold{Kind: MetricRatio, Select: "error_rate", Op: "<", Limit: 0.01}},
		{expr: "no_answer_rate(ns=/api) <= 0.005", want: Threshold{Kind: MetricRatio, Select: "no_answer_rate",
			Filter: Filter{Namespace: "/api"}, Op: "<=", Limit: 0.005}},
		{expr: "rate(accepted) > 100/s", want: Threshold{Kind: MetricRate, Select: "accepted", Op: ">", Limit: 100}},
		{expr: "rate() >= 10/s", want: Threshold{Kind: MetricRate, Select: "all", Op: ">=", Limit: 10}},
		{expr: "count(timeout) == 0", want: Threshold{Kind: MetricCount, Select: "timeout", Op: "==", Limit: 0}},
		{expr: "count(false_reject, ns=/) < 5", want: Threshold{Kind: MetricCount, Select: "false_reject",
			Filter: Filter{Namespace: "/"}, Op: "<", Limit: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			got, err := ParseThreshold(tt.expr)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Expr = tt.expr
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseThresholdErrors(t *testing.T) {
	tests := []struct {
		name   string
		expr   string
		offset int
		msg    string
	}{
		{name: "empty", expr: "", offset: 0, msg: "expected a metric such as p99(connect), error_rate or " +
			"rate(accepted)"},
		{name: "unknown metric", expr: "latency < 1s", offset: 0,
			msg: `unknown metric "latency": want pNN, min, max, mean, error_rate, false_reject_rate, ` +
				`no_answer_rate, rate or count`},
		{name: "bad percentile", expr: "p101(connect) < 1s", offset: 0,
			msg: `bad percentile "p101": want p50, p99, p99.9 and the like`},
		{name: "unknown phase", expr: "p99(conect) < 1s", offset: 4,
			msg: `unknown phase "conect": want one of wait, dial, tls, upgrade, open, connect, first_ack, ` +
				`service, total`},
		{name: "missing phase", expr: "p99() < 1s", offset: 4, msg: "expected a phase, such as connect or total"},
		{name: "missing parens", expr: "p99 < 1s", offset: 4, msg: "expected ( after p99"},
		{name: "unclosed", expr: "p99(connect < 1s", offset: 12, msg: "expected , or )"},
		{name: "bad filter", expr: "p99(connect, host=x) < 1s", offset: 13,
			msg: `unknown filter "host": want ns, kind or outcome`},
		{name: "bad namespace", expr: "p99(connect, ns=admin) < 1s", offset: 16,
			msg: `namespace "admin" must start with /`},
		{name: "no operator", expr: "p99(connect) 1s", offset: 13,
			msg: `expected a comparison (<, <=, >, >=, ==), found "1s"`},
		{name: "no limit", expr: "p99(connect) <", offset: 14, msg: "expected a limit after <"},
		{name: "duration without unit", expr: "p99(connect) < 200", offset: 15,
			msg: `bad duration "200": want for example 200ms or 1.5s`},
		{name: "ratio over 100%", expr: "error_rate < 150%", offset: 13,
			msg: `bad ratio "150%": want a percentage such as 1% or a fraction such as 0.01`},
		{name: "rate without unit", expr: "rate(accepted) > 100", offset: 17,
			msg: `bad rate "100": want a number per second such as 100/s`},
		{name: "count not whole", expr: "count(timeout) < 1.5", offset: 17,
			msg: `bad count "1.5": want a whole number`},
		{name: "bad selection", expr: "count(nope) < 1", offset: 6,
			msg: "cannot count \"nope\": want one of all, accepted, rejected, closed, http_error, timeout, " +
				"transport_error, false_accept, identity_mismatch, false_reject, no_answer, ok"},
		{name: "positional on ratio", expr: "error_rate(connect) < 1%", offset: 11,
			msg: `unexpected "connect": want ns=, kind= or outcome=`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseThreshold(tt.expr)
			var te *ThresholdError
			if !errors.As(err, &te) || !errors.Is(err, ErrThreshold) {
				t.Fatalf("error = %v, want a *ThresholdError wrapping ErrThreshold", err)
			}
			if te.Offset != tt.offset || te.Msg != tt.msg {
				t.Errorf("got offset %d %q\nwant offset %d %q", te.Offset, te.Msg, tt.offset, tt.msg)
			}
		})
	}
}

// evalResult records 100 samples on "/" (jwt, expected accept): 90
// accepted with connect 1..90 ms, 8 rejected, 2 timed out; and 10 samples
// on "/admin" (jwt-expired, expected reject), all rejected at 5 ms. The run
// lasts 10 s.
func evalResult(t *testing.T, exprs ...string) *Result {
	t.Helper()
	ths, err := ParseThresholds(exprs)
	if err != nil {
		t.Fatal(err)
	}
	clk := newFakeClock()
	rec := NewRecorder(Options{Now: clk.Now, Thresholds: ths})
	for i := range 100 {
		s := Sample{Namespace: "/", Kind: "jwt", Expect: ExpectAccept, Outcome: OutcomeAccepted,
			Phases: phases(ms(float64(i+1)), ms(float64(i+2)))}
		switch {
		case i >= 98:
			s.Outcome = OutcomeTimeout
		case i >= 90:
			s.Outcome, s.Code = OutcomeRejected, "forbidden"
		}
		rec.Record(s)
	}
	for range 10 {
		rec.Record(Sample{Namespace: "/admin", Kind: "jwt-expired", Expect: ExpectReject,
			Outcome: OutcomeRejected, Code: "expired", Phases: phases(ms(5), ms(6))})
	}
	clk.Add(10 * time.Second)
	return rec.Finish(Meta{})
}

func TestThresholdEvaluate(t *testing.T) {
	tests := []struct {
		expr   string
		passed bool
		actual string
	}{
		// HDR reports the top of a value's bucket: within 1% at two figures.
		{expr: "max(connect, ns=/) < 101ms", passed: true, actual: "100.35ms"},
		{expr: "p50(connect, ns=/admin) <= 5.1ms", passed: true, actual: "5.02ms"},
		{expr: "p50(connect, ns=/admin) < 5ms", passed: false, actual: "5.02ms"},
		{expr: "p99(connect) < 50ms", passed: false, actual: "99.33ms"},
		{expr: "min(total) >= 2ms", passed: true, actual: "2.00ms"},
		{expr: "error_rate < 5%", passed: false, actual: "9.09%"},
		{expr: "error_rate(ns=/admin) == 0", passed: true, actual: "0.00%"},
		{expr: "false_reject_rate <= 0.08", passed: true, actual: "7.27%"},
		{expr: "no_answer_rate < 1%", passed: false, actual: "1.82%"},
		{expr: "rate(accepted) >= 9/s", passed: true, actual: "9.0/s"},
		{expr: "rate(all) > 11/s", passed: false, actual: "11.0/s"},
		{expr: "count(timeout) == 2", passed: true, actual: "2"},
		{expr: "count(rejected, kind=jwt-expired) == 10", passed: true, actual: "10"},
		{expr: "count(false_accept) == 0", passed: true, actual: "0"},
		{expr: "p99(first_ack) < 1s", passed: false, actual: "no data"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			r := evalResult(t, tt.expr)
			v := r.Thresholds[0]
			if v.Passed != tt.passed || v.Actual != tt.actual || r.ThresholdsPassed != tt.passed {
				t.Errorf("verdict = %+v (all passed %v), want passed %v actual %q",
					v, r.ThresholdsPassed, tt.passed, tt.actual)
			}
		})
	}
}

func FuzzParseThreshold(f *testing.F) {
	for _, s := range []string{"p99(connect) < 200ms", "error_rate < 1%", "rate(accepted, ns=/a) > 1/s",
		"count(timeout) == 0", "p(", "max(,,) <"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		th, err := ParseThreshold(expr)
		if err != nil {
			var te *ThresholdError
			if !errors.As(err, &te) || te.Offset < 0 || te.Offset > len(expr) {
				t.Fatalf("error %v has no valid offset", err)
			}
			return
		}
		again, err := ParseThreshold(th.Expr)
		if err != nil || again != th {
			t.Fatalf("reparse of %q = %+v, %v", expr, again, err)
		}
	})
}
