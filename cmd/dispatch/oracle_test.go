package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/internal/testkit/oracle"
)

// The black-box differential check of the capacity computation: random
// tenant FILES straddling DST transitions in awkward zones
// (oracle.Generate), each asked several capacity requests through the
// command line (`dispatch capacity --tenant FILE --request REQ`, in
// process), and every field of every timeslot compared with the
// independent oracle's answer (internal/testkit/oracle: encoding/json
// and package time only). Neither side sees the other's Go types.
//
// The number of tenants is proptest's case count (a tenth under -short,
// never below 100); DISPATCH_ORACLE_TENANTS sets it for a long run, and
// DISPATCH_SEED replays a run. A failure names the tenant's seed, and
// DISPATCH_ORACLE_CASE=<seed> reruns that one tenant alone; with
// DISPATCH_ORACLE_OUT=<dir> the minimised tenant and request of each
// disagreement are written there.
func TestOracle(t *testing.T) {
	tenants := 400
	if raceEnabled {
		tenants = 250
	}
	p := proptest.Params(t, tenants)
	tenants = p.MinSuccessfulTests
	if s := os.Getenv("DISPATCH_ORACLE_TENANTS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			t.Fatalf("DISPATCH_ORACLE_TENANTS=%q: want a positive count", s)
		}
		tenants = n
	}
	seeds := make([]uint64, tenants)
	for i := range seeds {
		seeds[i] = p.Rng.Uint64()
	}
	if s := os.Getenv("DISPATCH_ORACLE_CASE"); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("DISPATCH_ORACLE_CASE=%q: want a seed", s)
		}
		seeds = []uint64{seed}
	}
	dir := t.TempDir()
	var stats struct {
		tenants, requests, timeslots, failed int
		zones, features                      map[string]int
		transitionDays                       map[string]bool
		straddled                            int // availabilities on a transition day
		tenantsOnTransition                  int // tenants with some timeslot on a transition day
	}
	stats.zones, stats.features = map[string]int{}, map[string]int{}
	stats.transitionDays = map[string]bool{}
	for _, seed := range seeds {
		c, err := oracle.Generate(seed)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		tenantPath := filepath.Join(dir, "tenant.json")
		if err := os.WriteFile(tenantPath, c.Tenant, 0o644); err != nil {
			t.Fatal(err)
		}
		stats.tenants++
		stats.zones[c.Zone]++
		var members map[string]any
		if err := json.Unmarshal(c.Tenant, &members); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"businessUnitGroups", "capacityAdjustments", "capacityRules", "exceptions", "travelBufferMinutes"} {
			if l, ok := members[k].([]any); members[k] != nil && (!ok || len(l) > 0) {
				stats.features[k]++
			}
		}
		straddled := stats.straddled
		for ri, req := range c.Requests {
			got, err := engineCapacity(tenantPath, req)
			if err != nil {
				t.Fatalf("%s, request %d %s: %v", c.Describe(), ri, req, err)
			}
			want, err := oracle.Capacity(c.Tenant, req)
			if err != nil {
				t.Fatalf("%s, request %d %s: oracle: %v", c.Describe(), ri, req, err)
			}
			stats.requests++
			var resp oracle.Response
			if err := json.Unmarshal(want, &resp); err != nil {
				t.Fatal(err)
			}
			for _, av := range resp.Availabilities {
				stats.timeslots += len(av.Timeslots)
				if day := av.Start[:10]; slices.Contains(c.TransitionDates, day) {
					stats.transitionDays[c.Zone+" "+day] = true
					stats.straddled++
				}
			}
			if diffs := oracle.Diff(want, got); len(diffs) > 0 {
				stats.failed++
				t.Errorf("%s, request %d: the engine (got) and the oracle (want) disagree (replay: DISPATCH_ORACLE_CASE=%d):\n%s\nrequest: %s",
					c.Describe(), ri, seed, strings.Join(diffs[:min(len(diffs), 8)], "\n"), req)
				minimise(t, dir, c, req)
				if stats.failed >= 3 {
					t.Fatal("stopping after 3 disagreements")
				}
			}
		}
		if stats.straddled > straddled {
			stats.tenantsOnTransition++
		}
	}
	var zs []string
	for z, n := range stats.zones {
		zs = append(zs, fmt.Sprintf("%s %d", z, n))
	}
	slices.Sort(zs)
	var fs []string
	for k, n := range stats.features {
		fs = append(fs, fmt.Sprintf("%s %d", k, n))
	}
	slices.Sort(fs)
	t.Logf("compared %d tenants, %d requests, %d timeslots field by field; %d tenants had timeslots on a transition day: %d distinct days, %d availabilities; zones: %s; tenants with %s",
		stats.tenants, stats.requests, stats.timeslots, stats.tenantsOnTransition, len(stats.transitionDays), stats.straddled, strings.Join(zs, ", "), strings.Join(fs, ", "))
	// The generator must keep reaching what the test is for: every zone,
	// and timeslots on transition days in most tenants.
	if len(seeds) > 1 && (len(stats.zones) < len(oracle.Zones) || stats.tenantsOnTransition < stats.tenants/2 || stats.timeslots < 2*stats.requests) {
		t.Errorf("the generator covered %d of %d zones, put timeslots on a transition day in %d of %d tenants and %d timeslots in %d requests: too few",
			len(stats.zones), len(oracle.Zones), stats.tenantsOnTransition, stats.tenants, stats.timeslots, stats.requests)
	}
}

