package scenarios

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// maxNodes bounds the nodes one document may make the decoder visit, aliases
// included, so a document of nested aliases cannot make decoding explode.
const maxNodes = 100_000

// decoder walks a YAML syntax tree against the scenario schema, collecting
// every problem with its position instead of stopping at the first.
type decoder struct {
	file     string
	problems []Problem
	anchors  map[string]ast.Node
	visits   int
	// keys holds the position of each field path seen, for problems found
	// after decoding (combinations of fields).
	keys map[string]Pos
	// thresholdPaths holds the field path of each parsed threshold, in the
	// order of Scenario.Thresholds (bad ones are left out of both).
	thresholdPaths []string
}

func newDecoder(file string) *decoder {
	return &decoder{file: file, anchors: make(map[string]ast.Node), keys: make(map[string]Pos)}
}

// parseYAML parses data and returns the body of its single document; a
// syntax error becomes a problem.
func (d *decoder) parseYAML(data []byte) ast.Node {
	f, err := parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey()) // reported with paths below
	if err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) {
			d.add(d.tokenPos(ye.GetToken()), "", "YAML syntax: %s", ye.GetMessage())
		} else {
			d.add(Pos{File: d.file, Line: 1, Col: 1}, "", "YAML syntax: %v", err)
		}
		return nil
	}
	var bodies []ast.Node
	for _, doc := range f.Docs {
		if doc != nil && doc.Body != nil {
			bodies = append(bodies, doc.Body)
		}
	}
	switch len(bodies) {
	case 0:
		d.add(Pos{File: d.file, Line: 1, Col: 1}, "", "the scenario is empty")
		return nil
	case 1:
	default:
		d.errorf(bodies[1], "", "a scenario file holds one YAML document, found %d", len(bodies))
	}
	d.collectAnchors(bodies[0], 0)
	return bodies[0]
}

func (d *decoder) tokenPos(tk *token.Token) Pos {
	if tk == nil || tk.Position == nil {
		return Pos{File: d.file, Line: 1, Col: 1}
	}
	return Pos{File: d.file, Line: tk.Position.Line, Col: tk.Position.Column}
}

func (d *decoder) posOf(n ast.Node) Pos {
	if n == nil {
		return Pos{File: d.file, Line: 1, Col: 1}
	}
	return d.tokenPos(n.GetToken())
}

