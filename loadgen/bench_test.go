package loadgen

import (
	"bufio"
	"context"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gatecrash/gatecrash/results"
)

// fakeServerEnv makes the test binary run as a fake server process, so that
// benchmarks measure the client's CPU and memory alone.
const fakeServerEnv = "GATECRASH_FAKE_SERVER"

// serveFakeProcess serves the fake server, prints its URL, and exits when
// its stdin closes.
func serveFakeProcess() {
	f := startFake(fakeGood)
	fmt.Println(f.URL)
	bufio.NewReader(os.Stdin).ReadString('\n')
	f.Close()
}

// fakeProcess starts the fake server in a child process and returns its URL.
func fakeProcess(b *testing.B) string {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fakeServerEnv+"=1")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		stdin.Close()
		if cmd.Wait() != nil {
			cmd.Process.Kill() // our own child, by its handle
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatal(err)
	}
	return line[:len(line)-1]
}

// BenchmarkHandshake compares the client's CPU per handshake with the
// floor, a bare gorilla upgrade plus one message round trip, against the
// same server process. cpu-ns/op is this process's user+system CPU.
func BenchmarkHandshake(b *testing.B) {
	url := fakeProcess(b)
	b.Run("floor", func(b *testing.B) {
		wsURL := "ws" + url[len("http"):] + "/floor"
		cpuPerOp(b, func() error {
			c, _, err := websocket.DefaultDialer.Dial(wsURL, nil)
			if err != nil {
				return err
			}
			defer c.Close()
			if err := c.WriteMessage(websocket.TextMessage, []byte("hi")); err != nil {
				return err
			}
			_, _, err = c.ReadMessage()
			return err
		})
	})
	for _, tc := range []struct {
		name string
		ack  string
	}{{name: "connect", ack: ""}, {name: "connect+whoami", ack: "whoami"}} {
		b.Run(tc.name, func(b *testing.B) {
			benchAttempt(b, url, tc.ack)
		})
	}
}

func benchAttempt(b *testing.B, url, ack string) {
	d, err := NewDialer(url, nil)
	if err != nil {
		b.Fatal(err)
	}
	a := attempt{dialer: d, timeout: 5 * time.Second, late: time.Millisecond, now: time.Now,
		runStart: time.Now()}
	if ack != "" {
		a.ackArgs = appendJSONString([]byte{'['}, ack)
	}
	hs := &twoKinds(WebSocket)[0]
	hs.Namespaces = hs.Namespaces[:1]
	buf := make([]results.Sample, 0, 4)
	cpuPerOp(b, func() error {
		out, _ := a.run(context.Background(), start{hs: hs, intended: time.Now()}, false, buf[:0])
		if len(out) != 1 || out[0].Outcome != results.OutcomeAccepted || out[0].Code != "" {
			return fmt.Errorf("sample %+v", out)
		}
		return nil
	})
}

func cpuPerOp(b *testing.B, op func() error) {
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkHeldSocket measures the client's memory per held socket: heap and
// stacks after GC, divided by the sockets held (GATECRASH_HELD, default
// 1000). Each held socket is connected on / and has its reader goroutine.
func BenchmarkHeldSocket(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("GATECRASH_HELD")); err == nil && v > 0 {
		n = v
	}
	if _, _, err := RaiseFileLimit(); err != nil {
		b.Fatal(err)
	}
	url := fakeProcess(b)
	d, err := NewDialer(url, nil)
	if err != nil {
		b.Fatal(err)
	}
	hs := &Handshake{}
	for b.Loop() {
		b.StopTimer()
		before := heapAndStacks()
		ctx, release := context.WithCancel(context.Background())
		h := &holder{}
		b.StartTimer()
		for i := range n {
			c, err := d.Dial(context.Background(), hs, netip.Addr{})
			if err == nil {
				_, err = c.Connect(context.Background(), "/", []byte(`{"token":"good:u"}`))
			}
			if err != nil {
				b.Fatalf("socket %d: %v", i, err)
			}
			h.add(ctx, c, "/")
		}
		b.StopTimer()
		after := heapAndStacks()
		b.ReportMetric(float64(after-before)/float64(n), "B/socket")
		release()
		h.readers.Wait()
		for _, hc := range h.conns {
			hc.c.Close()
		}
		b.StartTimer()
	}
}

func heapAndStacks() int64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapInuse + ms.StackInuse)
}

// BenchmarkOpenRun runs an open model for 2 s per iteration against the
// fake server process and reports how closely starts kept the schedule
// (p99 of the wait phase) and the handshake rate achieved.
func BenchmarkOpenRun(b *testing.B) {
	url := fakeProcess(b)
	for _, rate := range []float64{500, 2000, 4000} {
		b.Run(fmt.Sprintf("rate=%.0f", rate), func(b *testing.B) {
			for b.Loop() {
				var sink sliceSink
				plan := Plan{URL: url, Handshakes: twoKinds(WebSocket)[:1], AckEvent: "whoami",
					Model: Open{Stages: []Stage{{From: rate, To: rate, Duration: 2 * time.Second}}}}
				rep, err := Run(context.Background(), plan, &sink)
				if err != nil {
					b.Fatal(err)
				}
				waits := make([]time.Duration, 0, rep.Samples)
				for _, s := range sink.samples() {
					if s.ConnFirst {
						waits = append(waits, s.Phases[results.PhaseWait])
					}
				}
				slices.Sort(waits)
				b.ReportMetric(float64(waits[len(waits)*99/100].Microseconds()), "p99-wait-µs")
				b.ReportMetric(float64(rep.Started)/rep.Wall.Seconds(), "handshakes/s")
				b.ReportMetric(100*float64(rep.Late)/float64(rep.Started), "late-%")
				b.ReportMetric(float64(rep.CPU)/float64(rep.Started), "cpu-ns/handshake")
			}
		})
	}
}

// BenchmarkHoldRun runs the hold model end to end: GATECRASH_HELD sockets
// (default 1000) over four source addresses, ramped over 2 s, held 2 s with
// an event per socket per second.
func BenchmarkHoldRun(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("GATECRASH_HELD")); err == nil && v > 0 {
		n = v
	}
	if _, _, err := RaiseFileLimit(); err != nil {
		b.Fatal(err)
	}
	url := fakeProcess(b)
	for b.Loop() {
		plan := Plan{URL: url, Handshakes: twoKinds(WebSocket)[:1], SourceAddrs: LoopbackSources(4),
			Model: Hold{Sockets: n, Ramp: 2 * time.Second, Hold: 2 * time.Second, EventEvery: time.Second}}
		rep, err := Run(context.Background(), plan, &sliceSink{})
		if err != nil {
			b.Fatal(err)
		}
		if rep.PeakSockets != int64(n) || rep.HoldLost != 0 {
			b.Fatalf("report %+v", rep)
		}
		b.ReportMetric(float64(rep.PeakSockets), "peak-sockets")
		b.ReportMetric(float64(rep.HoldAcks), "hold-acks")
		b.ReportMetric(float64(rep.Late), "late-starts")
	}
}
