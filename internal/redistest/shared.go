package redistest

import (
	"sync"
	"testing"
)

// shared is the test binary's one server for Shared, stopped by Main.
var shared struct {
	main bool // set by Main before the tests run
	once sync.Once
	srv  *Server
	err  error
}

// Main runs the tests and then stops the server Shared started, if any. Use
// it in TestMain of a package whose tests call Shared:
//
//	func TestMain(m *testing.M) { os.Exit(redistest.Main(m)) }
func Main(m *testing.M) int {
	shared.main = true
	code := m.Run()
	if shared.srv != nil {
		_ = shared.srv.Close()
	}
	return code
}

// Shared returns one in-memory server for the whole test binary, started on
// first use, so that many small tests need not start one each. Tests using
// it must keep their data apart (a key prefix per test) and must not stop,
// kill or pause it; tests that do use Start. It needs Main in TestMain;
// where redis-server is missing it behaves as Require.
func Shared(tb testing.TB) *Server {
	tb.Helper()
	Require(tb)
	if !shared.main {
		tb.Fatal("redistest.Shared needs redistest.Main in the package's TestMain")
	}
	shared.once.Do(func() { shared.srv, shared.err = New(Options{}) })
	if shared.err != nil {
		tb.Fatalf("redistest: shared server: %v", shared.err)
	}
	return shared.srv
}
