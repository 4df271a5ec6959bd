package capacity

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// MemorySource reads the resident memory of the server under test.
type MemorySource interface {
	// Describe says what is read, in a phrase a report can print.
	Describe() string
	// Resident returns the resident memory in bytes.
	Resident(ctx context.Context) (uint64, error)
}

// ProcessRSS reads this process's resident set from /proc/self/statm: the
// embedded server's memory, with the generator's (Linux only).
//
// Before each read it returns freed heap to the operating system
// (debug.FreeOSMemory, which collects garbage first), so the figure is the
// memory held, not garbage not yet collected. The generator's own client
// sockets are counted too, so per-socket figures are an upper bound for the
// server.
type ProcessRSS struct{}

// Describe names the source.
func (ProcessRSS) Describe() string {
	return "RSS of this process after a forced GC: embedded server and generator together, " +
		"an upper bound for the server"
}

// Resident returns the process's resident set size.
func (ProcessRSS) Resident(context.Context) (uint64, error) {
	debug.FreeOSMemory()
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, fmt.Errorf("capacity: resident memory: %w", err)
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0, fmt.Errorf("capacity: resident memory: short statm %q", b)
	}
	pages, err := strconv.ParseUint(f[1], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("capacity: resident memory: %w", err)
	}
	return pages * uint64(os.Getpagesize()), nil
}

// MetricsRSS reads process_resident_memory_bytes from a Prometheus text
// endpoint, such as the reference server's /metrics: the target's own
// figure, garbage included (a Go target collects when it chooses).
type MetricsRSS struct {
	// URL is the metrics endpoint.
	URL string
	// Client makes the request; nil means http.DefaultClient.
	Client *http.Client
}

// Describe names the source.
func (m MetricsRSS) Describe() string {
	return "process_resident_memory_bytes reported by the target at " + m.URL
}

// Resident scrapes the endpoint.
func (m MetricsRSS) Resident(ctx context.Context) (uint64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.URL, nil)
	if err != nil {
		return 0, fmt.Errorf("capacity: metrics: %w", err)
	}
	c := m.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, fmt.Errorf("capacity: metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("capacity: metrics %s: %s", m.URL, resp.Status)
	}
	return residentFromText(bufio.NewScanner(resp.Body))
}

const rssMetric = "process_resident_memory_bytes"

// residentFromText finds the unlabelled RSS sample in Prometheus text.
func residentFromText(sc *bufio.Scanner) (uint64, error) {
	for sc.Scan() {
		line := sc.Text()
		rest, ok := strings.CutPrefix(line, rssMetric)
		if !ok || !strings.HasPrefix(rest, " ") {
			continue
		}
		f := strings.Fields(rest)
		v, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			return 0, fmt.Errorf("capacity: metrics: %s: %w", rssMetric, err)
		}
		return uint64(v), nil
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("capacity: metrics: %w", err)
	}
	return 0, fmt.Errorf("capacity: metrics: no %s sample", rssMetric)
}
