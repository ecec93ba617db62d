package httpapi_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/opendispatch/dispatch/httpapi"
)

// awkwardSecret has every character that form-urlencoding changes.
const awkwardSecret = `s3cr+t/with=reserved&chars%41 :?#[]@!$'()*,;"\é`

func awkwardFixture(t *testing.T) *fixture {
	cs := append([]httpapi.Client{{ID: "odd:id+/", SecretHash: httpapi.HashSecret(awkwardSecret), AppKey: "odd-app-key", Tenants: []string{demoTenant}}}, clients...)
	return newFixture(t, httpapi.Config{RateLimit: -1, Clients: cs})
}

// TestTokenWithOAuth2Client: golang.org/x/oauth2 obtains a token for a
// client whose id and secret hold reserved characters, with the
// credentials in an HTTP Basic header (form-urlencoded, RFC 6749 §2.3.1)
// and in the body, and calls the API with it.
func TestTokenWithOAuth2Client(t *testing.T) {
	f := awkwardFixture(t)
	ts := httptest.NewServer(f.h)
	defer ts.Close()
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams, oauth2.AuthStyleAutoDetect} {
		cc := clientcredentials.Config{ClientID: "odd:id+/", ClientSecret: awkwardSecret, TokenURL: ts.URL + "/connect/token", AuthStyle: style}
		tok, err := cc.Token(context.Background())
		if err != nil {
			t.Errorf("auth style %d: %v", style, err)
			continue
		}
		client := cc.Client(context.Background())
		client.Transport = appKey{"odd-app-key", client.Transport}
		resp, err := client.Get(ts.URL + "/dispatch/v2/" + demoTenant + "/zones")
		if err != nil || resp.StatusCode != 200 {
			t.Errorf("auth style %d: API call: %v %v", style, err, resp.Status)
		}
		resp.Body.Close()
		if tok.TokenType != "Bearer" || tok.AccessToken == "" {
			t.Errorf("auth style %d: token %+v", style, tok)
		}
		// A wrong secret fails in both styles.
		cc.ClientSecret = awkwardSecret + "x"
		if _, err := cc.Token(context.Background()); err == nil {
			t.Errorf("auth style %d: a wrong secret got a token", style)
		} else if re := (*oauth2.RetrieveError)(nil); !errors.As(err, &re) || re.ErrorCode != "invalid_client" {
			t.Errorf("auth style %d: wrong secret: %v", style, err)
		}
	}
}

func basic(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret)))
}

