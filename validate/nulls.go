package validate

import (
	"bytes"
	"encoding/json"
	"slices"
)

// Nulls returns the names of the members of the JSON object data whose
// value is null, sorted; nil when data is not an object or has none.
// [Unmarshal] reads null as the zero value (absent), as go-json-experiment
// does; a request reader that must tell "null" from "absent" — because its
// schema does not allow null there — asks Nulls after Unmarshal succeeded.
// Only the object's own members are looked at, not nested ones.
func Nulls(data []byte) []string {
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil {
		return nil
	}
	var out []string
	for k, v := range m {
		if bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
