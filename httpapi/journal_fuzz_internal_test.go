package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/tenant"
	"github.com/opendispatch/dispatch/validate"
)

// The journal and snapshot fuzz targets restart a server over the small
// tenant of package tenant's tests (tenant "0000000": technician 101,
// appointment 5001, shift 1, job type 10, business unit 1, arrival
// window 08–10 on Mondays of March 2026), whose files the fuzzer damages.

const fuzzID = "0000000"

// notApplyRE matches the error of a record that does not apply: its
// operation and its line.
var notApplyRE = regexp.MustCompile(`(?s)record \d+ \((.*) at \S+, line (\d+)\) does not apply`)

func fuzzTenantFile(tb testing.TB) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "tenant", "testdata", "tiny.json"))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// fuzzChanges are changes a server over the small tenant acknowledges, in
// the order it could have: every kind of record the journal holds.
var fuzzChanges = []Record{
	{Op: opAppointmentCreate, Body: json.RawMessage(`{"id": 9001, "jobTypeId": 10, "businessUnitId": 1, "start": "2026-03-09T13:00:00-06:00", "end": "2026-03-09T14:00:00-06:00"}`)},
	{Op: "assign", By: "alpha", Body: json.RawMessage(`{"jobAppointmentId": 9001, "technicianIds": [101]}`)},
	{Op: opAppointmentReschedule, ID: 9001, Body: json.RawMessage(`{"start": "2026-03-09T15:00:00-06:00", "end": "2026-03-09T16:00:00-06:00"}`)},
	{Op: "unassign", Body: json.RawMessage(`{"jobAppointmentId": 5001, "technicianIds": [101]}`)},
	{Op: opShiftUpdate, ID: 1, Body: json.RawMessage(`{"note": "stays late"}`)},
	{Op: "adjust", By: "beta", Body: json.RawMessage(`{"date": "2026-03-09", "from": "08:00", "to": "10:00", "minutes": 90, "reason": "overbook"}`)},
	{Op: opTechnicianAdd, Body: json.RawMessage(`{"id": 120, "name": "Kim Lee", "businessUnitId": 1, "skills": ["HVAC"]}`)},
	{Op: opAppointmentCancel, ID: 9001},
	{Op: "unadjust", Body: json.RawMessage(`{"id": 1}`)},
	{Op: opShiftDeactivate, ID: 1},
	{Op: opTechnicianDeactivate, ID: 120},
}

// fuzzJournal writes a journal as a server would: a header for the tenant
// file with fingerprint fp (naming snapshot snap, with fingerprint snapFP,
// when snap is not ""), then the changes, a second apart.
func fuzzJournal(tb testing.TB, fp, snap, snapFP string, changes []Record) []byte {
	tb.Helper()
	var b bytes.Buffer
	h, _ := json.Marshal(Header{Tenant: fuzzID, TenantFileSHA256: fp, Snapshot: snap, SnapshotSHA256: snapFP})
	for i, rec := range append([]Record{{Op: "header", Body: h}}, changes...) {
		rec.At = 1772000000 + int64(i)
		line, err := recordLine(rec)
		if err != nil {
			tb.Fatal(err)
		}
		b.Write(line)
	}
	return b.Bytes()
}

// refJournal is the reference reading of a journal's bytes, as
// OpenJournal documents it: lines end in a newline; a line is intact when
// it is 8 hex digits of the CRC-32 of what follows the space; the records
// of the intact lines are read up to the first damaged or unterminated
// line. A damaged line with bytes after it is an error naming its line
// (badLine), and so is an intact line that is not a record. good is the
// length of the intact prefix, changes the change records in it.
func refJournal(data []byte) (changes []Record, good int, badLine int) {
	for n := 1; ; n++ {
		i := bytes.IndexByte(data[good:], '\n')
		if i < 0 {
			return changes, good, 0 // unterminated: torn, cut
		}
		line := data[good : good+i]
		sum, payload, ok := bytes.Cut(line, []byte(" "))
		want, err := strconv.ParseUint(string(sum), 16, 32)
		if !ok || len(sum) != 8 || err != nil || crc32.ChecksumIEEE(payload) != uint32(want) {
			if good+i+1 < len(data) {
				return nil, 0, n
			}
			return changes, good, 0 // damaged last line: torn, cut
		}
		var rec Record
		if err := validate.Unmarshal(payload, &rec); err != nil {
			return nil, 0, n
		}
		if rec.Op != "header" {
			changes = append(changes, rec)
		}
		good += i + 1
	}
}

// fixSums sets the checksum of every line that has the form of a
// journal line (8 bytes, a space, the payload) to its payload's CRC-32.
func fixSums(data []byte) []byte {
	lines := bytes.SplitAfter(data, []byte("\n"))
	var out []byte
	for _, l := range lines {
		if len(l) > 8 && l[8] == ' ' {
			payload := bytes.TrimSuffix(l[9:], []byte("\n"))
			l = append(fmt.Appendf(nil, "%08x", crc32.ChecksumIEEE(payload)), l[8:]...)
		}
		out = append(out, l...)
	}
	return out
}

