package httpapi

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dispatch "github.com/opendispatch/dispatch"
)

// securityServer serves the demo tenant ("0000000", reached by client
// a) and a copy of it as tenant "0000001" (reached by client b), on a
// settable clock.
func securityServer(t *testing.T, cfg Config) (*Server, *time.Time) {
	t.Helper()
	now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	cfg.Now = func() time.Time { return now }
	cfg.Clients = []Client{
		{ID: "a", SecretHash: HashSecret("secret-a"), AppKey: "app-key-a", Tenants: []string{"0000000"}},
		{ID: "b", SecretHash: HashSecret("secret-b"), AppKey: "app-key-b", Tenants: []string{"0000001"}},
	}
	other := bytes.Replace(dispatch.DemoTenant, []byte(`"tenant": "0000000"`), []byte(`"tenant": "0000001"`), 1)
	s, err := New(cfg, dispatch.DemoTenant, other)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, &now
}

// securityToken gets a token for client id from h.
func securityToken(t *testing.T, h http.Handler, id string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {"secret-" + id}}
	req := httptest.NewRequest("POST", "/connect/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	tok, _, _ := strings.Cut(strings.TrimPrefix(rec.Body.String(), `{"access_token":"`), `"`)
	if rec.Code != 200 || tok == "" {
		t.Fatalf("token for %s: %d %s", id, rec.Code, rec.Body)
	}
	return tok
}

// TestAuthEveryRoute: every operation the server has, the contract's and
// the extensions' (read from the route table, so that an operation added
// later is covered too), under both prefixes and with every method,
// answers a request that is not authenticated and authorized for the
// tenant with 401 or 403 (405 or 501 for a method the path does not
// take) and a problem document, never 2xx and never the operation's
// data: no token, an expired or unknown one, a token in the query
// instead of the header, Basic credentials, a client not admitted to the
// tenant, a missing or wrong app key or another client's, a token for
// tenant A used on tenant B.
func TestAuthEveryRoute(t *testing.T) {
	s, now := securityServer(t, Config{RateLimit: -1})
	h := s.Handler()
	expired := securityToken(t, h, "a")
	*now = now.Add(15*time.Minute + time.Second)
	a, b := securityToken(t, h, "a"), securityToken(t, h, "b")
	type variant struct {
		name, tenant, token, appKey, query, auth string
		want                                     int
	}
	variants := []variant{
		{"no token", "0000000", "", "app-key-a", "", "", 401},
		{"expired token", "0000000", expired, "app-key-a", "", "", 401},
		{"unknown token", "0000000", a + "x", "app-key-a", "", "", 401},
		{"token in the query", "0000000", "", "app-key-a", "?access_token=" + a, "", 401},
		{"basic credentials", "0000000", "", "app-key-a", "", "Basic YTpzZWNyZXQtYQ==", 401},
		{"client not admitted", "0000000", b, "app-key-b", "", "", 403},
		{"no app key", "0000000", a, "", "", "", 403},
		{"another client's app key", "0000000", a, "app-key-b", "", "", 403},
		{"wrong app key", "0000000", a, "app-key-A", "", "", 403},
		{"token for A on B", "0000001", a, "app-key-a", "", "", 403},
		{"unknown tenant", "9999999", a, "app-key-a", "", "", 403},
	}
	ops := append(s.operations(), s.extensions()...)
	n := 0
	for _, prefix := range []string{"/dispatch/v2/", "/dispatch/v2/tenant/"} {
		for _, op := range ops {
			p := strings.ReplaceAll(op.path, "{id}", "1")
			for _, v := range variants {
				for _, m := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"} {
					req := httptest.NewRequest(m, prefix+v.tenant+p+v.query, strings.NewReader("{}"))
					req.Header.Set("Content-Type", "application/json")
					if v.token != "" {
						req.Header.Set("Authorization", "Bearer "+v.token)
					}
					if v.auth != "" {
						req.Header.Set("Authorization", v.auth)
					}
					if v.appKey != "" {
						req.Header.Set("ST-App-Key", v.appKey)
					}
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					n++
					want := v.want
					switch {
					case !knownMethods[m]:
						want = http.StatusNotImplemented
					case m != op.method && !(m == "HEAD" && op.method == "GET"):
						if _, pattern := s.mux.Handler(req); pattern == "" {
							want = http.StatusMethodNotAllowed
						}
					}
					if rec.Code != want || rec.Header().Get("Content-Type") != "application/problem+json" ||
						(m != "HEAD" && !strings.Contains(rec.Body.String(), `"status":`)) {
						t.Errorf("%s %s (%s): %d %s %.120s, want %d problem document", m, req.URL, v.name, rec.Code,
							rec.Header().Get("Content-Type"), rec.Body, want)
					}
				}
			}
		}
	}
	t.Logf("%d requests over %d operations", n, len(ops))
}

