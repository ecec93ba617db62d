package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/internal/base/atomicfile"
	"github.com/opendispatch/dispatch/tenant"
	"github.com/opendispatch/dispatch/validate"
)

// Default compaction thresholds (see [Config.CompactAfterRecords] and
// [Config.CompactAfterBytes]).
const (
	DefaultCompactAfterRecords = 10000
	DefaultCompactAfterBytes   = 16 << 20
)

// Compaction is the answer to a compaction: the snapshot written, its
// fingerprint, and how many change records and journal bytes it replaced.
type Compaction struct {
	Snapshot       string `json:"snapshot"`
	SnapshotSHA256 string `json:"snapshotSha256"`
	Records        int    `json:"records"`
	Bytes          int64  `json:"bytes"`
}

// CompactedError is returned by [New] when a tenant's journal was
// compacted into a snapshot and the tenant file given is not the one the
// journal was started from, even with [Config.AllowChangedTenant]: the
// changes before the snapshot are part of it and can no longer be
// replayed onto another file.
type CompactedError struct {
	Tenant, Journal, Snapshot string
	Recorded, Given           string // hex SHA-256 fingerprints of tenant files
}

func (e *CompactedError) Error() string {
	return fmt.Sprintf("httpapi: tenant %s: journal %s was compacted into snapshot %s, started from a tenant file with SHA-256 %s, but the file given has SHA-256 %s; "+
		"the compacted changes cannot be replayed onto another file: restore that file, or move the journal and snapshot away to start from this file alone",
		e.Tenant, e.Journal, e.Snapshot, e.Recorded, e.Given)
}

// Compact compacts the journal of the tenant with the given id now: see
// "Compaction" in the package documentation. It is safe to call while
// serving; the tenant's changes wait for it.
func (s *Server) Compact(tenantID string) (Compaction, error) {
	st := s.tenants[tenantID]
	if st == nil {
		return Compaction{}, fmt.Errorf("httpapi: unknown tenant %q", tenantID)
	}
	return st.compactNow(s.cfg)
}

// compactNow takes the tenant's lock and compacts.
func (st *tenantState) compactNow(cfg Config) (Compaction, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.journal == nil {
		return Compaction{}, validate.Errors{{Path: "$", Msg: fmt.Sprintf("httpapi: tenant %s has no journal to compact: the server keeps its state in memory (serve with a data directory)", st.id), Err: capacity.ErrConflict}}
	}
	return st.compact(cfg)
}

// crashAt is nil outside tests; a test sets it to stop a compaction at a
// named step, as a crash there would, leaving the files as they are.
var crashAt = func(step string) bool { return false }

var errCrash = errors.New("httpapi: simulated crash")

// compactRetry is how many more change records a journal takes after a
// failed compaction before the next try: a full or read-only disk fails
// every try, and each serializes the whole state under the tenant's lock.
const compactRetry = 100

// maybeCompact compacts when the journal has crossed a threshold. A
// failure leaves the journal as it was (every change in it is durable) and
// is logged; the change compactRetry records later tries again. The caller
// holds st.mu.
func (st *tenantState) maybeCompact(cfg Config) {
	j := st.journal
	over := func(limit, v int64) bool { return limit > 0 && v >= limit }
	if !over(int64(cfg.CompactAfterRecords), int64(j.records)) && !over(cfg.CompactAfterBytes, j.size) {
		return
	}
	if j.records < st.compactRetryAt {
		return
	}
	if _, err := st.compact(cfg); err != nil {
		st.compactRetryAt = j.records + compactRetry
		cfg.Logger.Error("journal compaction failed; the journal is intact and grows on", "tenant", st.id, "err", err,
			"retryAfterRecords", compactRetry)
	}
}

// snapshotName is the file name of a tenant's snapshot of generation gen.
func snapshotName(tenantID string, gen int) string {
	return fmt.Sprintf("%s.snapshot-%06d.json", tenantID, gen)
}

// snapshotGen returns the generation of a snapshot name, 0 for none.
func snapshotGen(tenantID, name string) int {
	s, ok := strings.CutPrefix(name, tenantID+".snapshot-")
	if !ok {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSuffix(s, ".json"))
	return n
}

