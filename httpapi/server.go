package httpapi

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/opendispatch/dispatch/api"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/tenant"
)

// MaxBody is the largest request body accepted.
const MaxBody = 1 << 20

// Config configures a Server.
type Config struct {
	Clients []Client
	// TokenTTL is how long a token lives (0: 15 minutes); New refuses
	// a negative or sub-second lifetime, which expires_in (whole seconds)
	// would announce as 0 or less.
	TokenTTL time.Duration
	// RateLimit is requests a second per (app key, tenant), with a burst of
	// the same size (default 60; negative turns limiting off). A client's
	// token requests have a bucket of the same size of their own. Failed
	// authentications of a client id are limited apart, whatever
	// RateLimit says: see [FailedAuthBurst].
	RateLimit float64
	// DataDir, when set, keeps each tenant's journal there: changes are
	// durable and replayed at start.
	DataDir string
	// AllowChangedTenant lets a journal written against another version
	// of a tenant file (or before journals recorded one) be replayed onto
	// the file given. Without it, New refuses with a [TenantChangedError].
	// Either way, a record that no longer applies stops the start.
	AllowChangedTenant bool
	// CompactAfterRecords and CompactAfterBytes compact a tenant's journal
	// (see "Compaction" in the package documentation) once it holds that
	// many change records, or that many bytes; 0 takes the default
	// ([DefaultCompactAfterRecords], [DefaultCompactAfterBytes]), a
	// negative value turns the threshold off. [Server.Compact] compacts
	// on demand.
	CompactAfterRecords int
	CompactAfterBytes   int64
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger receives one structured line per request (default: none).
	Logger *slog.Logger
	// CORSOrigins are the origins whose browser applications may call the
	// server (scheme://host[:port], for example http://localhost:3000),
	// or "*" for any: their preflights are answered and their responses
	// carry the CORS headers (see "Browsers" in the package
	// documentation). Empty: no CORS headers, and an OPTIONS is 405.
	CORSOrigins []string
}

// Server serves the API. Create one with New; it is safe for concurrent
// use.
type Server struct {
	cfg     Config
	tenants map[string]*tenantState
	tokens  *tokens
	limit   *limiter
	// failures counts failed token authentications per known client id
	// (FailedAuthBurst, FailedAuthEvery).
	failures *limiter
	trace    atomic.Uint64
	// traceBase is the random prefix of this server's trace ids.
	traceBase uint32
	mux       *http.ServeMux
	// locks are the tenants' lock files in the data directory, held
	// until Close (see lockTenant).
	locks map[string]*os.File
}

// tenantState is one served tenant. mu serializes its changes (and their
// journal order); reads go straight to the engine.
type tenantState struct {
	id string
	// cur is the tenant's engine. It is replaced only when a change was
	// applied but could not be journaled (see rebuild), so that the
	// engine holds exactly the acknowledged changes again.
	cur     atomic.Pointer[engine]
	mu      sync.Mutex
	journal *Journal
	// file is the tenant file, which a rebuild replays the journal onto
	// until the first compaction; nil once a snapshot is the base.
	file []byte
	// snapshot is the snapshot the tenant was loaded from, "" when it was
	// loaded from its tenant file.
	snapshot string
	// broken is set, under mu, when a change could be neither journaled
	// nor taken back out of the engine: every later change is refused.
	broken error
	// appendFailed is set, under mu, when the last append failed: the
	// next change first checks that the journal takes a record.
	appendFailed bool
	// compactRetryAt is, after a failed compaction, the number of change
	// records the journal must hold before the next try (under mu).
	compactRetryAt int
}

// engine is a tenant's loaded state and the clock of its changes.
type engine struct {
	t     *tenant.Tenant
	svc   api.Service
	clock *clock
}

func newEngine(t *tenant.Tenant, c *clock) *engine {
	return &engine{t: t, svc: api.Service{T: t}, clock: c}
}

// e returns the tenant's engine.
func (st *tenantState) e() *engine { return st.cur.Load() }

func newTenantState(e *engine, snapshot string, file []byte) *tenantState {
	st := &tenantState{id: e.t.ID, snapshot: snapshot, file: file}
	st.cur.Store(e)
	return st
}

// clock is a tenant engine's clock: the server sets the time of each
// change (the wall clock live, the record's time on replay).
type clock struct{ at atomic.Int64 }

func (c *clock) now() time.Time { return time.Unix(c.at.Load(), 0) }

// newClock returns a clock and the engine option that installs it.
func newClock() (*clock, capacity.Option) {
	c := &clock{}
	return c, capacity.WithClock(c.now)
}

