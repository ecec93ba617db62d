package httpapi

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// token answers the OAuth 2.0 client-credentials grant (RFC 6749 §4.4)
// at POST /connect/token. The parameters come in the form body only: a
// query, or a content-coded body, is invalid_request. Every answer
// carries Cache-Control: no-store;
// errors are RFC 6749 §5.2 JSON ({"error", "error_description"}), not
// problem documents. The server defines no scopes: a request with a scope
// parameter is refused with invalid_scope (RFC 6749 §3.3, §5.2), so that
// no client believes it holds a narrower or wider token than it does. A
// parameter sent without a value ("scope=") is treated as omitted (RFC
// 6749 §3.2); one sent twice, empty or not, is invalid_request.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the request body must be application/x-www-form-urlencoded (RFC 6749 section 4.4.2)")
		return
	}
	if r.URL.RawQuery != "" {
		// RFC 6749 §2.3.1: client credentials "MUST NOT be included in
		// the request URI" (proxies and logs keep it); §3.2 sends the
		// token request's parameters in the body. One in the query is
		// refused, not ignored: ignoring it answered "grant_type is
		// missing" for a grant_type given there, and a 200 beside a
		// query the client believed was read.
		oauthError(w, http.StatusBadRequest, "invalid_request", "parameters in the request URI ("+cut(queryNames(r.URL.RawQuery), 120)+"): send every parameter in the form body (RFC 6749 sections 2.3.1 and 3.2)")
		return
	}
	if ce := r.Header.Get("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		// The form is read as it arrives: a coded body would be read as
		// a form of its coded bytes (RFC 9110 §8.4).
		w.Header().Set("Accept-Encoding", "identity")
		oauthError(w, http.StatusBadRequest, "invalid_request", "Content-Encoding "+quoteShort(ce)+" is not supported: send the form unencoded")
		return
	}
	if r.ContentLength > MaxBody { // refused unread: no 100 (Continue)
		w.Header().Set("Connection", "close")
		oauthError(w, http.StatusBadRequest, "invalid_request", "the request body is over 1 MiB")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "could not read the request body (at most 1 MiB)")
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the body is not a valid form: "+cut(err.Error(), 100))
		return
	}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range form {
			if !yield(k) {
				return
			}
		}
	}) {
		if len(form[k]) > 1 {
			oauthError(w, http.StatusBadRequest, "invalid_request", "parameter "+quoteShort(k)+" is given more than once (RFC 6749 section 3.2)")
			return
		}
	}
	// RFC 6749 §3.2: "Parameters sent without a value MUST be treated as
	// if they were omitted" ("scope=", an empty client_id beside Basic
	// credentials). Checked after the repeat check, which §3.2 puts on
	// every parameter sent.
	for k, vs := range form {
		if vs[0] == "" {
			delete(form, k)
		}
	}
	switch grant := form.Get("grant_type"); grant {
	case "":
		oauthError(w, http.StatusBadRequest, "invalid_request", "grant_type is missing: want client_credentials")
		return
	case "client_credentials":
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type "+quoteShort(grant)+" is not supported: want client_credentials")
		return
	}
	var id, secret string
	if auth := r.Header.Values("Authorization"); len(auth) > 0 {
		if len(auth) > 1 {
			oauthError(w, http.StatusBadRequest, "invalid_request", "more than one Authorization header")
			return
		}
		if _, ok := form["client_secret"]; ok {
			oauthError(w, http.StatusBadRequest, "invalid_request", "client credentials in both the Authorization header and the body: use one method (RFC 6749 section 2.3)")
			return
		}
		var err error
		if id, secret, err = basicCredentials(auth[0]); err != nil {
			unauthorized(w, err.Error())
			return
		}
		if bodyID, ok := form["client_id"]; ok && bodyID[0] != id {
			oauthError(w, http.StatusBadRequest, "invalid_request", "client_id in the body differs from the one in the Authorization header")
			return
		}
	} else {
		id, secret = form.Get("client_id"), form.Get("client_secret")
		if id == "" {
			unauthorized(w, "no client authentication: send HTTP Basic credentials or client_id and client_secret in the body")
			return
		}
	}
	// Failed authentications are counted per known client id (an
	// unknown id has no bucket: the map stays as small as the client
	// list). An attempt is taken from the bucket whatever the secret and
	// given back when it is right, so that requests sent at once are
	// bounded as those sent in turn. Once the bucket is empty the id is
	// refused, a right secret included: counting only wrong guesses
	// while still answering them would tell a guesser when it is right.
	c, known := authenticate(s.cfg.Clients, id, secret)
	failKey := [2]string{"\x00failed", id}
	if known {
		if ok, wait := s.failures.allow(failKey); !ok {
			setRetryAfter(w, wait)
			oauthError(w, http.StatusTooManyRequests, "slow_down", "too many failed authentications of this client id: retry after the seconds in Retry-After")
			return
		}
	}
	if c == nil {
		unauthorized(w, "unknown client or wrong secret")
		return
	}
	s.failures.giveBack(failKey) // c is known
	if _, ok := form["scope"]; ok {
		// RFC 6749 §3.3 lets a server grant another scope than the one
		// asked for, but the client must then be told; this server has
		// no scopes to grant (a token reaches the client's tenants), so
		// any request for one is refused rather than silently widened.
		oauthError(w, http.StatusBadRequest, "invalid_scope", "this server defines no scopes: a token reaches the client's tenants; leave out the scope parameter (RFC 6749 section 3.3)")
		return
	}
	// Each client's token requests share the rate of its API calls: a
	// client that asks for a token per call, or a loop gone wrong, would
	// otherwise fill the server with live tokens (one a request, each
	// kept for its lifetime). "slow_down" is the token endpoint's error
	// for polling too fast (RFC 8628 §3.5, in the OAuth error registry).
	if ok, wait := s.limit.allow([2]string{"\x00token", c.ID}); !ok {
		setRetryAfter(w, wait)
		oauthError(w, http.StatusTooManyRequests, "slow_down", "too many token requests from this client: a token lasts "+s.cfg.TokenTTL.String()+", reuse it; retry after the seconds in Retry-After")
		return
	}
	tok, ttl := s.tokens.issue(c)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": int(ttl / time.Second)})
}

