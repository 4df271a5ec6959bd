package scenarios

import (
	"bytes"
	"unicode/utf8"
)

// Bounds on a scenario's shape, checked before the YAML parser runs: the
// parser's time grows with the square of the nesting depth and of the keys
// of one mapping (measured on goccy/go-yaml: 15,000 keys take 3 s, 60,000
// take 30 s), so a hostile file within MaxSize could hold a run for minutes.
// Real scenarios are a few hundred lines at most.
const (
	// MaxLines is the most lines a scenario file may have.
	MaxLines = 10_000
	// MaxDepth is the deepest nesting of flow collections ([…], {…}).
	MaxDepth = 64
)

// checkShape reports a document that is not UTF-8 text, has more than
// MaxLines lines or nests flow collections deeper than MaxDepth. It returns
// false after recording a problem.
func (d *decoder) checkShape(data []byte) bool {
	if i := invalidText(data); i >= 0 {
		d.add(d.offsetPos(data, i), "", "not UTF-8 text (a binary file?)")
		return false
	}
	if n := bytes.Count(data, []byte{'\n'}); n >= MaxLines {
		d.add(Pos{File: d.file, Line: MaxLines + 1, Col: 1}, "", "more than %d lines: a scenario is a short file",
			MaxLines)
		return false
	}
	if i := tooDeep(data); i >= 0 {
		d.add(d.offsetPos(data, i), "", "nested deeper than %d levels", MaxDepth)
		return false
	}
	return true
}

// invalidText returns the offset of the first byte that is not UTF-8 text
// (invalid UTF-8 or a NUL), or -1.
func invalidText(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 || r == 0 {
			return i
		}
		i += size
	}
	return -1
}

// tooDeep returns the offset of the bracket that opens flow level MaxDepth+1,
// or -1. It skips comments and, inside flow collections, quoted scalars;
// brackets inside block-context strings count too, which can only make it
// refuse a document with more than MaxDepth unbalanced brackets in its text.
func tooDeep(data []byte) int {
	depth := 0
	var quote byte
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '#' && (i == 0 || data[i-1] == ' ' || data[i-1] == '\t' || data[i-1] == '\n'):
			for i < len(data) && data[i] != '\n' {
				i++
			}
		case (c == '"' || c == '\'') && depth > 0:
			quote = c
		case c == '[' || c == '{':
			if depth++; depth > MaxDepth {
				return i
			}
		case (c == ']' || c == '}') && depth > 0:
			depth--
		}
	}
	return -1
}

// offsetPos converts a byte offset of data into a position (columns count
// bytes, as the YAML library's do).
func (d *decoder) offsetPos(data []byte, off int) Pos {
	line := 1 + bytes.Count(data[:off], []byte{'\n'})
	col := off - bytes.LastIndexByte(data[:off], '\n')
	return Pos{File: d.file, Line: line, Col: col}
}