// New builds a server over tenant files (their bytes), replaying their
// journals when cfg.DataDir is set.
func New(cfg Config, files ...[]byte) (*Server, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.TokenTTL == 0 {
		cfg.TokenTTL = 15 * time.Minute
	}
	if cfg.TokenTTL < time.Second {
		// expires_in is whole seconds: a token would be announced dead.
		return nil, fmt.Errorf("httpapi: token lifetime %v is not at least 1s", cfg.TokenTTL)
	}
	if math.IsNaN(cfg.RateLimit) {
		return nil, errors.New("httpapi: rate limit is NaN")
	}
	if cfg.RateLimit == 0 {
		cfg.RateLimit = 60
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.CompactAfterRecords == 0 {
		cfg.CompactAfterRecords = DefaultCompactAfterRecords
	}
	if cfg.CompactAfterBytes == 0 {
		cfg.CompactAfterBytes = DefaultCompactAfterBytes
	}
	origins, err := checkOrigins(cfg.CORSOrigins)
	if err != nil {
		return nil, err
	}
	cfg.CORSOrigins = origins
	s := &Server{cfg: cfg, tenants: map[string]*tenantState{},
		tokens: &tokens{m: map[string]token{}, ttl: cfg.TokenTTL, now: cfg.Now},
		limit:  &limiter{rate: cfg.RateLimit, burst: max(cfg.RateLimit, 1), buckets: map[[2]string]*bucket{}, now: cfg.Now}}
	s.failures = &limiter{rate: float64(time.Second) / float64(FailedAuthEvery), burst: FailedAuthBurst, buckets: map[[2]string]*bucket{}, now: cfg.Now}
	for i, file := range files {
		if err := s.addTenant(i, file); err != nil {
			s.Close()
			return nil, err
		}
	}
	var b [4]byte
	rand.Read(b[:]) // crypto/rand does not fail on supported systems
	s.traceBase = binary.BigEndian.Uint32(b[:])
	s.routes()
	return s, nil
}

// addTenant loads the i-th tenant file. With a data directory it opens
// the tenant's journal first: when the journal was compacted and names
// the file's fingerprint, the tenant starts from the journal's snapshot
// and the file is not parsed at all (its bytes were checked when the
// history began). Then the journal is replayed.
func (s *Server) addTenant(i int, file []byte) error {
	fp := Fingerprint(file)
	var st *tenantState
	var j *Journal
	var recs []Record
	if s.cfg.DataDir != "" {
		if id, ok := peekTenantID(file); ok && s.tenants[id] == nil && validTenantID(id) {
			if err := s.lockTenant(id); err != nil {
				return err
			}
			var err error
			if j, recs, err = OpenJournal(s.cfg.DataDir, id); err != nil {
				return fmt.Errorf("httpapi: tenant %s: %w", id, unprefixed{err})
			}
			if h := j.Header(); h != nil && h.Tenant == id && h.Snapshot != "" {
				if h.TenantFileSHA256 != fp {
					j.Close()
					if !s.cfg.AllowChangedTenant {
						return &TenantChangedError{Tenant: id, Journal: j.Path(), Recorded: h.TenantFileSHA256, Given: fp, Snapshot: h.Snapshot}
					}
					return &CompactedError{Tenant: id, Journal: j.Path(), Snapshot: h.Snapshot, Recorded: h.TenantFileSHA256, Given: fp}
				}
				e, err := loadSnapshot(s.cfg.DataDir, h)
				if err != nil {
					j.Close()
					return err
				}
				st = newTenantState(e, h.Snapshot, nil)
			}
		}
	}
	if st == nil {
		e, err := parseEngine(file)
		if err != nil {
			if j != nil {
				j.Close()
			}
			return fmt.Errorf("tenant %d: %w", i+1, err)
		}
		st = newTenantState(e, "", file)
	}
	id := st.id
	if _, dup := s.tenants[id]; dup {
		if j != nil {
			j.Close()
		}
		return fmt.Errorf("httpapi: tenant %s given twice", id)
	}
	if s.cfg.DataDir != "" && !validTenantID(id) {
		if j != nil {
			j.Close()
		}
		return fmt.Errorf("httpapi: tenant %s: the id cannot name a file in the data directory %s: it must not be blank, \".\" or \"..\", nor hold \"/\", \"\\\", a control character, or more than %d bytes",
			strconv.QuoteToASCII(cut(id, 80)), s.cfg.DataDir, maxFileTenantID)
	}
	s.tenants[id] = st
	if s.cfg.DataDir == "" {
		return nil
	}
	if j == nil || filepath.Base(j.Path()) != id+".journal" {
		if j != nil {
			j.Close()
		}
		if err := s.lockTenant(id); err != nil {
			return err
		}
		var err error
		if j, recs, err = OpenJournal(s.cfg.DataDir, id); err != nil {
			return fmt.Errorf("httpapi: tenant %s: %w", id, unprefixed{err})
		}
	}
	return st.replay(s.cfg, j, recs, fp)
}

// maxFileTenantID is the longest tenant id, in bytes, that names files in
// a data directory: with ".snapshot-NNNNNN.json" and a temporary file's
// affixes, a name stays within the 255 bytes file systems allow.
const maxFileTenantID = 200

// validTenantID reports whether id can name files in a data directory, and
// no file outside it: not blank, not a dot name, no path separator, no
// control character (NUL included), at most maxFileTenantID bytes.
func validTenantID(id string) bool {
	return strings.TrimSpace(id) != "" && id != "." && id != ".." && len(id) <= maxFileTenantID &&
		!strings.ContainsFunc(id, func(r rune) bool { return r == '/' || r == '\\' || r < 0x20 || r == 0x7f })
}

// errLocked is tryLock's error for a lock another open file holds.
var errLocked = errors.New("httpapi: locked")

// lockTenant takes the lock of tenant id in the data directory, the file
// "<id>.lock" (created, never removed), and holds it until Close: a second
// server started on the same directory and tenant — whose appends would
// interleave with this one's, and whose compactions would replace the
// journal under it — is refused. The lock is an flock (where the system
// has one), released by the operating system when the process ends, so a
// crash leaves no stale lock.
func (s *Server) lockTenant(id string) error {
	if s.locks[id] != nil {
		return nil
	}
	if err := os.MkdirAll(s.cfg.DataDir, 0o700); err != nil {
		return err
	}
	path := filepath.Join(s.cfg.DataDir, id+".lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|noFollow, 0o600)
	if err != nil {
		return fmt.Errorf("httpapi: tenant %s: lock: %w", id, err)
	}
	if err := tryLock(f); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return fmt.Errorf("httpapi: tenant %s: the data directory %s is in use by another server (%s is locked): two servers on one journal would corrupt it; stop the other, or give this one another --data", id, s.cfg.DataDir, path)
		}
		return fmt.Errorf("httpapi: tenant %s: lock %s: %w", id, path, err)
	}
	if s.locks == nil {
		s.locks = map[string]*os.File{}
	}
	s.locks[id] = f
	return nil
}

