package tenant

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/opendispatch/dispatch/validate"
)

func TestExactKeys(t *testing.T) {
	keys := map[string]bool{"version": true, "tenant": true, "name": true}
	tests := []struct {
		in   string
		want bool
	}{
		{`{"version": 1, "tenant": {"name": "x"}}`, true},
		{`{"Version": 1}`, false},
		{`{"tenant": {"NAME": "x"}}`, false},
		{`{"name": "version: \"Version\": 1"}`, true}, // colons and quotes inside a value
		{`{"name": "a\\", "version": 1}`, true},       // an escaped backslash ends the string
		{`{"vers\u0069on": 1}`, false},                // escaped keys go to the shape check
		{`{"name"  :  "x", "version"` + "\n\t:1}", true},
		{`["Version", "name"]`, true}, // strings in arrays are values
		{`{"name": {"color": 1}}`, false},
	}
	for _, tt := range tests {
		if got := exactKeys([]byte(tt.in), keys); got != tt.want {
			t.Errorf("exactKeys(%s) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// FuzzDecodeAgreesWithShape: what Decode accepts, the shape check accepts
// too, so a file never loads or fails depending on its other problems.
func FuzzDecodeAgreesWithShape(f *testing.F) {
	tiny, err := os.ReadFile("testdata/tiny.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(tiny)
	f.Add(bytes.Replace(tiny, []byte(`"version"`), []byte(`"VERSION"`), 1))
	f.Add(bytes.Replace(tiny, []byte(`"name"`), []byte(`"n\u0061me"`), 1))
	f.Add([]byte(`{"version":1,"Tenant":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Decode(data)
		if err != nil {
			return
		}
		var generic any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&generic); err != nil {
			t.Fatalf("Decode accepted a text the generic decoder refuses: %v", err)
		}
		var errs validate.Errors
		checkShape(&errs, generic, reflect.TypeFor[File](), "")
		if len(errs) > 0 {
			t.Fatalf("Decode accepted a text with shape problems:\n%v", errs)
		}
	})
}
