package scenarios

import (
	"cmp"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gatecrash/gatecrash/internal/creds"
)

// MaxSize is the largest scenario file read, in bytes.
const MaxSize = 1 << 20

//go:embed *.yaml
var builtinFS embed.FS

// Builtins returns the names of the shipped scenarios ("quickstart", ...).
func Builtins() []string {
	entries, err := fs.ReadDir(builtinFS, ".")
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	return names
}

// Builtin returns the YAML of the shipped scenario called name, with or
// without its ".yaml" suffix.
func Builtin(name string) ([]byte, error) {
	data, err := builtinFS.ReadFile(strings.TrimSuffix(name, ".yaml") + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("%w: %q (built-in scenarios: %s)", ErrNotFound, name, strings.Join(Builtins(), ", "))
	}
	return data, nil
}

// Load reads and validates the scenario at path. A path that is not a file
// but names a built-in scenario ("quickstart") loads that one. Relative
// file paths inside a scenario file (secret_file, key_file, ca_file,
// policy, credentials.file, outputs.json) are made relative to the file's
// directory; a built-in's stay relative to the working directory. Load also
// checks that the input files it names exist.
func Load(path string) (*Scenario, error) {
	data, err := readLimited(path)
	if errors.Is(err, fs.ErrNotExist) && !strings.ContainsRune(path, os.PathSeparator) {
		if b, berr := Builtin(path); berr == nil {
			return parse("builtin:"+strings.TrimSuffix(path, ".yaml"), b, "", false)
		}
		hint := ""
		if s := suggest(strings.TrimSuffix(path, ".yaml"), Builtins()); s != "" {
			hint = fmt.Sprintf("; did you mean %s?", s)
		}
		return nil, fmt.Errorf("%w: %s is neither a file nor a built-in (%s)%s",
			ErrNotFound, path, strings.Join(Builtins(), ", "), hint)
	}
	if err != nil {
		return nil, fmt.Errorf("scenarios: %w", err)
	}
	return parse(path, data, filepath.Dir(path), true)
}

// readLimited reads a scenario file of at most MaxSize bytes; a path that
// is not a regular file (a FIFO, /dev/zero) is refused before it is opened.
func readLimited(path string) ([]byte, error) {
	return creds.ReadInput(path, MaxSize)
}

// Parse validates scenario YAML. name is used in positions (usually the
// file name); relative paths are left as written and files are not checked.
// Every problem is reported at once in a *ValidationError.
func Parse(name string, data []byte) (*Scenario, error) {
	return parse(name, data, "", false)
}

func parse(name string, data []byte, dir string, checkFiles bool) (*Scenario, error) {
	d := newDecoder(name)
	if len(data) > MaxSize {
		d.add(Pos{File: name, Line: 1, Col: 1}, "", "larger than %d bytes", MaxSize)
		return nil, d.err()
	}
	if !d.checkShape(data) {
		return nil, d.err()
	}
	root := d.parseYAML(data)
	if root == nil {
		return nil, d.err()
	}
	s, ok := d.scenario(root)
	if !ok {
		return nil, d.err()
	}
	s.Source = name
	d.validate(s)
	if dir != "" {
		d.resolvePaths(s, dir, checkFiles)
	}
	if err := d.err(); err != nil {
		return nil, err
	}
	return s, nil
}

// err returns the collected problems in file order, or nil.
func (d *decoder) err() error {
	if len(d.problems) == 0 {
		return nil
	}
	slices.SortStableFunc(d.problems, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Col, b.Pos.Col))
	})
	return &ValidationError{Problems: d.problems}
}

// resolvePaths makes the scenario's relative paths relative to dir and,
// when check is set, reports input files that do not exist.
func (d *decoder) resolvePaths(s *Scenario, dir string, check bool) {
	fix := func(p *string, path string, input bool) {
		if *p == "" {
			return
		}
		if !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
		if input && check {
			if err := creds.CheckRegular(*p); errors.Is(err, ErrNotRegular) {
				d.problemAt(path, "cannot read %v", err)
			} else if err != nil {
				d.problemAt(path, "cannot read %s: %v", *p, errors.Unwrap(err))
			}
		}
	}
	j := &s.Credentials.JWT
	fix(&j.SecretFile, "credentials.jwt.secret_file", true)
	fix(&j.KeyFile, "credentials.jwt.key_file", true)
	fix(&s.Credentials.File, "credentials.file", true)
	if s.Target != nil {
		fix(&s.Target.TLS.CAFile, "target.tls.ca_file", true)
	}
	if s.Server != nil {
		fix(&s.Server.Policy, "server.policy", true)
	}
	fix(&s.Outputs.JSON, "outputs.json", false)
}
