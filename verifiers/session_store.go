package verifiers

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"
)

// sessionIDBytes is the entropy of a session id: 256 bits, twice the 128 the
// issue asks for, encoded as 43 characters of base64url.
const (
	sessionIDBytes = 32
	sessionIDLen   = 43
)

// Session is the server-side record a session id names. The record decides:
// a cookie's own Expires is never trusted (CASES E-02).
type Session struct {
	ID          string
	Subject     string
	Roles       []string
	Created     time.Time
	LastSeen    time.Time
	IdleTimeout time.Duration
	Expires     time.Time // absolute expiry
}

// expired reports whether the record is past its absolute expiry or idle
// longer than its idle timeout at now.
func (s Session) expired(now time.Time) bool {
	return !now.Before(s.Expires) || !now.Before(s.LastSeen.Add(s.IdleTimeout))
}

// ErrSessionNotFound is returned by a SessionStore for an unknown id.
var ErrSessionNotFound = errors.New("verifiers: session not found")

// SessionStore keeps session records. Implementations are safe for
// concurrent use and honour ctx.
type SessionStore interface {
	// Create makes a record with a fresh random id, idle timeout and absolute
	// lifetime counted from now.
	Create(ctx context.Context, subject string, roles []string, idle, absolute time.Duration) (Session, error)
	// Get returns the record for id; ErrSessionNotFound if there is none.
	Get(ctx context.Context, id string) (Session, error)
	// Touch returns the record as it was before this call and, when the
	// record is live at the given time (not past its absolute expiry nor idle
	// longer than its idle timeout), records activity at that time. It returns
	// ErrSessionNotFound if the record is gone. One call both reads and
	// slides, so a verification costs one store round trip.
	Touch(ctx context.Context, id string, at time.Time) (Session, error)
	// Destroy deletes the record; destroying an unknown id is not an error.
	Destroy(ctx context.Context, id string) error
}

// sweepEvery is how many Creates pass between sweeps of dead records, which
// bounds the memory held by sessions nobody logs out of.
const sweepEvery = 1024

// MemorySessionStore is an in-memory SessionStore. The map is written only
// by Create, Destroy and sweeps; Touch takes the map's read lock and slides
// the record's last activity with an atomic compare-and-swap (memSession),
// so concurrent verifications neither serialise on one write lock nor on a
// per-record lock (a cached session hit is one Touch).
type MemorySessionStore struct {
	clock func() time.Time

	mu      sync.RWMutex
	records map[string]*memSession
	creates int
}

// NewMemorySessionStore returns an empty store; clock nil means time.Now.
func NewMemorySessionStore(clock func() time.Time) *MemorySessionStore {
	if clock == nil {
		clock = time.Now
	}
	return &MemorySessionStore{clock: clock, records: map[string]*memSession{}}
}

// Create makes a session record with a new 256-bit id.
func (s *MemorySessionStore) Create(_ context.Context, subject string, roles []string, idle,
	absolute time.Duration) (Session, error) {
	now := s.clock()
	rec := Session{
		ID:          randomToken(sessionIDBytes),
		Subject:     subject,
		Roles:       slices.Clone(roles),
		Created:     now,
		LastSeen:    now,
		IdleTimeout: idle,
		Expires:     now.Add(absolute),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records[rec.ID] = newMemSession(rec)
	if s.creates++; s.creates%sweepEvery == 0 {
		s.sweepLocked(now)
	}
	return rec, nil
}

// Get returns the record for id; its Roles must not be modified.
func (s *MemorySessionStore) Get(_ context.Context, id string) (Session, error) {
	m := s.record(id)
	if m == nil {
		return Session{}, ErrSessionNotFound
	}
	return m.snapshot(), nil
}

// Touch returns the record and, if it is live at at, moves LastSeen forward
// to at (never backward). It takes effect when the record is looked up: a
// Touch that found the record before a concurrent Destroy answers as if it
// ran just before it, as it would under one lock.
func (s *MemorySessionStore) Touch(_ context.Context, id string, at time.Time) (Session, error) {
	m := s.record(id)
	if m == nil {
		return Session{}, ErrSessionNotFound
	}
	return m.touch(at), nil
}

// record returns the record of id, nil if there is none.
func (s *MemorySessionStore) record(id string) *memSession {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.records[id]
}

// Destroy deletes the record for id.
func (s *MemorySessionStore) Destroy(_ context.Context, id string) error {
	s.mu.Lock()
	delete(s.records, id)
	s.mu.Unlock()
	return nil
}

// Sweep deletes records that are expired at the store clock's now and
// returns how many it deleted.
func (s *MemorySessionStore) Sweep() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sweepLocked(s.clock())
}

func (s *MemorySessionStore) sweepLocked(now time.Time) int {
	n := 0
	for id, m := range s.records {
		if m.expiredAt(m.lastSeen.Load(), int64(now.Sub(m.rec.Created))) {
			delete(s.records, id)
			n++
		}
	}
	return n
}

// Len returns the number of records held, expired ones included until swept.
func (s *MemorySessionStore) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.records)
}