// TestTokenEndpoint: the RFC 6749 points one by one.
func TestTokenEndpoint(t *testing.T) {
	f := awkwardFixture(t)
	form := "application/x-www-form-urlencoded"
	good := basic("alpha", "alpha-secret")
	tests := []struct {
		name        string
		contentType string
		auth        string
		body        string
		status      int
		code        string // OAuth error code, "" for success
		describe    string // a fragment of error_description
	}{
		{"body credentials", form, "", "grant_type=client_credentials&client_id=alpha&client_secret=alpha-secret", 200, "", ""},
		{"basic credentials", form, good, "grant_type=client_credentials", 200, "", ""},
		{"basic, lower-case scheme", form, "basic " + good[6:], "grant_type=client_credentials", 200, "", ""},
		{"basic, form-urlencoded awkward secret", form, basic("odd:id+/", awkwardSecret), "grant_type=client_credentials", 200, "", ""},
		{"basic with the same client_id in the body", form, good, "grant_type=client_credentials&client_id=alpha", 200, "", ""},
		{"form with charset", form + "; charset=utf-8", good, "grant_type=client_credentials", 200, "", ""},
		{"basic, secret not urlencoded", form, "Basic " + base64.StdEncoding.EncodeToString([]byte("odd:id+/:"+awkwardSecret)), "grant_type=client_credentials", 401, "invalid_client", ""},
		{"basic, wrong secret", form, basic("alpha", "nope"), "grant_type=client_credentials", 401, "invalid_client", "wrong secret"},
		{"basic, not base64", form, "Basic %%%", "grant_type=client_credentials", 401, "invalid_client", "Basic"},
		{"basic, no colon", form, "Basic " + base64.StdEncoding.EncodeToString([]byte("alpha")), "grant_type=client_credentials", 401, "invalid_client", "Basic"},
		{"bearer at the token endpoint", form, "Bearer abc", "grant_type=client_credentials", 401, "invalid_client", ""},
		{"body, wrong secret", form, "", "grant_type=client_credentials&client_id=alpha&client_secret=nope", 401, "invalid_client", ""},
		{"no credentials", form, "", "grant_type=client_credentials", 401, "invalid_client", "no client authentication"},
		{"missing grant_type", form, good, "", 400, "invalid_request", "grant_type is missing"},
		{"empty grant_type", form, good, "grant_type=", 400, "invalid_request", "grant_type is missing"},
		{"unsupported grant_type", form, good, "grant_type=password", 400, "unsupported_grant_type", "client_credentials"},
		{"a scope asked for", form, good, "grant_type=client_credentials&scope=dispatch.read", 400, "invalid_scope", "no scopes"},
		{"a scope with wrong credentials", form, basic("alpha", "nope"), "grant_type=client_credentials&scope=x", 401, "invalid_client", "wrong secret"},
		{"grant_type twice", form, good, "grant_type=client_credentials&grant_type=client_credentials", 400, "invalid_request", "more than once"},
		{"JSON body", "application/json", "", `{"grant_type":"client_credentials","client_id":"alpha","client_secret":"alpha-secret"}`, 400, "invalid_request", "application/x-www-form-urlencoded"},
		{"JSON body with basic", "application/json", good, `{"grant_type":"client_credentials"}`, 400, "invalid_request", "application/x-www-form-urlencoded"},
		{"no content type", "", good, "grant_type=client_credentials", 400, "invalid_request", "application/x-www-form-urlencoded"},
		{"text/plain", "text/plain", good, "grant_type=client_credentials", 400, "invalid_request", "application/x-www-form-urlencoded"},
		{"credentials in header and body", form, good, "grant_type=client_credentials&client_id=alpha&client_secret=alpha-secret", 400, "invalid_request", "one method"},
		{"another client_id in the body", form, good, "grant_type=client_credentials&client_id=beta", 400, "invalid_request", "differs"},
		{"malformed form", form, good, "grant_type=client_credentials&%zz", 400, "invalid_request", "form"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{}
			if tt.contentType != "" {
				h["Content-Type"] = tt.contentType
			}
			if tt.auth != "" {
				h["Authorization"] = tt.auth
			}
			rec := f.request("POST", "/connect/token", h, tt.body)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", cc)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			var out map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
				t.Fatalf("not JSON: %s", rec.Body)
			}
			if tt.code == "" {
				if out["token_type"] != "Bearer" || out["access_token"] == "" || out["expires_in"] != float64(900) {
					t.Errorf("token response %v", out)
				}
				return
			}
			if out["error"] != tt.code {
				t.Errorf("error %v, want %s (%v)", out["error"], tt.code, out["error_description"])
			}
			desc, _ := out["error_description"].(string)
			if !strings.Contains(desc, tt.describe) {
				t.Errorf("error_description %q, want %q in it", desc, tt.describe)
			}
			// RFC 6749 §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E.
			if !regexp.MustCompile(`^[\x20-\x21\x23-\x5b\x5d-\x7e]*$`).MatchString(desc) {
				t.Errorf("error_description %q has characters RFC 6749 §5.2 excludes", desc)
			}
			wa := rec.Header().Get("WWW-Authenticate")
			if tt.status == 401 && !strings.HasPrefix(wa, `Basic realm="dispatch"`) {
				t.Errorf("401 with WWW-Authenticate %q, want a Basic challenge", wa)
			}
			if tt.status != 401 && wa != "" {
				t.Errorf("%d with WWW-Authenticate %q", tt.status, wa)
			}
		})
	}
}

// TestTokenEmptyParameters: RFC 6749 §3.2 — "Parameters sent without a
// value MUST be treated as if they were omitted": an empty scope is no
// scope, and an empty client_id or client_secret beside HTTP Basic
// credentials is no second set of credentials. A parameter given twice is
// still invalid_request, empty or not.
func TestTokenEmptyParameters(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("alpha:alpha-secret"))
	for _, tt := range []struct {
		name, body, auth string
		status           int
		code             string
	}{
		{"empty scope, body credentials", "grant_type=client_credentials&client_id=alpha&client_secret=alpha-secret&scope=", "", 200, ""},
		{"empty scope, Basic", "grant_type=client_credentials&scope=", basic, 200, ""},
		{"Basic and empty client_id", "grant_type=client_credentials&client_id=", basic, 200, ""},
		{"Basic and empty client_secret", "grant_type=client_credentials&client_secret=", basic, 200, ""},
		{"Basic and both empty", "grant_type=client_credentials&client_id=&client_secret=", basic, 200, ""},
		{"empty grant_type is missing", "grant_type=&client_id=alpha&client_secret=alpha-secret", "", 400, "invalid_request"},
		{"empty client_id, no Basic", "grant_type=client_credentials&client_id=&client_secret=alpha-secret", "", 401, "invalid_client"},
		{"a scope with a value", "grant_type=client_credentials&scope=read", basic, 400, "invalid_scope"},
		{"Basic and a client_secret", "grant_type=client_credentials&client_secret=alpha-secret", basic, 400, "invalid_request"},
		{"empty scope twice", "grant_type=client_credentials&scope=&scope=", basic, 400, "invalid_request"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
			if tt.auth != "" {
				h["Authorization"] = tt.auth
			}
			rec := f.request("POST", "/connect/token", h, tt.body)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			var out struct {
				Error       string `json:"error"`
				AccessToken string `json:"access_token"`
			}
			json.Unmarshal(rec.Body.Bytes(), &out)
			if out.Error != tt.code || (tt.status == 200) != (out.AccessToken != "") {
				t.Errorf("got %s, want error %q", rec.Body, tt.code)
			}
		})
	}
}
