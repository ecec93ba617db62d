package validate

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strconv"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth is the deepest nesting of arrays and objects accepted, as in
// encoding/json and go-json-experiment.
const maxDepth = 10000

// decoder reads one JSON text into a Go value beside the value's plan,
// recording every problem of shape (unknown member, duplicate key, wrong
// kind of value, number out of range) with its path and stopping only at
// the first syntax error.
//
// The text is either all in data, or read from r through data as a
// window: bytes before the current offset are dropped when more are read,
// except from the mark on (see more). Offsets into data are valid until
// the next call that may read: the scanners below adjust their own, and
// callers keep a value's start with the mark.
type decoder struct {
	data   []byte
	pos    int // offset in data of the next byte to read
	depth  int
	stop   bool // a syntax error was recorded: nothing after it is read
	errs   Errors
	path   []step                 // where the value being read sits
	buf    []byte                 // scratch for strings with escapes
	cache  *strcache              // shares repeated short strings; nil for small texts
	recent []recentTime           // canonical date-times read (see fastTime)
	zones  map[int]*time.Location // their fixed zones, by offset in seconds

	r    io.Reader // source of the text after data; nil when data is all of it
	rerr error     // the error that ended r: io.EOF, or a read error
	base int64     // offset in the text of data[0]
	mark int64     // offset in the text from which nothing is dropped; -1 for none
	// lines and col0 place data[0]: the newlines before it, and the
	// characters between the last of them and data[0].
	lines, col0 int
}

// step is one element of a path: a member name, or an array index when
// index >= 0.
type step struct {
	name  string
	index int
}

// windowSize is the initial size of the window of a decoder reading from
// an io.Reader; it doubles when one value does not fit. Tests make it
// small.
var windowSize = 256 << 10

// more reads more of the text into the window, keeping data[from:] and
// everything from the mark. It returns how far the kept bytes moved
// toward the start of data, which callers subtract from their offsets
// whether or not more was read, and false when the text has no more
// bytes.
func (d *decoder) more(from int) (shift int, ok bool) {
	if d.r == nil || d.rerr != nil {
		return 0, false
	}
	from = min(from, d.pos)
	if d.mark >= 0 {
		from = min(from, int(d.mark-d.base))
	}
	d.account(d.data[:from])
	buf := d.data[:cap(d.data)]
	n := copy(buf, d.data[from:])
	if n > len(buf)/2 {
		// The kept bytes fill half the window: double it, so that a
		// long value costs a logarithmic number of copies.
		grown := make([]byte, n, max(2*len(buf), windowSize, 16))
		copy(grown, buf)
		buf = grown[:cap(grown)]
	}
	d.base += int64(from)
	d.pos -= from
	for empty := 0; ; empty++ {
		m, err := d.r.Read(buf[n:])
		switch {
		case m < 0 || m > len(buf)-n:
			err, m = errors.New("validate: reader returned an impossible count"), 0
		case m == 0 && err == nil && empty == 100:
			err = io.ErrNoProgress
		}
		d.data = buf[:n+m]
		if err != nil {
			d.rerr = err
		}
		if d.cache == nil && d.base+int64(len(d.data)) >= cacheFrom {
			// A large text: its size is unknown, so the cache is the
			// largest.
			d.cache = newStrcache(1 << 30)
		}
		if m > 0 || err != nil {
			return from, m > 0
		}
	}
}

// account records the bytes of b, about to be dropped from the window,
// in the position of data[0].
func (d *decoder) account(b []byte) {
	if k := bytes.LastIndexByte(b, '\n'); k >= 0 {
		d.lines += bytes.Count(b, []byte{'\n'})
		d.col0 = chars(b[k+1:])
		return
	}
	d.col0 += chars(b)
}

// chars counts the characters of b: the bytes that do not continue a
// UTF-8 sequence.
func chars(b []byte) int {
	n := 0
	for _, c := range b {
		if c&0xc0 != 0x80 {
			n++
		}
	}
	return n
}

