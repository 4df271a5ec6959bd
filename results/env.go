package results

import (
	"bufio"
	"os"
	"runtime"
	"strings"
)

// Environment is where a run ran: versions and the machine's processors.
type Environment struct {
	GatecrashVersion string `json:"gatecrash_version"`
	GoVersion        string `json:"go_version"`
	OS               string `json:"os"`
	Arch             string `json:"arch"`
	GOMAXPROCS       int    `json:"gomaxprocs"`
	NumCPU           int    `json:"num_cpu"`
	// CPUModel is the processor's model name, empty when unknown.
	CPUModel string `json:"cpu_model,omitempty"`
	// Peers holds the versions of other software in the run, for example
	// "node" or "socket.io" for an interop peer.
	Peers map[string]string `json:"peers,omitempty"`
}

// DetectEnvironment describes the running process. version is gatecrash's
// own version. The CPU model is read from /proc/cpuinfo on Linux and left
// empty elsewhere.
func DetectEnvironment(version string) Environment {
	return Environment{
		GatecrashVersion: version,
		GoVersion:        runtime.Version(),
		OS:               runtime.GOOS,
		Arch:             runtime.GOARCH,
		GOMAXPROCS:       runtime.GOMAXPROCS(0),
		NumCPU:           runtime.NumCPU(),
		CPUModel:         cpuModel("/proc/cpuinfo"),
	}
}

// cpuModel returns the first "model name" of a cpuinfo file, or "".
func cpuModel(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
