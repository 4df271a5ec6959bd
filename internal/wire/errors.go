package wire

import "errors"

// ErrMalformed reports a frame that does not follow the Engine.IO v4 or
// Socket.IO v5 grammar.
var ErrMalformed = errors.New("wire: malformed packet")