func (d *decoder) add(pos Pos, path, format string, args ...any) {
	d.problems = append(d.problems, Problem{Pos: pos, Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (d *decoder) errorf(n ast.Node, path, format string, args ...any) {
	d.add(d.posOf(n), path, format, args...)
}

// at returns the position recorded for path, or for its closest recorded
// parent, or the start of the file.
func (d *decoder) at(path string) Pos {
	for p := path; p != ""; {
		if pos, ok := d.keys[p]; ok {
			return pos
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return Pos{File: d.file, Line: 1, Col: 1}
}

// problemAt records a problem found after decoding, at path's position,
// unless that path already has one (a bad value is reported once, not again
// by every rule that reads it).
func (d *decoder) problemAt(path, format string, args ...any) {
	if path != "" && slices.ContainsFunc(d.problems, func(p Problem) bool { return p.Path == path }) {
		return
	}
	d.add(d.at(path), path, format, args...)
}

// collectAnchors records every anchor of the tree before decoding, so an
// alias resolves wherever its anchor sits.
func (d *decoder) collectAnchors(n ast.Node, depth int) {
	if n == nil || depth > 200 {
		return
	}
	switch v := n.(type) {
	case *ast.AnchorNode:
		if v.Name != nil {
			d.anchors[v.Name.String()] = v.Value
		}
		d.collectAnchors(v.Value, depth+1)
	case *ast.TagNode:
		d.collectAnchors(v.Value, depth+1)
	case *ast.MappingNode:
		for _, mv := range v.Values {
			d.collectAnchors(mv.Value, depth+1)
		}
	case *ast.MappingValueNode:
		d.collectAnchors(v.Value, depth+1)
	case *ast.SequenceNode:
		for _, e := range v.Values {
			d.collectAnchors(e, depth+1)
		}
	}
}

// resolve unwraps anchors, tags and aliases. It returns nil (after
// recording a problem) for an unknown alias or when the node budget is
// spent.
func (d *decoder) resolve(n ast.Node, path string) ast.Node {
	for i := 0; n != nil && i < 64; i++ {
		d.visits++
		if d.visits == maxNodes {
			d.errorf(n, path, "the document is too large or has too many aliases (over %d nodes)", maxNodes)
		}
		if d.visits >= maxNodes {
			return nil
		}
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		case *ast.AliasNode:
			target, ok := d.anchors[v.Value.String()]
			if !ok {
				d.errorf(n, path, "unknown alias *%s", v.Value.String())
				return nil
			}
			n = target
		default:
			return n
		}
	}
	return n
}

// kindOf names a node's type for messages.
func kindOf(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.StringNode, *ast.LiteralNode:
		return "a string"
	case *ast.IntegerNode:
		return "an integer"
	case *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "a number"
	case *ast.BoolNode:
		return "a boolean"
	case *ast.NullNode, nil:
		return "empty"
	}
	return "a " + n.Type().String()
}

// field is one known key of a mapping and how to decode its value.
type field struct {
	name   string
	decode func(v ast.Node, path string)
}

// mapping decodes a mapping node field by field: unknown keys (with a
// suggestion), duplicate keys and non-mapping values are problems. It
// returns false when n is not a mapping.
func (d *decoder) mapping(n ast.Node, path string, fields []field) bool {
	orig := n
	n = d.resolve(n, path)
	if n == nil {
		return false
	}
	var values []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	default:
		d.errorf(orig, path, "must be a mapping, got %s", kindOf(n))
		return false
	}
	seen := make(map[string]bool)
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	for _, mv := range values {
		d.mappingValue(mv, path, fields, names, seen)
	}
	return true
}

func (d *decoder) mappingValue(mv *ast.MappingValueNode, path string, fields []field, names []string,
	seen map[string]bool) {
	if _, ok := mv.Key.(*ast.MergeKeyNode); ok {
		d.errorf(mv.Key, path, "merge keys (<<) are not supported")
		return
	}
	key := keyString(mv.Key)
	sub := joinPath(path, key)
	if seen[key] {
		d.errorf(mv.Key, sub, "duplicate key")
		return
	}
	seen[key] = true
	for _, f := range fields {
		if f.name == key {
			d.keys[sub] = d.posOf(mv.Key)
			f.decode(mv.Value, sub)
			return
		}
	}
	if s := suggest(key, names); s != "" {
		d.errorf(mv.Key, sub, "unknown key (did you mean %q?)", s)
		return
	}
	d.errorf(mv.Key, sub, "unknown key (known: %s)", strings.Join(names, ", "))
}

func keyString(k ast.MapKeyNode) string {
	if s, ok := k.(*ast.StringNode); ok {
		return s.Value
	}
	if tk := k.GetToken(); tk != nil {
		return tk.Value
	}
	return k.String()
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// sequence decodes each element of a list node with item.
func (d *decoder) sequence(n ast.Node, path string, item func(v ast.Node, path string)) bool {
	orig := n
	n = d.resolve(n, path)
	if n == nil {
		return false
	}
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		d.errorf(orig, path, "must be a list, got %s", kindOf(n))
		return false
	}
	for i, v := range seq.Values {
		sub := fmt.Sprintf("%s[%d]", path, i)
		d.keys[sub] = d.posOf(v)
		item(v, sub)
	}
	return true
}

// str decodes a string scalar.
func (d *decoder) str(n ast.Node, path string) (string, bool) {
	orig := n
	n = d.resolve(n, path)
	switch v := n.(type) {
	case nil:
		return "", false
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		return v.Value.Value, true
	}
	d.errorf(orig, path, "must be a string, got %s", kindOf(n))
	return "", false
}

// strings decodes a list of strings.
func (d *decoder) strs(n ast.Node, path string) []string {
	var out []string
	d.sequence(n, path, func(v ast.Node, p string) {
		if s, ok := d.str(v, p); ok {
			out = append(out, s)
		}
	})
	return out
}

// boolean decodes a boolean scalar.
func (d *decoder) boolean(n ast.Node, path string) (bool, bool) {
	orig := n
	n = d.resolve(n, path)
	if n == nil {
		return false, false
	}
	if b, ok := n.(*ast.BoolNode); ok {
		return b.Value, true
	}
	d.errorf(orig, path, "must be true or false, got %s", kindOf(n))
	return false, false
}

// integer decodes an integer scalar that fits an int64.
func (d *decoder) integer(n ast.Node, path string) (int64, bool) {
	orig := n
	n = d.resolve(n, path)
	if n == nil {
		return 0, false
	}
	if iv, ok := n.(*ast.IntegerNode); ok {
		switch v := iv.Value.(type) {
		case int64:
			return v, true
		case uint64:
			if v <= math.MaxInt64 {
				return int64(v), true
			}
		}
		d.errorf(orig, path, "integer out of range")
		return 0, false
	}
	if s, ok := plainScalar(n); ok && isDigits(s) {
		d.errorf(orig, path, "integer out of range: %s", s)
		return 0, false
	}
	d.errorf(orig, path, "must be an integer, got %s", kindOf(n))
	return 0, false
}

// number decodes an integer or a finite float.
func (d *decoder) number(n ast.Node, path string) (float64, bool) {
	orig := n
	n = d.resolve(n, path)
	switch v := n.(type) {
	case nil:
		return 0, false
	case *ast.IntegerNode:
		i, ok := d.integer(v, path)
		return float64(i), ok
	case *ast.FloatNode:
		if math.IsInf(v.Value, 0) || math.IsNaN(v.Value) {
			d.errorf(orig, path, "must be a finite number, got %s", v.GetToken().Value)
			return 0, false
		}
		return v.Value, true
	case *ast.NanNode, *ast.InfinityNode:
		d.errorf(orig, path, "must be a finite number, got %s", v.GetToken().Value)
		return 0, false
	}
	if f, ok := d.plainNumber(orig, n, path); ok {
		return f, true
	} else if f != 0 {
		return 0, false // reported
	}
	d.errorf(orig, path, "must be a number, got %s", kindOf(n))
	return 0, false
}

// plainNumber reads an unquoted scalar the YAML library left as a string
// although it is a number: an exponent without a dot ("1e3", a float in
// YAML 1.2), or a number too large for the library. It returns ok for a
// finite number; a non-zero f without ok means it reported a number out of
// range.
func (d *decoder) plainNumber(orig, n ast.Node, path string) (f float64, ok bool) {
	s, plain := plainScalar(n)
	if !plain {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	switch {
	case err == nil && !math.IsInf(f, 0) && !math.IsNaN(f):
		return f, true
	case errors.Is(err, strconv.ErrRange):
		d.errorf(orig, path, "number out of range: %s", s)
		return 1, false
	}
	return 0, false
}

// plainScalar returns the text of an unquoted string scalar.
func plainScalar(n ast.Node) (string, bool) {
	sn, ok := n.(*ast.StringNode)
	if !ok || quoteShift(sn) != 0 {
		return "", false
	}
	return sn.Value, true
}

func isDigits(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// duration decodes a Go duration string such as "250ms" or "1m30s".
func (d *decoder) duration(n ast.Node, path string) (time.Duration, bool) {
	orig := n
	n = d.resolve(n, path)
	switch v := n.(type) {
	case nil:
		return 0, false
	case *ast.StringNode:
		dur, err := time.ParseDuration(v.Value)
		if err != nil {
			d.errorf(orig, path, "bad duration %q: want for example 250ms, 30s or 1m30s", v.Value)
			return 0, false
		}
		if dur < 0 {
			d.errorf(orig, path, "duration must not be negative")
			return 0, false
		}
		return dur, true
	case *ast.IntegerNode, *ast.FloatNode:
		d.errorf(orig, path, "duration needs a unit: write for example %ss", v.String())
		return 0, false
	}
	d.errorf(orig, path, "must be a duration such as 30s, got %s", kindOf(n))
	return 0, false
}

// quoteShift is 1 when a scalar is quoted, so a column inside its text can
// be computed from the token's column.
func quoteShift(n ast.Node) int {
	if tk := n.GetToken(); tk != nil && (tk.Type == token.DoubleQuoteType || tk.Type == token.SingleQuoteType) {
		return 1
	}
	return 0
}
