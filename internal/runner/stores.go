package runner

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gatecrash/gatecrash/verifiers"
)

// stores are the reference server's credential stores: in memory (the
// default), or in a Redis shared with other servers.
type stores struct {
	keys     verifiers.KeyStore
	sessions verifiers.SessionStore
	// local holds the jti of the jwt-revoked tokens this process mints
	// (creds needs a MemoryDenylist); deny is what the JWT verifier asks:
	// local alone, or local then Redis.
	local *verifiers.MemoryDenylist
	deny  verifiers.Denylist
	// tokens is where a revocation by jti goes: Redis when shared, so every
	// server hears it.
	tokens tokenRevoker
	// link is the Redis connection and its revocation handling; nil in
	// memory.
	link *redisLink
}

// tokenRevoker denylists a jti until a time.
type tokenRevoker interface {
	Revoke(ctx context.Context, jti string, until time.Time) error
}

// memoryTokens adapts MemoryDenylist (which cannot fail) to tokenRevoker.
type memoryTokens struct{ d *verifiers.MemoryDenylist }

func (m memoryTokens) Revoke(_ context.Context, jti string, until time.Time) error {
	m.d.Revoke(jti, until)
	return nil
}

// openStores makes the stores cfg asks for and loads cfg.APIKeys into them.
func openStores(cfg ReferenceConfig) (*stores, error) {
	local := verifiers.NewMemoryDenylist(nil)
	st := &stores{local: local, deny: local, tokens: memoryTokens{local}}
	if cfg.Redis == nil {
		st.keys = verifiers.NewMemoryKeyStore()
		st.sessions = verifiers.NewMemorySessionStore(nil)
	} else {
		link, err := openRedis(*cfg.Redis)
		if err != nil {
			return nil, err
		}
		st.link = link
		st.keys, st.sessions = link.r.KeyStore(), link.r.SessionStore()
		shared := link.r.Denylist()
		st.deny, st.tokens = layeredDenylist{local: local, shared: shared}, shared
	}
	if err := st.loadAPIKeys(cfg.APIKeys); err != nil {
		st.close()
		return nil, err
	}
	return st, nil
}

// loadAPIKeys puts the given records in the key store. In Redis a record
// already there is kept as it is (it may have been revoked since): a server
// restarted with the same records file must not bring revoked keys back.
func (st *stores) loadAPIKeys(recs []verifiers.APIKeyRecord) error {
	ctx, cancel := context.WithTimeout(context.Background(), storeLoadTimeout)
	defer cancel()
	for _, rec := range recs {
		err := st.keys.Put(ctx, rec)
		if errors.Is(err, verifiers.ErrKeyExists) && st.link != nil {
			continue
		}
		if err != nil {
			return fmt.Errorf("reference server: api key %s: %w", rec.ID, err)
		}
	}
	return nil
}

// storeLoadTimeout bounds loading the API-key records at start.
const storeLoadTimeout = 10 * time.Second

func (st *stores) close() {
	if st.link != nil {
		st.link.close()
	}
}

// layeredDenylist asks the process's own denylist first (the jwt-revoked
// tokens minted here), then Redis. Tokens minted as jwt-revoked by this
// process are therefore rejected only by this process's server: a known
// limit of creds.Config.Denylist being a MemoryDenylist.
type layeredDenylist struct {
	local  *verifiers.MemoryDenylist
	shared *verifiers.RedisDenylist
}

// Revoked reports whether either list holds jti.
func (d layeredDenylist) Revoked(ctx context.Context, jti string) (bool, error) {
	if ok, _ := d.local.Revoked(ctx, jti); ok {
		return true, nil
	}
	return d.shared.Revoked(ctx, jti)
}

// Generations combines both lists' counters; Redis's outage reporting is
// kept, so cached tokens honour CacheConfig.OutageGrace.
func (d layeredDenylist) Generations() verifiers.GenerationSource {
	return verifiers.CombineGenerations(d.local.Generations(), d.shared.Generations())
}
