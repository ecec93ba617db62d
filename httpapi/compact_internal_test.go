package httpapi

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	dispatch "github.com/opendispatch/dispatch"
)

// state is what a tenant holds: its canonical file.
func state(t *testing.T, s *Server) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := s.tenants["0000000"].e().t.Save(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// manualConfig is a server configuration with data directory dir, a fixed
// clock, and compactions only when a test asks for one.
func manualConfig(dir string) Config {
	return Config{DataDir: dir, CompactAfterRecords: -1, CompactAfterBytes: -1, Now: func() time.Time { return time.Unix(1800000000, 0) }}
}

// restart starts a server over cfg's data directory again, as after a
// stop or a crash, and fails the test unless it holds acked, the state
// acknowledged before. The test closes it.
func restart(t *testing.T, cfg Config, acked []byte) *Server {
	t.Helper()
	s, err := New(cfg, dispatch.DemoTenant)
	if err != nil {
		t.Fatalf("restart: %v", err)
	}
	if !bytes.Equal(state(t, s), acked) {
		s.Close()
		t.Fatal("after the restart the state is not the one acknowledged")
	}
	return s
}

// changeN applies n journaled changes through the server's change path:
// appointments created, assigned and some canceled, a shift updated.
func changeN(t *testing.T, s *Server, from, n int) {
	t.Helper()
	st := s.tenants["0000000"]
	for i := from; i < from+n; i++ {
		id := int64(9000 + i)
		var rec Record
		switch i % 4 {
		case 0:
			rec = Record{Op: opAppointmentCreate, Body: fmt.Appendf(nil, `{"id": %d, "jobTypeId": 101, "businessUnitId": 1, "start": "2027-03-10T13:00:00-07:00", "end": "2027-03-10T14:00:00-07:00"}`, id)}
		case 1:
			rec = Record{Op: "assign", Body: fmt.Appendf(nil, `{"jobAppointmentId": %d, "technicianIds": [101, 102]}`, id-1)}
		case 2:
			rec = Record{Op: opAppointmentCancel, ID: id - 2}
		case 3:
			rec = Record{Op: opShiftUpdate, ID: 1, Body: fmt.Appendf(nil, `{"note": "change %d"}`, i)}
		}
		rec.At = time.Date(2027, 3, 1, 9, 0, i, 0, time.UTC).Unix()
		st.mu.Lock()
		_, err := st.e().apply(rec)
		if err == nil {
			err = st.journal.Append(rec)
			st.maybeCompact(s.cfg)
		}
		st.mu.Unlock()
		if err != nil {
			t.Fatalf("change %d: %v", i, err)
		}
	}
}

// TestCompactionCrashPoints stops a compaction at each of its steps, as a
// crash would (the files left as they are, the process state lost), and
// with the debris a crash can leave (a temporary file, a torn last
// record), restarts, and checks that the tenant is exactly in the state
// acknowledged before the crash and that the debris is gone.
func TestCompactionCrashPoints(t *testing.T) {
	defer func() { crashAt = func(string) bool { return false } }()
	for _, step := range []string{"snapshot written", "journal renamed", "temporary files", "torn tail"} {
		t.Run(step, func(t *testing.T) {
			dir := t.TempDir()
			cfg := manualConfig(dir)
			s, err := New(cfg, dispatch.DemoTenant)
			if err != nil {
				t.Fatal(err)
			}
			changeN(t, s, 0, 9)
			if _, err := s.Compact("0000000"); err != nil { // a first snapshot, so that a second one replaces it
				t.Fatal(err)
			}
			changeN(t, s, 9, 6)
			acked := state(t, s)
			switch step {
			case "snapshot written", "journal renamed":
				crashAt = func(at string) bool { return at == step }
				if _, err := s.Compact("0000000"); err != errCrash {
					t.Fatalf("compaction: %v, want the simulated crash", err)
				}
				crashAt = func(string) bool { return false }
				if n := len(strayOr(t, dir)); n != 2 {
					t.Fatalf("after the crash %d snapshots are on disk, want 2 (old and new)", n)
				}
			case "temporary files":
				os.WriteFile(filepath.Join(dir, ".0000000.snapshot-000002.json.tmp-123"), []byte(`{"half`), 0o644)
				os.WriteFile(filepath.Join(dir, ".0000000.journal.tmp-456"), []byte(`deadbeef {"op":`), 0o644)
			case "torn tail":
				// A change written but not acknowledged: half its line.
				line, _ := recordLine(Record{Op: opTechnicianDeactivate, At: 1800000000, ID: 101})
				s.tenants["0000000"].journal.f.Write(line[:len(line)/2])
			}
			s.Close() // the files stay as the crash left them

			s = restart(t, cfg, acked)
			defer func() { s.Close() }() // whichever server is the last
			if tech, _ := s.tenants["0000000"].e().t.Engine.Technician(101); !tech.IsActive() {
				t.Error("the torn change was applied")
			}
			h := s.tenants["0000000"].journal.Header()
			if got := strayOr(t, dir); !slices.Equal(got, []string{h.Snapshot}) {
				t.Errorf("snapshots on disk %v, want only the journal's %s", got, h.Snapshot)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if e.Name()[0] == '.' {
					t.Errorf("temporary file %s left", e.Name())
				}
			}
			// And it goes on: changes and a compaction, then another restart.
			changeN(t, s, 15, 5)
			if _, err := s.Compact("0000000"); err != nil {
				t.Fatal(err)
			}
			changeN(t, s, 20, 3)
			acked = state(t, s)
			s.Close()
			s = restart(t, cfg, acked) // a second restart
		})
	}
}

func strayOr(t *testing.T, dir string) []string {
	m, _ := filepath.Glob(filepath.Join(dir, "0000000.snapshot-*.json"))
	for i := range m {
		m[i] = filepath.Base(m[i])
	}
	return m
}

// TestCompactionAtRestart: a crash between a change's append and the
// compaction it triggers leaves a journal at the threshold; the restart
// compacts it, so that the next restart replays nothing.
func TestCompactionAtRestart(t *testing.T) {
	dir := t.TempDir()
	cfg := manualConfig(dir)
	s, err := New(cfg, dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	changeN(t, s, 0, 12) // as if compaction at 12 records had not run
	acked := state(t, s)
	s.Close()

	cfg.CompactAfterRecords = 12
	s = restart(t, cfg, acked)
	defer s.Close()
	st := s.tenants["0000000"]
	if st.journal.records != 0 || st.journal.Header() == nil || st.journal.Header().Snapshot == "" {
		t.Errorf("after the restart the journal holds %d records (header %+v), want a fresh journal on a snapshot", st.journal.records, st.journal.Header())
	}
}

// TestCompactionRetryBackoff makes every compaction fail, as a full or
// read-only data directory does, and checks that a journal over its
// threshold does not try again at every change (each try serializes the
// whole state under the tenant's lock and logs an error) but compactRetry
// records later; once compactions work again the next try succeeds.
func TestCompactionRetryBackoff(t *testing.T) {
	defer func() { crashAt = func(string) bool { return false } }()
	tries := 0
	crashAt = func(step string) bool {
		if step == "snapshot written" {
			tries++
			return true
		}
		return false
	}
	cfg := manualConfig(t.TempDir())
	cfg.CompactAfterRecords = 5
	s, err := New(cfg, dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	changeN(t, s, 0, 5+2*compactRetry+10)
	if tries != 3 { // at 5 records, 5+compactRetry and 5+2*compactRetry
		t.Fatalf("%d compactions tried over %d records past the threshold, want 3 (one every %d records)", tries, 2*compactRetry+10, compactRetry)
	}
	crashAt = func(string) bool { return false }
	changeN(t, s, 5+2*compactRetry+10, compactRetry)
	if n := s.tenants["0000000"].journal.Records(); n >= compactRetry {
		t.Fatalf("journal holds %d records: the compaction was not tried again", n)
	}
}
