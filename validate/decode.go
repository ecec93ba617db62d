package validate

import (
	"encoding"
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/go-json-experiment/json"
)

// value reads one value into the Go value at ptr, of p's type.
//
// The decoder writes through unsafe pointers rather than reflect.Value
// setters, which halves the time of a large file. Every pointer it makes
// points at a value of the plan's type (a field at its offset, an element
// at its index), and every write has the static type of that value, so the
// garbage collector's write barriers apply as for ordinary Go code.
func (d *decoder) value(p *plan, ptr unsafe.Pointer) {
	d.ws()
	var c byte
	if d.pos < len(d.data) {
		c = d.data[d.pos]
	} else if b, ok := d.peekMore(); ok {
		c = b
	} else {
		d.eof()
		return
	}
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
	case pTime:
		d.timeValue(p, ptr)
		return
	case pText:
		if c == '"' {
			d.textValue(p, ptr)
			return
		}
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
	if raw, ok := d.skipMarked(); ok {
		d.problem("want %s, got %s", describeType(p.typ), describeRaw(raw))
	}
}

// opaque hands one whole value to go-json-experiment and records its
// problem, if any, under the current path.
func (d *decoder) opaque(p *plan, ptr unsafe.Pointer) {
	raw, ok := d.skipMarked()
	if !ok {
		return
	}
	d.opaqueRaw(p, ptr, raw)
}

// opaqueRaw is opaque for a value whose text is raw.
func (d *decoder) opaqueRaw(p *plan, ptr unsafe.Pointer, raw []byte) {
	err := json.Unmarshal(raw, reflect.NewAt(p.typ, ptr).Interface(), json.RejectUnknownMembers(true))
	if err != nil {
		// raw is valid JSON: go-json-experiment finds no syntax error
		// in it, only duplicate keys and problems of meaning, at paths
		// within it.
		e := jsonProblem(raw, reflect.PointerTo(p.typ), err)
		e.Path = Join(d.pathString(), e.Path)
		d.errs.push(e)
	}
}

// timeValue reads a time.Time: by the fast path when the text is a
// canonical RFC 3339 date-time, else as an opaque value.
func (d *decoder) timeValue(p *plan, ptr unsafe.Pointer) {
	// The common case without scanning the string first: a canonical
	// date-time is 20 or 25 bytes of digits and separators, so when the
	// window holds the quote that would close one, its text is the string
	// (fastTime checks the shape, which has no quote or backslash).
	if fastTimes {
		d.ws()
		for _, n := range [...]int{27, 22} {
			if end := d.pos + n; end <= len(d.data) && d.data[d.pos] == '"' && d.data[end-1] == '"' {
				if t, ok := d.fastTime(d.data[d.pos:end]); ok {
					d.pos = end
					*(*time.Time)(ptr) = t
					return
				}
			}
		}
	}
	raw, ok := d.skipMarked()
	if !ok {
		return
	}
	if fastTimes {
		if t, ok := d.fastTime(raw); ok {
			*(*time.Time)(ptr) = t
			return
		}
	}
	if err := json.Unmarshal(upperTZ(raw), (*time.Time)(ptr)); err != nil {
		if raw[0] == '"' {
			d.valueProblem(fmt.Sprintf("%s is not an RFC 3339 date-time", describeRaw(raw)[len("the string "):]))
		} else {
			d.problem("want an RFC 3339 date-time string, got %s", describeRaw(raw))
		}
	}
}

// upperTZ returns the JSON string raw with a lower-case "t" between date
// and time and a lower-case "z" offset upper-cased, as RFC 3339 §5.6
// allows them and go-json-experiment (like time.Parse) refuses them; the
// same rule as hours.ParseInstant, which this package cannot import.
// Anything else is returned as it is.
func upperTZ(raw []byte) []byte {
	n := len(raw)
	lowerT := n > 12 && raw[0] == '"' && raw[11] == 't'
	lowerZ := n > 2 && raw[n-1] == '"' && raw[n-2] == 'z'
	if !lowerT && !lowerZ {
		return raw
	}
	b := slices.Clone(raw)
	if lowerT {
		b[11] = 'T'
	}
	if lowerZ {
		b[n-2] = 'Z'
	}
	return b
}

// textValue reads a JSON string into the value at ptr, of a type that
// decodes with UnmarshalText and no JSON method: the unescaped text is
// handed to UnmarshalText, whose error is the problem at this path.
func (d *decoder) textValue(p *plan, ptr unsafe.Pointer) {
	b, ok := d.str()
	if !ok {
		return
	}
	if err := reflect.NewAt(p.typ, ptr).Interface().(encoding.TextUnmarshaler).UnmarshalText(b); err != nil {
		reflect.NewAt(p.typ, ptr).Elem().SetZero()
		d.valueProblem(err.Error())
	}
}

// valueProblem records a text its type refuses, at the current path.
func (d *decoder) valueProblem(msg string) {
	if d.errs.full() {
		d.errs.more(ErrValue, 1)
		return
	}
	d.errs.push(&Error{Path: d.pathString(), Msg: msg, Err: ErrValue})
}