// queryNames lists the parameter names of a raw query, sorted and
// without repeats ("$query" for a name that does not decode).
func queryNames(raw string) string {
	v, probs := parseQuery(raw)
	names := slices.Collect(maps.Keys(v))
	for _, p := range probs {
		names = append(names, p.Field)
	}
	for i, n := range names {
		if n == "" {
			names[i] = "$query"
		}
	}
	slices.Sort(names)
	if len(names) == 0 {
		return "an empty query"
	}
	return strings.Join(slices.Compact(names), ", ")
}

// errBasic is a malformed HTTP Basic Authorization header.
var errBasic = errors.New("the Authorization header is not HTTP Basic credentials of a form-urlencoded client id and secret (RFC 6749 section 2.3.1)")

// basicCredentials reads HTTP Basic credentials (RFC 7617; the scheme
// name is case-insensitive) and form-urldecodes the client id and secret
// as RFC 6749 §2.3.1 requires, so a secret with "+", "/", "=" or "%"
// survives the trip.
func basicCredentials(h string) (id, secret string, err error) {
	scheme, rest, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Basic") {
		return "", "", errBasic
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimLeft(rest, " "))
	if err != nil {
		return "", "", errBasic
	}
	rawID, rawSecret, ok := strings.Cut(string(raw), ":")
	if !ok {
		return "", "", errBasic
	}
	if id, err = url.QueryUnescape(rawID); err != nil {
		return "", "", errBasic
	}
	if secret, err = url.QueryUnescape(rawSecret); err != nil {
		return "", "", errBasic
	}
	return id, secret, nil
}

// unauthorized answers a failed client authentication: 401 invalid_client
// with the challenge RFC 6749 §5.2 and RFC 9110 §11.6.1 ask for.
func unauthorized(w http.ResponseWriter, desc string) {
	w.Header().Set("WWW-Authenticate", `Basic realm="dispatch", charset="UTF-8"`)
	oauthError(w, http.StatusUnauthorized, "invalid_client", desc)
}

// oauthError writes an RFC 6749 §5.2 error response.
func oauthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}{code, descriptionSafe(desc)})
}

// quoteShort quotes s for an error_description, cut to 64 bytes.
func quoteShort(s string) string { return "'" + cut(s, 64) + "'" }

// descriptionSafe makes s a valid error_description: RFC 6749 §5.2 allows
// only printable ASCII without the double quote and the backslash;
// anything else becomes '?'.
func descriptionSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '?'
		}
		return r
	}, s)
}
