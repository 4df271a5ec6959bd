package server

import (
	"maps"
	"regexp"
	"slices"

	"github.com/gatecrash/gatecrash/verifiers"
)

// nsRule is one NamespacePolicy compiled for the CONNECT path.
type nsRule struct {
	name       string
	pattern    *regexp.Regexp
	methods    []verifiers.Method
	roles      []string
	public     bool
	allowQuery bool
}

func compileRule(n NamespacePolicy) *nsRule {
	r := &nsRule{
		name:       n.Name,
		methods:    slices.Clone(n.Methods),
		roles:      slices.Clone(n.Roles),
		public:     n.Public,
		allowQuery: n.AllowQuery,
	}
	if n.Pattern != "" {
		r.pattern = regexp.MustCompile(n.Pattern) // validated before
	}
	return r
}

func (r *nsRule) accepts(m verifiers.Method) bool {
	return slices.Contains(r.methods, m)
}

// ruleSet is an immutable snapshot of the compiled policy; the server swaps
// it whole (copy on write) when a namespace is added at run time.
type ruleSet struct {
	exact    map[string]*nsRule
	patterns []*nsRule
}

func newRuleSet(p Policy) *ruleSet {
	rs := &ruleSet{exact: make(map[string]*nsRule, len(p.Namespaces))}
	for _, n := range p.Namespaces {
		rs = rs.with(compileRule(n))
	}
	return rs
}

// with returns a copy of rs that also holds r (replacing a rule of the same
// name or pattern).
func (rs *ruleSet) with(r *nsRule) *ruleSet {
	out := &ruleSet{exact: maps.Clone(rs.exact), patterns: slices.Clone(rs.patterns)}
	if r.pattern == nil {
		out.exact[r.name] = r
		return out
	}
	out.patterns = slices.DeleteFunc(out.patterns, func(p *nsRule) bool {
		return p.pattern.String() == r.pattern.String()
	})
	out.patterns = append(out.patterns, r)
	return out
}

// lookup returns the rule of namespace name, or nil: a namespace without a
// rule admits nobody.
func (rs *ruleSet) lookup(name string) *nsRule {
	if r, ok := rs.exact[name]; ok {
		return r
	}
	for _, r := range rs.patterns {
		if r.pattern.MatchString(name) {
			return r
		}
	}
	return nil
}
