package runner_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gatecrash/gatecrash/internal/redistest"
)

// redisYAML is embeddedYAML's mix against stores in Redis (server.redis),
// with every method cached and one revoked kind of each.
const redisYAML = `
name: runner-redis
server:
  cache:
    all: {enabled: true}
  redis: {url: %q, prefix: "scenario-%s:", pubsub: %v}
namespaces:
  - {name: /, methods: [jwt, session]}
  - {name: /api, methods: [jwt, apikey]}
credentials:
  identities: 10
  reuse: uniform
  mix:
    - {kind: jwt}
    - {kind: apikey}
    - {kind: session}
    - {kind: jwt-revoked}
    - {kind: apikey-revoked}
    - {kind: session-unknown}
load:
  stages:
    - {duration: 1s, rate: 80}
  timeout: 5s
`

// TestRun_RedisStores_EveryRowCorrect: a scenario's embedded server keeps
// its stores in Redis, with and without pub/sub; every matrix row is right.
func TestRun_RedisStores_EveryRowCorrect(t *testing.T) {
	rs := redistest.Shared(t)
	for _, pubsub := range []bool{true, false} {
		name := map[bool]string{true: "pubsub", false: "ttl-only"}[pubsub]
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			out := runScenario(t, ctx, parse(t, sprintf(redisYAML, rs.URL(), name, pubsub)))
			checkMatrix(t, out.Result)
			if out.Result.Meta.Incomplete {
				t.Errorf("incomplete: %s", out.Result.Meta.IncompleteReason)
			}
			client := redis.NewClient(&redis.Options{Addr: rs.Addr()})
			defer client.Close()
			keys, err := client.Keys(ctx, "scenario-"+name+":*").Result()
			if err != nil || len(keys) < 20 {
				t.Errorf("%d keys under the scenario's prefix (%v): the stores were not in Redis", len(keys), err)
			}
		})
	}
}