// minimise shrinks a disagreeing case greedily: it drops records of the
// tenant file one at a time while the engine still loads the file and
// still disagrees with the oracle, then logs (and with
// DISPATCH_ORACLE_OUT writes) what is left.
func minimise(t *testing.T, dir string, c oracle.Case, req []byte) {
	t.Helper()
	var f map[string]any
	if err := json.Unmarshal(c.Tenant, &f); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "min.json")
	disagrees := func(f map[string]any) bool {
		b, _ := json.Marshal(f)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := engineCapacity(path, req)
		if err != nil {
			return false
		}
		want, err := oracle.Capacity(b, req)
		return err == nil && len(oracle.Diff(want, got)) > 0
	}
	lists := []string{"assignments", "appointments", "shifts", "capacityAdjustments", "capacityRules", "exceptions", "arrivalWindows",
		"technicians", "zones", "businessUnitGroups", "jobTypes", "businessUnits"}
	for changed := true; changed; {
		changed = false
		for _, name := range lists {
			xs, _ := f[name].([]any)
			for i := 0; i < len(xs); {
				f[name] = slices.Delete(slices.Clone(xs), i, i+1)
				if disagrees(f) {
					xs, changed = f[name].([]any), true
					continue
				}
				f[name] = xs
				i++
			}
		}
		if wd, ok := f["businessHours"].(map[string]any); ok {
			xs, _ := wd["weekdays"].([]any)
			for i := 0; i < len(xs); {
				wd["weekdays"] = slices.Delete(slices.Clone(xs), i, i+1)
				if disagrees(f) {
					xs, changed = wd["weekdays"].([]any), true
					continue
				}
				wd["weekdays"] = xs
				i++
			}
		}
	}
	b, _ := json.MarshalIndent(f, "", " ")
	t.Logf("minimised tenant for request %s:\n%s", req, b)
	if out := os.Getenv("DISPATCH_ORACLE_OUT"); out != "" {
		base := filepath.Join(out, fmt.Sprintf("oracle-%d", c.Seed))
		if err := os.WriteFile(base+"-tenant.json", b, 0o644); err != nil {
			t.Error(err)
		}
		if err := os.WriteFile(base+"-request.json", req, 0o644); err != nil {
			t.Error(err)
		}
	}
}
