package validate

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"reflect"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/go-json-experiment/json"
)

// maxDepth is the deepest nesting of arrays and objects accepted, as in
// encoding/json and go-json-experiment.
const maxDepth = 10000

// decoder reads one JSON text into a Go value beside the value's plan,
// recording every problem of shape (unknown member, duplicate key, wrong
// kind of value, number out of range) with its path and stopping only at
// the first syntax error.
type decoder struct {
	data  []byte
	pos   int // offset of the next byte to read
	depth int
	stop  bool // a syntax error was recorded: nothing after it is read
	errs  Errors
	path  []step    // where the value being read sits
	buf   []byte    // scratch for strings with escapes
	cache *strcache // shares repeated short strings; nil for small texts
}

// step is one element of a path: a member name, or an array index when
// index >= 0.
type step struct {
	name  string
	index int
}

// plain marks the bytes a string may hold without a closer look: not the
// quote, the backslash, control characters or bytes of multi-byte UTF-8.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func (d *decoder) ws() {
	i, data := d.pos, d.data
	// Every byte that is not white space and may follow it is above ' '.
	for i < len(data) && data[i] <= ' ' {
		switch data[i] {
		case ' ':
			// Indentation comes in runs of spaces: count them eight at
			// a time.
			if i+8 <= len(data) {
				if m := binary.LittleEndian.Uint64(data[i:]) ^ spaces; m != 0 {
					i += bits.TrailingZeros64(m) / 8
				} else {
					i += 8
				}
			} else {
				i++
			}
		case '\n', '\t', '\r':
			i++
		default:
			d.pos = i
			return
		}
	}
	d.pos = i
}

const (
	spaces = 0x2020202020202020
	ones   = 0x0101010101010101
	highs  = 0x8080808080808080
)

// pathString formats the current path: "technicians[3].skills".
func (d *decoder) pathString() string {
	var b []byte
	for _, s := range d.path {
		if s.index >= 0 {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(s.index), 10)
			b = append(b, ']')
			continue
		}
		if len(b) > 0 {
			b = append(b, '.')
		}
		b = append(b, s.name...)
	}
	return string(b)
}

// problem records a shape problem at the current path.
func (d *decoder) problem(format string, args ...any) {
	d.errs = append(d.errs, &Error{Path: d.pathString(), Msg: fmt.Sprintf(format, args...), Err: ErrJSON})
}

// syntax records a syntax error at byte offset off and stops the decoder.
func (d *decoder) syntax(off int, format string, args ...any) {
	line, col := Position(d.data, int64(off))
	d.errs = append(d.errs, &Error{Msg: fmt.Sprintf("malformed JSON at line %d, column %d: ", line, col) + fmt.Sprintf(format, args...), Err: ErrSyntax})
	d.stop = true
}

func (d *decoder) eof() { d.syntax(len(d.data), "unexpected end of input") }

// unexpected records the byte at the current offset as a syntax error in
// the given context ("at start of value").
func (d *decoder) unexpected(context string) {
	if d.pos >= len(d.data) {
		d.eof()
		return
	}
	d.syntax(d.pos, "invalid character %s %s", quoteChar(d.data[d.pos:]), context)
}

// quoteChar quotes the character at the start of b for a message.
func quoteChar(b []byte) string {
	r, n := utf8.DecodeRune(b)
	if r == utf8.RuneError && n <= 1 {
		return fmt.Sprintf("byte 0x%02x", b[0])
	}
	return strconv.QuoteRune(r)
}

func (d *decoder) enter() bool {
	d.depth++
	if d.depth > maxDepth {
		d.syntax(d.pos, "nested deeper than %d arrays and objects", maxDepth)
		return false
	}
	return true
}

