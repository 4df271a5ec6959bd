package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Revoke asks the admin endpoint at base (the metrics listener's URL, such
// as "http://127.0.0.1:9464") to revoke req's credential. hc nil means
// http.DefaultClient; ctx bounds the call. Errors wrap ErrBadRequest,
// ErrNotFound or ErrUnavailable when the server answered with them.
func Revoke(ctx context.Context, hc *http.Client, base string, req Request) (Response, error) {
	if err := req.Validate(); err != nil {
		return Response{}, err
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	body, err := json.Marshal(req)
	if err != nil {
		return Response{}, fmt.Errorf("admin: revoke: %w", err)
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost,
		strings.TrimSuffix(base, "/")+RevokePath, bytes.NewReader(body))
	if err != nil {
		return Response{}, fmt.Errorf("admin: revoke: %w", err)
	}
	hr.Header.Set("Content-Type", "application/json")
	res, err := hc.Do(hr)
	if err != nil {
		return Response{}, fmt.Errorf("admin: revoke: %w", err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, maxBody))
	if err != nil {
		return Response{}, fmt.Errorf("admin: revoke: %w", err)
	}
	if res.StatusCode != http.StatusOK {
		return Response{}, statusError(res.StatusCode, data)
	}
	var out Response
	if err := json.Unmarshal(data, &out); err != nil {
		return Response{}, fmt.Errorf("admin: revoke: answer: %w", err)
	}
	return out, nil
}

// statusError turns a failed answer back into its sentinel.
func statusError(status int, data []byte) error {
	var eb errorBody
	msg := strings.TrimSpace(string(data))
	if json.Unmarshal(data, &eb) == nil && eb.Error != "" {
		msg = eb.Error
	}
	switch status {
	case http.StatusBadRequest:
		return &remoteError{sentinel: ErrBadRequest, status: status, msg: msg}
	case http.StatusNotFound:
		return &remoteError{sentinel: ErrNotFound, status: status, msg: msg}
	case http.StatusServiceUnavailable:
		return &remoteError{sentinel: ErrUnavailable, status: status, msg: msg}
	}
	return fmt.Errorf("admin: revoke: HTTP %d: %s", status, msg)
}

// remoteError is the server's message for a failure it named with a
// sentinel; the message already says it, so it is not repeated.
type remoteError struct {
	sentinel error
	status   int
	msg      string
}

func (e *remoteError) Error() string {
	if strings.Contains(e.msg, e.sentinel.Error()) {
		return fmt.Sprintf("%s (HTTP %d)", e.msg, e.status)
	}
	return fmt.Sprintf("%v (HTTP %d): %s", e.sentinel, e.status, e.msg)
}

func (e *remoteError) Unwrap() error { return e.sentinel }
