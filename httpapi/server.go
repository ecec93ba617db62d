package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
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
	// TokenTTL is how long a token lives (default 15 minutes).
	TokenTTL time.Duration
	// RateLimit is requests a second per (app key, tenant), with a burst of
	// the same size (default 60; negative turns limiting off).
	RateLimit float64
	// DataDir, when set, keeps each tenant's journal there: changes are
	// durable and replayed at start.
	DataDir string
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger receives one structured line per request (default: none).
	Logger *slog.Logger
}

// Server serves the API. Create one with New; it is safe for concurrent
// use.
type Server struct {
	cfg     Config
	tenants map[string]*tenantState
	tokens  *tokens
	limit   *limiter
	trace   atomic.Uint64
	mux     *http.ServeMux
}

// tenantState is one served tenant. mu serializes its changes (and their
// journal order); reads go straight to the engine.
type tenantState struct {
	t       *tenant.Tenant
	svc     api.Service
	mu      sync.Mutex
	journal *Journal
	clock   *clock
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

// load parses tenant files for serving: each engine gets a clock the
// server controls.
func load(files ...[]byte) ([]*tenant.Tenant, []*clock, error) {
	var ts []*tenant.Tenant
	var cs []*clock
	for i, data := range files {
		c, opt := newClock()
		t, err := tenant.Parse(data, opt)
		if err != nil {
			return nil, nil, fmt.Errorf("tenant %d: %w", i+1, err)
		}
		ts = append(ts, t)
		cs = append(cs, c)
	}
	return ts, cs, nil
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
	if cfg.RateLimit == 0 {
		cfg.RateLimit = 60
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	ts, clocks, err := load(files...)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, tenants: map[string]*tenantState{},
		tokens: &tokens{m: map[string]token{}, ttl: cfg.TokenTTL, now: cfg.Now},
		limit:  &limiter{rate: cfg.RateLimit, burst: max(cfg.RateLimit, 1), buckets: map[[2]string]*bucket{}, now: cfg.Now}}
	for i, t := range ts {
		if _, dup := s.tenants[t.ID]; dup {
			return nil, fmt.Errorf("httpapi: tenant %s given twice", t.ID)
		}
		st := &tenantState{t: t, svc: api.Service{T: t}, clock: clocks[i]}
		if cfg.DataDir != "" {
			j, recs, err := OpenJournal(cfg.DataDir, t.ID)
			if err != nil {
				return nil, err
			}
			st.journal = j
			for k, rec := range recs {
				if _, err := st.apply(rec); err != nil {
					return nil, fmt.Errorf("httpapi: tenant %s: journal record %d (%s) does not apply: %w", t.ID, k+1, rec.Op, err)
				}
			}
		}
		s.tenants[t.ID] = st
	}
	s.routes()
	return s, nil
}

// Close closes the journals.
func (s *Server) Close() error {
	var errs []error
	for _, st := range s.tenants {
		if st.journal != nil {
			errs = append(errs, st.journal.Close())
		}
	}
	return errors.Join(errs...)
}

// apply performs a change at the record's time and returns the
// operation's answer. Live requests and journal replay both come here, so
// a replayed change is exactly the change that was acknowledged. The
// caller holds st.mu, or runs before serving.
func (st *tenantState) apply(rec Record) (any, error) {
	st.clock.at.Store(rec.At)
	by := &capacity.Actor{Name: rec.By}
	switch rec.Op {
	case "assign":
		return st.svc.Assign(rec.Body, by)
	case "unassign":
		return st.svc.Unassign(rec.Body, by)
	case "shifts":
		return st.svc.CreateShifts(rec.Body)
	}
	return nil, fmt.Errorf("unknown operation %q", rec.Op)
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.logged(s.mux) }

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("POST /connect/token", s.token)
	const p = "/dispatch/v2/tenant/{tenant}"
	m.Handle("GET "+p+"/appointment-assignments", s.api(func(st *tenantState, r *http.Request, _ []byte) (any, error) {
		return st.svc.ListAssignments(r.URL.Query())
	}))
	m.Handle("POST "+p+"/appointment-assignments/assign-technicians", s.api(s.change("assign")))
	m.Handle("POST "+p+"/appointment-assignments/unassign-technicians", s.api(s.change("unassign")))
	m.Handle("GET "+p+"/technician-shifts", s.api(func(st *tenantState, r *http.Request, _ []byte) (any, error) {
		return st.svc.ListShifts(r.URL.Query())
	}))
	m.Handle("POST "+p+"/technician-shifts", s.api(s.change("shifts")))
	m.Handle("POST "+p+"/capacity", s.api(func(st *tenantState, _ *http.Request, body []byte) (any, error) {
		b, err := st.svc.Capacity(body)
		return json.RawMessage(b), err
	}))
	m.Handle("GET "+p+"/zones", s.api(func(st *tenantState, _ *http.Request, _ []byte) (any, error) { return st.svc.Zones(), nil }))
	m.Handle("GET "+p+"/business-hours", s.api(func(st *tenantState, _ *http.Request, _ []byte) (any, error) {
		return st.svc.BusinessHours(), nil
	}))
	m.Handle("GET "+p+"/gps-pings", s.api(func(st *tenantState, r *http.Request, _ []byte) (any, error) {
		return st.svc.GPS(r.URL.Query())
	}))
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.problem(w, http.StatusNotFound, "no such operation", map[string][]string{"$": {r.Method + " " + r.URL.Path + " is not an operation of the contract"}})
	})
	s.mux = m
}

