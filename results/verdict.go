package results

// Verdict is how one namespace CONNECT compares with what its credential kind
// must get there. Its spelling is part of the results schema.
type Verdict string

// The verdicts, from the worst to the best.
const (
	// VerdictFalseAccept: a credential that must be rejected was accepted.
	// A security failure.
	VerdictFalseAccept Verdict = "false_accept"
	// VerdictIdentityMismatch: a credential was accepted but the identity
	// check named someone else. A security failure.
	VerdictIdentityMismatch Verdict = "identity_mismatch"
	// VerdictFalseReject: a good credential was refused (rejected, closed or
	// refused over HTTP).
	VerdictFalseReject Verdict = "false_reject"
	// VerdictNoAnswer: no decision arrived (timeout or transport error).
	// Never a pass, even for a credential that must be rejected.
	VerdictNoAnswer Verdict = "no_answer"
	// VerdictOK: the outcome is the expected one.
	VerdictOK Verdict = "ok"
)

// verdictOrder lists the verdicts from the worst to the best; it is the
// index used by per-verdict counters.
var verdictOrder = [...]Verdict{
	VerdictFalseAccept, VerdictIdentityMismatch, VerdictFalseReject, VerdictNoAnswer, VerdictOK,
}

const numVerdicts = len(verdictOrder)

func verdictIndex(v Verdict) int {
	for i, o := range verdictOrder {
		if o == v {
			return i
		}
	}
	return len(verdictOrder) - 1
}

// Classify returns the verdict of one CONNECT: what was expected, what
// happened and, after an acceptance, the identity check. It follows the rule
// of CASES.md 1.2: a bad credential passes only when refused (rejected,
// closed or http_error), a good one only when accepted; a timeout or a
// transport error is never a pass. An outcome this package does not know
// counts as no answer.
func Classify(expect Expect, outcome Outcome, identityChecked, identityOK bool) Verdict {
	switch outcome {
	case OutcomeAccepted:
		if expect == ExpectReject {
			return VerdictFalseAccept
		}
		if identityChecked && !identityOK {
			return VerdictIdentityMismatch
		}
		return VerdictOK
	case OutcomeRejected, OutcomeClosed, OutcomeHTTPError:
		if expect == ExpectAccept {
			return VerdictFalseReject
		}
		return VerdictOK
	default:
		return VerdictNoAnswer
	}
}

// Outcomes lists every outcome in the order reports show them.
func Outcomes() []Outcome {
	return []Outcome{
		OutcomeAccepted, OutcomeRejected, OutcomeClosed,
		OutcomeHTTPError, OutcomeTimeout, OutcomeTransportError,
	}
}

// outcomeIndex maps an outcome to a counter index; unknown outcomes share
// the last index ("other").
func outcomeIndex(o Outcome) int {
	switch o {
	case OutcomeAccepted:
		return 0
	case OutcomeRejected:
		return 1
	case OutcomeClosed:
		return 2
	case OutcomeHTTPError:
		return 3
	case OutcomeTimeout:
		return 4
	case OutcomeTransportError:
		return 5
	}
	return 6
}

const numOutcomeSlots = 7

// outcomeSlotName names counter slot i; slot 6 gathers unknown outcomes.
func outcomeSlotName(i int) Outcome {
	if i < 6 {
		return Outcomes()[i]
	}
	return "other"
}
