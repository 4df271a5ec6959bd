package server

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"

	"github.com/gatecrash/gatecrash/verifiers"
)

// ErrPolicy is wrapped by every error LoadPolicy, ParsePolicy and
// Policy.Validate return.
var ErrPolicy = errors.New("invalid policy")

// Policy says, for each namespace the server serves, who may connect. A
// namespace that is not in the policy does not exist on the server: a CONNECT
// to it is refused.
type Policy struct {
	// Namespaces lists the namespaces, each named exactly or by a pattern.
	Namespaces []NamespacePolicy `yaml:"namespaces"`
}

// NamespacePolicy is the rule of one namespace (Name) or of a family of
// dynamic namespaces (Pattern, a regular expression matched against the whole
// namespace name, such as `^/tenant-\d+$`). Exactly one of Name and Pattern is
// set.
type NamespacePolicy struct {
	// Name is the namespace, starting with "/".
	Name string `yaml:"name,omitempty"`
	// Pattern is a regular expression; namespaces matching it are created on
	// first CONNECT, and each one gets this rule.
	Pattern string `yaml:"pattern,omitempty"`
	// Methods are the accepted verification methods. Empty only when Public.
	Methods []verifiers.Method `yaml:"methods,omitempty"`
	// Roles are required, all of them, compared exactly.
	Roles []string `yaml:"roles,omitempty"`
	// Public lets anyone connect without a credential. It must be said
	// explicitly, and the server logs a warning at start for each public
	// namespace.
	Public bool `yaml:"public,omitempty"`
	// AllowQuery lets credentials travel in the query string of the
	// Engine.IO handshake URL. Off by default: query strings end up in access
	// logs and proxies.
	AllowQuery bool `yaml:"allow_query,omitempty"`
}

// DefaultPolicy returns the policy of the application the security analysis
// describes: "/" (chat) for a session cookie or a JWT, "/admin" for a JWT or
// a session holding the role "admin", "/api" for machine clients with a JWT
// or an API key. Each call returns a fresh value.
func DefaultPolicy() Policy {
	return Policy{Namespaces: []NamespacePolicy{
		{Name: "/", Methods: []verifiers.Method{verifiers.MethodSession, verifiers.MethodJWT}},
		{
			Name:    "/admin",
			Methods: []verifiers.Method{verifiers.MethodJWT, verifiers.MethodSession},
			Roles:   []string{"admin"},
		},
		{Name: "/api", Methods: []verifiers.Method{verifiers.MethodJWT, verifiers.MethodAPIKey}},
	}}
}

// seedGapPolicy is the analysed application's state: session auth on "/"
// only; "/admin" with no auth at all; "/api" without token auth, so its
// machine clients, who hold no session, reach it with nothing.
func seedGapPolicy() Policy {
	return Policy{Namespaces: []NamespacePolicy{
		{Name: "/", Methods: []verifiers.Method{verifiers.MethodSession}},
		{Name: "/admin", Public: true},
		{Name: "/api", Public: true},
	}}
}

// Clone returns a deep copy of p.
func (p Policy) Clone() Policy {
	out := Policy{Namespaces: make([]NamespacePolicy, len(p.Namespaces))}
	for i, n := range p.Namespaces {
		n.Methods = slices.Clone(n.Methods)
		n.Roles = slices.Clone(n.Roles)
		out.Namespaces[i] = n
	}
	return out
}

// LoadPolicy reads and validates the YAML policy at path. Errors name the
// file and the line.
func LoadPolicy(path string) (Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Policy{}, fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	return ParsePolicy(path, data)
}

// ParsePolicy decodes and validates a YAML policy; name is used in error
// messages (a file name). Unknown fields are errors.
func ParsePolicy(name string, data []byte) (Policy, error) {
	var p Policy
	if err := yaml.UnmarshalWithOptions(data, &p, yaml.DisallowUnknownField()); err != nil {
		return Policy{}, fmt.Errorf("%w: %s:%s", ErrPolicy, name, yamlErrorText(err))
	}
	if err := p.validate(); err != nil {
		var ve *validationError
		if errors.As(err, &ve) {
			return Policy{}, fmt.Errorf("%w: %s:%d: %s", ErrPolicy, name, lineOf(data, ve.path), ve.msg)
		}
		return Policy{}, err
	}
	return p, nil
}

// Validate reports the first problem of p: a namespace named twice or not
// starting with "/", a bad pattern, a non-public namespace with no method,
// an unknown method.
func (p Policy) Validate() error {
	if err := p.validate(); err != nil {
		var ve *validationError
		if errors.As(err, &ve) {
			return fmt.Errorf("%w: %s: %s", ErrPolicy, ve.path, ve.msg)
		}
		return err
	}
	return nil
}

type validationError struct {
	path string // a YAML path such as $.namespaces[1].methods
	msg  string
}

func (e *validationError) Error() string { return e.path + ": " + e.msg }

func (p Policy) validate() error {
	if len(p.Namespaces) == 0 {
		return &validationError{"$.namespaces", "no namespace"}
	}
	seen := make(map[string]bool, len(p.Namespaces))
	for i, n := range p.Namespaces {
		at := fmt.Sprintf("$.namespaces[%d]", i)
		if err := n.validate(at); err != nil {
			return err
		}
		key := n.Name + "\x00" + n.Pattern
		if seen[key] {
			return &validationError{at, "namespace " + n.Name + n.Pattern + " listed twice"}
		}
		seen[key] = true
	}
	return nil
}

func (n NamespacePolicy) validate(at string) error {
	switch {
	case (n.Name == "") == (n.Pattern == ""):
		return &validationError{at, "exactly one of name and pattern must be set"}
	case n.Name != "" && !strings.HasPrefix(n.Name, "/"):
		return &validationError{at + ".name", "namespace must start with /"}
	case n.Public && len(n.Methods) > 0:
		return &validationError{at + ".methods", "a public namespace takes no methods"}
	case !n.Public && len(n.Methods) == 0:
		return &validationError{at + ".methods", "no method: list methods or say public: true"}
	}
	if n.Pattern != "" {
		if _, err := regexp.Compile(n.Pattern); err != nil {
			return &validationError{at + ".pattern", err.Error()}
		}
	}
	for j, m := range n.Methods {
		switch m {
		case verifiers.MethodJWT, verifiers.MethodAPIKey, verifiers.MethodSession:
		default:
			return &validationError{fmt.Sprintf("%s.methods[%d]", at, j), "unknown method " + strconv.Quote(string(m))}
		}
	}
	return nil
}

// lineOf returns the line of the YAML node at path, or of its nearest
// existing ancestor (a missing field is reported where its parent is), or 0.
func lineOf(data []byte, path string) int {
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return 0
	}
	for path != "$" && path != "" {
		if p, err := yaml.PathString(path); err == nil {
			if node, err := p.FilterFile(file); err == nil && node != nil && node.GetToken() != nil {
				return node.GetToken().Position.Line
			}
		}
		path = path[:max(strings.LastIndexAny(path, ".["), 0)]
	}
	return 0
}

// yamlErrorText renders a go-yaml error as "line:col: message".
func yamlErrorText(err error) string {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		pos := ye.GetToken().Position
		return fmt.Sprintf("%d:%d: %s", pos.Line, pos.Column, ye.GetMessage())
	}
	return " " + err.Error()
}