// TestSecurityHeaders: every response, data, token and errors alike,
// carries X-Content-Type-Options: nosniff (a browser must not read JSON
// that echoes a path as HTML) and Cache-Control: no-store (tenant data
// and tokens stay out of caches, RFC 6749 §5.1), a 500 of a panicking
// handler included; none names the server's software.
func TestSecurityHeaders(t *testing.T) {
	s, _ := securityServer(t, Config{RateLimit: -1, CORSOrigins: []string{"http://localhost:3000"}})
	h := s.Handler()
	a := securityToken(t, h, "a")
	form := "grant_type=client_credentials&client_id=a&client_secret=secret-a"
	tests := []struct {
		name, method, target, body string
		hdr                        map[string]string
		status                     int
	}{
		{"token", "POST", "/connect/token", form, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 200},
		{"token refused", "POST", "/connect/token", form + "x", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 401},
		{"data", "GET", "/dispatch/v2/0000000/zones", "", map[string]string{"Authorization": "Bearer " + a, "ST-App-Key": "app-key-a"}, 200},
		{"capacity", "POST", "/dispatch/v2/0000000/capacity", `{"startsOnOrAfter":"2027-03-09T08:00:00-07:00","endsOnOrBefore":"2027-03-09T16:00:00-07:00","jobTypeId":101}`,
			map[string]string{"Authorization": "Bearer " + a, "ST-App-Key": "app-key-a", "Content-Type": "application/json"}, 200},
		{"no token", "GET", "/dispatch/v2/0000000/zones", "", nil, 401},
		{"unclean path", "GET", "/dispatch/v2/0000000/zones/", "", nil, 404},
		{"wrong method", "PUT", "/dispatch/v2/0000000/zones", "", nil, 405},
		{"unknown method", "FROB", "/dispatch/v2/0000000/zones", "", nil, 501},
		{"preflight", "OPTIONS", "/dispatch/v2/0000000/zones", "", map[string]string{"Origin": "http://localhost:3000", "Access-Control-Request-Method": "GET"}, 204},
	}
	check := func(t *testing.T, rec *httptest.ResponseRecorder, status int) {
		t.Helper()
		if rec.Code != status {
			t.Fatalf("status %d, want %d: %s", rec.Code, status, rec.Body)
		}
		for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store", "Server": "", "X-Powered-By": ""} {
			if got := rec.Header().Get(k); got != want {
				t.Errorf("%s: %q, want %q", k, got, want)
			}
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
			for k, v := range tt.hdr {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			check(t, rec, tt.status)
		})
	}
	t.Run("panic", func(t *testing.T) {
		rec := httptest.NewRecorder()
		s.recovered(secured(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "max-age=60")
			panic("boom")
		}))).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		check(t, rec, 500)
	})
}