// value reads one value into the Go value at ptr, of p's type.
//
// The decoder writes through unsafe pointers rather than reflect.Value
// setters, which halves the time of a large file. Every pointer it makes
// points at a value of the plan's type (a field at its offset, an element
// at its index), and every write has the static type of that value, so the
// garbage collector's write barriers apply as for ordinary Go code.
func (d *decoder) value(p *plan, ptr unsafe.Pointer) {
	d.ws()
	if d.pos >= len(d.data) {
		d.eof()
		return
	}
	c := d.data[d.pos]
	if c == 'n' && p.kind != pOpaque {
		if d.literal("null") {
			// As in go-json-experiment, null is the zero value.
			reflect.NewAt(p.typ, ptr).Elem().SetZero()
		}
		return
	}
	switch p.kind {
	case pOpaque:
		d.opaque(p, ptr)
		return
	case pString:
		if c == '"' {
			b, ok := d.str()
			if ok {
				*(*string)(ptr) = d.makeString(b)
			}
			return
		}
	case pBool:
		switch c {
		case 't':
			if d.literal("true") {
				*(*bool)(ptr) = true
			}
			return
		case 'f':
			if d.literal("false") {
				*(*bool)(ptr) = false
			}
			return
		}
	case pInt, pUint, pFloat:
		if c == '-' || '0' <= c && c <= '9' {
			d.numberInto(p, ptr)
			return
		}
	case pPointer:
		pp := (*unsafe.Pointer)(ptr)
		if *pp == nil {
			*pp = reflect.New(p.elem.typ).UnsafePointer()
		}
		d.value(p.elem, *pp)
		return
	case pSlice:
		if c == '[' {
			d.slice(p, reflect.NewAt(p.typ, ptr).Elem())
			return
		}
	case pStruct:
		if c == '{' {
			d.object(p, ptr)
			return
		}
	case pMap:
		if c == '{' {
			d.mapValue(p, reflect.NewAt(p.typ, ptr).Elem())
			return
		}
	}
	start := d.pos
	d.skip()
	if !d.stop {
		d.problem("want %s, got %s", describeType(p.typ), describeRaw(d.data[start:d.pos]))
	}
}

// opaque hands one whole value to go-json-experiment and records its
// problem, if any, under the current path.
func (d *decoder) opaque(p *plan, ptr unsafe.Pointer) {
	start := d.pos
	d.skip()
	if d.stop {
		return
	}
	raw := d.data[start:d.pos]
	err := json.Unmarshal(raw, reflect.NewAt(p.typ, ptr).Interface(), json.RejectUnknownMembers(true))
	if err != nil {
		e := jsonProblem(d.data, int64(start), reflect.PointerTo(p.typ), err)
		if e.Err != ErrSyntax {
			e.Path = Join(d.pathString(), e.Path)
		}
		d.errs = append(d.errs, e)
	}
}

func (d *decoder) literal(lit string) bool {
	for i := 0; i < len(lit); i++ {
		if d.pos+i >= len(d.data) {
			d.eof()
			return false
		}
		if d.data[d.pos+i] != lit[i] {
			d.pos += i
			d.unexpected("in literal " + lit)
			return false
		}
	}
	d.pos += len(lit)
	return true
}

// object reads an object into the struct at ptr.
func (d *decoder) object(p *plan, ptr unsafe.Pointer) {
	if !d.enter() {
		return
	}
	d.pos++ // '{'
	var seen uint64
	var seenMany []bool
	if len(p.fields) > 64 {
		seenMany = make([]bool, len(p.fields))
	}
	hint := 0
	d.ws()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		d.depth--
		return
	}
	for {
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			d.unexpected("at start of object key (want '\"')")
			return
		}
		key, ok := d.str()
		if !ok {
			return
		}
		d.ws()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			d.unexpected("after object key (want ':')")
			return
		}
		d.pos++
		i := p.lookup(key, hint)
		if i < 0 {
			name := string(key)
			d.path = append(d.path, step{name: name, index: -1})
			d.problem("unknown field %q", name)
			d.path = d.path[:len(d.path)-1]
			d.skip()
		} else {
			f := &p.fields[i]
			hint = i + 1
			dup := false
			if seenMany != nil {
				dup, seenMany[i] = seenMany[i], true
			} else {
				dup = seen&(1<<i) != 0
				seen |= 1 << i
			}
			d.path = append(d.path, step{name: f.name, index: -1})
			if dup {
				d.problem("duplicate key %q", f.name)
			}
			d.value(f.plan, unsafe.Add(ptr, f.offset))
			d.path = d.path[:len(d.path)-1]
		}
		if d.stop {
			return
		}
		if !d.next('}', "after object value (want ',' or '}')") {
			return
		}
		if d.data[d.pos-1] == '}' {
			return
		}
	}
}

