package verifiers

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// denyScript lists a jti until its TTL ends (not at all when the TTL is not
// positive: the token has expired) and announces the revocation.
// KEYS[1] key; ARGV channel, message, ttl ms.
var denyScript = redis.NewScript(`
local ttl = tonumber(ARGV[3])
if ttl > 0 then redis.call('SET', KEYS[1], '1', 'PX', ttl) end
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1`)

// RedisDenylist is a Denylist in Redis: one key per revoked jti, expiring
// when the entry is no longer needed.
type RedisDenylist struct{ r *Redis }

// Generations returns the denylist's counters; they also implement
// OutageSource.
func (d *RedisDenylist) Generations() GenerationSource { return &d.r.denylist }

// Revoke lists jti until the given time (the token's exp plus leeway is
// enough), then bumps the revocation generation here; other processes bump
// theirs when the announcement reaches them. A time already past lists
// nothing, as the token is rejected as expired anyway.
func (d *RedisDenylist) Revoke(ctx context.Context, jti string, until time.Time) error {
	ttl := until.Sub(d.r.now()).Milliseconds()
	msg := Revocation{Method: MethodJWT, CredentialID: jti}.message()
	if err := denyScript.Run(ctx, d.r.client, []string{d.r.jtis + jti}, d.r.chname, msg, ttl).Err(); err != nil {
		return d.r.storeErr("revoke jti", err)
	}
	d.r.denylist.BumpRevoked()
	return nil
}

// Revoked reports whether jti is listed; an error means the answer is
// unknown (the JWT verifier then rejects with ReasonUnavailable).
func (d *RedisDenylist) Revoked(ctx context.Context, jti string) (bool, error) {
	n, err := d.r.client.Exists(ctx, d.r.jtis+jti).Result()
	if err != nil {
		return false, d.r.storeErr("check jti", err)
	}
	return n == 1, nil
}
