package scenarios

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gatecrash/gatecrash/verifiers"
)

func (d *decoder) validateMix(s *Scenario) {
	if len(s.Credentials.Mix) == 0 {
		d.problemAt("credentials.mix", "at least one credential kind is required")
		return
	}
	labels := make(map[string]int)
	for i := range s.Credentials.Mix {
		e := &s.Credentials.Mix[i]
		p := fmt.Sprintf("credentials.mix[%d]", i)
		if e.Kind == "" {
			if !d.has(p + ".kind") {
				d.problemAt(p, "kind is required")
			}
			continue
		}
		info, _ := LookupKind(e.Kind)
		d.validateEntry(s, e, info, p)
		if e.Label == "" {
			e.Label = defaultLabel(e)
		}
		if j, dup := labels[e.Label]; dup {
			d.problemAt(p, "credentials.mix[%d] has the same label %q: give one a name", j, e.Label)
		}
		labels[e.Label] = i
	}
}

func defaultLabel(e *MixEntry) string {
	if len(e.Roles) == 0 {
		return e.Kind
	}
	return e.Kind + "[" + strings.Join(e.Roles, ",") + "]"
}

func (d *decoder) validateEntry(s *Scenario, e *MixEntry, info KindInfo, p string) {
	places := placesFor(info.Method)
	switch {
	case info.Method == "" && len(e.Roles) > 0:
		d.problemAt(p+".roles", "kind %s presents no credential, so it holds no roles", e.Kind)
	case info.Method == "" && e.Place != "":
		d.problemAt(p+".place", "kind %s presents no credential, so it has no place", e.Kind)
	case e.Place == "" && len(places) > 0:
		e.Place = places[0]
	case e.Place != "" && !slices.Contains(places, e.Place):
		d.problemAt(p+".place", "a %s credential cannot travel in %s: want one of %s",
			info.Method, e.Place, joinSources(places))
	}
	d.validateAlg(s, e, info, p)
	d.validateExternal(s, e, info, p)
	for ns := range e.Expect {
		if _, ok := s.namespace(ns); !ok {
			d.problemAt(p+".expect["+ns+"]", "namespace %s is not declared in namespaces", ns)
		}
	}
}

func joinSources(ss []verifiers.Source) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// validateAlg checks an entry's algorithm and that the key material fits it.
func (d *decoder) validateAlg(s *Scenario, e *MixEntry, info KindInfo, p string) {
	if info.Method != verifiers.MethodJWT {
		if e.Alg != "" {
			d.problemAt(p+".alg", "alg applies to JWT kinds only")
		}
		return
	}
	if e.Alg != "" {
		switch {
		case e.Kind == "jwt-alg-none":
			d.problemAt(p+".alg", "jwt-alg-none is unsigned: it takes no alg")
			return
		case strings.EqualFold(e.Alg, "none"):
			d.problemAt(p+".alg", `use kind jwt-alg-none for alg "none"`)
			return
		case !slices.Contains(jwtAlgs, e.Alg):
			d.problemAt(p+".alg", "unknown algorithm %q: want one of %s", e.Alg, strings.Join(jwtAlgs, ", "))
			return
		}
	}
	if !info.Signed {
		return
	}
	j := s.Credentials.JWT
	alg := cmpOr(e.Alg, j.Alg)
	hasSecret := j.Secret != "" || j.SecretFile != ""
	switch {
	case isHMAC(alg) && j.KeyFile != "" && !hasSecret:
		d.problemAt(cmpOr(pathIf(e.Alg != "", p+".alg"), "credentials.jwt.key_file"),
			"alg %s needs secret or secret_file, not key_file", alg)
	case !isHMAC(alg) && hasSecret && j.KeyFile == "":
		d.problemAt(cmpOr(pathIf(e.Alg != "", p+".alg"), "credentials.jwt.alg"),
			"alg %s needs key_file (a PEM private key), not a secret", alg)
	}
}

// validateExternal checks that an external target can be given the entry's
// credential: signed tokens need the target's key, and API keys and
// sessions that exist in its store come from credentials.file.
func (d *decoder) validateExternal(s *Scenario, e *MixEntry, info KindInfo, p string) {
	if s.Target == nil {
		return
	}
	j := s.Credentials.JWT
	if info.Signed && j.Secret == "" && j.SecretFile == "" && j.KeyFile == "" {
		d.problemAt(p+".kind", "%s against a target needs the target's key: set credentials.jwt.secret, "+
			"secret_file or key_file", e.Kind)
	}
	if info.EmbeddedOnly {
		d.problemAt(p+".kind", "%s needs the embedded server's own revocation list: it cannot be "+
			"minted for a target", e.Kind)
	}
	if info.Records && s.Credentials.File == "" {
		d.problemAt(p+".kind", "%s against a target needs credentials.file: gatecrash cannot create them "+
			"in the target's store", e.Kind)
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func pathIf(cond bool, path string) string {
	if cond {
		return path
	}
	return ""
}
