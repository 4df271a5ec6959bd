package creds

import (
	"fmt"
	"strings"
	"time"

	"github.com/gatecrash/gatecrash/verifiers"
)

// The alphabets of gatecrash's API key secrets and session ids, used to
// alter one character while keeping the format.
const (
	base32Lower = "abcdefghijklmnopqrstuvwxyz234567"
	base64URL   = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
)

// lateKind is minted after every other kind. MemorySessionStore deletes
// expired records on every 1024th Create; minting expired sessions last
// keeps the valid sessions' creates from sweeping them. A plan with more
// than about a thousand distinct session-expired credentials still sees the
// earlier ones swept, and those are then rejected as "unknown", not
// "expired".
const lateKind = "session-expired"

// record returns the external record for id, cycling over the matches.
func (id ident) record() (Record, error) {
	if len(id.records) == 0 {
		return Record{}, fmt.Errorf("%w: no matching record", ErrNoMaterial)
	}
	return id.records[id.index%len(id.records)], nil
}

// fromRecord mints from an external record, optionally altering its value.
func fromRecord(id ident, alter func(string) string) (minted, error) {
	r, err := id.record()
	if err != nil {
		return minted{}, err
	}
	v := r.Value
	if alter != nil {
		v = alter(v)
	}
	return minted{value: v, subject: r.Subject}, nil
}

// newKey creates an API key in the configured store, expiring at expires.
func (m *minter) newKey(id ident, expires time.Time) (string, verifiers.APIKeyRecord, error) {
	return verifiers.NewAPIKey(m.ctx, m.cfg.KeyStore, verifiers.APIKeySpec{
		Env: m.cfg.APIKeyEnv, Subject: id.subject, Roles: id.roles, Expires: expires,
	})
}

func mintAPIKey(m *minter, id ident) (minted, error) {
	if m.cfg.KeyStore == nil {
		return fromRecord(id, nil)
	}
	key, _, err := m.newKey(id, m.cfg.Clock().Add(m.cfg.TTL))
	return minted{value: key, subject: id.subject}, err
}

func mintAPIKeyRevoked(m *minter, id ident) (minted, error) {
	if m.cfg.KeyStore == nil {
		return fromRecord(id, nil)
	}
	key, rec, err := m.newKey(id, m.cfg.Clock().Add(m.cfg.TTL))
	if err != nil {
		return minted{}, err
	}
	if err := m.cfg.KeyStore.Revoke(m.ctx, rec.ID); err != nil {
		return minted{}, fmt.Errorf("revoke: %w", err)
	}
	return minted{value: key, subject: id.subject}, nil
}

func mintAPIKeyExpired(m *minter, id ident) (minted, error) {
	if m.cfg.KeyStore == nil {
		return fromRecord(id, nil)
	}
	key, _, err := m.newKey(id, m.cfg.Clock().Add(-badOffset))
	return minted{value: key, subject: id.subject}, err
}

// mintAPIKeyWrongSecret keeps a stored key's id and changes its secret: the
// lookup finds a record and the digest comparison fails (CASES D-06).
func mintAPIKeyWrongSecret(m *minter, id ident) (minted, error) {
	alter := func(k string) string {
		cut := strings.LastIndexByte(k, '_') + 1
		return k[:cut] + alterMiddle(k[cut:], base32Lower)
	}
	if m.cfg.KeyStore == nil {
		return fromRecord(id, alter)
	}
	key, _, err := m.newKey(id, m.cfg.Clock().Add(m.cfg.TTL))
	return minted{value: alter(key), subject: id.subject}, err
}

// throwawayKey makes a well-formed key of env that no server store holds.
func (m *minter) throwawayKey(id ident, env string) (string, error) {
	key, _, err := verifiers.NewAPIKey(m.ctx, verifiers.NewMemoryKeyStore(), verifiers.APIKeySpec{
		Env: env, Subject: id.subject, Roles: id.roles,
	})
	return key, err
}

func mintAPIKeyUnknown(m *minter, id ident) (minted, error) {
	key, err := m.throwawayKey(id, m.cfg.APIKeyEnv)
	return minted{value: key, subject: id.subject}, err
}

func mintAPIKeyWrongEnv(m *minter, id ident) (minted, error) {
	env := "test"
	if m.cfg.APIKeyEnv == env {
		env = "live"
	}
	key, err := m.throwawayKey(id, env)
	return minted{value: key, subject: id.subject}, err
}

func mintAPIKeyMalformed(m *minter, id ident) (minted, error) {
	key, err := m.throwawayKey(id, m.cfg.APIKeyEnv)
	return minted{value: key[:len(key)-1], subject: id.subject}, err
}

func mintSession(m *minter, id ident) (minted, error) {
	if m.cfg.Sessions == nil {
		return fromRecord(id, nil)
	}
	s, err := m.cfg.Sessions.Create(m.ctx, id.subject, id.roles, m.cfg.TTL, m.cfg.TTL)
	return minted{value: s.ID, subject: id.subject}, err
}

// mintSessionExpired creates a session whose absolute expiry is already
// past. See lateKind for why these are minted last.
func mintSessionExpired(m *minter, id ident) (minted, error) {
	if m.cfg.Sessions == nil {
		return fromRecord(id, nil)
	}
	s, err := m.cfg.Sessions.Create(m.ctx, id.subject, id.roles, m.cfg.TTL, -badOffset)
	return minted{value: s.ID, subject: id.subject}, err
}

func mintSessionTampered(m *minter, id ident) (minted, error) {
	alter := func(v string) string { return alterMiddle(v, base64URL) }
	if m.cfg.Sessions == nil {
		return fromRecord(id, alter)
	}
	got, err := mintSession(m, id)
	got.value = alter(got.value)
	return got, err
}

// mintSessionUnknown makes a well-formed 256-bit id that no store holds.
func mintSessionUnknown(_ *minter, id ident) (minted, error) {
	return minted{value: randomURL(32), subject: id.subject}, nil
}
