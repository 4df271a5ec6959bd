package scenarios

import (
	"strings"
	"testing"
	"time"
)

// revokeBase has the embedded server in Redis and an API-key namespace;
// load is 10 s.
const revokeBase = `name: t
server:
  redis: {url: redis://127.0.0.1:6379}
namespaces:
  - {name: /, methods: [jwt]}
  - {name: /api, methods: [apikey]}
  - {name: /admin, methods: [apikey], roles: [admin]}
credentials:
  mix:
    - {kind: jwt}
load:
  stages:
    - {duration: 10s, rate: 10}
`

// TestParseRevoke: the revoke block's defaults, and each of its problems
// at its position.
func TestParseRevoke(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		want  *Revoke
		probs []string
	}{
		{name: "defaults", src: revokeBase + "revoke: {at: 5s}\n",
			want: &Revoke{At: 5 * time.Second, Count: DefaultRevokeCount, Servers: DefaultRevokeServers,
				ProbeEvery: DefaultRevokeProbeEvery, Bound: DefaultRevokeBound}},
		{name: "every field", src: revokeBase + "revoke: {at: 2s, count: 3, servers: 4, probe_every: 2ms, bound: 3s}\n",
			want: &Revoke{At: 2 * time.Second, Count: 3, Servers: 4, ProbeEvery: 2 * time.Millisecond,
				Bound: 3 * time.Second}},
		{name: "no at", src: revokeBase + "revoke: {count: 2}\n",
			probs: []string{"s.yaml:14:1: revoke: needs at > 0 (when to revoke)"}},
		{name: "at after the load", src: revokeBase + "revoke: {at: 10s}\n",
			probs: []string{"s.yaml:14:10: revoke.at: 10s is not before the load's end (10s)"}},
		{name: "out of range", src: revokeBase +
			"revoke: {at: 1s, count: 0, servers: 17, probe_every: 1us, bound: 11m}\n",
			probs: []string{
				"s.yaml:14:25: revoke.count: must be between 1 and 1000",
				"s.yaml:14:37: revoke.servers: must be between 1 and 16",
				"s.yaml:14:41: revoke.probe_every: must be at least 1ms",
				"s.yaml:14:59: revoke.bound: must be at most 10m0s",
			}},
		{name: "unknown key", src: revokeBase + "revoke: {at: 1s, cuont: 2}\n",
			probs: []string{"s.yaml:14:18: revoke.cuont: unknown key (known: at, count, servers, probe_every, bound)"}},
		{name: "without redis", src: strings.Replace(revokeBase,
			"server:\n  redis: {url: redis://127.0.0.1:6379}\n", "", 1) + "revoke: {at: 1s}\n",
			probs: []string{"s.yaml:12:1: revoke: needs server.redis: servers share revocations only through Redis"}},
		{name: "with a target", src: strings.Replace(revokeBase,
			"server:\n  redis: {url: redis://127.0.0.1:6379}\n", "target: {url: http://127.0.0.1:3000}\n", 1) +
			"revoke: {at: 1s}\n",
			probs: []string{"s.yaml:9:8: credentials.mix[0].kind: jwt against a target needs the target's key: " +
				"set credentials.jwt.secret, secret_file or key_file",
				"s.yaml:13:1: revoke: needs the embedded server: it cannot go with a target"}},
		{name: "no api-key namespace", src: strings.Replace(revokeBase,
			"  - {name: /api, methods: [apikey]}\n", "", 1) + "revoke: {at: 1s}\n",
			probs: []string{"s.yaml:13:1: revoke: needs a namespace accepting apikey without roles: " +
				"the revoked credentials are API keys"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := problems(t, tt.src); strings.Join(got, "\n") != strings.Join(tt.probs, "\n") {
				t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.probs, "\n"))
			}
			if tt.want == nil {
				return
			}
			sc, err := Parse("s.yaml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if got := sc.Revoke; got == nil || *got != *tt.want {
				t.Errorf("revoke = %+v, want %+v", got, tt.want)
			}
			if got := sc.RevokeNamespaces(); strings.Join(got, ",") != "/api" {
				t.Errorf("RevokeNamespaces = %v, want [/api]", got)
			}
		})
	}
}
