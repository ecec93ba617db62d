package httpapi_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/opendispatch/dispatch/httpapi"
)

// BenchmarkHandler measures the handler's own cost (routing, auth, rate
// limit, content type, encoding) on small answers, where it is largest
// relative to the operation.
func BenchmarkHandler(b *testing.B) {
	f := newFixture(b, httpapi.Config{RateLimit: -1})
	tok := f.token(b, "alpha", "alpha-secret")
	for _, c := range []struct{ name, method, path, body string }{
		{"zones", "GET", api("/zones"), ""},
		{"shifts-page", "GET", api("/technician-shifts?pageSize=5"), ""},
		{"bad-page", "GET", api("/technician-shifts?page=0"), ""},
		{"capacity-1day", "POST", api("/capacity"), `{"startsOnOrAfter":"2027-03-09T00:00:00-07:00","endsOnOrBefore":"2027-03-10T00:00:00-07:00"}`},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
				req.Header.Set("Authorization", "Bearer "+tok)
				req.Header.Set("ST-App-Key", "alpha-app-key")
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				f.h.ServeHTTP(rec, req)
				if rec.Code >= 500 {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}
