package scenarios

import (
	"github.com/goccy/go-yaml/ast"

	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/verifiers"
)

func (d *decoder) credentials(n ast.Node, path string, c *Credentials) {
	d.mapping(n, path, []field{
		{"identities", func(v ast.Node, p string) {
			if i, ok := d.integer(v, p); ok {
				if i < 1 || i > 10_000_000 {
					d.errorf(v, p, "must be between 1 and 10000000")
				}
				c.Identities = int(i)
			}
		}},
		{"reuse", func(v ast.Node, p string) {
			r, _ := d.enum(v, p, []string{string(ReuseUnique), string(ReuseUniform), string(ReuseZipf)})
			c.Reuse = Reuse(r)
		}},
		{"zipf_s", func(v ast.Node, p string) { c.ZipfS, _ = d.number(v, p) }},
		{"jwt", func(v ast.Node, p string) { d.jwt(v, p, &c.JWT) }},
		{"file", func(v ast.Node, p string) { c.File, _ = d.str(v, p) }},
		{"mix", func(v ast.Node, p string) { c.Mix = d.mix(v, p) }},
	})
}

func (d *decoder) jwt(n ast.Node, path string, j *JWT) {
	d.mapping(n, path, []field{
		{"alg", func(v ast.Node, p string) { j.Alg, _ = d.enum(v, p, jwtAlgs) }},
		{"secret", func(v ast.Node, p string) { j.Secret, _ = d.str(v, p) }},
		{"secret_file", func(v ast.Node, p string) { j.SecretFile, _ = d.str(v, p) }},
		{"key_file", func(v ast.Node, p string) { j.KeyFile, _ = d.str(v, p) }},
		{"issuer", func(v ast.Node, p string) { j.Issuer, _ = d.str(v, p) }},
		{"audience", func(v ast.Node, p string) { j.Audience, _ = d.str(v, p) }},
		{"lifetime", func(v ast.Node, p string) { j.Lifetime, _ = d.duration(v, p) }},
	})
}

func (d *decoder) mix(n ast.Node, path string) []MixEntry {
	var out []MixEntry
	d.sequence(n, path, func(v ast.Node, p string) {
		e := MixEntry{Weight: 1}
		d.mapping(v, p, []field{
			{"name", func(v ast.Node, p string) { e.Label, _ = d.str(v, p) }},
			{"kind", func(v ast.Node, p string) { e.Kind, _ = d.enum(v, p, kindNames()) }},
			{"weight", func(v ast.Node, p string) { e.Weight = d.weight(v, p) }},
			{"roles", func(v ast.Node, p string) { e.Roles = d.strs(v, p) }},
			{"place", func(v ast.Node, p string) {
				pl, _ := d.enum(v, p, []string{string(verifiers.SourceAuth), string(verifiers.SourceHeader),
					string(verifiers.SourceCookie), string(verifiers.SourceQuery)})
				e.Place = verifiers.Source(pl)
			}},
			{"alg", func(v ast.Node, p string) { e.Alg, _ = d.str(v, p) }},
			{"expect", func(v ast.Node, p string) { e.Expect = d.expectations(v, p) }},
		})
		out = append(out, e)
	})
	return out
}

// expectations decodes a mapping of namespace to accept or reject. The
// namespaces are checked against the declared ones later.
func (d *decoder) expectations(n ast.Node, path string) map[string]results.Expect {
	out := make(map[string]results.Expect)
	r := d.resolve(n, path)
	m, ok := r.(*ast.MappingNode)
	if !ok {
		if r != nil {
			d.errorf(r, path, "must be a mapping of namespace to accept or reject, got %s", kindOf(r))
		}
		return out
	}
	for _, mv := range m.Values {
		ns := keyString(mv.Key)
		sub := path + "[" + ns + "]"
		d.keys[sub] = d.posOf(mv.Key)
		if _, dup := out[ns]; dup {
			d.errorf(mv.Key, sub, "duplicate namespace")
			continue
		}
		if x, ok := d.enum(mv.Value, sub, []string{string(results.ExpectAccept), string(results.ExpectReject)}); ok {
			out[ns] = results.Expect(x)
		}
	}
	return out
}

func (d *decoder) load(n ast.Node, path string, l *LoadSpec) {
	d.mapping(n, path, []field{
		{"model", func(v ast.Node, p string) {
			m, _ := d.enum(v, p, []string{string(ModelOpen), string(ModelClosed), string(ModelHold)})
			l.Model = Model(m)
		}},
		{"stages", func(v ast.Node, p string) { l.Stages = d.stages(v, p) }},
		{"vus", func(v ast.Node, p string) { l.VUs = d.count(v, p, 1_000_000) }},
		{"duration", func(v ast.Node, p string) { l.Duration, _ = d.duration(v, p) }},
		{"iterations", func(v ast.Node, p string) { l.Iterations = int64(d.count(v, p, 1_000_000_000)) }},
		{"sockets", func(v ast.Node, p string) { l.Sockets = d.count(v, p, 1_000_000) }},
		{"ramp", func(v ast.Node, p string) { l.Ramp, _ = d.duration(v, p) }},
		{"hold", func(v ast.Node, p string) { l.Hold, _ = d.duration(v, p) }},
		{"event_every", func(v ast.Node, p string) { l.EventEvery, _ = d.duration(v, p) }},
		{"transport", func(v ast.Node, p string) {
			t, _ := d.enum(v, p, []string{string(TransportWebSocket), string(TransportPolling)})
			l.Transport = Transport(t)
		}},
		{"timeout", func(v ast.Node, p string) { l.Timeout, _ = d.duration(v, p) }},
		{"ack_event", func(v ast.Node, p string) { l.AckEvent, _ = d.str(v, p) }},
		{"multiplex", func(v ast.Node, p string) { l.Multiplex, _ = d.boolean(v, p) }},
		{"source_addrs", func(v ast.Node, p string) { l.SourceAddrs = d.sourceAddrs(v, p) }},
	})
}

// count decodes an integer between 1 and limit.
func (d *decoder) count(n ast.Node, path string, limit int64) int {
	i, ok := d.integer(n, path)
	if !ok {
		return 0
	}
	if i < 1 || i > limit {
		d.errorf(n, path, "must be between 1 and %d", limit)
		return 0
	}
	return int(i)
}

func (d *decoder) stages(n ast.Node, path string) []Stage {
	var out []Stage
	d.sequence(n, path, func(v ast.Node, p string) {
		var st Stage
		rateNode, rateOK := ast.Node(nil), false
		d.mapping(v, p, []field{
			{"duration", func(v ast.Node, p string) { st.Duration, _ = d.duration(v, p) }},
			{"rate", func(v ast.Node, p string) { st.Rate, rateOK = d.number(v, p); rateNode = v }},
			{"ramp", func(v ast.Node, p string) { st.Ramp, _ = d.boolean(v, p) }},
		})
		switch {
		case rateNode == nil, !rateOK: // absent, or reported already
		case st.Rate < 0 || st.Rate == 0 && !st.Ramp:
			d.errorf(rateNode, p+".rate", "must be > 0 (0 is allowed only with ramp: true, to ramp down)")
		case st.Rate > 1_000_000:
			d.errorf(rateNode, p+".rate", "must be at most 1000000 per second")
		}
		out = append(out, st)
	})
	return out
}
