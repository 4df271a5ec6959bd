package verifiers

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// putKeyScript stores a new API-key hash, sets its TTL and announces the
// grant, atomically: 0 when the id is taken.
// KEYS[1] key; ARGV channel, message, ttl ms (0: none), field, value, ...
var putKeyScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
local ttl = tonumber(ARGV[3])
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1`)

// revokeKeyScript marks a key revoked (its TTL unchanged) and announces it
// after the change is visible: 0 when there is no such key.
// KEYS[1] key; ARGV channel, message.
var revokeKeyScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'revoked', '1')
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1`)

// The fields of an API-key hash, in the order Get reads them.
var keyFields = []string{"env", "digest", "sub", "roles", "nsp", "exp", "revoked"}

// RedisKeyStore is a KeyStore in Redis: one hash per key id holding the
// SHA-256 digest of the key, never the key. It is Revocable: its
// generations move on every Put and Revoke made by any process sharing the
// Redis, through the revocation feed.
type RedisKeyStore struct{ r *Redis }

// Generations returns the store's counters; they also implement
// OutageSource.
func (s *RedisKeyStore) Generations() GenerationSource { return &s.r.apiKeys }

// Put stores rec with a TTL of its expiry plus the retention (none without
// an expiry); ErrKeyExists if the id is taken.
func (s *RedisKeyStore) Put(ctx context.Context, rec APIKeyRecord) error {
	roles, nsp, err := marshalLists(rec.Roles, rec.Namespaces)
	if err != nil {
		return err
	}
	var ttl int64
	if !rec.Expires.IsZero() {
		ttl = s.r.ttl(rec.Expires)
	}
	msg := Revocation{Method: MethodAPIKey, Granted: true, CredentialID: rec.ID}.message()
	n, err := putKeyScript.Run(ctx, s.r.client, []string{s.r.keys + rec.ID}, s.r.chname, msg, ttl,
		"env", rec.Env, "digest", hex.EncodeToString(rec.Digest[:]), "sub", rec.Subject,
		"roles", roles, "nsp", nsp, "exp", unixMicro(rec.Expires), "revoked", boolField(rec.Revoked),
	).Int()
	if err != nil {
		return s.r.storeErr("put API key", err)
	}
	if n == 0 {
		return ErrKeyExists
	}
	s.r.apiKeys.BumpGranted()
	return nil
}

// Get returns the record for id; ErrKeyNotFound if there is none (never
// created, or past its expiry and retention).
func (s *RedisKeyStore) Get(ctx context.Context, id string) (APIKeyRecord, error) {
	vals, err := s.r.client.HMGet(ctx, s.r.keys+id, keyFields...).Result()
	if err != nil {
		return APIKeyRecord{}, s.r.storeErr("get API key", err)
	}
	if vals[0] == nil {
		return APIKeyRecord{}, ErrKeyNotFound
	}
	return decodeKeyRecord(id, vals)
}

// Revoke marks the key revoked, then bumps the revocation generation here;
// other processes bump theirs when the announcement reaches them.
func (s *RedisKeyStore) Revoke(ctx context.Context, id string) error {
	msg := Revocation{Method: MethodAPIKey, CredentialID: id}.message()
	n, err := revokeKeyScript.Run(ctx, s.r.client, []string{s.r.keys + id}, s.r.chname, msg).Int()
	if err != nil {
		return s.r.storeErr("revoke API key", err)
	}
	if n == 0 {
		return ErrKeyNotFound
	}
	s.r.apiKeys.BumpRevoked()
	return nil
}

// errBadRecord reports a hash that is not one this package wrote.
var errBadRecord = errors.New("verifiers: malformed record in redis")

func decodeKeyRecord(id string, vals []any) (APIKeyRecord, error) {
	var f [7]string
	for i, v := range vals {
		s, ok := v.(string)
		if !ok {
			return APIKeyRecord{}, fmt.Errorf("%w: API key field %s", errBadRecord, keyFields[i])
		}
		f[i] = s
	}
	rec := APIKeyRecord{ID: id, Env: f[0], Subject: f[2], Revoked: f[6] == "1"}
	digest, err := hex.DecodeString(f[1])
	if err != nil || len(digest) != len(rec.Digest) {
		return APIKeyRecord{}, fmt.Errorf("%w: API key digest", errBadRecord)
	}
	copy(rec.Digest[:], digest)
	if rec.Expires, err = parseMicro(f[5]); err != nil {
		return APIKeyRecord{}, err
	}
	if err := unmarshalLists(f[3], f[4], &rec.Roles, &rec.Namespaces); err != nil {
		return APIKeyRecord{}, err
	}
	return rec, nil
}

// marshalLists encodes roles and namespaces as JSON; a nil list is "null",
// so "no restriction" (nil) and "no namespace" (empty) stay apart.
func marshalLists(roles, nsp []string) (string, string, error) {
	r, err := json.Marshal(roles)
	if err != nil {
		return "", "", fmt.Errorf("verifiers: roles: %w", err)
	}
	n, err := json.Marshal(nsp)
	if err != nil {
		return "", "", fmt.Errorf("verifiers: namespaces: %w", err)
	}
	return string(r), string(n), nil
}

func unmarshalLists(roles, nsp string, r, n *[]string) error {
	if err := json.Unmarshal([]byte(roles), r); err != nil {
		return fmt.Errorf("%w: roles: %w", errBadRecord, err)
	}
	if nsp == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(nsp), n); err != nil {
		return fmt.Errorf("%w: namespaces: %w", errBadRecord, err)
	}
	return nil
}

// Times are stored as Unix microseconds, which Lua's doubles hold exactly;
// 0 is the zero time.
func unixMicro(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func parseMicro(s string) (time.Time, error) {
	us, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: time %q", errBadRecord, s)
	}
	if us == 0 {
		return time.Time{}, nil
	}
	return time.UnixMicro(us), nil
}

func boolField(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
