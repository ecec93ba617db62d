package validate

import (
	"encoding"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
)

// A plan says how the decoder fills one Go type. Plans are built once per
// type, then shared and never changed: they are safe for concurrent use.
type plan struct {
	kind   planKind
	typ    reflect.Type
	bits   int               // size of an int, uint or float kind
	elem   *plan             // pointee, slice element, map value
	key    planKind          // map key: pString, pInt or pUint
	fields []field           // struct fields in declaration order
	byName map[string]uint16 // index into fields, for larger structs
}

type planKind uint8

const (
	// pOpaque values are decoded by go-json-experiment as a whole: types
	// with their own unmarshaling methods, time.Time, interfaces, arrays,
	// []byte, and structs or maps this decoder does not model exactly.
	pOpaque planKind = iota
	pBool
	pString
	pInt
	pUint
	pFloat
	pPointer
	pSlice
	pMap
	pStruct
	// pText is a type decoded from a JSON string by its UnmarshalText
	// method (on the pointer), with no JSON method: the string is handed
	// to it without go-json-experiment.
	pText
	// pTime is time.Time: a date-time in the canonical RFC 3339 form
	// (seconds, "Z" or an offset, as Format writes it) is parsed once per
	// distinct text of a decode; any other text is handed to
	// go-json-experiment as an opaque value is, so that the result and
	// the problems are its.
	pTime
)

// field is one JSON member of a struct.
type field struct {
	name   string
	index  int
	offset uintptr
	plan   *plan
	// nonzero: the field's tag has validate:"nonzero", so that a value
	// given as 0 (not null, not left out) is a problem.
	nonzero bool
}

// linearFields is the struct size up to which a member name is looked up
// by comparing it with each field's name in turn; above it a map is used.
const linearFields = 12

var (
	plansMu sync.Mutex
	plans   sync.Map // reflect.Type → *plan
)

var (
	timeType        = reflect.TypeFor[time.Time]()
	unmarshalerV1   = reflect.TypeFor[json.Unmarshaler]()
	unmarshalerFrom = reflect.TypeFor[json.UnmarshalerFrom]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// planOf returns the plan of t.
func planOf(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	plansMu.Lock()
	defer plansMu.Unlock()
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	building := map[reflect.Type]*plan{}
	p := makePlan(t, building)
	// Every plan of the graph is complete now; publish them together.
	for t, q := range building {
		plans.Store(t, q)
	}
	return p
}

// makePlan builds the plan of t. building holds the plans under
// construction, so that recursive types refer to themselves.
func makePlan(t reflect.Type, building map[reflect.Type]*plan) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	if p, ok := building[t]; ok {
		return p
	}
	p := &plan{typ: t}
	building[t] = p
	switch {
	case t == timeType:
		p.kind = pTime
		return p
	case t.Kind() == reflect.Pointer && t.Elem() == timeType:
		p.kind, p.elem = pPointer, makePlan(timeType, building)
		return p
	case textOnly(t):
		p.kind = pText
		return p
	}
	if custom(t) {
		return p // opaque
	}
	switch t.Kind() {
	case reflect.Bool:
		p.kind = pBool
	case reflect.String:
		p.kind = pString
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		p.kind, p.bits = pInt, t.Bits()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		p.kind, p.bits = pUint, t.Bits()
	case reflect.Float32, reflect.Float64:
		p.kind, p.bits = pFloat, t.Bits()
	case reflect.Pointer:
		p.kind, p.elem = pPointer, makePlan(t.Elem(), building)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && !custom(t.Elem()) {
			break // []byte is base64 text: opaque
		}
		p.kind, p.elem = pSlice, makePlan(t.Elem(), building)
	case reflect.Map:
		k := t.Key()
		if custom(k) {
			break
		}
		switch k.Kind() {
		case reflect.String:
			p.key = pString
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			p.key = pInt
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			p.key = pUint
		default:
			return p
		}
		p.kind, p.elem = pMap, makePlan(t.Elem(), building)
	case reflect.Struct:
		fields, ok := structFields(t)
		if !ok {
			break
		}
		p.kind = pStruct
		for i := range fields {
			fields[i].plan = makePlan(t.Field(fields[i].index).Type, building)
		}
		p.fields = fields
		if len(fields) > linearFields {
			p.byName = make(map[string]uint16, len(fields))
			for i, f := range fields {
				p.byName[f.name] = uint16(i)
			}
		}
	}
	return p
}