// compact writes the tenant's state as a snapshot and starts a fresh
// journal from it. The caller holds st.mu, so no change is in flight.
//
// The steps, and what a crash after each leaves:
//  1. The snapshot of the next generation is written to a temporary file,
//     fsynced and renamed into place, and the directory fsynced. A crash
//     before the rename leaves a temporary file; after it, a snapshot no
//     journal names. Either way the old journal still names the old
//     snapshot (or the tenant file), which is still there: the restart
//     replays it, and removes the stray file.
//  2. A journal holding only a header that names the new snapshot (and
//     still the tenant file the history started from) is written the same
//     way and renamed over the old journal. The rename is atomic: the
//     restart finds the old journal, as in 1, or the new one, whose
//     snapshot is complete since step 1 finished.
//  3. The old snapshot is removed. A crash before leaves it, unnamed,
//     and the restart removes it.
//
// A failure in 1 or 2 leaves the old journal in use, untouched, but for
// one: the new journal renamed into place and not opened again. Then the
// new snapshot stays (the journal names it) and the tenant takes no
// change until a restart.
func (st *tenantState) compact(cfg Config) (Compaction, error) {
	j := st.journal
	h := j.Header()
	if h == nil { // the header is written at start; never nil while serving
		return Compaction{}, errors.New("httpapi: journal without header")
	}
	dir := filepath.Dir(j.Path())
	name := snapshotName(st.id, snapshotGen(st.id, h.Snapshot)+1)
	// The snapshot streams to its file and its fingerprint as it is
	// written: held whole in memory first, it doubled the server's
	// footprint for the length of a compaction (a large tenant's file is
	// hundreds of megabytes).
	sum := sha256.New()
	if err := atomicfile.Write(filepath.Join(dir, name), 0o600, func(w io.Writer) error {
		return st.e().t.Save(io.MultiWriter(w, sum))
	}); err != nil {
		return Compaction{}, fmt.Errorf("httpapi: snapshot: %w", err)
	}
	if crashAt("snapshot written") {
		return Compaction{}, errCrash
	}
	out := Compaction{Snapshot: name, SnapshotSHA256: hex.EncodeToString(sum.Sum(nil)), Records: j.records, Bytes: j.size}
	nh := Header{Tenant: st.id, TenantFileSHA256: h.TenantFileSHA256, Snapshot: name, SnapshotSHA256: out.SnapshotSHA256}
	if err := j.reset(nh, cfg.Now().Unix()); err != nil {
		var inPlace *reopenError
		if errors.As(err, &inPlace) {
			// The journal on disk names the new snapshot: keep it, and
			// take no change until a restart opens that journal.
			st.broken = fmt.Errorf("httpapi: tenant %s: %w", st.id, err)
			return Compaction{}, st.broken
		}
		os.Remove(filepath.Join(dir, name))
		return Compaction{}, fmt.Errorf("httpapi: journal: %w", err)
	}
	st.compactRetryAt, st.file = 0, nil
	if crashAt("journal renamed") {
		return Compaction{}, errCrash
	}
	if h.Snapshot != "" && h.Snapshot != name {
		if err := os.Remove(filepath.Join(dir, h.Snapshot)); err != nil && !errors.Is(err, os.ErrNotExist) {
			cfg.Logger.Warn("could not remove the previous snapshot", "tenant", st.id, "err", err)
		}
	}
	return out, nil
}

// peekTenantID reads the "tenant" member of a tenant file without decoding
// the rest (it is usually the second member). ok is false when it cannot
// be found; the full parse then reports why.
func peekTenantID(file []byte) (id string, ok bool) {
	dec := jsontext.NewDecoder(bytes.NewReader(file))
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return "", false
	}
	for {
		name, err := dec.ReadToken()
		if err != nil || name.Kind() != '"' {
			return "", false
		}
		if name.String() == "tenant" {
			v, err := dec.ReadToken()
			if err != nil || v.Kind() != '"' {
				return "", false
			}
			return v.String(), true
		}
		if err := dec.SkipValue(); err != nil {
			return "", false
		}
	}
}

// loadSnapshot loads the snapshot that header h names, checking its
// fingerprint and tenant id.
func loadSnapshot(dir string, h *Header) (*engine, error) {
	if filepath.Base(h.Snapshot) != h.Snapshot || !strings.HasPrefix(h.Snapshot, h.Tenant+".snapshot-") {
		return nil, fmt.Errorf("httpapi: tenant %s: the journal names snapshot %q, not a snapshot of this tenant in %s", h.Tenant, h.Snapshot, dir)
	}
	path := filepath.Join(dir, h.Snapshot)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("httpapi: tenant %s: the journal's snapshot: %w", h.Tenant, err)
	}
	if fp := Fingerprint(data); fp != h.SnapshotSHA256 {
		return nil, fmt.Errorf("httpapi: tenant %s: snapshot %s has SHA-256 %s, but the journal recorded %s: it is damaged or was changed; restore it from a backup", h.Tenant, path, fp, h.SnapshotSHA256)
	}
	c, opt := newClock()
	t, err := tenant.Parse(data, opt)
	if err != nil {
		return nil, fmt.Errorf("httpapi: tenant %s: snapshot %s: %w", h.Tenant, path, err)
	}
	if t.ID != h.Tenant {
		return nil, fmt.Errorf("httpapi: tenant %s: snapshot %s holds tenant %q", h.Tenant, path, t.ID)
	}
	return newEngine(t, c), nil
}

// removeStray removes what a crash during a compaction may leave in dir
// for the tenant: temporary files, and snapshots other than keep (the one
// the journal names, "" for none).
func removeStray(dir, tenantID, keep string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	q := regexp.QuoteMeta(tenantID)
	stray := regexp.MustCompile(`^(` + q + `\.snapshot-\d{6}\.json|\.` + q + `\.(snapshot-\d{6}\.json|journal)\.tmp-\d+)$`)
	removed := false
	for _, e := range entries {
		if n := e.Name(); n != keep && stray.MatchString(n) {
			if os.Remove(filepath.Join(dir, n)) == nil {
				removed = true
			}
		}
	}
	if removed {
		syncDir(dir)
	}
}

// syncDir fsyncs a directory, so that renames and removals in it are
// durable. Best effort: some filesystems refuse.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
