package scenarios

import (
	"errors"
	"net/netip"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/verifiers"
)

// scenario decodes the document root. Field presence is remembered in
// d.keys; defaults and cross-field rules come later (validate).
func (d *decoder) scenario(root ast.Node) (*Scenario, bool) {
	s := &Scenario{}
	ok := d.mapping(root, "", []field{
		{"name", func(v ast.Node, p string) { s.Name, _ = d.str(v, p) }},
		{"description", func(v ast.Node, p string) { s.Description, _ = d.str(v, p) }},
		{"target", func(v ast.Node, p string) { s.Target = d.target(v, p) }},
		{"server", func(v ast.Node, p string) { s.Server = d.server(v, p) }},
		{"namespaces", func(v ast.Node, p string) { s.Namespaces = d.namespaces(v, p) }},
		{"credentials", func(v ast.Node, p string) { d.credentials(v, p, &s.Credentials) }},
		{"load", func(v ast.Node, p string) { d.load(v, p, &s.Load) }},
		{"thresholds", func(v ast.Node, p string) { s.Thresholds = d.thresholds(v, p) }},
		{"outputs", func(v ast.Node, p string) { d.outputs(v, p, &s.Outputs) }},
		{"revoke", func(v ast.Node, p string) { s.Revoke = d.revoke(v, p) }},
	})
	return s, ok
}

// enum decodes a string that must be one of allowed.
func (d *decoder) enum(n ast.Node, path string, allowed []string) (string, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return "", false
	}
	if slices.Contains(allowed, s) {
		return s, true
	}
	if sug := suggest(s, allowed); sug != "" {
		d.errorf(n, path, "unknown value %q (did you mean %q?)", s, sug)
	} else {
		d.errorf(n, path, "unknown value %q: want one of %s", s, strings.Join(allowed, ", "))
	}
	return "", false
}

func (d *decoder) target(n ast.Node, path string) *Target {
	t := &Target{}
	d.mapping(n, path, []field{
		{"url", func(v ast.Node, p string) { t.URL, _ = d.str(v, p) }},
		{"path", func(v ast.Node, p string) { t.Path, _ = d.str(v, p) }},
		{"allow_remote", func(v ast.Node, p string) { t.AllowRemote, _ = d.boolean(v, p) }},
		{"tls", func(v ast.Node, p string) {
			d.mapping(v, p, []field{
				{"ca_file", func(v ast.Node, p string) { t.TLS.CAFile, _ = d.str(v, p) }},
				{"insecure_skip_verify", func(v ast.Node, p string) { t.TLS.InsecureSkipVerify, _ = d.boolean(v, p) }},
			})
		}},
	})
	return t
}

var methodNames = []string{string(verifiers.MethodJWT), string(verifiers.MethodAPIKey), string(verifiers.MethodSession)}

func (d *decoder) server(n ast.Node, path string) *Server {
	s := &Server{Cache: make(map[verifiers.Method]Cache)}
	d.mapping(n, path, []field{
		{"profile", func(v ast.Node, p string) {
			pr, _ := d.enum(v, p, []string{string(ProfileHardened), string(ProfileSeedGap)})
			s.Profile = Profile(pr)
		}},
		{"policy", func(v ast.Node, p string) { s.Policy, _ = d.str(v, p) }},
		{"redis", func(v ast.Node, p string) { s.Redis = d.redis(v, p) }},
		{"cache", func(v ast.Node, p string) {
			fields := []field{{"all", func(v ast.Node, p string) { s.Cache["all"] = d.cache(v, p) }}}
			for _, m := range methodNames {
				fields = append(fields, field{m, func(v ast.Node, p string) {
					s.Cache[verifiers.Method(m)] = d.cache(v, p)
				}})
			}
			d.mapping(v, p, fields)
		}},
	})
	return s
}

// redis decodes the redis block; pubsub defaults to true.
func (d *decoder) redis(n ast.Node, path string) *Redis {
	r := &Redis{PubSub: true}
	d.mapping(n, path, []field{
		{"url", func(v ast.Node, p string) { r.URL, _ = d.str(v, p) }},
		{"prefix", func(v ast.Node, p string) { r.Prefix, _ = d.str(v, p) }},
		{"pubsub", func(v ast.Node, p string) { r.PubSub, _ = d.boolean(v, p) }},
		{"allow_remote", func(v ast.Node, p string) { r.AllowRemote, _ = d.boolean(v, p) }},
	})
	return r
}

