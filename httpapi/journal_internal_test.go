package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	dispatch "github.com/opendispatch/dispatch"
)

// TestJournalFailedAppendCutBack fails an append part-way through, as a
// full disk does (some bytes written, then ENOSPC), and checks that the
// journal is cut back to its intact records: the next append lands on a
// clean line, and a start reads exactly the records acknowledged instead
// of refusing a torn record followed by intact ones.
func TestJournalFailedAppendCutBack(t *testing.T) {
	defer func(w func(*os.File, []byte) (int, error)) { writeLine = w }(writeLine)
	for _, fail := range []string{"write", "write nothing"} {
		t.Run(fail, func(t *testing.T) {
			dir := t.TempDir()
			j, _, err := OpenJournal(dir, "0000000")
			if err != nil {
				t.Fatal(err)
			}
			rec := func(n int64) Record {
				return Record{Op: opAppointmentCancel, At: 1800000000 + n, ID: n, Body: []byte(`{}`)}
			}
			if err := j.Append(rec(1)); err != nil {
				t.Fatal(err)
			}
			writeLine = func(f *os.File, line []byte) (int, error) {
				if fail == "write nothing" {
					return 0, syscall.ENOSPC
				}
				n, err := f.Write(line[:len(line)/2])
				if err != nil {
					t.Fatal(err)
				}
				return n, syscall.ENOSPC
			}
			if err := j.Append(rec(2)); err == nil {
				t.Fatal("append on a full disk succeeded")
			}
			writeLine = func(f *os.File, line []byte) (int, error) { return f.Write(line) }
			if err := j.Append(rec(3)); err != nil {
				t.Fatalf("append after space came back: %v", err)
			}
			if j.Records() != 2 {
				t.Errorf("Records() = %d after two acknowledged appends", j.Records())
			}
			if st, err := os.Stat(j.Path()); err != nil || st.Size() != j.size {
				t.Errorf("file size %v (%v), journal counts %d", st.Size(), err, j.size)
			}
			j.Close()
			j, recs, err := OpenJournal(dir, "0000000")
			if err != nil {
				t.Fatalf("restart: %v", err)
			}
			defer j.Close()
			var ids []int64
			for _, r := range recs {
				ids = append(ids, r.ID)
			}
			if !slices.Equal(ids, []int64{1, 3}) {
				t.Errorf("restart replays records %v, want the acknowledged [1 3]", ids)
			}
		})
	}
}

// TestUnjournaledChangeTakenBack makes the journal fail (a full disk)
// under a change that the engine has already applied, and checks that
// the change is taken back: the client gets a 500 problem document, the
// server does not show the change, the same change succeeds once space
// is back (not a 409 for an appointment that was never acknowledged), a
// change depending on it succeeds, and a restart holds exactly the
// acknowledged state. Both bases of a rebuild are exercised: the tenant
// file, and a snapshot after a compaction.
func TestUnjournaledChangeTakenBack(t *testing.T) {
	for _, base := range []string{"tenant file", "snapshot"} {
		t.Run(base, func(t *testing.T) {
			defer func(w func(*os.File, []byte) (int, error)) { writeLine = w }(writeLine)
			s, cfg, call := started(t)
			if base == "snapshot" {
				if _, err := s.Compact("0000000"); err != nil {
					t.Fatal(err)
				}
				if rec := call("/appointment-assignments/assign-technicians", `{"jobAppointmentId": 9001, "technicianIds": [101]}`); rec.Code != 200 {
					t.Fatalf("assign 9001: %d %s", rec.Code, rec.Body)
				}
			}
			acked := state(t, s)
			writeLine = func(f *os.File, line []byte) (int, error) {
				n, _ := f.Write(line[:len(line)/3])
				return n, syscall.ENOSPC
			}
			rec := call("/appointments", create(9002))
			if rec.Code != 500 || rec.Header().Get("Content-Type") != "application/problem+json" {
				t.Fatalf("create on a full disk: %d %s", rec.Code, rec.Body)
			}
			var p problemDoc
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || !strings.Contains(p.Detail, "change not made") || !strings.Contains(p.Errors["$"][0], "was not made") {
				t.Errorf("the problem document does not say that the change was not made: %s", rec.Body)
			}
			if _, _, ok := s.tenants["0000000"].e().t.Engine.Appointment(9002); ok {
				t.Fatal("the server holds appointment 9002, whose creation failed")
			}
			if got := state(t, s); !bytes.Equal(got, acked) {
				t.Fatal("after the failed change the state is not the one acknowledged")
			}
			// While the disk stays full, a change is refused before it is
			// applied: no second load of the state (seconds for a large
			// tenant, and every change in the queue waits for it).
			e := s.tenants["0000000"].e()
			if rec := call("/appointments", create(9003)); rec.Code != 500 {
				t.Fatalf("second create on a full disk: %d %s", rec.Code, rec.Body)
			}
			if s.tenants["0000000"].e() != e {
				t.Error("a change on a disk still full was applied and taken back again")
			}
			writeLine = func(f *os.File, line []byte) (int, error) { return f.Write(line) }
			if rec := call("/appointments", create(9002)); rec.Code != 200 {
				t.Fatalf("create 9002 once space is back: %d %s", rec.Code, rec.Body)
			}
			if rec := call("/appointment-assignments/assign-technicians", `{"jobAppointmentId": 9002, "technicianIds": [102]}`); rec.Code != 200 {
				t.Fatalf("assign 9002: %d %s", rec.Code, rec.Body)
			}
			acked = state(t, s)
			s.Close()
			s = restart(t, cfg, acked)
			defer s.Close()
		})
	}
}

