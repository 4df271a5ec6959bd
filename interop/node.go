package interop

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// Sentinel errors callers branch on.
var (
	// ErrNodeMissing: the node executable is not on PATH.
	ErrNodeMissing = errors.New("interop: node not found")
	// ErrModulesMissing: the npm packages of the peers are not installed, or
	// not at the versions package.json pins; `make test-setup` installs them.
	ErrModulesMissing = errors.New("interop: node_modules missing or stale (run make test-setup)")
	// ErrNotLoopback: an address outside 127.0.0.0/8 and ::1 was given.
	ErrNotLoopback = errors.New("interop: not a loopback address")
	// ErrPeerFailed: a Node peer exited with an error or said something
	// unreadable.
	ErrPeerFailed = errors.New("interop: node peer failed")
)

// NodeDir returns the folder holding the Node peers (server.js, client.js,
// package.json).
//
// It is found from this source file's path at build time, so it is right for
// `go test` and `go run` in a checkout; a binary built with -trimpath, or
// moved away from its source tree, must pass the folder explicitly (the Dir
// fields of ServerOptions and ClientOptions).
func NodeDir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "node"
	}
	return filepath.Join(filepath.Dir(file), "node")
}

// NodeAvailable reports whether the Node peers can run from NodeDir: nil when
// node is on PATH and every package pinned by package.json is installed at
// its pinned version, else an error wrapping ErrNodeMissing or
// ErrModulesMissing.
func NodeAvailable() error {
	return nodeAvailableIn(NodeDir(), "")
}

func nodeAvailableIn(dir, node string) error {
	if _, err := exec.LookPath(nodeBinary(node)); err != nil {
		return fmt.Errorf("%w: %w", ErrNodeMissing, err)
	}
	pins, err := readDependencies(filepath.Join(dir, "package.json"))
	if err != nil {
		return err
	}
	for name, want := range pins {
		got, err := readVersion(filepath.Join(dir, "node_modules", name, "package.json"))
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrModulesMissing, name, err)
		}
		if got != want {
			return fmt.Errorf("%w: %s is %s, package.json pins %s", ErrModulesMissing, name, got, want)
		}
	}
	return nil
}

func nodeBinary(node string) string {
	if node == "" {
		return "node"
	}
	return node
}

func readDependencies(path string) (map[string]string, error) {
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if err := readJSON(path, &pkg); err != nil {
		return nil, fmt.Errorf("interop: %w", err)
	}
	return pkg.Dependencies, nil
}

func readVersion(path string) (string, error) {
	var pkg struct {
		Version string `json:"version"`
	}
	if err := readJSON(path, &pkg); err != nil {
		return "", err
	}
	return pkg.Version, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