// cache decodes one cache block; a block that leaves enabled out is
// enabled. TTL and size defaults are filled in later.
func (d *decoder) cache(n ast.Node, path string) Cache {
	c := Cache{Enabled: true}
	d.mapping(n, path, []field{
		{"enabled", func(v ast.Node, p string) { c.Enabled, _ = d.boolean(v, p) }},
		{"ttl", func(v ast.Node, p string) { c.TTL, _ = d.duration(v, p) }},
		{"size", func(v ast.Node, p string) {
			if i, ok := d.integer(v, p); ok {
				if i < 1 || i > 1<<30 {
					d.errorf(v, p, "must be between 1 and %d", 1<<30)
				}
				c.Size = int(i)
			}
		}},
	})
	return c
}

func (d *decoder) namespaces(n ast.Node, path string) []Namespace {
	var out []Namespace
	d.sequence(n, path, func(v ast.Node, p string) {
		ns := Namespace{Weight: 1}
		d.mapping(v, p, []field{
			{"name", func(v ast.Node, p string) { ns.Name, _ = d.str(v, p) }},
			{"methods", func(v ast.Node, p string) { ns.Methods = d.methods(v, p) }},
			{"roles", func(v ast.Node, p string) { ns.Roles = d.strs(v, p) }},
			{"weight", func(v ast.Node, p string) { ns.Weight = d.weight(v, p) }},
			{"public", func(v ast.Node, p string) { ns.Public, _ = d.boolean(v, p) }},
		})
		out = append(out, ns)
	})
	return out
}

func (d *decoder) methods(n ast.Node, path string) []verifiers.Method {
	var out []verifiers.Method
	d.sequence(n, path, func(v ast.Node, p string) {
		if m, ok := d.enum(v, p, methodNames); ok {
			if slices.Contains(out, verifiers.Method(m)) {
				d.errorf(v, p, "method %s listed twice", m)
			}
			out = append(out, verifiers.Method(m))
		}
	})
	return out
}

// weight decodes a relative weight, which must be positive.
func (d *decoder) weight(n ast.Node, path string) float64 {
	w, ok := d.number(n, path)
	if !ok {
		return 1
	}
	if w <= 0 {
		d.errorf(n, path, "must be > 0")
		return 1
	}
	return w
}

func (d *decoder) thresholds(n ast.Node, path string) []results.Threshold {
	var out []results.Threshold
	d.sequence(n, path, func(v ast.Node, p string) {
		expr, ok := d.str(v, p)
		if !ok {
			return
		}
		t, err := results.ParseThreshold(expr)
		var te *results.ThresholdError
		switch {
		case errors.As(err, &te):
			r := d.resolve(v, p)
			pos := d.posOf(r)
			pos.Col += quoteShift(r) + te.Offset
			d.add(pos, p, "%s", te.Msg)
		case err != nil:
			d.errorf(v, p, "%v", err)
		default:
			out = append(out, t)
			d.thresholdPaths = append(d.thresholdPaths, p)
		}
	})
	return out
}

func (d *decoder) outputs(n ast.Node, path string, o *Outputs) {
	later := func(format string) func(ast.Node, string) {
		return func(v ast.Node, p string) { d.errorf(v, p, "%s output is not implemented yet", format) }
	}
	d.mapping(n, path, []field{
		{"json", func(v ast.Node, p string) { o.JSON, _ = d.str(v, p) }},
		{"html", later("HTML")},
		{"markdown", later("Markdown")},
	})
}

// sourceAddrs decodes a list of loopback addresses, or a count N meaning
// 127.0.0.1 to 127.0.0.N.
func (d *decoder) sourceAddrs(n ast.Node, path string) []netip.Addr {
	if r := d.resolve(n, path); r != nil {
		if _, isInt := r.(*ast.IntegerNode); isInt {
			c, ok := d.integer(r, path)
			if !ok || c < 1 || c > 254 {
				d.errorf(r, path, "a count of addresses must be between 1 and 254")
				return nil
			}
			out := make([]netip.Addr, c)
			for i := range out {
				out[i] = netip.AddrFrom4([4]byte{127, 0, 0, byte(i + 1)})
			}
			return out
		}
	}
	var out []netip.Addr
	d.sequence(n, path, func(v ast.Node, p string) {
		s, ok := d.str(v, p)
		if !ok {
			return
		}
		a, err := netip.ParseAddr(s)
		switch {
		case err != nil:
			d.errorf(v, p, "bad IP address %q", s)
		case !a.Is4() || !a.IsLoopback():
			d.errorf(v, p, "%s is not in 127.0.0.0/8: source addresses are loopback only", s)
		case slices.Contains(out, a):
			d.errorf(v, p, "%s listed twice", s)
		default:
			out = append(out, a)
		}
	})
	return out
}
