package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/opendispatch/dispatch/api"
)

// Limits of a problem document, so that a request with a hundred thousand
// mistakes (a 1 MiB body of unknown ids) gets a reply of kilobytes, not
// megabytes. The messages listed are the first found; the rest are counted
// in "omittedErrors" and told in "detail".
const (
	// MaxProblems is the most field messages a problem document lists.
	MaxProblems = 100
	// maxProblemBytes bounds the encoded size of the messages listed
	// (field names and messages as JSON strings).
	maxProblemBytes = 32 << 10
	// maxField and maxMessage cut a single field name or message (in
	// bytes, before encoding) that quotes a huge input.
	maxField   = 200
	maxMessage = 1000
	maxDetail  = 200
)

// problemDoc is the problem document of DESIGN §6 (RFC 9457 members type,
// title, status and detail; traceId and errors as ASP.NET writes them;
// omittedErrors when the list was cut). The type is "about:blank": the
// problems only restate their status (RFC 9457 §4.2.1), and the contract
// names no type URIs. The title is the status's reason phrase in RFC 9110
// ([Title]: "Forbidden"), the same for every occurrence (RFC 9457 §3.1.3);
// what is particular to this occurrence is in detail and errors.
// errors is left out when no field is at fault (a 429, say).
type problemDoc struct {
	Type          string              `json:"type"`
	Title         string              `json:"title"`
	Status        int                 `json:"status"`
	Detail        string              `json:"detail,omitempty"`
	TraceID       string              `json:"traceId"`
	Errors        map[string][]string `json:"errors,omitempty"`
	OmittedErrors int                 `json:"omittedErrors,omitempty"`
}

// problem writes a problem document with the given detail ("" for none)
// listing probs (in order, capped) and returns its trace id.
func (s *Server) problem(w http.ResponseWriter, status int, detail string, probs []api.Problem) string {
	return s.problemFound(w, status, detail, probs, len(probs))
}

// problemFound is problem where found problems were found, of which probs
// lists the first (validate.MaxProblems and the count of the rest).
func (s *Server) problemFound(w http.ResponseWriter, status int, detail string, probs []api.Problem, found int) string {
	doc := problemDoc{Type: "about:blank", Title: Title(status), Status: status,
		Detail: cut(detail, maxDetail), TraceID: s.traceID()}
	if rec, ok := w.(*statusRecorder); ok {
		rec.trace = doc.TraceID // for the request's log line
	}
	size := 0
	for i, p := range probs {
		field, msg := cut(p.Field, maxField), cut(p.Message, maxMessage)
		size += jsonLen(field) + jsonLen(msg)
		if i == MaxProblems || size > maxProblemBytes {
			doc.OmittedErrors = found - i
			omitted := fmt.Sprintf("%d problems; the first %d are listed", found, i)
			if doc.Detail != "" {
				omitted = doc.Detail + "; " + omitted
			}
			doc.Detail = omitted
			break
		}
		if doc.Errors == nil {
			doc.Errors = map[string][]string{}
		}
		doc.Errors[field] = append(doc.Errors[field], msg)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Del("Content-Length")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(doc)
	return doc.TraceID
}

// Title returns the title of a problem document of the given status: its
// reason phrase in RFC 9110, which for 413 is "Content Too Large" (net/http
// still says "Request Entity Too Large", the phrase of RFC 7231) and for
// 422 "Unprocessable Content".
func Title(status int) string {
	switch status {
	case http.StatusRequestEntityTooLarge:
		return "Content Too Large"
	case http.StatusUnprocessableEntity:
		return "Unprocessable Content"
	}
	return http.StatusText(status)
}

// traceID returns a new trace id: 16 hex digits, the server's random
// 32-bit instance prefix then a 32-bit count, so that ids do not repeat
// across restarts (a count alone started again at 1 and a client's
// reported id matched lines of every run in the log).
func (s *Server) traceID() string {
	return fmt.Sprintf("%08x%08x", s.traceBase, uint32(s.trace.Add(1)))
}

// fail writes a problem document with a detail and a single message on
// field.
func (s *Server) fail(w http.ResponseWriter, status int, detail, field, msg string) string {
	var probs []api.Problem
	if msg != "" {
		probs = []api.Problem{{Field: field, Message: msg}}
	}
	return s.problem(w, status, detail, probs)
}

// cut shortens s to at most n bytes on a character boundary, marking the
// cut with "…", and replaces invalid UTF-8.
func cut(s string, n int) string {
	if len(s) > n {
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n] + "…"
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// jsonLen is the length of s encoded as a JSON string by encoding/json
// (HTML-escaped), plus the separators around it.
func jsonLen(s string) int {
	n := 4 // quotes, colon or comma
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			n += 2
		case r < 0x20 || r == '<' || r == '>' || r == '&' || r == '\u2028' || r == '\u2029':
			n += 6
		default:
			n += utf8.RuneLen(r)
		}
	}
	return n
}
