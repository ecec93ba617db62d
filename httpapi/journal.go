package httpapi

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/opendispatch/dispatch/internal/base/atomicfile"
	"github.com/opendispatch/dispatch/validate"
)

// Record is one acknowledged change in a tenant's journal, or a header.
type Record struct {
	// Op is "assign", "unassign", "shifts", the capacity adjustments
	// extension's "adjust" or "unadjust", a lifecycle extension's
	// ("appointment.create", "appointment.reschedule", "appointment.cancel",
	// "shift.update", "shift.deactivate", "shift.reactivate", "shift.delete",
	// "technician.add", "technician.update", "technician.deactivate",
	// "technician.reactivate"), or "header".
	Op string `json:"op"`
	At int64  `json:"at"` // Unix seconds: the change's clock
	By string `json:"by,omitempty"`
	// ID is the id of the operation's path (/appointments/{id}/cancel),
	// 0 and left out when it has none.
	ID   int64           `json:"id,omitempty"`
	Body json.RawMessage `json:"body"`

	// line is the record's line in the journal it was read from (from
	// 1), 0 for a record not read from a file; errors name it.
	line int
}

// Header is the body of a journal's "header" record: the tenant the
// journal belongs to and the fingerprint of the tenant file its records
// were applied to. The first line of a journal is a header; a later one
// records that the journal was replayed onto a changed file by permission
// ([Config.AllowChangedTenant]); the last one counts. Journals written
// before headers existed have none.
//
// A compacted journal's header also names the snapshot its records apply
// to (a file beside the journal) and the snapshot's fingerprint;
// TenantFileSHA256 is still that of the tenant file the history started
// from, which a start must be given.
type Header struct {
	Tenant string `json:"tenant"`
	// TenantFileSHA256 is [Fingerprint] of the tenant file.
	TenantFileSHA256 string `json:"tenantFileSha256"`
	// Snapshot is the file name of the snapshot in the journal's
	// directory, "" before the first compaction.
	Snapshot string `json:"snapshot,omitempty"`
	// SnapshotSHA256 is [Fingerprint] of the snapshot.
	SnapshotSHA256 string `json:"snapshotSha256,omitempty"`
}

// Fingerprint returns the hex SHA-256 of a tenant file's bytes.
func Fingerprint(file []byte) string {
	sum := sha256.Sum256(file)
	return hex.EncodeToString(sum[:])
}

// TenantChangedError is returned by [New] when a tenant's journal was
// written against another tenant file than the one given (Recorded is
// empty for a journal written before fingerprints were recorded).
type TenantChangedError struct {
	Tenant, Journal string
	Recorded, Given string // hex SHA-256 fingerprints
	// Snapshot is the snapshot of a compacted journal, "" for none: its
	// changes cannot be replayed onto another file (see [CompactedError]).
	Snapshot string
}

func (e *TenantChangedError) Error() string {
	if e.Snapshot != "" {
		return fmt.Sprintf("httpapi: tenant %s: journal %s (compacted into snapshot %s) was started from a tenant file with SHA-256 %s, but the file given has SHA-256 %s; "+
			"restore that file, or move the journal and its snapshot away to start from this file alone (a compacted journal cannot be replayed onto another file, even with --allow-changed-tenant)",
			e.Tenant, e.Journal, e.Snapshot, e.Recorded, e.Given)
	}
	if e.Recorded == "" {
		return fmt.Sprintf("httpapi: tenant %s: journal %s holds changes but no tenant file fingerprint (it was written before fingerprints were recorded), so it cannot be checked against the tenant file given (SHA-256 %s); "+
			"if it was written against this file, start once with --allow-changed-tenant (Config.AllowChangedTenant) to replay it and record the fingerprint", e.Tenant, e.Journal, e.Given)
	}
	return fmt.Sprintf("httpapi: tenant %s: journal %s was written against a tenant file with SHA-256 %s, but the file given has SHA-256 %s; "+
		"restore that file, move the journal away to start from this file alone, or start with --allow-changed-tenant (Config.AllowChangedTenant) to replay its changes onto this file",
		e.Tenant, e.Journal, e.Recorded, e.Given)
}