// replay takes the tenant's journal, checks that it was written against
// the tenant file whose fingerprint is fp (or its snapshot, already
// loaded), replays it, removes what an interrupted compaction left, and
// records fp when the journal is new (or, by permission, was written
// against another file).
func (st *tenantState) replay(cfg Config, j *Journal, recs []Record, fp string) error {
	id := st.id
	st.journal = j
	h := j.Header()
	switch {
	case h == nil && len(recs) == 0: // a new journal
	case h != nil && h.Tenant != id:
		return fmt.Errorf("httpapi: tenant %s: journal %s belongs to tenant %q: move it away", id, j.Path(), h.Tenant)
	case h != nil && h.Snapshot != st.snapshot:
		// Only when the tenant file's id could not be read before parsing.
		return fmt.Errorf("httpapi: tenant %s: journal %s applies to snapshot %s, which was not loaded", id, j.Path(), h.Snapshot)
	case h == nil && !cfg.AllowChangedTenant:
		return &TenantChangedError{Tenant: id, Journal: j.Path(), Given: fp}
	case h != nil && h.TenantFileSHA256 != fp && !cfg.AllowChangedTenant:
		return &TenantChangedError{Tenant: id, Journal: j.Path(), Recorded: h.TenantFileSHA256, Given: fp}
	}
	if err := st.e().applyAll(j.Path(), recs, "does not apply to this tenant file"); err != nil {
		return fmt.Errorf("httpapi: tenant %s: %w", id, err)
	}
	keep := ""
	if h != nil {
		keep = h.Snapshot
	}
	removeStray(cfg.DataDir, id, keep)
	if h == nil || h.TenantFileSHA256 != fp {
		// New, or replayed onto a changed file by permission: from here on
		// the journal is checked against this file.
		if err := j.WriteHeader(Header{Tenant: id, TenantFileSHA256: fp}, cfg.Now().Unix()); err != nil {
			return err
		}
	}
	// A crash between a change's append and the compaction it triggers
	// leaves a journal at the threshold: compact it now rather than at
	// the next change, so that the restart after this one stays fast.
	st.maybeCompact(cfg)
	return nil
}

// journalInPlace checks, before a change, that the journal is still the
// file at its path. One removed while serving (by hand, or a cleaner of
// old files in /tmp) is written again by a compaction: the snapshot of the
// tenant's state, which holds every change acknowledged, and a journal
// naming it. One replaced by another file is not touched, and the change
// is refused. The caller holds st.mu.
func (st *tenantState) journalInPlace(cfg Config) error {
	if st.journal == nil {
		return nil
	}
	gone, replaced := st.journal.gone()
	switch {
	case !gone:
		return nil
	case replaced:
		return fmt.Errorf("httpapi: tenant %s: journal %s was replaced by another file while serving: the change is refused; restart the server to use that file, or move it away", st.id, st.journal.Path())
	}
	if _, err := st.compact(cfg); err != nil {
		return fmt.Errorf("httpapi: tenant %s: journal %s was removed while serving and could not be written again: %w", st.id, st.journal.Path(), err)
	}
	cfg.Logger.Warn("journal removed while serving: written again from the tenant's state (a snapshot and a new journal)", "tenant", st.id, "journal", st.journal.Path())
	return nil
}

