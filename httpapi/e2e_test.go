package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2/clientcredentials"

	"github.com/opendispatch/dispatch/httpapi"
)

// appKey adds the ST-App-Key header to every request.
type appKey struct {
	key  string
	next http.RoundTripper
}

func (a appKey) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("ST-App-Key", a.key)
	return a.next.RoundTrip(r)
}

// TestEndToEnd obtains a token with golang.org/x/oauth2's client
// credentials flow and calls every operation over real HTTP.
func TestEndToEnd(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	ts := httptest.NewServer(f.h)
	defer ts.Close()
	cc := clientcredentials.Config{ClientID: "alpha", ClientSecret: "alpha-secret", TokenURL: ts.URL + "/connect/token"}
	ctx := context.Background()
	client := cc.Client(ctx)
	client.Transport = appKey{"alpha-app-key", client.Transport}
	base := ts.URL + api("")
	steps := []struct {
		method, path, body string
		want               string // a fragment of the response
	}{
		{"GET", "/zones", "", `"Denver Central"`},
		{"GET", "/business-hours", "", `"weekday":"Monday"`},
		{"GET", "/technician-shifts?pageSize=2", "", `"totalCount":287`},
		{"POST", "/technician-shifts", `{"technicianIds":[110],"shiftType":"TimeOff","title":"Leave","start":"2027-03-10T00:00:00-07:00","end":"2027-03-11T00:00:00-07:00"}`, `"shiftType":"TimeOff"`},
		{"POST", "/appointment-assignments/assign-technicians", `{"jobAppointmentId":5002,"technicianIds":[103]}`, `"technicianId":103`},
		{"GET", "/appointment-assignments?technicianId=103&modifiedOnOrAfter=2027-03-01T00:00:00Z", "", `"assignedBy":{"id":0,"name":"alpha"}`},
		{"POST", "/appointment-assignments/unassign-technicians", `{"jobAppointmentId":5002,"technicianIds":[103]}`, `[`},
		{"POST", "/capacity", `{"startsOnOrAfter":"2027-03-09T08:00:00-07:00","endsOnOrBefore":"2027-03-09T16:00:00-07:00"}`, `"availabilities"`},
		{"GET", "/gps-pings?technicianId=202&fromUtc=2027-03-09T15:00:00Z&toUtc=2027-03-09T16:00:00Z", "", `"utcDateTime"`},
	}
	for _, s := range steps {
		req, _ := http.NewRequestWithContext(ctx, s.method, base+s.path, strings.NewReader(s.body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		buf.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(buf.String(), s.want) {
			t.Errorf("%s %s: %d %.300s (want %s)", s.method, s.path, resp.StatusCode, buf.String(), s.want)
		}
	}
}

// TestConcurrentClients runs assignments, unassignments, shift creation
// and capacity queries at once (run with -race), then checks the ledger
// holds exactly the acknowledged net effect.
func TestConcurrentClients(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	f.clock.advance(60 * 24 * time.Hour) // after every record of the demo
	tok := f.token(t, "alpha", "alpha-secret")
	var wg sync.WaitGroup
	var mu sync.Mutex
	assigned := map[[2]int]bool{}
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 30 {
				appt, tech := 5100+w*40+i, 201+i%8
				body := fmt.Sprintf(`{"jobAppointmentId":%d,"technicianIds":[%d]}`, appt, tech)
				if rec := f.call("POST", api("/appointment-assignments/assign-technicians"), tok, "alpha-app-key", body); rec.Code == 200 {
					mu.Lock()
					assigned[[2]int{appt, tech}] = true
					mu.Unlock()
					if i%3 == 0 {
						if rec := f.call("POST", api("/appointment-assignments/unassign-technicians"), tok, "alpha-app-key", body); rec.Code == 200 {
							mu.Lock()
							delete(assigned, [2]int{appt, tech})
							mu.Unlock()
						}
					}
				} else if rec.Code != 404 {
					t.Errorf("assign: %d %s", rec.Code, rec.Body)
				}
			}
		}()
	}
	for range 2 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range 20 {
				body := fmt.Sprintf(`{"technicianIds":[301],"shiftType":"Normal","title":"x","start":"2027-03-%02dT18:00:00-06:00","end":"2027-03-%02dT20:00:00-06:00"}`, 8+i%14, 8+i%14)
				if rec := f.call("POST", api("/technician-shifts"), tok, "alpha-app-key", body); rec.Code != 200 {
					t.Errorf("shift: %d %s", rec.Code, rec.Body)
				}
			}
		}()
		go func() {
			defer wg.Done()
			for range 30 {
				if rec := f.call("POST", api("/capacity"), tok, "alpha-app-key", `{"startsOnOrAfter":"2027-03-08T00:00:00-07:00","endsOnOrBefore":"2027-03-22T00:00:00-06:00","jobTypeId":201}`); rec.Code != 200 {
					t.Errorf("capacity: %d", rec.Code)
				}
			}
		}()
	}
	wg.Wait()
	rec := f.call("GET", api("/appointment-assignments?pageSize=500&modifiedOnOrAfter=2027-04-30T09:00:00Z"), tok, "alpha-app-key", "")
	var page struct {
		TotalCount int `json:"totalCount"`
		Data       []struct {
			JobAppointmentID int    `json:"jobAppointmentId"`
			TechnicianID     int    `json:"technicianId"`
			Status           string `json:"status"`
		} `json:"data"`
	}
	json.Unmarshal(rec.Body.Bytes(), &page)
	got := map[[2]int]bool{}
	for _, a := range page.Data {
		if a.Status == "Assigned" {
			got[[2]int{a.JobAppointmentID, a.TechnicianID}] = true
		}
	}
	if len(got) != len(assigned) {
		t.Fatalf("ledger holds %d new assignments, %d were acknowledged net", len(got), len(assigned))
	}
	for k := range assigned {
		if !got[k] {
			t.Errorf("acknowledged assignment %v missing", k)
		}
	}
}