// Journal is an append-only file of records, one line each: the CRC-32 of
// the record's JSON in hex, a space, the JSON. A record is acknowledged
// only after its line is written and fsynced, so after a crash the file
// holds every acknowledged record and at most one torn one at the end,
// which Open detects by its checksum and cuts off.
type Journal struct {
	f      *os.File
	path   string
	header *Header
	// records counts the change records in the file and size its bytes,
	// for the compaction thresholds; size is also where the next record
	// goes.
	records int
	size    int64
	// failed is set when a failed append left bytes that could not be
	// cut off: appending after them would bury a torn record under
	// intact ones, which a start refuses as a corrupt file.
	failed error
}

// OpenJournal opens (creating) the journal of tenant in dir and returns
// its intact change records; the header is [Journal.Header]. A torn or
// corrupt last line is truncated away (a crash mid-write); a damaged line
// with intact records after it is an error, since cutting it would drop
// acknowledged changes. Records are decoded strictly (validate.Unmarshal).
func OpenJournal(dir, tenant string) (*Journal, []Record, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	path := filepath.Join(dir, tenant+".journal")
	// Owner only: a journal holds the tenant's customers and technicians.
	// A symbolic link planted in its place is refused, not followed (a
	// start could otherwise cut a file elsewhere as a "torn tail").
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|noFollow, 0o600)
	if err != nil {
		if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return nil, nil, fmt.Errorf("httpapi: journal %s is a symbolic link: refused; put the journal itself there", path)
		}
		return nil, nil, err
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, nil, fmt.Errorf("httpapi: journal %s is not a regular file", path)
	}
	j := &Journal{f: f, path: path}
	recs, good, err := readRecords(f, path)
	j.size = good
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	var changes []Record
	for _, rec := range recs {
		if rec.Op != "header" {
			changes = append(changes, rec)
			j.records++
			continue
		}
		var h Header
		if err := validate.Unmarshal(rec.Body, &h); err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("httpapi: journal %s line %d: header: %w", path, rec.line, err)
		}
		j.header = &h
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
	if good == 0 {
		// A new file: make its name durable before records go in.
		if d, err := os.Open(dir); err == nil {
			d.Sync()
			d.Close()
		}
	}
	return j, changes, nil
}

// readRecords returns the records before the first damaged line and the
// byte offset where the damage starts. Damage is allowed only in the last
// line.
func readRecords(r io.Reader, path string) ([]Record, int64, error) {
	br := bufio.NewReader(r)
	var recs []Record
	var off int64
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			return recs, off, nil // a last line without newline is torn
		}
		if err != nil {
			return nil, 0, err
		}
		rec, ok, err := parseLine(line)
		if err != nil {
			return nil, 0, fmt.Errorf("httpapi: journal %s line %d: %w", path, n, err)
		}
		if !ok {
			if _, err := br.Peek(1); err == nil {
				return nil, 0, fmt.Errorf("httpapi: journal %s line %d is damaged (checksum) and more lines follow: not a torn write at the end but a corrupt file; restore it from a backup", path, n)
			}
			return recs, off, nil
		}
		rec.line = n
		recs = append(recs, rec)
		off += int64(len(line))
	}
}

// parseLine reads one line: ok is false when its checksum does not hold
// (a torn or damaged line); an intact line that is not a valid record is
// an error.
func parseLine(line []byte) (Record, bool, error) {
	line = bytes.TrimSuffix(line, []byte("\n"))
	sum, payload, ok := bytes.Cut(line, []byte(" "))
	if !ok || len(sum) != 8 {
		return Record{}, false, nil
	}
	want, err := strconv.ParseUint(string(sum), 16, 32)
	if err != nil || crc32.ChecksumIEEE(payload) != uint32(want) {
		return Record{}, false, nil
	}
	var rec Record
	if err := validate.Unmarshal(payload, &rec); err != nil {
		return Record{}, false, err
	}
	return rec, true, nil
}

// Header returns the journal's last header, or nil when it has none (a new
// journal, or one written before headers existed).
func (j *Journal) Header() *Header {
	if j.header == nil {
		return nil
	}
	h := *j.header
	return &h
}

// WriteHeader appends a header record at Unix time at and syncs it.
func (j *Journal) WriteHeader(h Header, at int64) error {
	body, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if err := j.Append(Record{Op: "header", At: at, Body: body}); err != nil {
		return err
	}
	j.header = &h
	return nil
}