// fuzzRestart starts a server over file with the data directory dir and
// returns it and the tenant's canonical state.
func fuzzRestart(dir string, file []byte, mode uint8) (*Server, []byte, error) {
	cfg := Config{DataDir: dir, RateLimit: -1, AllowChangedTenant: mode&1 != 0,
		CompactAfterRecords: -1, CompactAfterBytes: -1,
		Now: func() time.Time { return time.Unix(1772100000, 0) }}
	if mode&2 != 0 {
		cfg.CompactAfterRecords = 1 // compact at the end of every replay that applied a change
	}
	s, err := New(cfg, file)
	if err != nil {
		return nil, nil, err
	}
	var b bytes.Buffer
	if err := s.tenants[fuzzID].e().t.Save(&b); err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, b.Bytes(), nil
}

// checkRestartError fails unless err says where the problem is: the
// journal's or the snapshot's file name.
func checkRestartError(t *testing.T, dir string, err error) {
	t.Helper()
	msg := err.Error()
	journal := filepath.Join(dir, fuzzID+".journal")
	if !strings.Contains(msg, journal) && !strings.Contains(msg, filepath.Join(dir, fuzzID+".snapshot-")) {
		t.Fatalf("restart error names neither the journal nor the snapshot: %v", err)
	}
}

// checkRestartsAgain closes s, restarts over the same directory and
// fails unless the restart succeeds in the same state: what one start
// accepted (cutting a torn tail, compacting) the next accepts too, with
// nothing lost.
func checkRestartsAgain(t *testing.T, s *Server, dir string, file []byte, mode uint8, state []byte) {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, state2, err := fuzzRestart(dir, file, mode)
	if err != nil {
		t.Fatalf("the first restart succeeded, the second fails: %v", err)
	}
	defer s2.Close()
	if !bytes.Equal(state, state2) {
		t.Fatalf("the second restart is in another state than the first")
	}
}

// FuzzJournal restarts a server on a fuzzed journal (its bytes; mode bit
// 0 allows a changed tenant file, bit 1 compacts after the replay, bit 2
// first sets every line's checksum right, so that fuzzed records reach
// the strict decoding and the replay).
// Whatever the bytes: no panic; a damaged line with lines after it, and an
// intact line that is not a record, fail the start with an error naming
// the journal and the line; any other refusal names the journal (or its
// snapshot). A start that succeeds keeps every intact record before the
// damage: the journal still begins with those bytes (unless compacted),
// its records are the reference's, and a second restart succeeds in the
// same state.
//
// Seeds: journals written as a server writes them (every kind of record),
// torn at several points, with a damaged line in the middle, with a
// header for another file; testdata/fuzz/FuzzJournal holds the inputs
// that once broke it.
func FuzzJournal(f *testing.F) {
	file := fuzzTenantFile(f)
	fp := Fingerprint(file)
	full := fuzzJournal(f, fp, "", "", fuzzChanges)
	f.Add(full, uint8(0))
	f.Add(full, uint8(2))
	f.Add(fuzzJournal(f, fp, "", "", fuzzChanges[:3]), uint8(0))
	f.Add(fuzzJournal(f, strings.Repeat("0", 64), "", "", fuzzChanges[:5]), uint8(1))
	f.Add(full[:len(full)-7], uint8(0))                                                       // torn last line
	f.Add(full[:len(full)-1], uint8(0))                                                       // a last line without its newline
	f.Add(bytes.Replace(full, []byte(`"op":"adjust"`), []byte(`"op":"adjusT"`), 1), uint8(0)) // damaged in the middle
	f.Add(append(bytes.Clone(full), "0000000 \n"...), uint8(2))
	f.Add([]byte{}, uint8(0))
	f.Add([]byte("\n"), uint8(0))
	// A record that does not apply (appointment 9001 is not created yet).
	f.Add(fuzzJournal(f, fp, "", "", fuzzChanges[1:3]), uint8(0))
	// The seeds are what a server writes: they must replay.
	for _, mode := range []uint8{0, 2} {
		dir := f.TempDir()
		os.WriteFile(filepath.Join(dir, fuzzID+".journal"), full, 0o644)
		s, _, err := fuzzRestart(dir, file, mode)
		if err != nil {
			f.Fatalf("the seed journal does not replay: %v", err)
		}
		s.Close()
	}
	f.Add(bytes.Replace(full, []byte(`"technicianIds":[101]`), []byte(`"technicianIds":[101,101]`), 1), uint8(4))
	f.Add(bytes.Replace(full, []byte(`"op":"unadjust"`), []byte(`"op":"header"`), 1), uint8(5))
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		if mode&4 != 0 {
			data = fixSums(data)
		}
		dir := t.TempDir()
		path := filepath.Join(dir, fuzzID+".journal")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		wantChanges, good, badLine := refJournal(data)
		s, state, err := fuzzRestart(dir, file, mode)
		if err != nil {
			checkRestartError(t, dir, err)
			if badLine > 0 && !strings.Contains(err.Error(), fmt.Sprintf("%s line %d", path, badLine)) {
				t.Fatalf("the reference says line %d is bad; the error does not name it: %v", badLine, err)
			}
			if strings.Contains(err.Error(), ": header: ") && !regexp.MustCompile(regexp.QuoteMeta(path)+` line \d+: header: `).MatchString(err.Error()) {
				t.Fatalf("a header that does not decode, not named by its line: %v", err)
			}
			if strings.Contains(err.Error(), "does not apply") {
				// The record that does not apply is named by its line.
				m := notApplyRE.FindStringSubmatch(err.Error())
				if m == nil {
					t.Fatalf("a record that does not apply, not named by its line: %v", err)
				}
				n, _ := strconv.Atoi(m[2])
				lines := bytes.Split(data, []byte("\n"))
				var rec Record
				if n < 1 || n > len(lines) || len(lines[n-1]) < 9 || validate.Unmarshal(lines[n-1][9:], &rec) != nil || rec.Op != m[1] {
					t.Fatalf("the error names line %d, which is not a %q record: %v", n, m[1], err)
				}
			}
			return
		}
		if badLine > 0 {
			s.Close()
			t.Fatalf("line %d is bad (the reference), yet the start succeeded", badLine)
		}
		if mode&2 == 0 || len(wantChanges) == 0 {
			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(after, data[:good]) {
				s.Close()
				t.Fatalf("the journal lost intact bytes before the damage at offset %d", good)
			}
			_, got, bad := refJournal(after)
			if bad != 0 || got < len(after) {
				s.Close()
				t.Fatalf("after the start the journal is damaged at offset %d (line %d)", got, bad)
			}
			if n := s.tenants[fuzzID].journal.records; n != len(wantChanges) {
				s.Close()
				t.Fatalf("the journal counts %d change records; the reference reads %d", n, len(wantChanges))
			}
		}
		checkRestartsAgain(t, s, dir, file, mode, state)
	})
}

