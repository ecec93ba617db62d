package httpapi

import (
	"os"
	"slices"
	"syscall"
	"testing"
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