// rebuild replaces the tenant's engine by one loaded as a start loads it:
// the snapshot the journal names, or the tenant file, and the journal's
// change records since. It follows a change that was applied but could
// not be journaled, so that the engine holds the acknowledged changes and
// no other. The caller holds st.mu.
func (st *tenantState) rebuild(cfg Config) error {
	j := st.journal
	var e *engine
	var err error
	if h := j.Header(); h != nil && h.Snapshot != "" {
		e, err = loadSnapshot(cfg.DataDir, h)
	} else {
		e, err = parseEngine(st.file)
	}
	if err != nil {
		return err
	}
	recs, _, err := readRecords(io.NewSectionReader(j.f, 0, j.size), j.path)
	if err != nil {
		return err
	}
	recs = slices.DeleteFunc(recs, func(r Record) bool { return r.Op == "header" })
	if err := e.applyAll(j.path, recs, "does not apply again"); err != nil {
		return err
	}
	st.cur.Store(e)
	return nil
}

// parseEngine loads a tenant file as a start does, with a clock of its
// own that each change sets.
func parseEngine(file []byte) (*engine, error) {
	c, opt := newClock()
	t, err := tenant.Parse(file, opt)
	if err != nil {
		return nil, err
	}
	return newEngine(t, c), nil
}

// applyAll applies a journal's change records in order. The error names
// the first that does not apply by its number among the changes and its
// line in the journal at path, then says why (what, and the cause).
func (e *engine) applyAll(path string, recs []Record, what string) error {
	for k, rec := range recs {
		if _, err := e.apply(rec); err != nil {
			return fmt.Errorf("journal %s: record %d (%s at %s, line %d) %s: %w", path, k+1, rec.Op,
				time.Unix(rec.At, 0).UTC().Format(time.RFC3339), rec.line, what, err)
		}
	}
	return nil
}

// Close closes the journals and releases the data directory's locks.
func (s *Server) Close() error {
	var errs []error
	for _, st := range s.tenants {
		if st.journal != nil {
			errs = append(errs, st.journal.Close())
		}
	}
	for id, f := range s.locks {
		errs = append(errs, f.Close())
		delete(s.locks, id)
	}
	return errors.Join(errs...)
}

// apply performs a change at the record's time and returns the
// operation's answer. Live requests and journal replay both come here, so
// a replayed change is exactly the change that was acknowledged. The
// caller holds the tenant's mu, or runs before serving.
func (e *engine) apply(rec Record) (any, error) {
	e.clock.at.Store(rec.At)
	by := &capacity.Actor{Name: rec.By}
	switch rec.Op {
	case "assign":
		recs, ws, err := e.svc.Assign(rec.Body, by)
		return answer{recs, ws}, err
	case "unassign":
		return e.svc.Unassign(rec.Body, by)
	case "shifts":
		return e.svc.CreateShifts(rec.Body)
	}
	if out, ok, err := e.applyLifecycle(rec); ok {
		return out, err
	}
	return e.applyExtension(rec, by)
}

// Handler returns the server's HTTP handler: the request log, a panic
// safety net, the security headers, the CORS headers of allowed origins,
// then routing.
func (s *Server) Handler() http.Handler {
	return s.logged(s.recovered(secured(s.cors(http.HandlerFunc(s.route)))))
}

// secured sets the security headers of every response (see
// setSecurityHeaders).
func secured(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setSecurityHeaders(w.Header())
		h.ServeHTTP(w, r)
	})
}

// setSecurityHeaders sets the headers every response carries, errors
// included: X-Content-Type-Options: nosniff, so that a browser never
// reads a JSON answer (which may echo a path or a name) as HTML or
// script, and Cache-Control: no-store, so that neither a shared cache nor
// a browser's keeps tenant data, a token (RFC 6749 §5.1) or an answer
// that depends on the caller's token.
func setSecurityHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
}

// Prefixes are the two route prefixes every operation is served under:
// the real service's and the contract's server URL (DESIGN §6). A path
// has one reading whatever the tenant ids, "tenant" included: below the
// prefix, no operation path is a segment followed by another operation
// path, so "/dispatch/v2/tenant/zones" can only be the zones of tenant
// "tenant" and "/dispatch/v2/tenant/tenant/zones" the same by the other
// prefix. (The extension's "/capacity-adjustments/{id}" is DELETE only;
// "/dispatch/v2/tenant/capacity-adjustments/zones" is a GET of the zones
// of a tenant named "capacity-adjustments" and, by its method alone, a
// DELETE of adjustment "zones", which is no id.)
var Prefixes = []string{"/dispatch/v2/tenant/{tenant}", "/dispatch/v2/{tenant}"}

// operation is one operation of the contract: its method, its path below
// a tenant prefix and its handler.
type operation struct {
	method, path string
	h            http.Handler
}

