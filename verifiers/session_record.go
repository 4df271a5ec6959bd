package verifiers

import (
	"context"
	"errors"
	"sync/atomic"
	"time"
)

// memSession is one record of a MemorySessionStore. Every field of rec but
// LastSeen is fixed at Create; the last activity is lastSeen, the time from
// rec.Created to it in nanoseconds as Time.Sub measures it, moved only
// forward by a compare-and-swap. A touch is a clock subtraction, a load, two
// integer comparisons and, when the time moved, one CAS: no lock, no copy of
// the record and no allocation.
//
// Every time a touch is given is judged as its offset from Created
// (at.Sub(rec.Created)), against the absolute expiry and LastSeen as offsets
// too. Time.Sub and Time.Before read the monotonic clock when both times
// carry a reading and the wall clock otherwise, so for times within Time.Sub's
// range of Created (±292 years; a century for the idle test, see expiredAt) the decision is exactly Session.expired's,
// and the record reads back LastSeen as rec.Created.Add(lastSeen). Known
// limit: when the store's clock and a verifier's are of different kinds (one
// time.Now, one an injected wall-only clock) and the wall clock steps between
// two touches, the LastSeen read back carries Created's kind of reading and
// its wall reading is off by the step, and so is an idle expiry judged
// against a time of the other kind. No component of gatecrash mixes the two
// kinds on one store.
type memSession struct {
	rec      Session // rec.LastSeen is not kept here: see lastSeen
	expires  int64   // rec.Expires as an offset from rec.Created
	lastSeen atomic.Int64
}

// newMemSession holds rec, whose Expires and LastSeen it keeps as offsets.
func newMemSession(rec Session) *memSession {
	m := &memSession{rec: rec, expires: int64(rec.Expires.Sub(rec.Created))}
	m.lastSeen.Store(int64(rec.LastSeen.Sub(rec.Created)))
	return m
}

// withLastSeen returns the record with its LastSeen at offset last.
func (m *memSession) withLastSeen(last int64) Session {
	rec := m.rec
	rec.LastSeen = rec.Created.Add(time.Duration(last))
	return rec
}

// snapshot returns the record as it is now.
func (m *memSession) snapshot() Session { return m.withLastSeen(m.lastSeen.Load()) }

// touch returns the record as it was and, when it is live at at, moves
// LastSeen forward to at (never backward).
func (m *memSession) touch(at time.Time) Session {
	before, _ := m.slide(at)
	return m.withLastSeen(before)
}

// slide is touch without the record: it returns the LastSeen offset found
// and whether the record was live at at then, and moves LastSeen forward to
// at when it was. Of concurrent slides, each one that finds the record live
// and earlier than its own time retries its CAS until it wins or a later
// slide has passed it, so LastSeen ends at the latest time any of them was
// given, as under a lock.
func (m *memSession) slide(at time.Time) (before int64, live bool) {
	d := int64(at.Sub(m.rec.Created))
	for {
		last := m.lastSeen.Load()
		if m.expiredAt(last, d) {
			return last, false
		}
		if d <= last || m.lastSeen.CompareAndSwap(last, d) {
			return last, true
		}
	}
}

// expiredAt is Session.expired, at the offset d from Created, of the record
// with LastSeen at offset last. last is never negative (it starts at Created
// and only moves forward), so d-last cannot overflow for any time within a
// century of Created.
func (m *memSession) expiredAt(last, d int64) bool {
	return d >= m.expires || d-last >= int64(m.rec.IdleTimeout)
}

// errSessionDead is liveToucher's answer for a record that is past its
// absolute expiry or idle longer than its idle timeout.
var errSessionDead = errors.New("verifiers: session expired")

// liveToucher is a SessionStore that can touch a record and answer only
// whether it was live, for a caller that needs the decision and not the
// record (a cached hit's recheck): no copy of the record is made.
type liveToucher interface {
	// touchLive is Touch followed by Session.expired at the same time: nil
	// when the record was live at at (and is now touched), ErrSessionNotFound
	// when there is none, errSessionDead when it was expired.
	touchLive(ctx context.Context, id string, at time.Time) error
}

// touchLive implements liveToucher.
func (s *MemorySessionStore) touchLive(_ context.Context, id string, at time.Time) error {
	m := s.record(id)
	if m == nil {
		return ErrSessionNotFound
	}
	if _, live := m.slide(at); !live {
		return errSessionDead
	}
	return nil
}
