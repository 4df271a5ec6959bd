package scenarios

import (
	"strings"
	"testing"
)

// TestParseServerRedis: the redis block's defaults, and each of its
// problems at its position.
func TestParseServerRedis(t *testing.T) {
	tests := []struct {
		name  string
		block string
		want  *Redis
		probs []string
	}{
		{name: "defaults", block: "  redis: {url: redis://127.0.0.1:6379/0}",
			want: &Redis{URL: "redis://127.0.0.1:6379/0", PubSub: true}},
		{name: "ttl only with a prefix", block: "  redis: {url: rediss://localhost:6380, prefix: \"run1:\", pubsub: false}",
			want: &Redis{URL: "rediss://localhost:6380", Prefix: "run1:"}},
		{name: "remote allowed", block: "  redis: {url: redis://10.0.0.7:6379, allow_remote: true}",
			want: &Redis{URL: "redis://10.0.0.7:6379", PubSub: true, AllowRemote: true}},
		{name: "remote", block: "  redis: {url: redis://10.0.0.7:6379}",
			probs: []string{"s.yaml:12:11: server.redis.url: 10.0.0.7 is not a loopback address: " +
				"set allow_remote: true to use it"}},
		{name: "not a redis url", block: "  redis: {url: http://127.0.0.1:6379}",
			probs: []string{"s.yaml:12:11: server.redis.url: want redis://host:port/db or rediss://host:port/db"}},
		{name: "no url", block: "  redis: {prefix: x}",
			probs: []string{"s.yaml:12:3: server.redis: url is required"}},
		{name: "unknown key", block: "  redis: {url: redis://127.0.0.1:6379, pubsb: true}",
			probs: []string{`s.yaml:12:40: server.redis.pubsb: unknown key (did you mean "pubsub"?)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := valid + "server:\n" + tt.block + "\n"
			if got := problems(t, src); strings.Join(got, "\n") != strings.Join(tt.probs, "\n") {
				t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.probs, "\n"))
			}
			if tt.want == nil {
				return
			}
			sc, err := Parse("s.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			if got := sc.Server.Redis; got == nil || *got != *tt.want {
				t.Errorf("redis = %+v, want %+v", got, tt.want)
			}
		})
	}
}