// position returns the line and column (in characters) of offset off of
// the window.
func (d *decoder) position(off int) (line, col int) {
	off = min(max(off, 0), len(d.data))
	line, col = Position(d.data, int64(off))
	if line == 1 {
		col += d.col0
	}
	return line + d.lines, col
}

// refill reads more when the window holds nothing after the current
// offset, and reports whether it does now.
func (d *decoder) refill() bool {
	for d.pos >= len(d.data) {
		if _, ok := d.more(d.pos); !ok {
			return false
		}
	}
	return true
}

// ensure reads until the window holds n bytes from offset i, or the text
// ends, keeping data[from:]; it returns the shift of offsets (see more).
func (d *decoder) ensure(from, i, n int) int {
	total := 0
	for len(d.data)-i < n {
		shift, ok := d.more(from)
		from, i, total = from-shift, i-shift, total+shift
		if !ok {
			break
		}
	}
	return total
}

// peek returns the byte at the current offset, reading more if needed.
func (d *decoder) peek() (byte, bool) {
	if d.pos < len(d.data) {
		return d.data[d.pos], true
	}
	return d.peekMore()
}

func (d *decoder) peekMore() (byte, bool) {
	if d.refill() {
		return d.data[d.pos], true
	}
	return 0, false
}

// ws reads over white space.
func (d *decoder) ws() {
	if d.pos < len(d.data) && d.data[d.pos] > ' ' {
		return // none: the common case, decided without a call
	}
	d.wsMore()
}

func (d *decoder) wsMore() {
	for {
		i, data := d.pos, d.data
		// Every byte that is not white space and may follow it is above
		// ' '.
		for i < len(data) && data[i] <= ' ' {
			switch data[i] {
			case ' ':
				// Indentation comes in runs of spaces: count them eight
				// at a time.
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
		if i < len(data) || !d.refill() {
			return
		}
	}
}

const (
	spaces = 0x2020202020202020
	ones   = 0x0101010101010101
	highs  = 0x8080808080808080
)

// plain marks the bytes a string may hold without a closer look: not the
// quote, the backslash, control characters or bytes of multi-byte UTF-8.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

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
		b = appendName(b, s.name)
	}
	return string(b)
}

// appendName appends an object member's name to path b: ".name" (no dot
// first), or ["name"] quoted when the name would not read back as one
// step of a path — empty, or holding a dot, a bracket, a quote, a
// backslash, a space or a control character (a map's keys are the
// tenant's text: {"": 1} is at m[""], not at m.).
func appendName(b []byte, name string) []byte {
	if !plainName(name) {
		b = append(b, '[')
		b = strconv.AppendQuote(b, name)
		return append(b, ']')
	}
	if len(b) > 0 {
		b = append(b, '.')
	}
	return append(b, name...)
}

// plainName reports whether name reads back as one step of a path.
func plainName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		switch {
		case r == '.' || r == '[' || r == ']' || r == '"' || r == '\\':
			return false
		case unicode.IsSpace(r) || !unicode.IsPrint(r):
			return false
		}
	}
	return true
}

// problem records a shape problem at the current path.
func (d *decoder) problem(format string, args ...any) {
	if d.errs.full() {
		d.errs.more(ErrJSON, 1) // no path or message to build
		return
	}
	d.errs.push(&Error{Path: d.pathString(), Msg: fmt.Sprintf(format, args...), Err: ErrJSON})
}

// syntax records a syntax error at offset off of the window and stops the
// decoder. A read error, found at the end of the window, is recorded
// instead.
func (d *decoder) syntax(off int, format string, args ...any) {
	d.stop = true
	if d.rerr != nil && d.rerr != io.EOF {
		return // Unmarshal returns the read error
	}
	line, col := d.position(off)
	d.errs = append(d.errs, &Error{Msg: fmt.Sprintf("malformed JSON at line %d, column %d: ", line, col) + fmt.Sprintf(format, args...), Err: ErrSyntax})
}

func (d *decoder) eof() { d.syntax(len(d.data), "unexpected end of input") }