// zeroable reports whether t may carry validate:"nonzero": a signed or
// unsigned integer, whose 0 some formats give the meaning "left out".
func zeroable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

// custom reports whether values of t decode through their own methods or
// through a representation go-json-experiment chooses for them (time.Time,
// time.Duration, jsontext.Value): such values are opaque to the decoder.
func custom(t reflect.Type) bool {
	if t.Kind() == reflect.Interface {
		return true
	}
	for _, u := range []reflect.Type{t, reflect.PointerTo(t)} {
		if u.Implements(unmarshalerV1) || u.Implements(unmarshalerFrom) || u.Implements(textUnmarshaler) {
			return true
		}
	}
	pkg := t.PkgPath()
	return pkg == "time" || strings.HasPrefix(pkg, "github.com/go-json-experiment/json") || strings.HasPrefix(pkg, "encoding/json")
}

// textOnly reports whether t, not a pointer or an interface, decodes by
// the UnmarshalText of its pointer and has no JSON unmarshaling method,
// and is not a type go-json-experiment reads its own way.
func textOnly(t reflect.Type) bool {
	if t.Kind() == reflect.Interface || t.Kind() == reflect.Pointer || t.Implements(textUnmarshaler) {
		return false
	}
	pt := reflect.PointerTo(t)
	if !pt.Implements(textUnmarshaler) {
		return false
	}
	for _, u := range []reflect.Type{t, pt} {
		if u.Implements(unmarshalerV1) || u.Implements(unmarshalerFrom) {
			return false
		}
	}
	pkg := t.PkgPath()
	return pkg != "time" && !strings.HasPrefix(pkg, "github.com/go-json-experiment/json") && !strings.HasPrefix(pkg, "encoding/json")
}

// structFields returns t's JSON members, or false when t has anything the
// decoder does not model exactly as go-json-experiment does (embedded
// fields, tag options other than omitempty and omitzero, quoted or unusual
// names, tagged unexported fields, two fields of one name). Such a struct
// is decoded opaquely, so its meaning stays the library's.
func structFields(t reflect.Type) ([]field, bool) {
	var fields []field
	seen := map[string]bool{}
	for i := range t.NumField() {
		sf := t.Field(i)
		tag, hasTag := sf.Tag.Lookup("json")
		if tag == "-" {
			continue
		}
		if sf.Anonymous {
			return nil, false
		}
		if !sf.IsExported() {
			if hasTag {
				return nil, false
			}
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = sf.Name
		}
		if strings.ContainsAny(name, ",\\'\"`") || !utf8.ValidString(name) {
			return nil, false
		}
		if strings.Contains(tag, ",") {
			var had [2]bool
			for _, o := range strings.Split(opts, ",") {
				k := slices.Index([]string{"omitempty", "omitzero"}, o)
				if k < 0 || had[k] {
					return nil, false
				}
				had[k] = true
			}
		}
		if seen[name] {
			return nil, false
		}
		seen[name] = true
		nonzero := false
		if v, ok := sf.Tag.Lookup("validate"); ok {
			if v != "nonzero" || !zeroable(sf.Type) {
				panic("validate: " + t.String() + "." + sf.Name + `: tag validate:"` + v + `": only "nonzero", on an integer field, is known`)
			}
			nonzero = true
		}
		fields = append(fields, field{name: name, index: i, offset: sf.Offset, nonzero: nonzero})
	}
	return fields, true
}