// next reads the separator after a member or element: a comma, after
// which it moves to the next token, or the closing byte end, after which
// it leaves the container. It reports false on a syntax error.
func (d *decoder) next(end byte, context string) bool {
	d.ws()
	if d.pos >= len(d.data) {
		d.eof()
		return false
	}
	switch d.data[d.pos] {
	case ',':
		d.pos++
		d.ws()
		return true
	case end:
		d.pos++
		d.depth--
		return true
	}
	d.unexpected(context)
	return false
}

// lookup returns the index of the field named name, or -1. Members
// usually come in declaration order, so the search starts after the last
// one found.
func (p *plan) lookup(name []byte, hint int) int {
	if p.byName != nil {
		if i, ok := p.byName[string(name)]; ok {
			return int(i)
		}
		return -1
	}
	n := len(p.fields)
	for k := range n {
		j := hint + k
		if j >= n {
			j -= n
		}
		if p.fields[j].name == string(name) {
			return j
		}
	}
	return -1
}

// slice reads an array into the slice v.
func (d *decoder) slice(p *plan, v reflect.Value) {
	if !d.enter() {
		return
	}
	d.pos++ // '['
	d.ws()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		d.depth--
		if v.IsNil() {
			v.Set(reflect.MakeSlice(p.typ, 0, 0))
		} else {
			v.SetLen(0)
		}
		return
	}
	used := v.Cap() // elements below this may hold earlier values
	size := p.elem.typ.Size()
	v.SetLen(0)
	k := len(d.path)
	d.path = append(d.path, step{index: 0})
	// A short array grows v as append does. A long one fills chunks
	// instead, each as long as all before it, and is copied once into a
	// slice of its exact length: growing by copying would allocate about
	// five times the final slice, and leave up to a quarter of it unused.
	var chunks []reflect.Value // full chunks after v's own array
	var cur reflect.Value      // the chunk being filled, once v is full
	off := 0                   // elements before cur
	done := func(n int) {
		d.path = d.path[:k]
		if cur.IsValid() {
			v.Set(assemble(p.typ, v, chunks, cur.Slice(0, n-off), n))
		}
	}
	for n := 0; ; n++ {
		switch {
		case cur.IsValid() && n-off == cur.Len():
			chunks = append(chunks, cur)
			fallthrough
		case !cur.IsValid() && n == v.Cap() && n >= chunkFrom:
			cur, off = reflect.MakeSlice(p.typ, n, n), n
		case !cur.IsValid() && n == v.Cap():
			v.Grow(1)
		}
		var e unsafe.Pointer
		if cur.IsValid() {
			e = unsafe.Add(cur.UnsafePointer(), uintptr(n-off)*size)
		} else {
			v.SetLen(n + 1)
			e = unsafe.Add(v.UnsafePointer(), uintptr(n)*size)
			if n < used {
				v.Index(n).SetZero()
			}
		}
		d.path[k].index = n
		d.value(p.elem, e)
		if d.stop {
			done(n + 1)
			return
		}
		if !d.next(']', "after array element (want ',' or ']')") {
			done(n + 1)
			return
		}
		if d.data[d.pos-1] == ']' {
			done(n + 1)
			return
		}
	}
}

// chunkFrom is the array length from which the decoder fills chunks.
const chunkFrom = 1024

// assemble copies first, the full chunks and last, n elements in all,
// into one slice of type t and length n.
func assemble(t reflect.Type, first reflect.Value, chunks []reflect.Value, last reflect.Value, n int) reflect.Value {
	out := reflect.MakeSlice(t, n, n)
	at := reflect.Copy(out, first)
	for _, c := range chunks {
		at += reflect.Copy(out.Slice(at, n), c)
	}
	reflect.Copy(out.Slice(at, n), last)
	return out
}

