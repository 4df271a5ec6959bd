package verifiers

import (
	"context"
	"slices"
	"sync"
)

// KeyStore holds API key records by id. Implementations are safe for
// concurrent use and honour ctx. A store whose changes can invalidate cached
// decisions also implements Revocable: bump Revoked after Revoke, Granted
// after Put. (A shared store such as Redis must bump on changes made by other
// processes too, e.g. from a pub/sub channel; otherwise a cache in this
// process serves a revoked key until the entry's TTL ends.)
type KeyStore interface {
	// Put adds a record; ErrKeyExists if the id is taken.
	Put(ctx context.Context, rec APIKeyRecord) error
	// Get returns the record for id; ErrKeyNotFound if there is none.
	Get(ctx context.Context, id string) (APIKeyRecord, error)
	// Revoke marks the record revoked; ErrKeyNotFound if there is none.
	Revoke(ctx context.Context, id string) error
}

// MemoryKeyStore is an in-memory KeyStore. Records live until the process
// ends; revoked records are kept so a revoked key stays "revoked", not
// "unknown".
type MemoryKeyStore struct {
	gens Generations

	mu      sync.RWMutex
	records map[string]APIKeyRecord
}

// NewMemoryKeyStore returns an empty store.
func NewMemoryKeyStore() *MemoryKeyStore {
	return &MemoryKeyStore{records: map[string]APIKeyRecord{}}
}

// Put adds rec (its slices are copied).
func (s *MemoryKeyStore) Put(_ context.Context, rec APIKeyRecord) error {
	rec.Roles = slices.Clone(rec.Roles)
	rec.Namespaces = slices.Clone(rec.Namespaces)
	s.mu.Lock()
	if _, ok := s.records[rec.ID]; ok {
		s.mu.Unlock()
		return ErrKeyExists
	}
	s.records[rec.ID] = rec
	s.mu.Unlock()
	s.gens.BumpGranted()
	return nil
}

// Get returns the record for id. Its slices are shared and must not be
// modified.
func (s *MemoryKeyStore) Get(_ context.Context, id string) (APIKeyRecord, error) {
	s.mu.RLock()
	rec, ok := s.records[id]
	s.mu.RUnlock()
	if !ok {
		return APIKeyRecord{}, ErrKeyNotFound
	}
	return rec, nil
}

// Revoke marks the key revoked, then bumps the revocation generation.
func (s *MemoryKeyStore) Revoke(_ context.Context, id string) error {
	s.mu.Lock()
	rec, ok := s.records[id]
	if ok {
		rec.Revoked = true
		s.records[id] = rec
	}
	s.mu.Unlock()
	if !ok {
		return ErrKeyNotFound
	}
	s.gens.BumpRevoked()
	return nil
}

// Generations returns the store's generation counters.
func (s *MemoryKeyStore) Generations() GenerationSource { return &s.gens }
