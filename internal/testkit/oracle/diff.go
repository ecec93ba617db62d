package oracle

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
)

// Diff compares two JSON documents member by member, as a test compares
// the oracle's response (want) with the engine's (got), and returns every
// difference with its path and both values ("$.availabilities[0].timeslots[1]
// .bookedMinutes: want 75, got 90"), members in sorted order; none when
// they hold the same values, whatever their order and spacing. An array of
// another length is one difference, followed by those of the elements the
// two share.
func Diff(want, got []byte) []string {
	var w, g any
	if err := json.Unmarshal(want, &w); err != nil {
		return []string{"want: " + err.Error()}
	}
	if err := json.Unmarshal(got, &g); err != nil {
		return []string{"got: " + err.Error()}
	}
	var out []string
	var walk func(path string, w, g any)
	walk = func(path string, w, g any) {
		switch wv := w.(type) {
		case map[string]any:
			gv, ok := g.(map[string]any)
			if !ok {
				out = append(out, fmt.Sprintf("%s: want %v, got %v", path, w, g))
				return
			}
			keys := map[string]bool{}
			for k := range wv {
				keys[k] = true
			}
			for k := range gv {
				keys[k] = true
			}
			var ks []string
			for k := range keys {
				ks = append(ks, k)
			}
			slices.Sort(ks)
			for _, k := range ks {
				walk(path+"."+k, wv[k], gv[k])
			}
		case []any:
			gv, ok := g.([]any)
			if !ok || len(gv) != len(wv) {
				out = append(out, fmt.Sprintf("%s: want %s, got %s", path, brief(w), brief(g)))
				if ok && len(gv) != len(wv) {
					for i := range min(len(gv), len(wv)) {
						walk(fmt.Sprintf("%s[%d]", path, i), wv[i], gv[i])
					}
				}
				return
			}
			for i := range wv {
				walk(fmt.Sprintf("%s[%d]", path, i), wv[i], gv[i])
			}
		default:
			if !reflect.DeepEqual(w, g) {
				out = append(out, fmt.Sprintf("%s: want %v, got %v", path, w, g))
			}
		}
	}
	walk("$", w, g)
	return out
}

func brief(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}