// callerConfig is a server configuration with data directory dir and the
// client of caller.
func callerConfig(dir string) Config {
	return Config{DataDir: dir, RateLimit: -1, CompactAfterRecords: -1, CompactAfterBytes: -1,
		Clients: []Client{{ID: "c", SecretHash: HashSecret("s"), AppKey: "k", Tenants: []string{"0000000"}}}}
}

// caller returns a function that POSTs a JSON body to a path of the demo
// tenant on s, authenticated as the client of callerConfig.
func caller(t *testing.T, s *Server) func(path, body string) *httptest.ResponseRecorder {
	t.Helper()
	h := s.Handler()
	tr := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/connect/token", strings.NewReader("grant_type=client_credentials&client_id=c&client_secret=s"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	h.ServeHTTP(tr, req)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(tr.Body.Bytes(), &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token: %s", tr.Body)
	}
	return func(path, body string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "/dispatch/v2/0000000"+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		req.Header.Set("ST-App-Key", "k")
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(rec, req)
		return rec
	}
}

// started starts a server of callerConfig over a fresh data directory and
// creates appointment 9001 through it. The test closes the server.
func started(t *testing.T) (*Server, Config, func(path, body string) *httptest.ResponseRecorder) {
	t.Helper()
	cfg := callerConfig(t.TempDir())
	s, err := New(cfg, dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	call := caller(t, s)
	if rec := call("/appointments", create(9001)); rec.Code != 200 {
		s.Close()
		t.Fatalf("create 9001: %d %s", rec.Code, rec.Body)
	}
	return s, cfg, call
}

// create is the body of an appointment's creation.
func create(id int) string {
	return fmt.Sprintf(`{"id": %d, "jobTypeId": 101, "businessUnitId": 1, "start": "2027-03-10T13:00:00-07:00", "end": "2027-03-10T14:00:00-07:00"}`, id)
}

// TestJournalRemovedWhileServing removes the journal file while the
// server runs (by hand, or a cleaner of old files in /tmp). Appending to
// the open but unlinked file would acknowledge changes that no start
// reads: the next change writes the journal again from the tenant's state
// instead, so that a restart holds every acknowledged change. A journal
// replaced by another file is left alone and the change refused.
func TestJournalRemovedWhileServing(t *testing.T) {
	for _, how := range []string{"removed", "removed with its snapshot", "replaced"} {
		t.Run(how, func(t *testing.T) {
			s, cfg, call := started(t)
			defer func() { s.Close() }()
			if how == "removed with its snapshot" {
				if _, err := s.Compact("0000000"); err != nil {
					t.Fatal(err)
				}
			}
			path := s.tenants["0000000"].journal.Path()
			entries, _ := os.ReadDir(cfg.DataDir)
			for _, e := range entries {
				if err := os.Remove(filepath.Join(cfg.DataDir, e.Name())); err != nil {
					t.Fatal(err)
				}
			}
			if how == "replaced" {
				if err := os.WriteFile(path, []byte("someone else's file\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				rec := call("/appointments", create(9002))
				if rec.Code != 500 {
					t.Fatalf("create with the journal replaced: %d %s", rec.Code, rec.Body)
				}
				if _, _, ok := s.tenants["0000000"].e().t.Engine.Appointment(9002); ok {
					t.Fatal("the refused change was made")
				}
				if b, _ := os.ReadFile(path); string(b) != "someone else's file\n" {
					t.Fatalf("the file put in the journal's place was changed: %q", b)
				}
				return
			}
			if rec := call("/appointments", create(9002)); rec.Code != 200 {
				t.Fatalf("create 9002 after the journal was removed: %d %s", rec.Code, rec.Body)
			}
			if rec := call("/appointment-assignments/assign-technicians", `{"jobAppointmentId": 9002, "technicianIds": [102]}`); rec.Code != 200 {
				t.Fatalf("assign 9002: %d %s", rec.Code, rec.Body)
			}
			acked := state(t, s)
			s.Close()
			s = restart(t, cfg, acked)
		})
	}
}

// TestCompactionReopenFails fails the opening of the journal a compaction
// has just renamed into place (out of file descriptors, say): the journal
// on disk names the new snapshot, so the snapshot must stay, and changes
// must be refused rather than appended to the old, unlinked file, where
// they would be acknowledged and lost. A restart then holds exactly the
// acknowledged state.
func TestCompactionReopenFails(t *testing.T) {
	defer func(r func(string) (*os.File, error)) { reopen = r }(reopen)
	s, cfg, call := started(t)
	defer func() { s.Close() }()
	acked := state(t, s)
	reopen = func(string) (*os.File, error) { return nil, syscall.EMFILE }
	if _, err := s.Compact("0000000"); err == nil {
		t.Fatal("the compaction reports no error")
	}
	reopen = func(path string) (*os.File, error) { return os.OpenFile(path, os.O_RDWR, 0) }
	if rec := call("/appointments", create(9002)); rec.Code != 500 {
		t.Fatalf("create after the journal could not be opened: %d %s", rec.Code, rec.Body)
	}
	s.Close()
	s = restart(t, cfg, acked)
}
