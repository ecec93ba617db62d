package tenant

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/opendispatch/dispatch/validate"
)

// checkShape walks a generically decoded JSON value beside the Go type it
// should decode into and reports every unknown field and every value of
// the wrong JSON type, with its path. encoding/json stops at the first such
// problem and does not say where; this reports them all.
func checkShape(errs *validate.Errors, v any, t reflect.Type, path string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v == nil {
		return // null: the field keeps its zero value, checked later if required
	}
	want := ""
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			want = "an object"
			break
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			ft, ok := fields[k]
			if !ok {
				errs.Add(validate.Join(path, k), "tenant: unknown field %q", k)
				continue
			}
			checkShape(errs, m[k], ft, validate.Join(path, k))
		}
		return
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			want = "an array"
			break
		}
		for i, x := range arr {
			checkShape(errs, x, t.Elem(), validate.Index(path, i))
		}
		return
	case reflect.String:
		if _, ok := v.(string); !ok {
			want = "a string"
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			want = "true or false"
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := v.(json.Number)
		if !ok {
			want = "an integer"
		} else if _, err := n.Int64(); err != nil {
			want = "an integer"
		}
	case reflect.Float32, reflect.Float64:
		if _, ok := v.(json.Number); !ok {
			want = "a number"
		}
	}
	if want != "" {
		errs.Add(path, "tenant: want %s, got %s", want, describe(v))
	}
}

func describe(v any) string {
	switch x := v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		if len(x) > 40 {
			x = x[:40] + "…"
		}
		return "the string " + strconvQuote(x)
	case bool:
		if x {
			return "true"
		}
		return "false"
	case json.Number:
		return "the number " + x.String()
	}
	return "null"
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// jsonFields maps the JSON names of t's exported fields to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := make(map[string]reflect.Type, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// fileKeys is every object key of the file format, spelled exactly.
var fileKeys = sync.OnceValue(func() map[string]bool {
	keys := map[string]bool{}
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for name, ft := range jsonFields(t) {
			keys[name] = true
			walk(ft)
		}
	}
	walk(reflect.TypeFor[File]())
	return keys
})

// exactKeys reports whether every object key of data, a valid JSON text,
// is one of keys spelled exactly. encoding/json matches keys without
// regard to case, so the strict decode fills version from "Version"; the
// shape check compares exactly and calls it unknown. Without this test a
// file with such a key loaded when it had no other problem and was
// refused, key named, when it had one. A key with escapes counts as
// inexact: the shape check decides.
//
// It is one pass over the bytes, about 8% of a decode on the large tenant.
func exactKeys(data []byte, keys map[string]bool) bool {
	for i := 0; i < len(data); {
		q := bytes.IndexByte(data[i:], '"')
		if q < 0 {
			return true
		}
		start := i + q + 1
		// The closing quote is the next one not escaped: preceded by an
		// even number of backslashes.
		end := start
		for {
			k := bytes.IndexByte(data[end:], '"')
			if k < 0 {
				return true // not valid JSON; the decoder has said so
			}
			end += k
			n := 0
			for n < end-start && data[end-1-n] == '\\' {
				n++
			}
			if n%2 == 0 {
				break
			}
			end++
		}
		i = end + 1
		j := i
		for j < len(data) && (data[j] == ' ' || data[j] == '\t' || data[j] == '\n' || data[j] == '\r') {
			j++
		}
		// In valid JSON a colon follows a string only when it is a key.
		if j < len(data) && data[j] == ':' {
			key := data[start:end]
			if bytes.IndexByte(key, '\\') >= 0 || !keys[string(key)] {
				return false
			}
		}
	}
	return true
}
