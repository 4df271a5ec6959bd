package verifiers

// maxKIDLength bounds a key id. A kid is attacker-controlled input; it is
// only ever used as a map key after this check (CASES B-12), never as a path,
// query or URL.
const maxKIDLength = 128

// validKID reports whether kid is 1..maxKIDLength characters of
// [A-Za-z0-9._-].
func validKID(kid string) bool {
	if kid == "" || len(kid) > maxKIDLength {
		return false
	}
	for i := 0; i < len(kid); i++ {
		c := kid[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '.' || c == '_' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}