// mapValue reads an object into the map v.
func (d *decoder) mapValue(p *plan, v reflect.Value) {
	if !d.enter() {
		return
	}
	d.pos++ // '{'
	if v.IsNil() {
		v.Set(reflect.MakeMap(p.typ))
	}
	d.ws()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		d.depth--
		return
	}
	seen := map[string]bool{}
	kv := reflect.New(p.typ.Key()).Elem()
	ev := reflect.New(p.typ.Elem()).Elem()
	for {
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			d.unexpected("at start of object key (want '\"')")
			return
		}
		kb, ok := d.str()
		if !ok {
			return
		}
		key := d.makeString(kb)
		d.ws()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			d.unexpected("after object key (want ':')")
			return
		}
		d.pos++
		d.path = append(d.path, step{name: key, index: -1})
		if seen[key] {
			d.problem("duplicate key %q", key)
		}
		seen[key] = true
		keyOK := true
		switch p.key {
		case pString:
			kv.SetString(key)
		case pInt:
			n, ok := parseIntKey(key, p.typ.Key().Bits())
			keyOK = ok
			kv.SetInt(n)
		case pUint:
			n, ok := parseUintKey(key, p.typ.Key().Bits())
			keyOK = ok
			kv.SetUint(n)
		}
		if !keyOK {
			d.problem("want an integer key of %s, got %q", describeRange(p.typ.Key()), key)
			d.skip()
		} else {
			ev.SetZero()
			if old := v.MapIndex(kv); old.IsValid() {
				ev.Set(old) // merge into the existing value, as go-json-experiment does
			}
			d.value(p.elem, ev.Addr().UnsafePointer())
			if !d.stop {
				v.SetMapIndex(kv, ev)
			}
		}
		d.path = d.path[:len(d.path)-1]
		if d.stop {
			return
		}
		if !d.next('}', "after object value (want ',' or '}')") {
			return
		}
		if d.data[d.pos-1] == '}' {
			return
		}
	}
}

// parseIntKey parses an object key as go-json-experiment does for a map
// of signed integers: decimal, no sign but '-', no leading zeros.
func parseIntKey(s string, bits int) (int64, bool) {
	neg := len(s) > 0 && s[0] == '-'
	u, ok := parseUintKey(s[min(len(s), b2i(neg)):], 64)
	if !ok {
		return 0, false
	}
	limit := uint64(1) << (bits - 1)
	if neg {
		if u > limit {
			return 0, false
		}
		return -int64(u-1) - 1, true
	}
	if u >= limit {
		return 0, false
	}
	return int64(u), true
}

func parseUintKey(s string, bits int) (uint64, bool) {
	if s == "" || s[0] == '0' && len(s) > 1 {
		return 0, false
	}
	var u uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' || u > (math.MaxUint64-9)/10 && (u > math.MaxUint64/10 || uint64(c-'0') > math.MaxUint64-u*10) {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
	}
	if bits < 64 && u >= 1<<bits {
		return 0, false
	}
	return u, true
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// numberInto reads a number into the int, uint or float at ptr.
func (d *decoder) numberInto(p *plan, ptr unsafe.Pointer) {
	start := d.pos
	integer, ok := d.number()
	if !ok {
		return
	}
	num := d.data[start:d.pos]
	switch p.kind {
	case pInt, pUint:
		neg := num[0] == '-'
		digits := num[b2i(neg):]
		var u uint64
		fits := integer && len(digits) <= 20
		for _, c := range digits {
			if !fits {
				break
			}
			x := uint64(c - '0')
			if u > (math.MaxUint64-x)/10 {
				fits = false
			}
			u = u*10 + x
		}
		switch {
		case !integer:
			d.problem("want an integer, got the number %s", num)
		case p.kind == pUint && (neg || !fits || p.bits < 64 && u >= 1<<p.bits):
			d.problem("want an integer from 0 to %d, got the number %s", uint64(math.MaxUint64)>>(64-p.bits), num)
		case p.kind == pUint:
			setUint(ptr, p.bits, u)
		case !fits || !neg && u >= 1<<(p.bits-1) || neg && u > 1<<(p.bits-1):
			d.problem("want an integer from %d to %d, got the number %s", -1<<(p.bits-1), 1<<(p.bits-1)-1, num)
		case neg:
			setUint(ptr, p.bits, uint64(-int64(u-1)-1))
		default:
			setUint(ptr, p.bits, u)
		}
	case pFloat:
		f, err := strconv.ParseFloat(string(num), p.bits)
		if err != nil {
			d.problem("want a number of magnitude at most %s, got the number %s", strconv.FormatFloat(maxFloat(p.bits), 'g', -1, p.bits), num)
			return
		}
		if p.bits == 32 {
			*(*float32)(ptr) = float32(f)
		} else {
			*(*float64)(ptr) = f
		}
	}
}

// setUint stores the low bits of u in the integer of that size at ptr:
// two's complement makes this right for signed integers too.
func setUint(ptr unsafe.Pointer, bits int, u uint64) {
	switch bits {
	case 8:
		*(*uint8)(ptr) = uint8(u)
	case 16:
		*(*uint16)(ptr) = uint16(u)
	case 32:
		*(*uint32)(ptr) = uint32(u)
	default:
		*(*uint64)(ptr) = u
	}
}

