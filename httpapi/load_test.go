package httpapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/httpapi"
)

// BenchmarkLoad is the bounded load test: clients on loopback mix one-day
// capacity queries for the demo tenant with assign/unassign pairs (one
// write in 20 requests), rate limit off, without and with the journal
// (fsync per write). It reports throughput and p50/p99 latency, and
// afterwards checks that every acknowledged write is present.
func BenchmarkLoad(b *testing.B) {
	b.Run("journal=off", func(b *testing.B) { load(b, "") })
	b.Run("journal=on", func(b *testing.B) { load(b, b.TempDir()) })
}

func load(b *testing.B, dataDir string) {
	f := newFixture(b, httpapi.Config{RateLimit: -1, Now: time.Now, DataDir: dataDir})
	ts := httptest.NewServer(f.h)
	defer ts.Close()
	tok := f.token(b, "alpha", "alpha-secret")
	const workers = 8
	tr := &http.Transport{MaxIdleConnsPerHost: workers}
	client := &http.Client{Transport: tr}
	do := func(method, path, body string) (int, time.Duration) {
		req, _ := http.NewRequest(method, ts.URL+api(path), strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("ST-App-Key", "alpha-app-key")
		req.Header.Set("Content-Type", "application/json")
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, time.Since(start)
	}
	capBody := `{"startsOnOrAfter":"2027-03-09T00:00:00-07:00","endsOnOrBefore":"2027-03-10T00:00:00-07:00","jobTypeId":101,"skillBasedAvailability":true}`
	var next atomic.Int64
	lat := make([][]time.Duration, workers)
	var mu sync.Mutex
	net := map[int64]bool{} // appointment → 110 assigned after the acknowledged writes
	var queries atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				if i%20 == 0 {
					appt := 5001 + (i/20)%600
					body := fmt.Sprintf(`{"jobAppointmentId":%d,"technicianIds":[110]}`, appt)
					mu.Lock() // one writer per appointment at a time keeps the expected state exact
					path := "/appointment-assignments/assign-technicians"
					if net[appt] {
						path = "/appointment-assignments/unassign-technicians"
					}
					code, d := do("POST", path, body)
					if code == 200 {
						net[appt] = !net[appt]
					}
					mu.Unlock()
					lat[w] = append(lat[w], d)
					continue
				}
				code, d := do("POST", "/capacity", capBody)
				if code != 200 {
					b.Errorf("capacity: %d", code)
					return
				}
				queries.Add(1)
				lat[w] = append(lat[w], d)
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	if len(all) > 0 {
		b.ReportMetric(float64(len(all))/b.Elapsed().Seconds(), "req/s")
		b.ReportMetric(float64(queries.Load())/b.Elapsed().Seconds(), "capacity-req/s")
		b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
	}
	// Every acknowledged write is present: technician 110's current
	// assignments are exactly the net effect of the acknowledged writes.
	current := map[int64]bool{}
	for page := 1; ; page++ {
		rec := f.call("GET", api(fmt.Sprintf("/appointment-assignments?technicianId=110&pageSize=500&page=%d", page)), tok, "alpha-app-key", "")
		var p struct {
			HasMore bool `json:"hasMore"`
			Data    []struct {
				JobAppointmentID int64
				Status           string
			} `json:"data"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			b.Fatal(err)
		}
		for _, a := range p.Data {
			if a.Status == "Assigned" {
				current[a.JobAppointmentID] = true
			}
		}
		if !p.HasMore {
			break
		}
	}
	for appt, on := range net {
		if on != current[appt] {
			b.Errorf("appointment %d: acknowledged writes leave 110 assigned=%v, server says %v", appt, on, current[appt])
		}
	}
}