// Path returns the journal's file name.
func (j *Journal) Path() string { return j.path }

// writeLine writes a journal line to f; a test replaces it to fail part
// way through, as a full disk does.
var writeLine = func(f *os.File, line []byte) (int, error) { return f.Write(line) }

// Append writes rec and syncs it to stable storage. When either fails
// (a full disk writes part of the line, then fails), the journal is cut
// back to its last intact record, so that the next append starts on a
// clean line; if even that fails, every later Append fails too, and a
// restart drops the torn tail.
func (j *Journal) Append(rec Record) error {
	if j.failed != nil {
		return j.failed
	}
	line, err := recordLine(rec)
	if err != nil {
		return err
	}
	_, err = writeLine(j.f, line)
	if err == nil {
		err = j.f.Sync()
	}
	if err != nil {
		if cerr := j.cutBack(); cerr != nil {
			j.failed = fmt.Errorf("journal %s: a failed write left a partial record that could not be removed (%v): no change can be recorded until a restart, which drops it", j.path, cerr)
		}
		return err
	}
	j.size += int64(len(line))
	if rec.Op != "header" {
		j.records++
	}
	return nil
}

// cutBack truncates the file to its intact records and puts the write
// offset there.
func (j *Journal) cutBack() error {
	if err := j.f.Truncate(j.size); err != nil {
		return err
	}
	if _, err := j.f.Seek(j.size, io.SeekStart); err != nil {
		return err
	}
	return j.f.Sync()
}

// gone reports whether the journal's file is no longer at its path
// (removed, or moved away while serving): records appended to it would be
// acknowledged but never read by a start. replaced is true when another
// file took the path.
func (j *Journal) gone() (gone, replaced bool) {
	fi, err := j.f.Stat()
	if err != nil {
		return false, false
	}
	pi, err := os.Stat(j.path)
	if errors.Is(err, fs.ErrNotExist) {
		return true, false
	}
	if err != nil || os.SameFile(fi, pi) {
		return false, false
	}
	return true, true
}

// Records returns the number of change records in the journal.
func (j *Journal) Records() int { return j.records }

// reset replaces the journal, atomically, by one holding only header h
// (at Unix time at): written to a temporary file, fsynced, renamed over
// the journal and the directory fsynced (see [atomicfile.Write]). On
// error the journal is as it was.
func (j *Journal) reset(h Header, at int64) error {
	body, err := json.Marshal(h)
	if err != nil {
		return err
	}
	line, err := recordLine(Record{Op: "header", At: at, Body: body})
	if err != nil {
		return err
	}
	if err := atomicfile.Write(j.path, 0o600, func(w io.Writer) error { _, err := w.Write(line); return err }); err != nil {
		return err
	}
	f, err := reopen(j.path)
	if err == nil {
		_, err = f.Seek(0, io.SeekEnd)
	}
	if err != nil {
		// The new journal is in place but cannot be appended to (out of
		// file descriptors, say): appends to the old file, unlinked by
		// the rename, would be acknowledged and lost.
		j.failed = fmt.Errorf("journal %s: replaced by a compaction but could not be opened again (%v): no change can be recorded until a restart", j.path, err)
		return &reopenError{j.failed}
	}
	j.f.Close()
	j.f, j.header, j.records, j.size, j.failed = f, &h, 0, int64(len(line)), nil
	return nil
}

// reopen opens the journal written by a compaction; a test replaces it.
var reopen = func(path string) (*os.File, error) { return os.OpenFile(path, os.O_RDWR, 0) }

// reopenError is reset's error when the new journal is in place but could
// not be opened: unlike its other errors, the journal on disk changed.
type reopenError struct{ err error }

func (e *reopenError) Error() string { return e.err.Error() }
func (e *reopenError) Unwrap() error { return e.err }

// recordLine encodes rec as a journal line: its CRC-32, a space, its JSON
// and a newline.
func recordLine(rec Record) ([]byte, error) {
	payload, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	return fmt.Appendf(nil, "%08x %s\n", crc32.ChecksumIEEE(payload), payload), nil
}

// Close closes the journal file.
func (j *Journal) Close() error { return j.f.Close() }
