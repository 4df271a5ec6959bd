package distributed

import (
	"fmt"
	"strings"
	"time"

	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/internal/runner"
	"github.com/gatecrash/gatecrash/loadgen"
	"github.com/gatecrash/gatecrash/results"
)

// Output is what a distributed run produced: the merged output, as one
// machine's run gives it, and what each worker did.
type Output struct {
	// Output holds the merged Result (set whenever the start was given,
	// marked incomplete when a share is missing or the run was aborted),
	// the summed generator report and the warnings, among them every worker
	// that fell behind, started late or was lost.
	runner.Output
	// Workers reports each share's worker, by share index.
	Workers []WorkerReport
	// Missing are the shares whose results are not in Result.
	Missing []creds.Share
	// Refused says why each refused worker was refused (another protocol
	// version, a full run).
	Refused []string
}

// WorkerReport is what one worker did.
type WorkerReport struct {
	// Share is the worker's share of the run.
	Share creds.Share
	// Name and Version are what the worker said at join.
	Name, Version string
	// Status is StatusDone, StatusLost or StatusFailed; Error says why for
	// the last two (a done worker can have one too: an interrupted run).
	Status string
	Error  string
	// Planned is the share's planned handshakes (zero when the schedule
	// depends on the server); Streamed the connections its streamed
	// intervals counted, which for a lost worker is what it delivered
	// before going silent.
	Planned, Streamed int64
	// Result is the worker's own result; nil unless done.
	Result *results.Result
	// Generator is the worker's generator report.
	Generator loadgen.Report
	// StartLag is how late the worker's load began after the synchronized
	// start, by its clock; ClockSkew its clock minus the coordinator's at
	// join (transit included, so accurate to a round trip).
	StartLag, ClockSkew time.Duration
}

// shareLabel names a share for people: "2/3" is the second of three.
func shareLabel(s creds.Share) string {
	return fmt.Sprintf("%d/%d", s.Index+1, s.Count)
}

// lateStart is the start lag past which a worker is named in the warnings.
const lateStart = 10 * time.Millisecond

// warnings names every worker that was lost, failed, fell behind or started
// late.
func warnings(ws []WorkerReport) []string {
	var out []string
	for _, w := range ws {
		who := fmt.Sprintf("worker %s (%s)", shareLabel(w.Share), w.Name)
		switch w.Status {
		case StatusLost:
			out = append(out, fmt.Sprintf("%s lost (%s): its share, every %d-th start from start %d, "+
				"%d planned handshakes, is missing from the result (%d connections streamed before)",
				who, w.Error, w.Share.Count, w.Share.Index, w.Planned, w.Streamed))
		case StatusFailed:
			out = append(out, fmt.Sprintf("%s failed: %s; its share is missing", who, w.Error))
		}
		if w.Generator.Saturated {
			out = append(out, fmt.Sprintf("%s fell behind: %s", who, w.Generator.SaturationReason))
		}
		if w.StartLag > lateStart {
			out = append(out, fmt.Sprintf("%s started %v after the synchronized start (clock skew %v)",
				who, w.StartLag.Round(time.Millisecond), w.ClockSkew.Round(time.Millisecond)))
		}
	}
	return out
}

// missingReason describes the missing shares for Meta.IncompleteReason.
func missingReason(missing []creds.Share, planned int64) string {
	labels := make([]string, len(missing))
	for i, s := range missing {
		labels[i] = shareLabel(s)
	}
	return fmt.Sprintf("partial: share(s) %s of the schedule missing (workers lost or failed); "+
		"%d of %d planned handshakes covered", strings.Join(labels, ", "), planned-missingPlanned(missing, planned),
		planned)
}

func missingPlanned(missing []creds.Share, planned int64) int64 {
	var n int64
	for _, s := range missing {
		n += int64(s.Len(int(planned)))
	}
	return n
}
