package wire

// scanOpen decodes the JSON of an open packet without reflection when it has
// the plain shape servers send: one object, no whitespace, each of Open's
// five keys at most once and spelled exactly as its tag, strings of printable
// ASCII without escapes, integers without sign, fraction or exponent. For
// such input encoding/json decides exactly the same (the canonical spelling
// leaves it no choice), so ok reports that o is what json.Unmarshal would
// give. Anything else (unknown keys, escapes, whitespace, duplicates, null)
// returns ok false and the caller decodes with encoding/json, which decides.
func scanOpen(b []byte) (o Open, ok bool) {
	s := openScanner{b: b}
	if !s.byte('{') {
		return Open{}, false
	}
	var seen [5]bool
	for first := true; ; first = false {
		if first && s.byte('}') {
			return o, s.i == len(b)
		}
		key, ok := s.str()
		if !ok || !s.byte(':') {
			return Open{}, false
		}
		k := openKey(key)
		if k < 0 || seen[k] || !s.value(k, &o) {
			return Open{}, false
		}
		seen[k] = true
		if s.byte('}') {
			return o, s.i == len(b)
		}
		if !s.byte(',') {
			return Open{}, false
		}
	}
}

// openKey returns the index of an Open field's JSON tag, -1 for others.
func openKey(k []byte) int {
	switch string(k) {
	case "sid":
		return 0
	case "upgrades":
		return 1
	case "pingInterval":
		return 2
	case "pingTimeout":
		return 3
	case "maxPayload":
		return 4
	}
	return -1
}

type openScanner struct {
	b []byte
	i int
}

// byte consumes c when it is next.
func (s *openScanner) byte(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// str consumes a string of printable ASCII other than '"' and '\\'.
func (s *openScanner) str() ([]byte, bool) {
	if !s.byte('"') {
		return nil, false
	}
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			return s.b[start : s.i-1], true
		case c < 0x20 || c > 0x7e || c == '\\':
			return nil, false
		}
		s.i++
	}
	return nil, false
}

// int consumes a JSON integer without sign of at most 15 digits (no int64
// overflow, no float rounding).
func (s *openScanner) int() (int64, bool) {
	start, n := s.i, int64(0)
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' && s.i-start < 16 {
		n = n*10 + int64(s.b[s.i]-'0')
		s.i++
	}
	digits := s.i - start
	switch {
	case digits == 0 || digits > 15:
		return 0, false
	case digits > 1 && s.b[start] == '0': // a leading zero is not JSON
		return 0, false
	case s.i < len(s.b) && (s.b[s.i] == '.' || s.b[s.i] == 'e' || s.b[s.i] == 'E'):
		return 0, false
	}
	return n, true
}

// value consumes the value of field k into o.
func (s *openScanner) value(k int, o *Open) bool {
	var ok bool
	switch k {
	case 0:
		var v []byte
		v, ok = s.str()
		o.SID = string(v)
	case 1:
		o.Upgrades, ok = s.strings()
	case 2:
		o.PingInterval, ok = s.int()
	case 3:
		o.PingTimeout, ok = s.int()
	case 4:
		o.MaxPayload, ok = s.int()
	}
	return ok
}

// strings consumes an array of plain strings; [] gives an empty, non-nil
// slice, as encoding/json does.
func (s *openScanner) strings() ([]string, bool) {
	if !s.byte('[') {
		return nil, false
	}
	out := []string{}
	if s.byte(']') {
		return out, true
	}
	for {
		v, ok := s.str()
		if !ok {
			return nil, false
		}
		out = append(out, string(v))
		if s.byte(']') {
			return out, true
		}
		if !s.byte(',') {
			return nil, false
		}
	}
}
