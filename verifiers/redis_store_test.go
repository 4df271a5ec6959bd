package verifiers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// rawClient is a plain client on srv for inspecting what the stores wrote.
func rawClient(t *testing.T, srv *redistest.Server) *redis.Client {
	t.Helper()
	o, err := redis.ParseURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(o)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// TestRedisKeyLayout pins the documented layout (redis.md): which keys
// exist, their TTLs (record expiry plus retention) and that an API key is
// stored only as its digest.
func TestRedisKeyLayout(t *testing.T) {
	srv := redistest.Shared(t)
	raw := rawClient(t, srv)
	ctx := context.Background()
	clock := newFakeClock()
	r := newTestRedis(t, srv, RedisOptions{Prefix: "layout:", Clock: clock.Now, Retention: time.Minute})

	spec := APIKeySpec{Env: "live", Subject: "svc", Expires: clock.Now().Add(time.Hour)}
	key, rec, err := NewAPIKey(ctx, r.KeyStore(), spec)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := r.SessionStore().Create(ctx, "bob", nil, 10*time.Minute, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Denylist().Revoke(ctx, "jti-9", clock.Now().Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		key  string
		ttl  time.Duration // expiry + retention as seen from the store's clock
	}{
		{name: "apikey", key: "layout:apikey:" + rec.ID, ttl: time.Hour + time.Minute},
		{name: "session_idle_deadline", key: "layout:session:" + sess.ID, ttl: 10*time.Minute + time.Minute},
		{name: "jti_until", key: "layout:jti:jti-9", ttl: 30 * time.Minute},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := raw.PTTL(ctx, tc.key).Result()
			if err != nil {
				t.Fatal(err)
			}
			// The real clock moved a little since the write; a second is plenty.
			if got > tc.ttl || got < tc.ttl-time.Second {
				t.Fatalf("PTTL %s = %s, want about %s", tc.key, got, tc.ttl)
			}
		})
	}
	digest, _ := raw.HGet(ctx, "layout:apikey:"+rec.ID, "digest").Result()
	if sum := sha256.Sum256([]byte(key)); digest != hex.EncodeToString(sum[:]) {
		t.Fatalf("digest field %q is not SHA-256 of the key", digest)
	}
	secret := key[strings.LastIndexByte(key, '_')+1:]
	keys, _ := raw.Keys(ctx, "layout:*").Result()
	for _, k := range keys {
		vals, _ := raw.HGetAll(ctx, k).Result()
		for f, v := range vals {
			if strings.Contains(v, secret) {
				t.Fatalf("%s field %s holds the key's secret", k, f)
			}
		}
	}
}

// TestRedisSessionTouchSlidesTTL: activity moves the key's TTL to the new
// idle deadline, capped by the absolute expiry.
func TestRedisSessionTouchSlidesTTL(t *testing.T) {
	srv := redistest.Shared(t)
	raw := rawClient(t, srv)
	ctx := context.Background()
	clock := newFakeClock()
	r := newTestRedis(t, srv, RedisOptions{Clock: clock.Now, Retention: -1})
	store := r.SessionStore()
	sess, err := store.Create(ctx, "bob", []string{"user"}, 10*time.Minute, 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	key := r.opts.Prefix + "session:" + sess.ID
	steps := []struct {
		advance time.Duration
		ttl     time.Duration
	}{
		{advance: 2 * time.Minute, ttl: 10 * time.Minute}, // idle deadline first
		{advance: 4 * time.Minute, ttl: 9 * time.Minute},  // capped by absolute expiry (15 - 6)
	}
	for i, st := range steps {
		clock.Advance(st.advance)
		before, err := store.Touch(ctx, sess.ID, clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if before.Subject != "bob" || len(before.Roles) != 1 || before.Roles[0] != "user" {
			t.Fatalf("step %d: record %+v", i, before)
		}
		got, _ := raw.PTTL(ctx, key).Result()
		if got > st.ttl || got < st.ttl-time.Second {
			t.Fatalf("step %d: PTTL %s, want about %s", i, got, st.ttl)
		}
	}
	if got, _ := store.Get(ctx, sess.ID); !got.LastSeen.Equal(clock.Now()) {
		t.Fatalf("LastSeen %s, want %s", got.LastSeen, clock.Now())
	}
}
