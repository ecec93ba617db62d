package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
			if diffs := oracle.Diff(want, got); len(diffs) > 0 {
				t.Errorf("engine (want %s.want.json):\n%s", name, strings.Join(diffs, "\n"))
			}
			o, err := oracle.Capacity(tenant, req)
			if err != nil {
				t.Fatal(err)
			}
			if diffs := oracle.Diff(want, o); len(diffs) > 0 {
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