// operations returns the contract's nine operations.
func (s *Server) operations() []operation {
	return []operation{
		{"GET", "/appointment-assignments", s.api(func(st *tenantState, r *http.Request, _ []byte) (any, error) {
			return st.e().svc.ListAssignments(query(r))
		})},
		{"POST", "/appointment-assignments/assign-technicians", s.api(s.change("assign"))},
		{"POST", "/appointment-assignments/unassign-technicians", s.api(s.change("unassign"))},
		{"GET", "/technician-shifts", s.api(func(st *tenantState, r *http.Request, _ []byte) (any, error) {
			return st.e().svc.ListShifts(query(r))
		})},
		{"POST", "/technician-shifts", s.api(s.change("shifts"))},
		{"POST", "/capacity", s.api(func(st *tenantState, _ *http.Request, body []byte) (any, error) {
			b, err := st.e().svc.Capacity(body)
			return json.RawMessage(b), err
		})},
		{"GET", "/zones", s.api(func(st *tenantState, _ *http.Request, _ []byte) (any, error) { return st.e().svc.Zones(), nil })},
		{"GET", "/business-hours", s.api(func(st *tenantState, _ *http.Request, _ []byte) (any, error) {
			return st.e().svc.BusinessHours(), nil
		})},
		{"GET", "/gps-pings", s.api(func(st *tenantState, r *http.Request, _ []byte) (any, error) {
			return st.e().svc.GPS(query(r))
		})},
	}
}

// newMux registers ops under both prefixes, and the token endpoint.
func newMux(ops []operation, token http.Handler) *http.ServeMux {
	m := http.NewServeMux()
	m.Handle("POST /connect/token", token)
	for _, p := range Prefixes {
		for _, op := range ops {
			m.Handle(op.method+" "+p+op.path, op.h)
		}
	}
	return m
}

func (s *Server) routes() {
	s.mux = newMux(append(s.operations(), s.extensions()...), http.HandlerFunc(s.token))
}

// route serves r with the operation its method and path name. A path no
// operation has is 404; a known path with another method is 405 with
// Allow; a method outside [knownMethods] is 501. All are problem
// documents.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	if p := r.URL.Path; p == "" || p[0] != '/' || path.Clean(p) != p {
		// ServeMux would answer a redirect to the cleaned path (and an
		// HTML body): no operation has a path with "." or ".." segments,
		// an empty segment or a trailing slash.
		s.fail(w, http.StatusNotFound, "no such operation", "$", cut(p, 200)+" is not a path of the contract: it has an empty, \".\" or \"..\" segment or a trailing slash")
		return
	}
	if !knownMethods[r.Method] {
		// RFC 9110 §9.1: a method the server does not recognize is 501
		// (methods are case-sensitive: "get" is not GET).
		s.fail(w, http.StatusNotImplemented, "unknown method", "$",
			strconv.Quote(cut(r.Method, 20))+" is not a method this server implements: use GET, HEAD, POST, PATCH or DELETE as the operation says")
		return
	}
	if _, pattern := s.mux.Handler(r); pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	allow := s.methods(r)
	path := cut(r.URL.Path, 200)
	if len(allow) == 0 {
		s.fail(w, http.StatusNotFound, "no such operation", "$", path+" is not a path of the contract")
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	s.fail(w, http.StatusMethodNotAllowed, "wrong method for this path", "$",
		fmt.Sprintf("%s is not allowed on %s: use %s", cut(r.Method, 20), path, strings.Join(allow, " or ")))
}

// methods returns the methods r's path takes, none when no operation
// has that path.
func (s *Server) methods(r *http.Request) []string {
	var allow []string
	for _, m := range []string{"GET", "HEAD", "POST", "PATCH", "DELETE"} {
		probe := *r
		probe.Method = m
		if _, pattern := s.mux.Handler(&probe); pattern != "" {
			allow = append(allow, m)
		}
	}
	return allow
}

// knownMethods are the methods of RFC 9110 §9 and PATCH (RFC 5789): on a
// path of the contract, one the path does not take is 405 with Allow; any
// other method is 501 Not Implemented, whatever the path.
var knownMethods = map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true,
	"OPTIONS": true, "CONNECT": true, "TRACE": true}

// change returns the handler of a journaled change.
func (s *Server) change(op string) func(*tenantState, *http.Request, []byte) (any, error) {
	return s.journaled(op, nil)
}

// journaled returns the handler of a journaled change whose record body
// is what record makes of the request (the request's body when record is
// nil), under the tenant's lock: what is journaled is exactly what is
// applied, and a replay applies it again.
func (s *Server) journaled(op string, record func(st *tenantState, r *http.Request, body []byte) ([]byte, error)) func(*tenantState, *http.Request, []byte) (any, error) {
	return func(st *tenantState, r *http.Request, body []byte) (any, error) {
		client := r.Context().Value(clientKey{}).(*Client)
		id, err := pathID(r)
		if err != nil {
			return nil, err
		}
		st.mu.Lock()
		defer st.mu.Unlock()
		if st.broken != nil {
			return nil, notRecorded{st.broken}
		}
		if err := st.journalInPlace(s.cfg); err != nil {
			return nil, notRecorded{err}
		}
		if st.appendFailed && st.journal != nil {
			// The last append failed: before applying a change that a
			// failed append would make the engine load again, see that
			// the journal takes a record (its header again, which
			// changes nothing), and refuse the change at once if not.
			if err := st.journal.WriteHeader(*st.journal.Header(), s.cfg.Now().Unix()); err != nil {
				return nil, notRecorded{fmt.Errorf("httpapi: journal: %w", err)}
			}
			st.appendFailed = false
		}
		if record != nil {
			var err error
			if body, err = record(st, r, body); err != nil {
				return nil, err
			}
		}
		rec := Record{Op: op, At: s.cfg.Now().Unix(), By: client.ID, ID: id, Body: body}
		out, err := st.e().apply(rec)
		if err != nil {
			return nil, err // refused: nothing changed, nothing journaled
		}
		if st.journal != nil {
			if err := st.journal.Append(rec); err != nil {
				// The engine holds a change that is not acknowledged:
				// load the acknowledged state again, or stop changes.
				st.appendFailed = true
				if rerr := st.rebuild(s.cfg); rerr != nil {
					st.broken = fmt.Errorf("httpapi: tenant %s: a change could not be journaled (%v) nor taken back (%w): changes are refused until a restart", st.id, err, rerr)
					s.cfg.Logger.Error("tenant state diverged from its journal; changes stopped", "tenant", st.id, "err", st.broken)
				}
				return nil, notRecorded{fmt.Errorf("httpapi: journal: %w", err)}
			}
			st.maybeCompact(s.cfg)
		}
		return out, nil
	}
}

