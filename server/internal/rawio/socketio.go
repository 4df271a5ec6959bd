package rawio

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// Answer is the server's answer to one namespace CONNECT.
type Answer struct {
	Accepted bool
	SID      string // Socket.IO socket id when accepted
	Message  string // CONNECT_ERROR message
	Code     string // CONNECT_ERROR data.code
	Raw      string
}

// prefix returns the namespace part of a Socket.IO packet for nsp: "" for
// the main namespace, "/admin," otherwise.
func prefix(nsp string) string {
	if nsp == "/" || nsp == "" {
		return ""
	}
	return nsp + ","
}

// Connect sends a CONNECT for nsp with the raw auth payload (may be "") and
// waits for its answer.
func (c *Conn) Connect(ctx context.Context, nsp, auth string) (Answer, error) {
	if err := c.Send(ctx, "40"+prefix(nsp)+auth); err != nil {
		return Answer{}, err
	}
	return c.Answer(ctx, nsp)
}

// Answer reads packets until the CONNECT or CONNECT_ERROR of nsp.
func (c *Conn) Answer(ctx context.Context, nsp string) (Answer, error) {
	for {
		p, err := c.Next(ctx)
		if err != nil {
			return Answer{}, err
		}
		ok := strings.HasPrefix(p, "40"+prefix(nsp))
		bad := strings.HasPrefix(p, "44"+prefix(nsp))
		if (!ok && !bad) || (prefix(nsp) == "" && strings.HasPrefix(p[2:], "/")) {
			continue
		}
		body := p[2+len(prefix(nsp)):]
		a := Answer{Accepted: ok, Raw: p}
		var v struct {
			SID     string `json:"sid"`
			Message string `json:"message"`
			Data    struct {
				Code string `json:"code"`
			} `json:"data"`
		}
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			return a, fmt.Errorf("rawio: bad answer %q: %w", p, err)
		}
		a.SID, a.Message, a.Code = v.SID, v.Message, v.Data.Code
		return a, nil
	}
}

// Emit sends an EVENT with ack id on nsp and returns the ACK's JSON array.
func (c *Conn) Emit(ctx context.Context, nsp string, id int, args string) (string, error) {
	if err := c.Send(ctx, fmt.Sprintf("42%s%d%s", prefix(nsp), id, args)); err != nil {
		return "", err
	}
	want := fmt.Sprintf("43%s%d", prefix(nsp), id)
	for {
		p, err := c.Next(ctx)
		if err != nil {
			return "", err
		}
		if strings.HasPrefix(p, want+"[") {
			return p[len(want):], nil
		}
	}
}

// WaitDisconnect reads until the namespace DISCONNECT ("41/nsp,") of every
// namespace in nsps, in any order; other packets are dropped.
func (c *Conn) WaitDisconnect(ctx context.Context, nsps ...string) error {
	left := make(map[string]bool, len(nsps))
	for _, nsp := range nsps {
		left["41"+prefix(nsp)] = true
	}
	for len(left) > 0 {
		p, err := c.Next(ctx)
		if err != nil {
			return err
		}
		delete(left, p)
	}
	return nil
}
