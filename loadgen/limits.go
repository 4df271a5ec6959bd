package loadgen

import (
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// filesReserve is the open files a process needs besides its sockets
// (listeners, log and result files, runtime).
const filesReserve = 64

// defaultPorts is the size of Linux's default ephemeral range
// (32768-60999), used when the range cannot be read.
const defaultPorts = 28232

// RaiseFileLimit raises the soft open-file limit to the hard limit and
// returns both.
func RaiseFileLimit() (soft, hard uint64, err error) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0, 0, fmt.Errorf("loadgen: getrlimit: %w", err)
	}
	if rl.Cur < rl.Max {
		rl.Cur = rl.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
			return rl.Cur, rl.Max, fmt.Errorf("loadgen: setrlimit: %w", err)
		}
	}
	return rl.Cur, rl.Max, nil
}

// Capacity is what one machine allows a plan: open files and ephemeral
// ports.
type Capacity struct {
	// Sockets is the plan's peak concurrent sockets.
	Sockets int
	// FilesNeeded counts the generator's sockets, the embedded server's (one
	// per socket when it runs in this process) and a reserve.
	FilesNeeded, FileLimit uint64
	// MaxSockets is how many sockets fit the file limit.
	MaxSockets int
	// Ports is the ephemeral ports per (source, destination) pair; Sources
	// the source addresses the plan spreads over (at least 1).
	Ports, Sources int
}

// CheckCapacity checks that sockets concurrent sockets fit the current
// open-file limit (call RaiseFileLimit first) and the ephemeral ports of
// sources source addresses. The error wraps ErrCapacity and says what fits.
func CheckCapacity(sockets int, embeddedServer bool, sources int) (Capacity, error) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return Capacity{}, fmt.Errorf("loadgen: getrlimit: %w", err)
	}
	return capacity(sockets, embeddedServer, sources, rl.Cur, ephemeralPorts())
}

// capacity is CheckCapacity's arithmetic, given the file limit and the
// ports per source.
func capacity(sockets int, embedded bool, sources int, limit uint64, ports int) (Capacity, error) {
	perSocket := uint64(1)
	if embedded {
		perSocket = 2
	}
	c := Capacity{
		Sockets:     sockets,
		FilesNeeded: uint64(sockets)*perSocket + filesReserve,
		FileLimit:   limit,
		Ports:       ports,
		Sources:     max(sources, 1),
	}
	if limit > filesReserve {
		c.MaxSockets = int((limit - filesReserve) / perSocket)
	}
	if c.FilesNeeded > c.FileLimit {
		who := "the generator"
		if embedded {
			who = "the generator and the embedded server (one file per socket each)"
		}
		return c, fmt.Errorf("%w: %d sockets need %d open files for %s, the limit is %d: "+
			"at most %d sockets fit; lower the count or run the server in another process",
			ErrCapacity, sockets, c.FilesNeeded, who, c.FileLimit, c.MaxSockets)
	}
	if sockets > c.Ports*c.Sources {
		return c, fmt.Errorf("%w: %d sockets need more than the %d ephemeral ports of "+
			"%d source address(es): spread over at least %d source addresses of 127.0.0.0/8",
			ErrCapacity, sockets, c.Ports*c.Sources, c.Sources, (sockets+c.Ports-1)/c.Ports)
	}
	return c, nil
}

// ephemeralPorts reads the size of the local port range.
func ephemeralPorts() int {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return defaultPorts
	}
	f := strings.Fields(string(b))
	if len(f) != 2 {
		return defaultPorts
	}
	lo, err1 := strconv.Atoi(f[0])
	hi, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil || hi < lo {
		return defaultPorts
	}
	return hi - lo + 1
}

// LoopbackSources returns n source addresses 127.0.0.1, 127.0.0.2, … for
// Plan.SourceAddrs (at most 254; Linux routes all of 127.0.0.0/8 to the
// loopback interface, so they need no setup).
func LoopbackSources(n int) []netip.Addr {
	n = min(max(n, 0), 254)
	out := make([]netip.Addr, n)
	for i := range out {
		out[i] = netip.AddrFrom4([4]byte{127, 0, 0, byte(i + 1)})
	}
	return out
}