// change returns the handler of a journaled change.
func (s *Server) change(op string) func(*tenantState, *http.Request, []byte) (any, error) {
	return func(st *tenantState, r *http.Request, body []byte) (any, error) {
		client := r.Context().Value(clientKey{}).(*Client)
		rec := Record{Op: op, At: s.cfg.Now().Unix(), By: client.ID, Body: body}
		st.mu.Lock()
		defer st.mu.Unlock()
		out, err := st.apply(rec)
		if err != nil {
			return nil, err // refused: nothing changed, nothing journaled
		}
		if st.journal != nil {
			if err := st.journal.Append(rec); err != nil {
				return nil, fmt.Errorf("httpapi: journal: %w", err)
			}
		}
		return out, nil
	}
}

type clientKey struct{}

// problem writes a problem document.
func (s *Server) problem(w http.ResponseWriter, status int, title string, fields map[string][]string) {
	if fields == nil {
		fields = map[string][]string{}
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(struct {
		Type    string              `json:"type"`
		Title   string              `json:"title"`
		Status  int                 `json:"status"`
		TraceID string              `json:"traceId"`
		Errors  map[string][]string `json:"errors"`
	}{"https://httpstatuses.io/" + strconv.Itoa(status), title, status, fmt.Sprintf("%016x", s.trace.Add(1)), fields})
}

// api wraps an operation with authentication, authorization, rate
// limiting, the body limit and error mapping.
func (s *Server) api(op func(*tenantState, *http.Request, []byte) (any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		tok, ok := strings.CutPrefix(auth, "Bearer ")
		client, valid := s.tokens.check(tok)
		if !ok || !valid {
			w.Header().Set("WWW-Authenticate", `Bearer realm="dispatch", error="invalid_token"`)
			s.problem(w, http.StatusUnauthorized, "missing, unknown or expired bearer token", nil)
			return
		}
		key := r.Header.Get("ST-App-Key")
		if key == "" || subtleEq(key, client.AppKey) != 1 {
			s.problem(w, http.StatusForbidden, "missing or wrong ST-App-Key", map[string][]string{"ST-App-Key": {"the header must carry the client's app key"}})
			return
		}
		id := r.PathValue("tenant")
		st := s.tenants[id]
		if st == nil || !client.reaches(id) {
			s.problem(w, http.StatusForbidden, "this client may not reach tenant "+id, nil)
			return
		}
		if ok, wait := s.limit.allow([2]string{client.AppKey, id}); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)+1))
			s.problem(w, http.StatusTooManyRequests, "rate limit exceeded", nil)
			return
		}
		var body []byte
		if r.Method == http.MethodPost {
			var err error
			body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				s.problem(w, http.StatusRequestEntityTooLarge, "request body over 1 MiB", nil)
				return
			}
			if err != nil {
				s.problem(w, http.StatusBadRequest, "could not read the request body", nil)
				return
			}
		}
		ctx := r.Context()
		out, err := op(st, r.WithContext(contextWith(ctx, client)), body)
		if err != nil {
			status := api.Status(err)
			title := http.StatusText(status)
			fields := api.Fields(err)
			if status == http.StatusInternalServerError {
				s.cfg.Logger.Error("operation failed", "err", err)
				fields = map[string][]string{"$": {"internal error"}}
			}
			s.problem(w, status, title, fields)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if raw, ok := out.(json.RawMessage); ok {
			w.Write(raw)
			return
		}
		json.NewEncoder(w).Encode(out)
	})
}

// token answers the OAuth 2.0 client-credentials grant.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	if r.PostForm.Get("grant_type") != "client_credentials" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	c := authenticate(s.cfg.Clients, id, secret)
	if c == nil {
		oauthError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	tok, ttl := s.tokens.issue(c)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": int(ttl / time.Second)})
}

func oauthError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": code})
}

// logged writes one structured log line per request, without secrets:
// no headers, no bodies, no query on the token endpoint.
func (s *Server) logged(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.cfg.Now()
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		h.ServeHTTP(rec, r)
		s.cfg.Logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"duration", s.cfg.Now().Sub(start), "bytes", rec.bytes)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) { s.status = code; s.ResponseWriter.WriteHeader(code) }
func (s *statusRecorder) Write(b []byte) (int, error) {
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

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
