package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/httpapi"
)

// history writes a journal of n changes for the demo tenant into dir, as
// a server would have: its header, then lifecycle changes and assignments
// in turn — appointments created, assigned two technicians, rescheduled,
// every other one canceled, a shift updated.
func history(tb testing.TB, dir string, n int) {
	tb.Helper()
	var buf bytes.Buffer
	line := func(rec httpapi.Record) {
		payload, err := json.Marshal(rec)
		if err != nil {
			tb.Fatal(err)
		}
		fmt.Fprintf(&buf, "%08x %s\n", crc32.ChecksumIEEE(payload), payload)
	}
	h, _ := json.Marshal(httpapi.Header{Tenant: demoTenant, TenantFileSHA256: httpapi.Fingerprint(dispatch.DemoTenant)})
	line(httpapi.Record{Op: "header", At: 1800000000, Body: h})
	for i := 0; i < n; i++ {
		id := int64(100000 + i/5)
		day := 8 + (i/5)%12
		rec := httpapi.Record{At: 1800000000 + int64(i), By: "alpha"}
		switch i % 5 {
		case 0:
			rec.Op, rec.Body = "appointment.create", fmt.Appendf(nil, `{"id": %d, "jobTypeId": 101, "businessUnitId": 1, "start": "2027-03-%02dT13:00:00-06:00", "end": "2027-03-%02dT14:00:00-06:00"}`, id, day, day)
		case 1:
			rec.Op, rec.Body = "assign", fmt.Appendf(nil, `{"jobAppointmentId": %d, "technicianIds": [101, 102]}`, id)
		case 2:
			rec.Op, rec.ID, rec.Body = "appointment.reschedule", id, fmt.Appendf(nil, `{"start": "2027-03-%02dT15:00:00-06:00", "end": "2027-03-%02dT16:00:00-06:00"}`, day, day)
		case 3:
			if id%2 == 0 {
				rec.Op, rec.ID = "appointment.cancel", id
			} else {
				rec.Op, rec.Body = "unassign", fmt.Appendf(nil, `{"jobAppointmentId": %d, "technicianIds": [102]}`, id)
			}
		case 4:
			rec.Op, rec.ID, rec.Body = "shift.update", 1, fmt.Appendf(nil, `{"note": "change %d"}`, i)
		}
		line(rec)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, demoTenant+".journal"), buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkRestart measures a server's start over a long history of
// lifecycle changes (20,000 records), replayed from the tenant file
// (compaction off) and from a compacted journal (the snapshot of the same
// state and an empty journal). Both starts give the same state, which it
// checks.
func BenchmarkRestart(b *testing.B) {
	const n = 20000
	plain, compacted := filepath.Join(b.TempDir(), "plain"), filepath.Join(b.TempDir(), "compacted")
	history(b, plain, n)
	history(b, compacted, n)
	off := httpapi.Config{CompactAfterRecords: -1, CompactAfterBytes: -1}
	for _, dir := range []string{plain, compacted} {
		cfg := off
		cfg.DataDir = dir
		srv, err := httpapi.New(cfg, dispatch.DemoTenant)
		if err != nil {
			b.Fatal(err)
		}
		if dir == compacted {
			if _, err := srv.Compact(demoTenant); err != nil {
				b.Fatal(err)
			}
		}
		srv.Close()
	}
	for _, c := range []struct{ name, dir string }{{"history=20000/compacted=false", plain}, {"history=20000/compacted=true", compacted}} {
		b.Run(c.name, func(b *testing.B) {
			cfg := off
			cfg.DataDir = c.dir
			b.ReportAllocs()
			for b.Loop() {
				srv, err := httpapi.New(cfg, dispatch.DemoTenant)
				if err != nil {
					b.Fatal(err)
				}
				srv.Close()
			}
			j, recs, _ := httpapi.OpenJournal(c.dir, demoTenant)
			j.Close()
			b.ReportMetric(float64(len(recs)), "records-replayed")
		})
	}
}

// TestRestartHistory: the history of BenchmarkRestart replays, and a
// start from its compaction holds the same state as a start that replays
// it.
func TestRestartHistory(t *testing.T) {
	plain, compacted := filepath.Join(t.TempDir(), "plain"), filepath.Join(t.TempDir(), "compacted")
	history(t, plain, 500)
	history(t, compacted, 500)
	cfg := httpapi.Config{DataDir: compacted, Clients: clients, RateLimit: -1, CompactAfterRecords: -1}
	srv, err := httpapi.New(cfg, dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := srv.Compact(demoTenant); err != nil || c.Records != 500 {
		t.Fatalf("compact: %+v %v", c, err)
	}
	srv.Close()
	var got []string
	for _, dir := range []string{plain, compacted} {
		cfg.DataDir = dir
		srv, err := httpapi.New(cfg, dispatch.DemoTenant)
		if err != nil {
			t.Fatal(err)
		}
		f := &fixture{srv: srv, h: srv.Handler()}
		got = append(got, snapshotOf(t, f, f.token(t, "alpha", "alpha-secret")))
		srv.Close()
	}
	if got[0] != got[1] {
		t.Error("a start from the compacted journal differs from a start that replays the history")
	}
}
