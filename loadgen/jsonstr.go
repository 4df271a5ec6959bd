package loadgen

import "encoding/json"

// appendJSONString appends s as a JSON string and closes the array opened by
// the caller.
func appendJSONString(dst []byte, s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals
	dst = append(dst, b...)
	return append(dst, ']')
}
