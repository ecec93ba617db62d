package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/httpapi"
	"github.com/opendispatch/dispatch/synth"
)

const demoTenant = "0000000"

var (
	otherOnce sync.Once
	otherFile []byte
)

// otherTenant is a second tenant (synth small, id synth-small-1).
func otherTenant(t testing.TB) []byte {
	otherOnce.Do(func() {
		p, _ := synth.ProfileNamed("small")
		f, err := synth.Generate(p, 1)
		if err != nil {
			panic(err)
		}
		var b bytes.Buffer
		f.Write(&b)
		otherFile = b.Bytes()
	})
	return otherFile
}

var clients = []httpapi.Client{
	{ID: "alpha", SecretHash: httpapi.HashSecret("alpha-secret"), AppKey: "alpha-app-key", Tenants: []string{demoTenant}},
	{ID: "beta", SecretHash: httpapi.HashSecret("beta-secret"), AppKey: "beta-app-key", Tenants: []string{"synth-small-1"}},
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type fixture struct {
	srv   *httpapi.Server
	h     http.Handler
	clock *fakeClock
}

func newFixture(t testing.TB, cfg httpapi.Config) *fixture {
	t.Helper()
	fc := &fakeClock{t: time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)}
	if cfg.Now == nil {
		cfg.Now = fc.now
	}
	if cfg.Clients == nil {
		cfg.Clients = clients
	}
	srv, err := httpapi.New(cfg, dispatch.DemoTenant, otherTenant(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return &fixture{srv: srv, h: srv.Handler(), clock: fc}
}

func (f *fixture) token(t testing.TB, id, secret string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}
	req := httptest.NewRequest("POST", "/connect/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("token for %s: %d %s", id, rec.Code, rec.Body)
	}
	var out struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int    `json:"expires_in"`
	}
	json.Unmarshal(rec.Body.Bytes(), &out)
	if out.TokenType != "Bearer" || out.ExpiresIn != 900 || len(out.AccessToken) < 40 {
		t.Fatalf("token response %+v", out)
	}
	return out.AccessToken
}

// call makes one API request to the handler.
func (f *fixture) call(method, path, token, appKey, body string) *httptest.ResponseRecorder {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if appKey != "" {
		req.Header.Set("ST-App-Key", appKey)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}

func api(path string) string { return "/dispatch/v2/tenant/" + demoTenant + path }