// TestExpectContinueTooLarge: a request that declares a body over
// [MaxBody] and waits for 100 (Continue) is refused at once — 413 for an
// operation, invalid_request at the token endpoint — without a 100 that
// would invite the client to send gigabytes the server then reads.
func TestExpectContinueTooLarge(t *testing.T) {
	s, _ := securityServer(t, Config{RateLimit: -1})
	h := s.Handler()
	a := securityToken(t, h, "a")
	ts := httptest.NewServer(h)
	defer ts.Close()
	for _, tt := range []struct {
		name, head string
		status     int
	}{
		{"operation", "POST /dispatch/v2/0000000/capacity HTTP/1.1\r\nAuthorization: Bearer " + a + "\r\nST-App-Key: app-key-a\r\nContent-Type: application/json\r\n", 413},
		{"token", "POST /connect/token HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n", 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := net.Dial("tcp", ts.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(10 * time.Second))
			fmt.Fprintf(c, "%sHost: x\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n", tt.head, int64(1)<<40)
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d at once (no 100 Continue)", resp.StatusCode, tt.status)
			}
		})
	}
}

// TestDataDirFiles: what a server writes in its data directory — the
// directory it creates, journals, snapshots, locks — is its owner's
// alone: a journal holds the tenant's customers.
func TestDataDirFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s, err := New(Config{DataDir: dir}, dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := s.Compact("0000000")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"", "0000000.journal", c.Snapshot, "0000000.lock"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: mode %v, want no access for group and others", filepath.Join(dir, name), fi.Mode().Perm())
		}
	}
}

// TestDataDirTenantIDs: with a data directory, a tenant id that would name
// a file outside it (or no file) is refused at start, and nothing is
// written outside the directory.
func TestDataDirTenantIDs(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "data")
	for _, id := range []string{"../escape", "a/b", "..", ".", `a\b`, "x\x00y", "x\ny", strings.Repeat("a", 201), "/abs"} {
		q, _ := json.Marshal(id)
		file := bytes.Replace(dispatch.DemoTenant, []byte(`"tenant": "0000000"`), append([]byte(`"tenant": `), q...), 1)
		s, err := New(Config{DataDir: dir}, file)
		if err == nil {
			s.Close()
			t.Errorf("tenant id %q served with a data directory", id)
			continue
		}
		if !strings.Contains(err.Error(), "cannot name a file in the data directory") {
			t.Errorf("tenant id %q: %v", id, err)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "escape.journal")); err == nil {
		t.Error("a journal was written outside the data directory")
	}
	// Without a data directory, such an id is only a name.
	s, err := New(Config{}, bytes.Replace(dispatch.DemoTenant, []byte(`"0000000"`), []byte(`"../escape"`), 1))
	if err != nil {
		t.Fatalf("without a data directory: %v", err)
	}
	s.Close()
}

// TestDataDirLocked: a second server on a data directory a running one
// uses is refused, naming the lock, until the first is closed.
func TestDataDirLocked(t *testing.T) {
	dir := t.TempDir()
	s, err := New(Config{DataDir: dir}, dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	if s2, err := New(Config{DataDir: dir}, dispatch.DemoTenant); err == nil {
		s2.Close()
		t.Fatal("two servers started on one data directory")
	} else if !strings.Contains(err.Error(), "in use by another server") || !strings.Contains(err.Error(), "0000000.lock") {
		t.Errorf("second server: %v", err)
	}
	s.Close()
	s, err = New(Config{DataDir: dir}, dispatch.DemoTenant)
	if err != nil {
		t.Fatalf("after the first closed: %v", err)
	}
	s.Close()
}

// TestDataDirSymlink: a symbolic link planted where a journal goes is
// refused, and the file it points at is left as it was (a start would
// otherwise cut a one-line file to nothing as a torn tail, and write a
// header into it).
func TestDataDirSymlink(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "data")
	os.Mkdir(dir, 0o700)
	victim := filepath.Join(root, "victim")
	os.WriteFile(victim, []byte("precious, without a newline"), 0o600)
	if err := os.Symlink(victim, filepath.Join(dir, "0000000.journal")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	s, err := New(Config{DataDir: dir}, dispatch.DemoTenant)
	if err == nil {
		s.Close()
		t.Error("a journal that is a symbolic link was used")
	} else if !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("error %v, want it to say symbolic link", err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "precious, without a newline" {
		t.Errorf("the link's target was changed: %q", b)
	}
}
