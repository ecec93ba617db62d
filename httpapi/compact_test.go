package httpapi_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/httpapi"
)

// snapshots lists the snapshot files in dir.
func snapshots(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, demoTenant+".snapshot-*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range m {
		m[i] = filepath.Base(m[i])
	}
	return m
}

// changes returns n requests that each change the demo tenant: an
// appointment created, then assigned two technicians, then canceled.
func changes(n int) [][3]string {
	var out [][3]string
	for i := 0; len(out) < n; i++ {
		id := 9000 + i
		out = append(out,
			[3]string{"POST", "/appointments", fmt.Sprintf(`{"id": %d, "jobTypeId": 101, "businessUnitId": 1, "start": "2027-03-10T13:00:00-07:00", "end": "2027-03-10T14:00:00-07:00"}`, id)},
			[3]string{"POST", "/appointment-assignments/assign-technicians", fmt.Sprintf(`{"jobAppointmentId": %d, "technicianIds": [101, 102]}`, id)})
		if i%3 == 0 {
			out = append(out, [3]string{"POST", fmt.Sprintf("/appointments/%d/cancel", id), ""})
		}
	}
	return out[:n]
}

// TestCompaction: past CompactAfterRecords the journal is compacted into
// a snapshot and starts afresh; a restart loads the snapshot and the short
// journal and answers exactly as before; only the newest snapshot is
// kept; compaction on demand works over HTTP and in Go; the tenant file
// the history started from is still required.
func TestCompaction(t *testing.T) {
	dir := t.TempDir()
	cfg := httpapi.Config{DataDir: dir, Clients: clients, RateLimit: -1, CompactAfterRecords: 7,
		Now: func() time.Time { return time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC) }}
	srv, err := httpapi.New(cfg, dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{srv: srv, h: srv.Handler()}
	tok := f.token(t, "alpha", "alpha-secret")
	for i, c := range changes(40) {
		if rec := f.call(c[0], api(c[1]), tok, "alpha-app-key", c[2]); rec.Code != 200 {
			t.Fatalf("change %d %s: %d %s", i, c[1], rec.Code, rec.Body)
		}
	}
	before := snapshotOf(t, f, tok)
	srv.Close()

	j, recs, err := httpapi.OpenJournal(dir, demoTenant)
	if err != nil {
		t.Fatal(err)
	}
	h := j.Header()
	j.Close()
	if h == nil || h.Snapshot == "" || len(recs) >= 7 || len(recs) != 40%7 {
		t.Fatalf("after 40 changes with a threshold of 7: header %+v, %d records; want a snapshot and %d records", h, len(recs), 40%7)
	}
	if h.TenantFileSHA256 != httpapi.Fingerprint(dispatch.DemoTenant) {
		t.Errorf("the compacted journal forgot the tenant file's fingerprint: %+v", h)
	}
	if got := snapshots(t, dir); !slices.Equal(got, []string{h.Snapshot}) || h.Snapshot != demoTenant+".snapshot-000005.json" {
		t.Errorf("snapshots %v, want only the 5th, %s", got, h.Snapshot)
	}
	snap, _ := os.ReadFile(filepath.Join(dir, h.Snapshot))
	if httpapi.Fingerprint(snap) != h.SnapshotSHA256 {
		t.Error("the snapshot's fingerprint is not the one recorded")
	}

	srv, err = httpapi.New(cfg, dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	f = &fixture{srv: srv, h: srv.Handler()}
	tok = f.token(t, "alpha", "alpha-secret")
	if after := snapshotOf(t, f, tok); after != before {
		t.Fatal("after a restart from the snapshot the state differs")
	}
	// On demand, over HTTP: the journal is empty after it.
	rec := f.call("POST", api("/journal/compact"), tok, "alpha-app-key", "")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"snapshot":"`+demoTenant+`.snapshot-000006.json"`) || !strings.Contains(rec.Body.String(), fmt.Sprintf(`"records":%d`, 40%7)) {
		t.Errorf("POST /journal/compact: %d %s", rec.Code, rec.Body)
	}
	if c, err := srv.Compact(demoTenant); err != nil || c.Records != 0 || c.Snapshot != demoTenant+".snapshot-000007.json" {
		t.Errorf("Compact: %+v %v", c, err)
	}
	if _, err := srv.Compact("nobody"); err == nil {
		t.Error("Compact of an unknown tenant succeeded")
	}
	srv.Close()

	// A changed tenant file is refused; even allowed, a compacted history
	// cannot be replayed onto it.
	changed := append(bytes.Clone(dispatch.DemoTenant), '\n')
	_, err = httpapi.New(cfg, changed)
	var tc *httpapi.TenantChangedError
	if !errors.As(err, &tc) || tc.Snapshot == "" || !strings.Contains(err.Error(), httpapi.Fingerprint(changed)) || !strings.Contains(err.Error(), "snapshot") {
		t.Errorf("changed file: %v", err)
	}
	allow := cfg
	allow.AllowChangedTenant = true
	var ce *httpapi.CompactedError
	if _, err := httpapi.New(allow, changed); !errors.As(err, &ce) {
		t.Errorf("changed file, allowed: %v", err)
	}
	// A damaged snapshot stops the start.
	last := filepath.Join(dir, demoTenant+".snapshot-000007.json")
	good, _ := os.ReadFile(last)
	os.WriteFile(last, bytes.Replace(good, []byte(`"Ana Ruiz"`), []byte(`"Ana Ruix"`), 1), 0o644)
	if _, err := httpapi.New(cfg, dispatch.DemoTenant); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("damaged snapshot: %v", err)
	}
	os.WriteFile(last, good, 0o644)
	if srv, err = httpapi.New(cfg, dispatch.DemoTenant); err != nil {
		t.Fatal(err)
	}
	srv.Close()

	// Without a data directory there is nothing to compact.
	f = newFixture(t, httpapi.Config{RateLimit: -1})
	if rec := f.call("POST", api("/journal/compact"), f.token(t, "alpha", "alpha-secret"), "alpha-app-key", ""); rec.Code != 409 || !strings.Contains(rec.Body.String(), "no journal") {
		t.Errorf("compact without a journal: %d %s", rec.Code, rec.Body)
	}
}
