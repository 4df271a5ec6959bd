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
	// deny is what the JWT verifier asks; tokens is where a revocation by
	// jti goes, the jwt-revoked tokens minted here included: the same list,
	// in Redis when shared, so every server sharing it rejects them.
	deny   verifiers.Denylist
	tokens verifiers.JTIRevoker
	// link is the Redis connection and its revocation handling; nil in
	// memory.
	link *redisLink
}

// openStores makes the stores cfg asks for and loads cfg.APIKeys into them.
func openStores(cfg ReferenceConfig) (*stores, error) {
	st := &stores{}
	if cfg.Redis == nil {
		local := verifiers.NewMemoryDenylist(nil)
		st.deny, st.tokens = local, local.Revoker()
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
		st.deny, st.tokens = shared, shared
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
