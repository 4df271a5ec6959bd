package verifiers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// touchSessionScript returns a session hash's fields as they were and, when
// the record is live at ARGV[1] and ARGV[1] is later than its last activity,
// records the activity and moves the key's TTL to the new idle deadline
// (capped by the absolute expiry) plus the retention. Times are Unix
// microseconds. Nil when there is no record.
// KEYS[1] key; ARGV at, retention ms.
var touchSessionScript = redis.NewScript(`
local v = redis.call('HMGET', KEYS[1], 'sub', 'roles', 'created', 'seen', 'idle', 'exp')
if not v[1] then return false end
local at, seen, idle, exp = tonumber(ARGV[1]), tonumber(v[4]), tonumber(v[5]), tonumber(v[6])
if at < exp and at < seen + idle and at > seen then
  redis.call('HSET', KEYS[1], 'seen', ARGV[1])
  local deadline = math.min(exp, at + idle)
  redis.call('PEXPIRE', KEYS[1], math.ceil((deadline - at) / 1000) + tonumber(ARGV[2]))
end
return v`)

// destroySessionScript deletes a session and, when it existed, announces it.
// KEYS[1] key; ARGV channel, message.
var destroySessionScript = redis.NewScript(`
if redis.call('DEL', KEYS[1]) == 1 then redis.call('PUBLISH', ARGV[1], ARGV[2]) end
return 1`)

// The fields of a session hash, in the order Get and Touch read them.
var sessionFields = []string{"sub", "roles", "created", "seen", "idle", "exp"}

// RedisSessionStore is a SessionStore in Redis: one hash per session id,
// whose TTL follows the record's own deadline (the earlier of the idle and
// the absolute expiry) plus the retention, moved on every Touch.
type RedisSessionStore struct{ r *Redis }

// Generations returns the store's counters (bumped when any process
// destroys a session); they also implement OutageSource. SessionVerifier
// rechecks cached sessions in the store on every use and does not need them.
func (s *RedisSessionStore) Generations() GenerationSource { return &s.r.sessions }

// Create stores a record with a fresh 256-bit id in one MULTI/EXEC.
func (s *RedisSessionStore) Create(ctx context.Context, subject string, roles []string, idle,
	absolute time.Duration) (Session, error) {
	now := s.r.now()
	rec := Session{
		ID: randomToken(sessionIDBytes), Subject: subject, Roles: slices.Clone(roles),
		Created: now, LastSeen: now, IdleTimeout: idle, Expires: now.Add(absolute),
	}
	rolesJSON, _, err := marshalLists(rec.Roles, nil)
	if err != nil {
		return Session{}, err
	}
	key := s.r.sess + rec.ID
	_, err = s.r.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, key, "sub", subject, "roles", rolesJSON, "created", now.UnixMicro(),
			"seen", now.UnixMicro(), "idle", idle.Microseconds(), "exp", rec.Expires.UnixMicro())
		p.PExpire(ctx, key, time.Duration(s.r.ttl(rec.deadline()))*time.Millisecond)
		return nil
	})
	if err != nil {
		return Session{}, s.r.storeErr("create session", err)
	}
	return rec, nil
}

// Get returns the record for id; ErrSessionNotFound if there is none.
func (s *RedisSessionStore) Get(ctx context.Context, id string) (Session, error) {
	vals, err := s.r.client.HMGet(ctx, s.r.sess+id, sessionFields...).Result()
	if err != nil {
		return Session{}, s.r.storeErr("get session", err)
	}
	if vals[0] == nil {
		return Session{}, ErrSessionNotFound
	}
	return decodeSession(id, vals)
}

// Touch reads the record and slides its idle deadline in one script call.
func (s *RedisSessionStore) Touch(ctx context.Context, id string, at time.Time) (Session, error) {
	vals, err := touchSessionScript.Run(ctx, s.r.client, []string{s.r.sess + id},
		at.UnixMicro(), s.r.opts.Retention.Milliseconds()).Slice()
	if errors.Is(err, redis.Nil) {
		return Session{}, ErrSessionNotFound
	}
	if err != nil {
		return Session{}, s.r.storeErr("touch session", err)
	}
	return decodeSession(id, vals)
}

// Destroy deletes the record and announces it, so OnRevoke handlers in
// every process can disconnect its sockets.
func (s *RedisSessionStore) Destroy(ctx context.Context, id string) error {
	msg := Revocation{Method: MethodSession, CredentialID: Fingerprint(id)}.message()
	if err := destroySessionScript.Run(ctx, s.r.client, []string{s.r.sess + id}, s.r.chname, msg).Err(); err != nil {
		return s.r.storeErr("destroy session", err)
	}
	s.r.sessions.BumpRevoked()
	return nil
}

// deadline is when the record dies without further activity.
func (s Session) deadline() time.Time {
	if idle := s.LastSeen.Add(s.IdleTimeout); idle.Before(s.Expires) {
		return idle
	}
	return s.Expires
}

func decodeSession(id string, vals []any) (Session, error) {
	var f [6]string
	for i, v := range vals {
		s, ok := v.(string)
		if !ok || i >= len(f) {
			return Session{}, fmt.Errorf("%w: session field %d", errBadRecord, i)
		}
		f[i] = s
	}
	rec := Session{ID: id, Subject: f[0]}
	if err := unmarshalLists(f[1], "", &rec.Roles, nil); err != nil {
		return Session{}, err
	}
	var err error
	var idle int64
	if rec.Created, err = parseMicro(f[2]); err == nil {
		if rec.LastSeen, err = parseMicro(f[3]); err == nil {
			rec.Expires, err = parseMicro(f[5])
		}
	}
	if err == nil {
		idle, err = strconv.ParseInt(f[4], 10, 64)
	}
	if err != nil {
		return Session{}, fmt.Errorf("%w: session times", errBadRecord)
	}
	rec.IdleTimeout = time.Duration(idle) * time.Microsecond
	return rec, nil
}