func maxFloat(bits int) float64 {
	if bits == 32 {
		return math.MaxFloat32
	}
	return math.MaxFloat64
}

// number reads a JSON number and reports whether it is written as an
// integer (no fraction, no exponent).
func (d *decoder) number() (integer, ok bool) {
	i, data := d.pos, d.data
	if i < len(data) && data[i] == '-' {
		i++
	}
	digits := func() bool {
		if i >= len(data) || data[i] < '0' || data[i] > '9' {
			return false
		}
		for i < len(data) && '0' <= data[i] && data[i] <= '9' {
			i++
		}
		return true
	}
	switch {
	case i >= len(data):
		d.eof()
		return false, false
	case data[i] == '0':
		i++
	case !digits():
		d.pos = i
		d.unexpected("in number (want a digit)")
		return false, false
	}
	integer = true
	if i < len(data) && data[i] == '.' {
		i++
		integer = false
		if !digits() {
			d.pos = i
			d.unexpected("after decimal point in number (want a digit)")
			return false, false
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		integer = false
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if !digits() {
			d.pos = i
			d.unexpected("in exponent of number (want a digit)")
			return false, false
		}
	}
	d.pos = i
	return integer, true
}

// str reads a string at the current offset (a quote) and returns its
// unescaped bytes: a part of the input, or the decoder's scratch buffer
// when the string has escapes (valid until the next call).
func (d *decoder) str() ([]byte, bool) {
	start := d.pos + 1
	i, data := start, d.data
	// Eight bytes at a time while none is special: a quote, a backslash,
	// a control character or part of a multi-byte character.
	for i+8 <= len(data) {
		x := binary.LittleEndian.Uint64(data[i:])
		q, b := x^(ones*'"'), x^(ones*'\\')
		if ((x-ones*0x20)|(q-ones)|(b-ones)|x)&highs == 0 {
			i += 8
			continue
		}
		break
	}
	for i < len(data) && plain[data[i]] {
		i++
	}
	if i < len(data) && data[i] == '"' {
		d.pos = i + 1
		return data[start:i], true
	}
	return d.strSlow(start, i)
}

// strSlow continues reading a string from offset i, where a byte that is
// not plain ASCII was found; start is the offset after the opening quote.
func (d *decoder) strSlow(start, i int) ([]byte, bool) {
	data := d.data
	escaped := false
	for {
		for i < len(data) && plain[data[i]] {
			if escaped {
				d.buf = append(d.buf, data[i])
			}
			i++
		}
		if i >= len(data) {
			d.eof()
			return nil, false
		}
		c := data[i]
		switch {
		case c == '"':
			d.pos = i + 1
			if escaped {
				return d.buf, true
			}
			return data[start:i], true
		case c < 0x20:
			d.pos = i
			d.unexpected("in string (control characters must be escaped)")
			return nil, false
		case c >= 0x80:
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n == 1 {
				d.syntax(i, "invalid UTF-8 in string")
				return nil, false
			}
			if escaped {
				d.buf = append(d.buf, data[i:i+n]...)
			}
			i += n
		default: // '\\'
			if !escaped {
				escaped = true
				d.buf = append(d.buf[:0], data[start:i]...)
			}
			n, ok := d.escape(i)
			if !ok {
				return nil, false
			}
			i += n
		}
	}
}

// escape decodes the escape sequence at offset i onto the scratch buffer
// and returns its length.
func (d *decoder) escape(i int) (int, bool) {
	data := d.data
	if i+1 >= len(data) {
		d.eof()
		return 0, false
	}
	var c byte
	switch data[i+1] {
	case '"', '\\', '/':
		c = data[i+1]
	case 'b':
		c = '\b'
	case 'f':
		c = '\f'
	case 'n':
		c = '\n'
	case 'r':
		c = '\r'
	case 't':
		c = '\t'
	case 'u':
		r, ok := d.hex4(i)
		if !ok {
			return 0, false
		}
		n := 6
		if utf16.IsSurrogate(r) {
			r2 := rune(-1)
			if r < 0xdc00 && i+7 < len(data) && data[i+6] == '\\' && data[i+7] == 'u' {
				r2, ok = d.hex4(i + 6)
				if !ok {
					return 0, false
				}
			}
			if r = utf16.DecodeRune(r, r2); r == utf8.RuneError {
				esc := data[i : i+6]
				if r2 >= 0 {
					esc = data[i : i+12]
				}
				d.syntax(i, "invalid escape %s in string: UTF-16 surrogates must come in pairs, high then low", esc)
				return 0, false
			}
			n = 12
		}
		d.buf = utf8.AppendRune(d.buf, r)
		return n, true
	default:
		d.pos = i
		d.syntax(i, "invalid escape %s in string", quoteEscape(data[i:i+2]))
		return 0, false
	}
	d.buf = append(d.buf, c)
	return 2, true
}

// hex4 reads the four hex digits of the \u escape at offset i.
func (d *decoder) hex4(i int) (rune, bool) {
	data := d.data
	if i+6 > len(data) {
		for k := i + 2; k < len(data); k++ {
			if !isHex(data[k]) {
				d.syntax(i, "invalid escape %s in string", quoteEscape(data[i:k+1]))
				return 0, false
			}
		}
		d.eof()
		return 0, false
	}
	var r rune
	for k := i + 2; k < i+6; k++ {
		c := data[k]
		if !isHex(c) {
			d.syntax(i, "invalid escape %s in string", quoteEscape(data[i:k+1]))
			return 0, false
		}
		r = r<<4 | rune(unhex(c))
	}
	return r, true
}

// quoteEscape shows a bad escape sequence as written, unless it ends in
// a byte that needs quoting.
func quoteEscape(b []byte) string {
	if r, _ := utf8.DecodeLastRune(b); r < 0x20 || r == utf8.RuneError || r == 0x7f {
		return strconv.Quote(string(b))
	}
	return string(b)
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// skip reads over one value, checking its syntax only.
func (d *decoder) skip() {
	d.ws()
	if d.pos >= len(d.data) {
		d.eof()
		return
	}
	switch c := d.data[d.pos]; c {
	case '{':
		if !d.enter() {
			return
		}
		d.pos++
		d.ws()
		if d.pos < len(d.data) && d.data[d.pos] == '}' {
			d.pos++
			d.depth--
			return
		}
		for {
			if d.pos >= len(d.data) || d.data[d.pos] != '"' {
				d.unexpected("at start of object key (want '\"')")
				return
			}
			if _, ok := d.str(); !ok {
				return
			}
			d.ws()
			if d.pos >= len(d.data) || d.data[d.pos] != ':' {
				d.unexpected("after object key (want ':')")
				return
			}
			d.pos++
			d.skip()
			if d.stop || !d.next('}', "after object value (want ',' or '}')") {
				return
			}
			if d.data[d.pos-1] == '}' {
				return
			}
		}
	case '[':
		if !d.enter() {
			return
		}
		d.pos++
		d.ws()
		if d.pos < len(d.data) && d.data[d.pos] == ']' {
			d.pos++
			d.depth--
			return
		}
		for {
			d.skip()
			if d.stop || !d.next(']', "after array element (want ',' or ']')") {
				return
			}
			if d.data[d.pos-1] == ']' {
				return
			}
		}
	case '"':
		d.str()
	case 't':
		d.literal("true")
	case 'f':
		d.literal("false")
	case 'n':
		d.literal("null")
	default:
		if c == '-' || '0' <= c && c <= '9' {
			d.number()
			return
		}
		d.unexpected("at start of value")
	}
}

// makeString returns b as a string, shared with earlier equal strings
// when the decoder has a cache.
func (d *decoder) makeString(b []byte) string {
	if d.cache != nil && len(b) <= maxCached {
		return d.cache.get(b)
	}
	return string(b)
}

// describeRaw describes a JSON value for a message: "the string \"yes\"",
// "the number 1.5", "an object".
func describeRaw(raw []byte) string {
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 'n':
		return "null"
	case 't':
		return "true"
	case 'f':
		return "false"
	case '"':
		s := string(raw)
		if utf8.RuneCountInString(s) > 42 {
			r := []rune(s)
			s = string(r[:41]) + `…"`
		}
		return "the string " + s
	}
	return "the number " + string(raw)
}

// describeRange names the integers of an integer type: "-128 to 127".
func describeRange(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return fmt.Sprintf("0 to %d", uint64(math.MaxUint64)>>(64-t.Bits()))
	}
	return fmt.Sprintf("%d to %d", -1<<(t.Bits()-1), 1<<(t.Bits()-1)-1)
}
