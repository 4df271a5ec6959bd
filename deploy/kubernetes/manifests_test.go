package kubernetes

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/gatecrash/gatecrash/scenarios"
)

// object is the part of a manifest the checks read.
type object struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Data map[string]string `yaml:"data"`
	Spec struct {
		CompletionMode string `yaml:"completionMode"`
		Completions    int    `yaml:"completions"`
		Parallelism    int    `yaml:"parallelism"`
		Template       struct {
			Spec struct {
				Containers []struct {
					Args []string `yaml:"args"`
				} `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

// load parses every YAML document of every manifest here, by kind/name.
func load(t *testing.T) map[string]object {
	t.Helper()
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests: %v", err)
	}
	out := map[string]object{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for i := 0; ; i++ {
			var o object
			if err := dec.Decode(&o); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s document %d: %v", f, i, err)
			}
			if o.APIVersion == "" || o.Kind == "" || o.Metadata.Name == "" {
				t.Fatalf("%s document %d: apiVersion, kind or metadata.name missing", f, i)
			}
			out[o.Kind+"/"+o.Metadata.Name] = o
		}
	}
	return out
}

// flag returns the value of --name=value in args, "" when absent.
func flag(args []string, name string) string {
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v
		}
	}
	return ""
}

// TestManifests: every manifest parses, the pieces the README names exist,
// the workers' Indexed Job has as many completions as the coordinator waits
// for, both join the NATS Service, and the scenario in the ConfigMap is a
// valid gatecrash scenario.
func TestManifests(t *testing.T) {
	objs := load(t)
	for _, want := range []string{"Deployment/gatecrash-nats", "Service/gatecrash-nats",
		"ConfigMap/gatecrash-scenario", "Job/gatecrash-workers", "Job/gatecrash-coordinator"} {
		if _, ok := objs[want]; !ok {
			t.Errorf("%s missing", want)
		}
	}
	workers, coord := objs["Job/gatecrash-workers"], objs["Job/gatecrash-coordinator"]
	if workers.Spec.CompletionMode != "Indexed" || workers.Spec.Completions != workers.Spec.Parallelism {
		t.Errorf("workers: completionMode %q, completions %d, parallelism %d: want Indexed, equal",
			workers.Spec.CompletionMode, workers.Spec.Completions, workers.Spec.Parallelism)
	}
	if len(coord.Spec.Template.Spec.Containers) != 1 || len(workers.Spec.Template.Spec.Containers) != 1 {
		t.Fatal("coordinator and workers: want one container each")
	}
	cargs := coord.Spec.Template.Spec.Containers[0].Args
	wargs := workers.Spec.Template.Spec.Containers[0].Args
	if n, err := strconv.Atoi(flag(cargs, "workers")); err != nil || n != workers.Spec.Completions {
		t.Errorf("coordinator --workers %q, workers' completions %d", flag(cargs, "workers"),
			workers.Spec.Completions)
	}
	if j := flag(cargs, "join"); j == "" || j != flag(wargs, "join") ||
		!strings.Contains(j, "//gatecrash-nats:") {
		t.Errorf("coordinator joins %q, workers %q: want the same gatecrash-nats URL", j, flag(wargs, "join"))
	}
	src, ok := objs["ConfigMap/gatecrash-scenario"].Data["scenario.yaml"]
	if !ok {
		t.Fatal("ConfigMap gatecrash-scenario has no scenario.yaml")
	}
	checkScenario(t, src)
}

// checkScenario parses the ConfigMap's scenario with its secret file in a
// temporary directory (in the cluster, the mounted Secret).
func checkScenario(t *testing.T, src string) {
	t.Helper()
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	if err := os.WriteFile(secret, []byte(strings.Repeat("k", 32)), 0o600); err != nil {
		t.Fatal(err)
	}
	src = strings.ReplaceAll(src, "/etc/gatecrash/jwt/secret", secret)
	sc, err := scenarios.Parse("scenario.yaml", []byte(src))
	if err != nil {
		t.Fatalf("ConfigMap scenario: %v", err)
	}
	if sc.Target == nil || sc.Load.Transport != scenarios.TransportWebSocket {
		t.Errorf("ConfigMap scenario: target %v, transport %q: a distributed run needs a target",
			sc.Target, sc.Load.Transport)
	}
}