// unexpected records the byte at the current offset as a syntax error in
// the given context ("at start of value").
func (d *decoder) unexpected(context string) {
	if !d.refill() {
		d.eof()
		return
	}
	d.ensure(d.pos, d.pos, utf8.UTFMax)
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

// literal reads the literal lit (true, false or null).
func (d *decoder) literal(lit string) bool {
	d.ensure(d.pos, d.pos, len(lit))
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

// next reads the separator after a member or element: a comma, after
// which it moves to the next token, or the closing byte end, after which
// it leaves the container (closed). It reports false on a syntax error.
func (d *decoder) next(end byte, context string) (closed, ok bool) {
	d.ws()
	var c byte
	if d.pos < len(d.data) {
		c = d.data[d.pos]
	} else if c, ok = d.peekMore(); !ok {
		d.eof()
		return false, false
	}
	switch {
	case c == ',':
		d.pos++
		d.ws()
		return false, true
	case c == end:
		d.pos++
		d.depth--
		return true, true
	}
	d.unexpected(context)
	return false, false
}

// number reads a JSON number and returns its text, valid until the next
// read, and whether it is written as an integer (no fraction, no
// exponent).
func (d *decoder) number() (num []byte, integer, ok bool) {
	// The extent first: every byte a number may hold, reading more at
	// the end of the window; then its grammar.
	start, i := d.pos, d.pos
	for {
		for i < len(d.data) && numberByte[d.data[i]] {
			i++
		}
		if i < len(d.data) {
			break
		}
		shift, more := d.more(start)
		start, i = start-shift, i-shift
		if !more {
			break
		}
	}
	data := d.data[:i]
	k := start
	fail := func(context string) ([]byte, bool, bool) {
		d.pos = k
		d.unexpected(context)
		return nil, false, false
	}
	digits := func() bool {
		if k >= len(data) || data[k] < '0' || data[k] > '9' {
			return false
		}
		for k < len(data) && '0' <= data[k] && data[k] <= '9' {
			k++
		}
		return true
	}
	if k < len(data) && data[k] == '-' {
		k++
	}
	switch {
	case k < len(data) && data[k] == '0':
		k++
	case !digits():
		return fail("in number (want a digit)")
	}
	integer = true
	if k < len(data) && data[k] == '.' {
		k++
		integer = false
		if !digits() {
			return fail("after decimal point in number (want a digit)")
		}
	}
	if k < len(data) && (data[k] == 'e' || data[k] == 'E') {
		k++
		integer = false
		if k < len(data) && (data[k] == '+' || data[k] == '-') {
			k++
		}
		if !digits() {
			return fail("in exponent of number (want a digit)")
		}
	}
	// A byte of the extent left over is out of place after the number;
	// the caller reports it in its context.
	d.pos = k
	return data[start:k], integer, true
}

// numberByte marks the bytes of a number's text.
var numberByte = func() (t [256]bool) {
	for _, c := range []byte("0123456789+-.eE") {
		t[c] = true
	}
	return t
}()

// str reads a string at the current offset (a quote) and returns its
// unescaped bytes: a part of the window, or the decoder's scratch buffer
// when the string has escapes; valid until the next read.
func (d *decoder) str() ([]byte, bool) {
	start := d.pos + 1
	i := start
	for {
		data := d.data
		// Eight bytes at a time while none is special: a quote, a
		// backslash, a control character or part of a multi-byte
		// character.
		for i+8 <= len(data) {
			x := binary.LittleEndian.Uint64(data[i:])
			q, b := x^(ones*'"'), x^(ones*'\\')
			if ((x-ones*0x20)|(q-ones)|(b-ones)|x)&highs != 0 {
				break
			}
			i += 8
		}
		for i < len(data) && plain[data[i]] {
			i++
		}
		if i < len(data) {
			if data[i] == '"' {
				d.pos = i + 1
				return data[start:i], true
			}
			return d.strSlow(start, i)
		}
		shift, ok := d.more(start - 1)
		start, i = start-shift, i-shift
		if !ok {
			d.pos = i
			d.eof()
			return nil, false
		}
	}
}

// strSlow continues reading a string from offset i, where a byte that is
// not plain ASCII was found; start is the offset after the opening quote.
func (d *decoder) strSlow(start, i int) ([]byte, bool) {
	escaped := false
	for {
		data := d.data
		for i < len(data) && plain[data[i]] {
			if escaped {
				d.buf = append(d.buf, data[i])
			}
			i++
		}
		if i >= len(data) {
			shift, ok := d.more(start - 1)
			start, i = start-shift, i-shift
			if !ok {
				d.pos = i
				d.eof()
				return nil, false
			}
			continue
		}
		c := data[i]
		if c >= 0x80 || c == '\\' {
			// Characters and escapes are read whole: up to 12 bytes
			// (\ud83d\ude00).
			if need := 12; len(data)-i < need {
				shift := d.ensure(start-1, i, need)
				start, i, data = start-shift, i-shift, d.data
			}
		}
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
// and returns its length. The window holds the 12 bytes from i, or the
// rest of the text.
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
		d.syntax(i, "invalid escape %s in string", quoteEscape(escapeTo(data, i, i+1)))
		return 0, false
	}
	d.buf = append(d.buf, c)
	return 2, true
}

// hex4 reads the four hex digits of the \u escape at offset i.
func (d *decoder) hex4(i int) (rune, bool) {
	data := d.data
	var r rune
	for k := i + 2; k < i+6; k++ {
		if k >= len(data) {
			d.eof()
			return 0, false
		}
		c := data[k]
		if !isHex(c) {
			d.syntax(i, "invalid escape %s in string", quoteEscape(escapeTo(data, i, k)))
			return 0, false
		}
		r = r<<4 | rune(unhex(c))
	}
	return r, true
}

// escapeTo returns the bad escape sequence data[i:] up to and including
// the character at k: all of its bytes, so that "\é" is shown whole, not
// as its backslash and first byte.
func escapeTo(data []byte, i, k int) []byte {
	_, n := utf8.DecodeRune(data[k:])
	return data[i : k+n]
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
	c, ok := d.peek()
	if !ok {
		d.eof()
		return
	}
	switch c {
	case '{':
		if !d.enter() {
			return
		}
		d.pos++
		d.ws()
		if c, _ := d.peek(); c == '}' {
			d.pos++
			d.depth--
			return
		}
		for {
			if c, ok := d.peek(); !ok || c != '"' {
				d.unexpected("at start of object key (want '\"')")
				return
			}
			if _, ok := d.str(); !ok {
				return
			}
			d.ws()
			if c, ok := d.peek(); !ok || c != ':' {
				d.unexpected("after object key (want ':')")
				return
			}
			d.pos++
			d.skip()
			if d.stop {
				return
			}
			if closed, ok := d.next('}', "after object value (want ',' or '}')"); closed || !ok {
				return
			}
		}
	case '[':
		if !d.enter() {
			return
		}
		d.pos++
		d.ws()
		if c, _ := d.peek(); c == ']' {
			d.pos++
			d.depth--
			return
		}
		for {
			d.skip()
			if d.stop {
				return
			}
			if closed, ok := d.next(']', "after array element (want ',' or ']')"); closed || !ok {
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

// skipMarked skips one value and returns its text, valid until the next
// read: the mark keeps the window from dropping its start.
func (d *decoder) skipMarked() ([]byte, bool) {
	d.ws()
	if !d.refill() {
		d.eof()
		return nil, false
	}
	outer := d.mark
	if outer < 0 {
		d.mark = d.base + int64(d.pos)
	}
	start := d.base + int64(d.pos)
	d.skip()
	d.mark = outer
	if d.stop {
		return nil, false
	}
	return d.data[start-d.base : d.pos], true
}

// makeString returns b as a string, shared with earlier equal strings
// when the decoder has a cache.
func (d *decoder) makeString(b []byte) string {
	if d.cache != nil && len(b) <= maxCached {
		return d.cache.get(b)
	}
	return string(b)
}
