package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestRecovered: a panicking handler answers a 500 problem document and
// logs the panic with its trace id and stack; one that panics after its
// reply began cuts the connection (http.ErrAbortHandler) rather than end
// the reply as if it were whole.
func TestRecovered(t *testing.T) {
	var logBuf bytes.Buffer
	s := &Server{cfg: Config{Logger: slog.New(slog.NewJSONHandler(&logBuf, nil)), Now: time.Now}}
	h := s.logged(s.recovered(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Half-Done", "1")
		var items []int
		_ = items[len(r.URL.Path)] // index out of range
	})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/boom", nil))
	if rec.Code != 500 || rec.Header().Get("Content-Type") != "application/problem+json" || rec.Header().Get("X-Half-Done") != "" {
		t.Fatalf("got %d %v %s", rec.Code, rec.Header(), rec.Body)
	}
	var p problemDoc
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Status != 500 || p.TraceID == "" || len(p.Errors["$"]) != 1 {
		t.Fatalf("not a problem document: %s", rec.Body)
	}
	logs := logBuf.String()
	for _, want := range []string{`"msg":"panic serving request"`, `"traceId":"` + p.TraceID + `"`, "index out of range", `"stack":`, `"status":500`} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %s:\n%s", want, logs)
		}
	}

	late := s.logged(s.recovered(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"data":[`))
		panic(fmt.Sprint("late"))
	})))
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("a panic after the reply began: recovered %v, want http.ErrAbortHandler", v)
		}
	}()
	late.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/late", nil))
}

// TestRouteTable: under both prefixes, every operation path reads as one
// (tenant, operation) pair whatever the tenant id — ids equal to "tenant",
// to an operation's first segment, or holding an escaped slash included.
func TestRouteTable(t *testing.T) {
	var ops []operation
	got := map[string]string{}
	var cur string
	paths := []string{"/appointment-assignments", "/appointment-assignments/assign-technicians", "/appointment-assignments/unassign-technicians",
		"/technician-shifts", "/capacity", "/zones", "/business-hours", "/gps-pings", "/capacity-adjustments"}
	for _, p := range paths {
		for _, m := range []string{"GET", "POST"} {
			ops = append(ops, operation{m, p, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got[cur] = r.Method + " " + p + " @" + r.PathValue("tenant")
			})})
		}
	}
	// The extension's DELETE, whose path ends in an id.
	ops = append(ops, operation{"DELETE", "/capacity-adjustments/{id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got[cur] = "DELETE /capacity-adjustments/" + r.PathValue("id") + " @" + r.PathValue("tenant")
	})})
	mux := newMux(ops, http.NotFoundHandler())
	ids := []string{"tenant", "0000000", "appointment-assignments", "assign-technicians", "zones", "capacity", "technician-shifts", "v2", "dispatch", "a/b", "a b", "%41",
		"capacity-adjustments"}
	for _, id := range ids {
		for _, prefix := range []string{"/dispatch/v2/", "/dispatch/v2/tenant/"} {
			target := prefix + escapeSegment(id) + "/capacity-adjustments/7"
			cur = "DELETE " + target
			mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("DELETE", target, nil))
			if want := "DELETE /capacity-adjustments/7 @" + id; got[cur] != want {
				t.Errorf("%s: served as %q, want %q", cur, got[cur], want)
			}
		}
	}
	for _, id := range ids {
		for _, prefix := range []string{"/dispatch/v2/", "/dispatch/v2/tenant/"} {
			for _, p := range paths {
				for _, m := range []string{"GET", "POST"} {
					target := prefix + escapeSegment(id) + p
					cur = m + " " + target
					rec := httptest.NewRecorder()
					mux.ServeHTTP(rec, httptest.NewRequest(m, target, nil))
					if want := m + " " + p + " @" + id; got[cur] != want {
						t.Errorf("%s: served as %q, want %q", cur, got[cur], want)
					}
				}
			}
		}
	}
}

// escapeSegment escapes a tenant id as one path segment.
func escapeSegment(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c == '/' || c == '%' || c == ' ' {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// TestRouteTableExtensions: with the extension operations, which have
// path ids and PATCH and DELETE, every (method, path) still reads as one
// (tenant, operation, id) whatever the tenant id and the path id — ids
// equal to "tenant", to a segment of another operation or to a verb
// included.
func TestRouteTableExtensions(t *testing.T) {
	s := &Server{}
	all := append(s.operations(), s.extensions()...)
	var ops []operation
	got := map[string]string{}
	var cur string
	for _, op := range all {
		m, p := op.method, op.path
		ops = append(ops, operation{m, p, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got[cur] = r.Method + " " + p + " @" + r.PathValue("tenant") + " #" + r.PathValue("id")
		})})
	}
	mux := newMux(ops, http.NotFoundHandler())
	tenants := []string{"tenant", "0000000", "appointments", "technicians", "technician-shifts", "journal", "zones", "v2", "a/b"}
	pathIDs := []string{"7", "tenant", "zones", "technicians", "deactivate", "cancel", "compact"}
	n := 0
	for _, id := range tenants {
		for _, prefix := range []string{"/dispatch/v2/", "/dispatch/v2/tenant/"} {
			for _, op := range all {
				for _, pid := range pathIDs {
					p := strings.Replace(op.path, "{id}", pid, 1)
					wantID := ""
					if p != op.path {
						wantID = pid
					}
					target := prefix + escapeSegment(id) + p
					cur = op.method + " " + target
					mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(op.method, target, nil))
					if want := op.method + " " + op.path + " @" + id + " #" + wantID; got[cur] != want {
						t.Errorf("%s: served as %q, want %q", cur, got[cur], want)
					}
					n++
				}
			}
		}
	}
	t.Logf("%d requests, each read one way", n)
}
