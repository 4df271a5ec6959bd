package server

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Listen listens on addr (host:port; port 0 picks one) and starts serving,
// with SO_REUSEPORT when Config.ReusePort is set.
func (s *Server) Listen(addr string) error {
	ln, err := listenTCP(addr, s.cfg.ReusePort)
	if err != nil {
		return fmt.Errorf("server: listen: %w", err)
	}
	if err := s.Start(ln); err != nil {
		_ = ln.Close()
		return err
	}
	return nil
}

// Start serves on ln (and opens the metrics listener when configured). It
// returns once serving has begun; the server owns ln from then on.
func (s *Server) Start(ln net.Listener) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return ErrStarted
	}
	if s.cfg.Profile == ProfileSeedGap && !isLoopback(ln.Addr()) {
		return fmt.Errorf("%w: %s", ErrNotLoopback, ln.Addr())
	}
	if s.cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", s.cfg.MetricsAddr)
		if err != nil {
			return fmt.Errorf("server: metrics listen: %w", err)
		}
		s.metricLn = mln
		s.metricsS = &http.Server{Handler: s.metricsHandler(), ReadHeaderTimeout: 5 * time.Second}
		go func() { _ = s.metricsS.Serve(mln) }()
	}
	if s.tls != nil {
		ln = tls.NewListener(ln, s.tls)
	}
	mux := http.NewServeMux()
	mux.Handle(Path, s.httpGuard(s.io.ServeHandler(nil)))
	s.http = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	s.ln = ln
	s.started = true
	s.serveErr = make(chan error, 1)
	go func() { s.serveErr <- s.http.Serve(ln) }()
	return nil
}

func (s *Server) metricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	if s.cfg.Admin != nil {
		mux.Handle(AdminPath, s.cfg.Admin)
	}
	if s.cfg.Pprof {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	return mux
}

// Addr returns the Socket.IO listener's address, nil before Start.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// URL returns the base URL, "http://127.0.0.1:port" (https with TLS), ""
// before Start. Socket.IO is at URL()+Path.
func (s *Server) URL() string {
	addr := s.Addr()
	if addr == nil {
		return ""
	}
	scheme := "http"
	if s.tls != nil {
		scheme = "https"
	}
	return scheme + "://" + addr.String()
}

// MetricsAddr returns the metrics listener's address, nil when there is
// none.
func (s *Server) MetricsAddr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.metricLn == nil {
		return nil
	}
	return s.metricLn.Addr()
}

// Certificate returns the serving certificate's leaf (useful to trust the
// self-signed one in tests), nil without TLS.
func (s *Server) Certificate() *x509.Certificate {
	if s.tls == nil {
		return nil
	}
	return s.tls.Certificates[0].Leaf
}

// Close disconnects every client, stops the listeners and waits, up to
// Limits.ShutdownTimeout, for handlers to finish. It is safe to call more
// than once and before Start.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.io.Close(nil)
	if !s.started {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.Limits.ShutdownTimeout)
	defer cancel()
	var err error
	if s.http != nil {
		err = s.http.Shutdown(ctx)
		if serr := <-s.serveErr; serr != nil && serr != http.ErrServerClosed && err == nil {
			err = serr
		}
		s.http = nil
	}
	if s.metricsS != nil {
		_ = s.metricsS.Shutdown(ctx)
		s.metricsS = nil
	}
	if err != nil {
		return fmt.Errorf("server: close: %w", err)
	}
	return nil
}

func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

func originInList(origin string, list []string) bool {
	for _, o := range list {
		if o == origin {
			return true
		}
	}
	return false
}
