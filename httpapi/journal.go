package httpapi

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// Record is one acknowledged change in a tenant's journal.
type Record struct {
	Op   string          `json:"op"` // "assign", "unassign" or "shifts"
	At   int64           `json:"at"` // Unix seconds: the change's clock
	By   string          `json:"by,omitempty"`
	Body json.RawMessage `json:"body"`
}

// Journal is an append-only file of records, one line each: the CRC-32 of
// the record's JSON in hex, a space, the JSON. A record is acknowledged
// only after its line is written and fsynced, so after a crash the file
// holds every acknowledged record and at most one torn one at the end,
// which Open detects by its checksum and cuts off.
type Journal struct {
	f *os.File
}

// OpenJournal opens (creating) the journal of tenant in dir and returns
// its intact records. A torn or corrupt tail is truncated away.
func OpenJournal(dir, tenant string) (*Journal, []Record, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, err
	}
	path := filepath.Join(dir, tenant+".journal")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, err
	}
	recs, good, err := readRecords(f)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if st, err := f.Stat(); err == nil && st.Size() != good {
		// Drop the torn tail so the next record starts on a clean line.
		if err := f.Truncate(good); err != nil {
			f.Close()
			return nil, nil, err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, nil, err
		}
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, nil, err
	}
	return &Journal{f: f}, recs, nil
}

// readRecords returns the records before the first damaged line and the
// byte offset where the damage starts.
func readRecords(r io.Reader) ([]Record, int64, error) {
	br := bufio.NewReader(r)
	var recs []Record
	var off int64
	for {
		line, err := br.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			return recs, off, nil // a last line without newline is torn
		}
		if err != nil {
			return nil, 0, err
		}
		rec, ok := parseLine(line)
		if !ok {
			return recs, off, nil
		}
		recs = append(recs, rec)
		off += int64(len(line))
	}
}

func parseLine(line []byte) (Record, bool) {
	line = bytes.TrimSuffix(line, []byte("\n"))
	sum, payload, ok := bytes.Cut(line, []byte(" "))
	if !ok || len(sum) != 8 {
		return Record{}, false
	}
	want, err := strconv.ParseUint(string(sum), 16, 32)
	if err != nil || crc32.ChecksumIEEE(payload) != uint32(want) {
		return Record{}, false
	}
	var rec Record
	if json.Unmarshal(payload, &rec) != nil {
		return Record{}, false
	}
	return rec, true
}

// Append writes rec and syncs it to stable storage.
func (j *Journal) Append(rec Record) error {
	payload, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	line := fmt.Appendf(nil, "%08x %s\n", crc32.ChecksumIEEE(payload), payload)
	if _, err := j.f.Write(line); err != nil {
		return err
	}
	return j.f.Sync()
}

// Close closes the journal file.
func (j *Journal) Close() error { return j.f.Close() }