// fastTimes turns the fast path of time.Time on; tests turn it off to
// compare.
var fastTimes = true

// fastTime returns the time of raw, a JSON string, when it is a
// date-time in the canonical form time.RFC3339 writes
// ("2026-03-09T10:00:00-06:00", "2026-03-09T15:00:00Z"), read by
// parseCanonical and remembered in a direct-mapped table, so that a large
// tenant's few thousand distinct date-times, repeated millions of times,
// cost one hash and one compare each. Any other text (fractional
// seconds, "+00:00", escapes, a bad date) returns false, and
// go-json-experiment reads it: the fast path accepts nothing it would
// not, and gives the same instant and offset.
func (d *decoder) fastTime(raw []byte) (time.Time, bool) {
	n := len(raw)
	if (n != 22 && n != 27) || raw[0] != '"' || raw[n-1] != '"' {
		return time.Time{}, false
	}
	s := raw[1 : n-1]
	if d.recent == nil {
		size := 1 << 8
		if d.cache != nil { // a large text
			size = recentTimes
		}
		d.recent = make([]recentTime, size)
	}
	e := &d.recent[timeHash(s)&uint32(len(d.recent)-1)]
	if int(e.n) == len(s) && string(e.b[:len(s)]) == string(s) {
		return e.t, true
	}
	t, ok := d.parseCanonical(s)
	if !ok {
		return time.Time{}, false
	}
	e.n, e.t = uint8(copy(e.b[:], s)), t
	return t, true
}

// parseCanonical reads s, a date-time in the canonical RFC 3339 form,
// as time.Parse does (the same instant and offset; an offset is a fixed
// zone, one per offset and decode), or returns false when s is not one:
// the wrong shape, a year 0, a day past its month's end, hours past 23,
// minutes or seconds past 59. It does not allocate, but for the first
// date-time of each offset.
func (d *decoder) parseCanonical(s []byte) (time.Time, bool) {
	if !timeShape(s) {
		return time.Time{}, false
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range s[i : i+n] {
			v = v*10 + int(c-'0')
		}
		return v
	}
	year, month, day := num(0, 4), num(5, 2), num(8, 2)
	hour, minute, sec := num(11, 2), num(14, 2), num(17, 2)
	if year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	loc := time.UTC
	if len(s) == 25 {
		off := (num(20, 2)*60 + num(23, 2)) * 60
		if s[19] == '-' {
			off = -off
		}
		if off == 0 {
			return time.Time{}, false // "+00:00": time.RFC3339 writes "Z"
		}
		if loc = d.zones[off]; loc == nil {
			loc = time.FixedZone("", off)
			if d.zones == nil {
				d.zones = make(map[int]*time.Location)
			}
			d.zones[off] = loc
		}
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, loc), true
}

// daysIn returns the days of month m of year y (proleptic Gregorian).
func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// recentTimes is the size of the decoder's table of date-times for a
// large text (256 for a small one).
const recentTimes = 1 << 12

// recentTime is an entry of the table: a date-time's text (n bytes of b,
// 0 for none) and its time.
type recentTime struct {
	n uint8
	b [25]byte
	t time.Time
}

// timeHash returns the table entry of date-time text s (20 or 25 bytes):
// a multiplicative hash of its bytes, which differ mostly in the day, the
// minutes and the offset.
func timeHash(s []byte) uint32 {
	h := binary.LittleEndian.Uint64(s[0:8])*0x9E3779B97F4A7C15 ^ binary.LittleEndian.Uint64(s[8:16])*0xC2B2AE3D27D4EB4F ^
		uint64(binary.LittleEndian.Uint32(s[16:20]))*0x165667B19E3779F9 ^ uint64(s[len(s)-1])<<32 ^ uint64(s[len(s)-4])<<40
	return uint32(h >> 52) // 12 bits: the size of the largest table
}

// timeShape reports whether s has the shape of a canonical RFC 3339
// date-time: digits and separators in their places, "Z" or "±hh:mm".
func timeShape(s []byte) bool {
	const shape = "dddd-dd-ddTdd:dd:dd"
	if len(s) != len(shape)+1 && len(s) != len(shape)+6 {
		return false
	}
	for i := range len(shape) {
		if c := s[i]; shape[i] == 'd' && (c < '0' || c > '9') || shape[i] != 'd' && c != shape[i] {
			return false
		}
	}
	z := s[len(shape):]
	if len(z) == 1 {
		return z[0] == 'Z'
	}
	// time.Parse takes offsets up to 99:99; go-json-experiment refuses
	// hours from 24 and minutes from 60.
	return (z[0] == '+' || z[0] == '-') && isDigit(z[1]) && isDigit(z[2]) && z[3] == ':' && isDigit(z[4]) && isDigit(z[5]) &&
		(z[1] < '2' || z[1] == '2' && z[2] < '4') && z[4] < '6'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

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
	if d.empty('}') {
		return
	}
	for {
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			if c, ok := d.peek(); !ok || c != '"' {
				d.unexpected("at start of object key (want '\"')")
				return
			}
		}
		key, ok := d.str()
		if !ok {
			return
		}
		// The key's bytes are valid until the next read: use them now.
		i := p.lookup(key, hint)
		name := ""
		if i < 0 {
			name = string(key)
		}
		if d.pos < len(d.data) && d.data[d.pos] == ':' {
			d.pos++ // the colon right after the key: the common case
		} else if !d.colon() {
			return
		}
		if i < 0 {
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
			if f.nonzero {
				d.nonzero(f, unsafe.Add(ptr, f.offset))
			} else {
				d.value(f.plan, unsafe.Add(ptr, f.offset))
			}
			d.path = d.path[:len(d.path)-1]
		}
		if d.stop {
			return
		}
		if closed, ok := d.next('}', "after object value (want ',' or '}')"); closed || !ok {
			return
		}
	}
}

