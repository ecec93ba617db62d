package httpapi

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/opendispatch/dispatch/api"
)

// parseQuery reads a raw query string strictly, where url.ParseQuery
// (and so URL.Query, which drops its error) would skip a pair it cannot
// read and hand the operation the rest: a filter lost that way answers
// unfiltered data with a 200. Pairs are separated by "&" (empty pairs, as
// in "a=1&&b=2", are nothing); a pair with a semicolon, which older
// servers took for a separator, or with a bad percent escape ("%1",
// "%zz") is a problem named by its parameter, or by "$query" when even
// the name does not decode. Every problem is reported, in query order.
func parseQuery(raw string) (url.Values, []api.Problem) {
	v := url.Values{}
	var probs []api.Problem
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		rawKey, rawValue, _ := strings.Cut(part, "=")
		key, kerr := url.QueryUnescape(rawKey)
		field := key
		if kerr != nil || key == "" {
			field = "$query"
		}
		switch {
		case strings.Contains(part, ";"):
			probs = append(probs, api.Problem{Field: field, Message: "api: query pair " + quoteQ(part) +
				" has a semicolon: separate parameters with & (a literal semicolon is %3B)"})
			continue
		case kerr != nil:
			probs = append(probs, api.Problem{Field: field, Message: "api: query pair " + quoteQ(part) +
				" has a bad percent escape in its name (want %XX with two hex digits)"})
			continue
		}
		value, verr := url.QueryUnescape(rawValue)
		if verr != nil {
			probs = append(probs, api.Problem{Field: field, Message: "api: query parameter " + quoteQ(key) + " value " +
				quoteQ(rawValue) + " has a bad percent escape (want %XX with two hex digits)"})
			continue
		}
		v[key] = append(v[key], value)
	}
	return v, probs
}

func quoteQ(s string) string { return strconv.Quote(cut(s, 64)) }

type queryKey struct{}

// query returns the query parameters of a request served by [Server.api],
// read by [parseQuery] before the operation runs (a query that does not
// parse never reaches it). It is the one way operations read their
// query: never r.URL.Query, which drops what does not parse.
func query(r *http.Request) url.Values {
	if v, ok := r.Context().Value(queryKey{}).(url.Values); ok {
		return v
	}
	return url.Values{}
}

func withQuery(ctx context.Context, v url.Values) context.Context {
	return context.WithValue(ctx, queryKey{}, v)
}

// queryProblems names each parameter of a query given to an operation
// that takes none, in name order.
func queryProblems(v url.Values) []api.Problem {
	var probs []api.Problem
	for _, name := range slices.Sorted(maps.Keys(v)) {
		probs = append(probs, api.Problem{Field: name, Message: "api: unknown query parameter " + strconv.Quote(cut(name, 64)) + ": this operation takes none"})
	}
	return probs
}