// unprefixed is an error of this package quoted inside another of its
// errors: its "httpapi: " prefix is left out, so that the message names
// the package once.
type unprefixed struct{ err error }

func (e unprefixed) Error() string { return strings.TrimPrefix(e.err.Error(), "httpapi: ") }
func (e unprefixed) Unwrap() error { return e.err }

// notRecorded is the error of a change that was not made because the
// journal could not take it: a 500 that tells the client so.
type notRecorded struct{ err error }

func (e notRecorded) Error() string { return e.err.Error() }
func (e notRecorded) Unwrap() error { return e.err }

type clientKey struct{}

// bearerToken returns the token of an Authorization header with the
// Bearer scheme, whose name is case-insensitive (RFC 9110 §11.1).
func bearerToken(h []string) (string, bool) {
	if len(h) != 1 {
		return "", false
	}
	scheme, tok, ok := strings.Cut(h[0], " ")
	tok = strings.TrimLeft(tok, " ")
	return tok, ok && strings.EqualFold(scheme, "Bearer") && tok != ""
}

// tokenElsewhere names where r may carry a token other than its
// Authorization header (RFC 6750 §2.2 and §2.3, which this server does not
// take): "query" for an access_token parameter, "form body" for a form
// (not read: it comes from an unauthenticated client), "" for neither.
func tokenElsewhere(r *http.Request) string {
	if r.URL.RawQuery != "" {
		if v, _ := parseQuery(r.URL.RawQuery); v.Has("access_token") {
			return "query"
		}
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && mt == "application/x-www-form-urlencoded" {
		return "form body"
	}
	return ""
}

// checkJSON reports why a request body is not JSON, or "" when it is:
// the header at fault and why. Content-Type must be application/json,
// whose charset, if given, must be UTF-8 (RFC 8259 §8.1); Content-Encoding
// must be absent or identity.
func checkJSON(r *http.Request) (header, why string) {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return "Content-Type", "the request has no Content-Type: send application/json"
	}
	mt, params, err := mime.ParseMediaType(ct)
	switch {
	case err != nil:
		return "Content-Type", "Content-Type " + strconv.Quote(cut(ct, 100)) + " is malformed: send application/json"
	case mt != "application/json":
		return "Content-Type", "Content-Type " + strconv.Quote(cut(mt, 100)) + " is not supported: send application/json"
	case params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8"):
		return "Content-Type", "charset " + strconv.Quote(cut(params["charset"], 40)) + " is not supported: JSON is UTF-8"
	}
	if ce := r.Header.Get("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		return "Content-Encoding", "Content-Encoding " + strconv.Quote(cut(ce, 40)) + " is not supported: send the body unencoded"
	}
	return "", ""
}

// emptyBody reports whether r has no body: a Content-Length of 0, or a
// body of unknown length (chunked) that ends before its first byte. The
// latter reads at most one byte, which only a body refused for its
// missing Content-Type loses.
func emptyBody(r *http.Request) bool {
	if r.ContentLength != -1 {
		return r.ContentLength == 0
	}
	var b [1]byte
	n, err := io.ReadFull(r.Body, b[:])
	return n == 0 && err == io.EOF
}

// api wraps an operation with authentication, authorization, rate
// limiting, the content type, the body limit and error mapping.
func (s *Server) api(op func(*tenantState, *http.Request, []byte) (any, error)) http.Handler {
	return s.apiWith(false, op)
}

// bodiless is api for a POST that takes no input (cancel, deactivate,
// compact): the body may be absent, without a Content-Type, or the JSON
// object {}; anything else is refused.
func (s *Server) bodiless(op func(*tenantState, *http.Request, []byte) (any, error)) http.Handler {
	return s.apiWith(true, func(st *tenantState, r *http.Request, body []byte) (any, error) {
		if len(body) > 0 {
			if err := emptyObject(body); err != nil {
				return nil, err
			}
		}
		return op(st, r, nil)
	})
}