// FuzzSnapshot restarts a server on a fuzzed snapshot: a journal whose
// header names it with its right fingerprint, followed by fuzzed bytes
// (mode as in FuzzJournal). Whatever the bytes: no panic; a refusal names
// the snapshot or the journal; a snapshot that loads with no change after
// it is the state, exactly (its canonical form); and a second restart
// succeeds in the same state.
func FuzzSnapshot(f *testing.F) {
	file := fuzzTenantFile(f)
	fp := Fingerprint(file)
	tail := func(changes []Record) []byte {
		j := fuzzJournal(f, fp, "", "", changes)
		_, rest, _ := bytes.Cut(j, []byte("\n")) // without the header
		return rest
	}
	f.Add(file, []byte{}, uint8(0))
	f.Add(file, tail(fuzzChanges), uint8(0))
	f.Add(file, tail(fuzzChanges[:4]), uint8(2))
	f.Add(bytes.Replace(file, []byte(`"tenant": "0000000"`), []byte(`"tenant": "0000001"`), 1), []byte{}, uint8(0))
	f.Add(bytes.Replace(file, []byte(`"technicianId": 101`), []byte(`"technicianId": 102`), 1), []byte{}, uint8(0))
	f.Add([]byte(`{}`), []byte{}, uint8(0))
	f.Add([]byte{}, []byte{}, uint8(0))
	f.Fuzz(func(t *testing.T, snapshot, rest []byte, mode uint8) {
		dir := t.TempDir()
		name := snapshotName(fuzzID, 1)
		if err := os.WriteFile(filepath.Join(dir, name), snapshot, 0o644); err != nil {
			t.Fatal(err)
		}
		journal := append(fuzzJournal(t, fp, name, Fingerprint(snapshot), nil), rest...)
		if err := os.WriteFile(filepath.Join(dir, fuzzID+".journal"), journal, 0o644); err != nil {
			t.Fatal(err)
		}
		s, state, err := fuzzRestart(dir, file, mode)
		if err != nil {
			checkRestartError(t, dir, err)
			return
		}
		if changes, _, _ := refJournal(journal); len(changes) == 0 {
			ten, err := parseForTest(snapshot)
			if err != nil {
				s.Close()
				t.Fatalf("the snapshot loaded, but it does not parse alone: %v", err)
			}
			if !bytes.Equal(ten, state) {
				s.Close()
				t.Fatalf("the state is not the snapshot's")
			}
		}
		checkRestartsAgain(t, s, dir, file, mode, state)
	})
}

// parseForTest parses a tenant file as a start does and returns its
// canonical form.
func parseForTest(data []byte) ([]byte, error) {
	_, opt := newClock()
	t, err := tenant.Parse(data, opt)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.Save(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
