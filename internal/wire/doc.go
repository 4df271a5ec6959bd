// Package wire encodes and decodes the text frames of Engine.IO protocol v4
// and Socket.IO protocol v5: the Engine.IO packet types, the open packet's
// handshake data, polling payloads, and Socket.IO packets
// (CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR) with their namespace,
// ack id and raw JSON data.
//
// The codec works on byte slices and keeps JSON data raw: it checks that the
// data is well-formed JSON of the kind the packet type allows, and leaves
// decoding to the caller. It is shared by the load generator's client and the
// audit, which writes deliberately malformed frames with the same grammar.
//
// Binary packets (BINARY_EVENT, BINARY_ACK) are parsed as far as their
// header, so a client can classify them; their attachments are not
// reassembled.
package wire
