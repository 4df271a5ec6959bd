package admin

import (
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
)

// maxBody bounds a request body: a kind, an id and a time.
const maxBody = 4 << 10

// Revoker revokes a credential in the stores and disconnects its sockets.
// runner.Reference is one.
type Revoker interface {
	Revoke(ctx context.Context, req Request) (Response, error)
}

// NewHandler returns the admin endpoint over r, to be served under
// server.AdminPath (server.Config.Admin).
func NewHandler(r Revoker) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+RevokePath, func(w http.ResponseWriter, req *http.Request) {
		serveRevoke(w, req, r)
	})
	return mux
}

func serveRevoke(w http.ResponseWriter, req *http.Request, r Revoker) {
	if req.Header.Get("Origin") != "" {
		writeError(w, http.StatusForbidden, errors.New("admin: requests from a web page are refused"))
		return
	}
	if mt, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type")); mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, errors.New("admin: the body must be application/json"))
		return
	}
	var rq Request
	dec := json.NewDecoder(http.MaxBytesReader(w, req.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rq); err != nil {
		writeError(w, http.StatusBadRequest, errors.Join(ErrBadRequest, err))
		return
	}
	if err := rq.Validate(); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	resp, err := r.Revoke(req.Context(), rq)
	if err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// statusOf maps the sentinels to HTTP statuses.
func statusOf(err error) int {
	switch {
	case errors.Is(err, ErrBadRequest):
		return http.StatusBadRequest
	case errors.Is(err, ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, ErrUnavailable):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// errorBody is the JSON of a failed request.
type errorBody struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, errorBody{Error: err.Error()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