// nonzero decodes the value of field f, tagged validate:"nonzero", and
// records a problem when it is a number that reads as 0: in such a field
// 0 means "left out", so an explicit one would be taken silently for the
// default (a tenant's idealBookingPercentage of 0 read as 100, an
// adjustment's businessUnitId of 0 as every unit). Null stays the zero
// value, as everywhere.
func (d *decoder) nonzero(f *field, ptr unsafe.Pointer) {
	d.ws()
	c, ok := d.peek()
	n := len(d.errs)
	d.value(f.plan, ptr)
	if ok && c != 'n' && !d.stop && len(d.errs) == n && reflect.NewAt(f.plan.typ, ptr).Elem().IsZero() {
		d.problem("0 is not allowed in %s (it would read as the member left out): give a value, or leave the member out", f.name)
	}
}

// empty reads the end of an empty array or object (end is ']' or '}')
// after its opening byte, and reports whether it was there.
func (d *decoder) empty(end byte) bool {
	d.ws()
	if c, ok := d.peek(); ok && c == end {
		d.pos++
		d.depth--
		return true
	}
	return false
}

// colon reads the colon after an object key.
func (d *decoder) colon() bool {
	d.ws()
	if c, ok := d.peek(); !ok || c != ':' {
		d.unexpected("after object key (want ':')")
		return false
	}
	d.pos++
	return true
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
	if d.empty(']') {
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
		if closed, ok := d.next(']', "after array element (want ',' or ']')"); closed || !ok {
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
	if d.empty('}') {
		return
	}
	seen := map[string]bool{}
	kv := reflect.New(p.typ.Key()).Elem()
	ev := reflect.New(p.typ.Elem()).Elem()
	for {
		if c, ok := d.peek(); !ok || c != '"' {
			d.unexpected("at start of object key (want '\"')")
			return
		}
		kb, ok := d.str()
		if !ok {
			return
		}
		key := d.makeString(kb)
		if !d.colon() {
			return
		}
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
		if closed, ok := d.next('}', "after object value (want ',' or '}')"); closed || !ok {
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
	if p.kind != pFloat && d.smallInt(p, ptr) {
		return
	}
	num, integer, ok := d.number()
	if !ok {
		return
	}
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
			d.problem("want an integer from %d to %d, got the number %s", int64(-1)<<(p.bits-1), int64(1)<<(p.bits-1)-1, num)
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

// smallInt reads, when it can be read quickly, an integer of up to 18
// digits that fits p's type and ends inside the window, into the integer
// at ptr. Otherwise it reads nothing and returns false, leaving the
// number to numberInto's general path and its messages.
func (d *decoder) smallInt(p *plan, ptr unsafe.Pointer) bool {
	i, data := d.pos, d.data
	neg := i < len(data) && data[i] == '-'
	if neg {
		i++
	}
	start := i
	var u uint64
	for i < len(data) && i-start < 18 {
		c := data[i] - '0'
		if c > 9 {
			break
		}
		u = u*10 + uint64(c)
		i++
	}
	n := i - start
	switch {
	case n == 0 || i >= len(data) || numberByte[data[i]] || n > 1 && data[start] == '0':
		return false
	case p.kind == pUint:
		if neg || p.bits < 64 && u >= 1<<p.bits {
			return false
		}
		setUint(ptr, p.bits, u)
	case neg:
		if u > 1<<(p.bits-1) {
			return false
		}
		setUint(ptr, p.bits, -u)
	default:
		if u >= 1<<(p.bits-1) {
			return false
		}
		setUint(ptr, p.bits, u)
	}
	d.pos = i
	return true
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
		return "the string " + shortString(string(raw))
	}
	return "the number " + string(raw)
}

// shortString shortens the JSON string s (quotes included) for a
// message: past 40 characters, to its first 40 and an ellipsis. It counts
// characters, not bytes, so that the message stays UTF-8.
func shortString(s string) string {
	if utf8.RuneCountInString(s) > 42 {
		r := []rune(s)
		s = string(r[:41]) + `…"`
	}
	return s
}

// describeRange names the integers of an integer type: "-128 to 127".
func describeRange(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return fmt.Sprintf("0 to %d", uint64(math.MaxUint64)>>(64-t.Bits()))
	}
	return fmt.Sprintf("%d to %d", int64(-1)<<(t.Bits()-1), int64(1)<<(t.Bits()-1)-1)
}