func (s *Server) apiWith(noBody bool, op func(*tenantState, *http.Request, []byte) (any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := len(r.Header.Values("Authorization")); n > 1 {
			// RFC 6750 §3.1: more than one method of sending the token
			// is a malformed request.
			w.Header().Set("WWW-Authenticate", `Bearer realm="dispatch", error="invalid_request"`)
			s.fail(w, http.StatusBadRequest, "more than one Authorization header", "Authorization",
				fmt.Sprintf("%d Authorization headers: send one, Bearer <token>", n))
			return
		}
		tok, ok := bearerToken(r.Header.Values("Authorization"))
		if !ok {
			msg := "send Authorization: Bearer <token> with a token from POST /connect/token"
			// RFC 6750 §3.1: an unsupported way to authenticate is still
			// a 401 without an error code; say which.
			switch tokenElsewhere(r) {
			case "query":
				msg = "the access_token in the query is not read (this server takes the token from the Authorization header only, RFC 6750 §2.1): " + msg
			case "form body":
				msg = "a form body is not read for an access_token (this server takes the token from the Authorization header only, RFC 6750 §2.1): " + msg
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="dispatch"`)
			s.fail(w, http.StatusUnauthorized, "missing bearer token", "Authorization", msg)
			return
		}
		client, valid := s.tokens.check(tok)
		if !valid {
			w.Header().Set("WWW-Authenticate", `Bearer realm="dispatch", error="invalid_token"`)
			s.fail(w, http.StatusUnauthorized, "unknown or expired bearer token", "Authorization", "get a new token from POST /connect/token")
			return
		}
		key := r.Header.Get("ST-App-Key")
		if key == "" || subtleEq(key, client.AppKey) != 1 {
			s.fail(w, http.StatusForbidden, "missing or wrong ST-App-Key", "ST-App-Key", "the header must carry the client's app key")
			return
		}
		id := r.PathValue("tenant")
		st := s.tenants[id]
		if st == nil || !client.reaches(id) {
			s.fail(w, http.StatusForbidden, "tenant not reachable", "tenant", "this client may not reach tenant "+strconv.Quote(cut(id, 64)))
			return
		}
		if ok, wait := s.limit.allow([2]string{client.AppKey, id}); !ok {
			setRetryAfter(w, wait)
			s.problem(w, http.StatusTooManyRequests, "rate limit exceeded: retry after the seconds in Retry-After", nil)
			return
		}
		var body []byte
		if (r.Method == http.MethodPost || r.Method == http.MethodPatch) && !(noBody && r.Header.Get("Content-Type") == "" && emptyBody(r)) {
			if header, why := checkJSON(r); why != "" {
				// RFC 9110 §15.5.16: say what would be taken.
				detail := "unsupported media type"
				if header == "Content-Encoding" {
					detail = "unsupported content coding"
					w.Header().Set("Accept-Encoding", "identity")
				} else {
					w.Header().Set("Accept", "application/json")
					if r.Method == http.MethodPatch {
						// RFC 5789 §2.2: a 415 to a PATCH names the
						// patch documents taken (§3.1).
						w.Header().Set("Accept-Patch", "application/json")
					}
				}
				s.fail(w, http.StatusUnsupportedMediaType, detail, header, why)
				return
			}
			if r.ContentLength > MaxBody {
				// Refused before a byte of it is read: a client that
				// sent Expect: 100-continue gets no 100 (Continue) for a
				// body that could never be taken, and sends nothing.
				w.Header().Set("Connection", "close")
				s.problem(w, http.StatusRequestEntityTooLarge, "request body over 1 MiB", nil)
				return
			}
			var err error
			body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				s.problem(w, http.StatusRequestEntityTooLarge, "request body over 1 MiB", nil)
				return
			}
			if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
				// RFC 9110 §15.5.9: the body did not arrive in the time
				// the server waits (the server's read timeout).
				w.Header().Set("Connection", "close")
				s.problem(w, http.StatusRequestTimeout, "the request body did not arrive in time", nil)
				return
			}
			if err != nil {
				s.problem(w, http.StatusBadRequest, "could not read the request body", nil)
				return
			}
			if !noBody && bytes.Equal(bytes.TrimSpace(body), []byte("null")) {
				// Every request schema is an object; the strict decoder
				// reads null as an empty one, which made a PATCH of null
				// a 200 that changed nothing. (A bodiless operation says
				// it its own way: see emptyObject.) Refused here, not in
				// package api, so that a journal holding such a PATCH
				// still replays.
				s.fail(w, http.StatusBadRequest, "", "$", "httpapi: the body is null: send a JSON object")
				return
			}
		}
		var q url.Values
		if r.URL.RawQuery != "" {
			var probs []api.Problem
			if q, probs = parseQuery(r.URL.RawQuery); len(probs) > 0 {
				s.problem(w, http.StatusBadRequest, "the query does not parse", probs)
				return
			}
			if !readsQuery(r) {
				s.problem(w, http.StatusBadRequest, "this operation takes no query parameters", queryProblems(q))
				return
			}
		}
		// RFC 9110 §13.1.1: If-Match is evaluated after the request's
		// own checks, before its content is processed (§13.2.1), and the
		// method is not performed when it is false. No response carries
		// an entity tag, so no list of tags matches; "*" holds for a
		// record that exists (the operation answers 404 otherwise). A
		// change is refused before it is attempted; a read, whose checks
		// are the operation's, is answered 412 only where it would have
		// succeeded.
		failed := ifMatchFails(r)
		if failed && r.Method != http.MethodGet && r.Method != http.MethodHead {
			s.preconditionFailed(w, r)
			return
		}
		out, err := op(st, r.WithContext(withQuery(contextWith(r.Context(), client), q)), body)
		if err != nil {
			status := api.Status(err)
			if status == http.StatusInternalServerError {
				detail, msg := "", "internal error: the server log has the details under this traceId"
				if errors.As(err, new(notRecorded)) {
					detail = "change not made: the server cannot record changes"
					msg = "the change was not made: the server could not write it to its journal (a full or read-only disk?); the server log has the details under this traceId"
				}
				trace := s.fail(w, status, detail, "$", msg)
				s.cfg.Logger.Error("operation failed", "traceId", trace, "method", r.Method, "path", r.URL.Path, "err", err)
				return
			}
			s.problemFound(w, status, "", api.Problems(err), api.Found(err))
			return
		}
		if failed {
			s.preconditionFailed(w, r)
			return
		}
		if a, ok := out.(answer); ok {
			setWarnings(w.Header(), a.warnings)
			out = a.body
		}
		w.Header().Set("Content-Type", "application/json")
		if raw, ok := out.(json.RawMessage); ok {
			w.Write(raw)
			return
		}
		json.NewEncoder(w).Encode(out)
	})
}

// ifMatchFails reports whether r has an If-Match condition that no
// response of this server can meet: any but "*", since no response
// carries an entity tag.
func ifMatchFails(r *http.Request) bool {
	im := r.Header.Values("If-Match")
	return len(im) > 0 && !(len(im) == 1 && strings.TrimSpace(im[0]) == "*")
}

// preconditionFailed answers a request whose If-Match fails: 412, and the
// request is not performed.
func (s *Server) preconditionFailed(w http.ResponseWriter, r *http.Request) {
	s.fail(w, http.StatusPreconditionFailed, "precondition failed", "If-Match",
		"this server sends no entity tags, so If-Match "+strconv.Quote(cut(strings.Join(r.Header.Values("If-Match"), ", "), 100))+
			" matches nothing: the request was not performed; send it without If-Match, or with If-Match: *")
}

// queryPaths are the paths whose GET reads query parameters (and checks
// them: an unknown one is a 400). Every other operation takes none, and a
// request to it with a query is a 400 too, whatever the parameters.
var queryPaths = []string{"/appointment-assignments", "/technician-shifts", "/gps-pings", "/capacity-adjustments", "/appointments", "/technicians"}

// readsQuery reports whether r's operation reads query parameters.
func readsQuery(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	for _, p := range queryPaths {
		if strings.HasSuffix(r.Pattern, "}"+p) {
			return true
		}
	}
	return false
}

// recovered is the safety net under every handler: a panic is logged with
// its stack and answered with a 500 problem document or, when the reply
// has begun, by cutting the connection, so that a client never takes a
// truncated reply for a whole one.
func (s *Server) recovered(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			stack := string(debug.Stack())
			if rec, ok := w.(*statusRecorder); ok && rec.wrote {
				s.cfg.Logger.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", stack)
				panic(http.ErrAbortHandler)
			}
			for k := range w.Header() {
				w.Header().Del(k)
			}
			setSecurityHeaders(w.Header())
			trace := s.fail(w, http.StatusInternalServerError, "", "$",
				"internal error: the server log has the details under this traceId")
			s.cfg.Logger.Error("panic serving request", "traceId", trace, "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", stack)
		}()
		h.ServeHTTP(w, r)
	})
}

// logged writes one structured log line per request, without secrets:
// no headers, no bodies, no query strings. Its attributes are method,
// path, status, durationMs (milliseconds as a number, to the microsecond),
// bytes (of the response body) and, when the answer is a problem document,
// its traceId.
func (s *Server) logged(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.cfg.Now()
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		defer func() {
			d := s.cfg.Now().Sub(start)
			attrs := []any{"method", r.Method, "path", r.URL.Path, "status", rec.status,
				"durationMs", float64(d.Microseconds()) / 1000, "bytes", rec.bytes}
			if rec.trace != "" {
				attrs = append(attrs, "traceId", rec.trace)
			}
			s.cfg.Logger.Info("request", attrs...)
		}()
		h.ServeHTTP(rec, r)
	})
}

// statusRecorder records a response's status and size.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
	wrote  bool   // the header is sent
	trace  string // the traceId of the problem document answered, if any
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status = code
		s.wrote = code >= 200 // 1xx are interim
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// Unwrap gives http.ResponseController the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// TenantIDs returns the ids of the tenants served, sorted.
func (s *Server) TenantIDs() []string {
	ids := make([]string, 0, len(s.tenants))
	for id := range s.tenants {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// AddClient adds a client before serving starts (the demo client of
// dispatch serve). It is not safe to call while serving.
func (s *Server) AddClient(c Client) { s.cfg.Clients = append(s.cfg.Clients, c) }
