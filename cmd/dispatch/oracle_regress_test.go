package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/internal/testkit/oracle"
)

// TestOracleRegressions replays the disagreements the black-box oracle
// found (TestOracle), minimised by hand, through the wire format: each
// testdata/oracle/NAME.tenant.json with NAME.request.json must give
// NAME.want.json, from the engine and from the oracle alike.
//
//   - gap-order: London's spring forward moves the window "01:30"–"02:00"
//     after "02:00"–"13:00"; taken in wall-clock order, it hid free time
//     from the later window (bookedMinutes 90 instead of 75).
//   - gap-inverted: that window, its start moved forward past its end, is
//     empty; a technician working across it was given −30 minutes of
//     capacity in it (bookedMinutes −30, and a negative reserve that made
//     totalAvailability 17).
func TestOracleRegressions(t *testing.T) {
	tenants, err := filepath.Glob(filepath.Join("testdata", "oracle", "*.tenant.json"))
	if err != nil || len(tenants) == 0 {
		t.Fatalf("no cases in testdata/oracle: %v", err)
	}
	for _, tp := range tenants {
		name := strings.TrimSuffix(filepath.Base(tp), ".tenant.json")
		t.Run(name, func(t *testing.T) {
			base := strings.TrimSuffix(tp, ".tenant.json")
			tenant, err1 := os.ReadFile(tp)
			req, err2 := os.ReadFile(base + ".request.json")
			want, err3 := os.ReadFile(base + ".want.json")
			if err := errors.Join(err1, err2, err3); err != nil {
				t.Fatal(err)
			}
			got, err := engineCapacity(tp, req)
			if err != nil {
				t.Fatal(err)
			}
			if diffs := diffJSON(want, got); len(diffs) > 0 {
				t.Errorf("engine (want %s.want.json):\n%s", name, strings.Join(diffs, "\n"))
			}
			o, err := oracle.Capacity(tenant, req)
			if err != nil {
				t.Fatal(err)
			}
			if diffs := diffJSON(want, o); len(diffs) > 0 {
				t.Errorf("oracle (want %s.want.json):\n%s", name, strings.Join(diffs, "\n"))
			}
		})
	}
}

// engineCapacity answers req over the tenant file through the command
// line, in process.
func engineCapacity(tenantPath string, req []byte) ([]byte, error) {
	var out, errb bytes.Buffer
	code := run([]string{"capacity", "--tenant", tenantPath, "--request", "-"}, bytes.NewReader(req), &out, &errb)
	if code != 0 {
		return nil, fmt.Errorf("dispatch capacity exited %d: %s", code, errb.String())
	}
	return out.Bytes(), nil
}

// diffJSON compares two JSON documents member by member and returns the
// paths where they differ, with both values.
func diffJSON(want, got []byte) []string {
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
