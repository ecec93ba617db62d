package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Cross-origin requests (the Fetch standard's CORS protocol): a browser
// application served from another origin, such as a dispatch board in
// development on http://localhost:3000, may call the server only when
// the server says so. [Config.CORSOrigins] lists the origins allowed;
// without it the server sends no CORS headers and a preflight (OPTIONS)
// is 405, as any method a path does not take.

// corsAllowHeaders are the request headers a client of the API sends
// beyond the CORS-safelisted ones: its token, its app key, and a JSON
// body's media type.
const corsAllowHeaders = "Authorization, Content-Type, ST-App-Key"

// corsExposeHeaders are the response headers a browser application needs
// to read beyond the safelisted ones: an assignment's warnings, when to
// retry after a 429 or a 503, why a 401, and a 405's methods.
const corsExposeHeaders = WarningHeader + ", Retry-After, WWW-Authenticate, Allow"

// corsMaxAge is how long, in seconds, a browser may keep a preflight's
// answer: ten minutes, so that a changed --cors-origin takes effect soon
// in a developer's browser.
const corsMaxAge = "600"

// ParseOrigin returns the origin s in canonical form (scheme and host in
// lower case, as browsers send it in the Origin header), "*" for "*", or
// an error when s is not an origin: a scheme (http or https), a host and
// an optional port, with no path, query, fragment or user.
func ParseOrigin(s string) (string, error) {
	if s == "*" {
		return s, nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.Path != "" || u.RawPath != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" || strings.ContainsAny(s, "?#") {
		return "", fmt.Errorf("httpapi: %q is not an origin: give scheme://host[:port] (for example http://localhost:3000), or * for any", s)
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host), nil
}

// checkOrigins returns the origins in canonical form, or an error naming
// the first that is not one.
func checkOrigins(list []string) ([]string, error) {
	out := make([]string, 0, len(list))
	for i, o := range list {
		c, err := ParseOrigin(o)
		if err != nil {
			return nil, fmt.Errorf("httpapi: CORS origin %d: %w", i+1, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// cors answers the preflights of allowed origins and adds the CORS
// headers to the responses they get; every other request passes through
// untouched.
func (s *Server) cors(h http.Handler) http.Handler {
	if len(s.cfg.CORSOrigins) == 0 {
		return h
	}
	anyOrigin := slices.Contains(s.cfg.CORSOrigins, "*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !anyOrigin {
			// The answer depends on the Origin: a shared cache must not
			// hand one origin's answer to another.
			w.Header().Add("Vary", "Origin")
		}
		// Browsers send the origin serialized (scheme and host in lower
		// case), as the list holds it.
		allow := r.Header.Get("Origin")
		if allow == "" || !anyOrigin && !slices.Contains(s.cfg.CORSOrigins, allow) {
			h.ServeHTTP(w, r)
			return
		}
		if anyOrigin {
			allow = "*"
		}
		hd := w.Header()
		hd.Set("Access-Control-Allow-Origin", allow)
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			methods := s.methods(r)
			if len(methods) == 0 {
				h.ServeHTTP(w, r) // no such path: the 404 says so
				return
			}
			hd.Add("Vary", "Access-Control-Request-Method, Access-Control-Request-Headers")
			hd.Set("Access-Control-Allow-Methods", strings.Join(methods, ", "))
			hd.Set("Access-Control-Allow-Headers", corsAllowHeaders)
			hd.Set("Access-Control-Max-Age", corsMaxAge)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		hd.Set("Access-Control-Expose-Headers", corsExposeHeaders)
		h.ServeHTTP(w, r)
	})
}
