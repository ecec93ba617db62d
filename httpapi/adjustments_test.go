package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	dispatch "github.com/opendispatch/dispatch"
	"github.com/opendispatch/dispatch/httpapi"
)

type adjustmentOut struct {
	ID                  int64  `json:"id"`
	Date                string `json:"date"`
	From                string `json:"from"`
	To                  string `json:"to"`
	BusinessUnitID      int64  `json:"businessUnitId"`
	BusinessUnitGroupID int64  `json:"businessUnitGroupId"`
	Minutes             int    `json:"minutes"`
	Reason              string `json:"reason"`
	CreatedBy           *struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"createdBy"`
	CreatedOn string `json:"createdOn"`
}

type adjustmentPage struct {
	Page       int             `json:"page"`
	PageSize   int             `json:"pageSize"`
	HasMore    bool            `json:"hasMore"`
	TotalCount int             `json:"totalCount"`
	Data       []adjustmentOut `json:"data"`
}

func decodeJSON[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return v
}

// TestAdjustments: the extension's operations under both prefixes: a
// created adjustment is audited (createdBy is the authenticated client,
// createdOn the server's clock, whatever the body says) and changes
// capacity; the list pages and filters like the contract's lists; a window
// the date does not have is a 400 naming the date's windows; an id in use
// a 409; an unknown or malformed id on delete a 404 or a 400.
func TestAdjustments(t *testing.T) {
	f := newFixture(t, httpapi.Config{RateLimit: -1})
	h := f.authed(t)
	h["Content-Type"] = "application/json"
	capBody := `{"startsOnOrAfter": "2027-03-11T00:00:00-07:00", "endsOnOrBefore": "2027-03-12T00:00:00-07:00", "businessUnitIds": [2]}`
	capacityOf := func() string {
		rec := f.request("POST", api("/capacity"), h, capBody)
		if rec.Code != 200 {
			t.Fatalf("capacity: %d %s", rec.Code, rec.Body)
		}
		return rec.Body.String()
	}
	before := capacityOf()

	f.clock.advance(10 * time.Minute) // the server's clock: 2027-03-01T09:10Z
	rec := f.request("POST", "/dispatch/v2/"+demoTenant+"/capacity-adjustments", h,
		`{"date": "2027-03-11", "from": "12:00", "to": "14:00", "businessUnitId": 2, "minutes": -120, "reason": "van in the shop"}`)
	if rec.Code != 200 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	got := decodeJSON[adjustmentOut](t, rec.Body.Bytes())
	if got.ID != 4 || got.CreatedBy == nil || got.CreatedBy.Name != "alpha" || got.CreatedOn != "2027-03-01T02:10:00-07:00" || got.Minutes != -120 || got.BusinessUnitID != 2 {
		t.Errorf("created %+v: want id 4 (the next), by alpha, on the server's clock", got)
	}
	after := capacityOf()
	if before == after {
		t.Error("the adjustment did not change capacity")
	}
	// Authorship comes from the token, never from the body.
	rec = f.request("POST", api("/capacity-adjustments"), h, `{"date": "2027-03-11", "from": "08:00", "to": "10:00", "minutes": 30, "reason": "x", "createdBy": {"id": 9, "name": "Mallory"}}`)
	if p := checkProblem(t, rec, 400); errorsOf(t, p)["createdBy"] == nil {
		t.Errorf("a body naming its author: %s", rec.Body)
	}

	// The list: (date, from, to, id) order, paged, filtered.
	rec = f.request("GET", api("/capacity-adjustments?pageSize=2&page=2"), h, "")
	page := decodeJSON[adjustmentPage](t, rec.Body.Bytes())
	if rec.Code != 200 || page.TotalCount != 4 || page.HasMore || len(page.Data) != 2 || page.Data[0].ID != 4 || page.Data[1].ID != 3 {
		t.Errorf("page 2 of 2: %d %+v; want adjustments 4 (Thursday) and 3 (Friday)", rec.Code, page)
	}
	for query, want := range map[string][]int64{
		"from=2027-03-10&to=2027-03-12": {2, 4},
		"businessUnitId=2":              {4, 3},
		"businessUnitGroupId=1":         {2},
		"from=2027-03-13":               {},
	} {
		rec := f.request("GET", api("/capacity-adjustments?"+query), h, "")
		var ids []int64
		for _, a := range decodeJSON[adjustmentPage](t, rec.Body.Bytes()).Data {
			ids = append(ids, a.ID)
		}
		if rec.Code != 200 || len(ids) != len(want) || (len(ids) > 0 && ids[0] != want[0]) || (len(ids) > 1 && ids[1] != want[1]) {
			t.Errorf("%s: %d %v, want %v", query, rec.Code, ids, want)
		}
	}

	for _, tt := range []struct {
		name, method, path, body string
		status                   int
		field, msg               string
	}{
		{"no such window", "POST", "/capacity-adjustments", `{"date": "2027-03-11", "from": "09:00", "to": "11:00", "minutes": 30, "reason": "x"}`, 400,
			"from", "api: no window 09:00–11:00 on 2027-03-11 (Thursday); its windows are 08:00–10:00, 10:00–12:00, 12:00–14:00 and 14:00–16:00"},
		{"a closed day", "POST", "/capacity-adjustments", `{"date": "2027-03-14", "from": "08:00", "to": "10:00", "minutes": 30, "reason": "x"}`, 400,
			"from", "api: no window 08:00–10:00 on 2027-03-14 (Sunday); it has no windows (no business hours)"},
		{"every problem at once", "POST", "/capacity-adjustments", `{"date": "2027-02-30", "from": "8", "minutes": 0, "reason": " "}`, 400,
			"to", "api: to is required"},
		{"unit and group", "POST", "/capacity-adjustments", `{"date": "2027-03-11", "from": "08:00", "to": "10:00", "businessUnitId": 1, "businessUnitGroupId": 1, "minutes": 30, "reason": "x"}`, 400,
			"businessUnitGroupId", "capacity: the adjustment names both business unit 1 and group 1; name one or neither"},
		{"unknown unit and no window", "POST", "/capacity-adjustments", `{"date": "2027-03-11", "from": "09:00", "to": "11:00", "businessUnitId": 9, "minutes": 30, "reason": "x"}`, 400,
			"businessUnitId", "capacity: unknown business unit 9"},
		{"no window and unknown unit", "POST", "/capacity-adjustments", `{"date": "2027-03-11", "from": "09:00", "to": "11:00", "businessUnitId": 9, "minutes": 30, "reason": "x"}`, 400,
			"from", "api: no window 09:00–11:00 on 2027-03-11 (Thursday)"},
		{"id in use", "POST", "/capacity-adjustments", `{"id": 1, "date": "2027-03-11", "from": "08:00", "to": "10:00", "minutes": 30, "reason": "x"}`, 409,
			"id", "capacity: adjustment 1 exists"},
		{"unknown id", "DELETE", "/capacity-adjustments/99", "", 404, "id", "capacity: unknown adjustment 99"},
		{"malformed id", "DELETE", "/capacity-adjustments/x1", "", 400, "id", `api: id "x1" is not a positive integer`},
		{"unknown parameter", "GET", "/capacity-adjustments?unit=1", "", 400, "unit", `api: unknown query parameter "unit"`},
		{"dates backwards", "GET", "/capacity-adjustments?from=2027-03-12&to=2027-03-10", "", 400, "to", `api: to 2027-03-10 is not after from 2027-03-12`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := f.request(tt.method, api(tt.path), h, tt.body)
			p := checkProblem(t, rec, tt.status)
			msgs, _ := errorsOf(t, p)[tt.field].([]any)
			found := false
			for _, m := range msgs {
				found = found || strings.HasPrefix(m.(string), tt.msg)
			}
			if !found {
				t.Errorf("problem lacks %s: %q: %s", tt.field, tt.msg, rec.Body)
			}
		})
	}
	if rec := f.request("GET", api("/capacity-adjustments"), h, ""); decodeJSON[adjustmentPage](t, rec.Body.Bytes()).TotalCount != 4 {
		t.Errorf("a refused change changed the list: %s", rec.Body)
	}

	rec = f.request("DELETE", api("/capacity-adjustments/4"), h, "")
	if rec.Code != 200 || decodeJSON[adjustmentOut](t, rec.Body.Bytes()).ID != 4 {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body)
	}
	if capacityOf() != before {
		t.Error("capacity did not come back after the delete")
	}
}

// TestAdjustmentsJournal: adjustments created and deleted over HTTP are
// journaled and replayed at start with their ids, authors and times; a
// record that no longer applies (the id taken in the tenant file) stops
// the start.
func TestAdjustmentsJournal(t *testing.T) {
	dir := t.TempDir()
	fc := &fakeClock{t: time.Date(2027, 3, 2, 15, 0, 0, 0, time.UTC)}
	cfg := httpapi.Config{DataDir: dir, Clients: clients, RateLimit: -1, Now: fc.now}
	srv, err := httpapi.New(cfg, dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{srv: srv, h: srv.Handler(), clock: fc}
	h := f.authed(t)
	h["Content-Type"] = "application/json"
	for i, body := range []string{
		`{"date": "2027-03-16", "from": "08:00", "to": "10:00", "businessUnitGroupId": 1, "minutes": 45, "reason": "first"}`,
		`{"date": "2027-03-16", "from": "10:00", "to": "12:00", "minutes": -30, "reason": "second"}`,
		`{"id": 40, "date": "2027-03-17", "from": "14:00", "to": "16:00", "businessUnitId": 3, "minutes": 15, "reason": "third"}`,
	} {
		fc.advance(time.Minute)
		if rec := f.request("POST", api("/capacity-adjustments"), h, body); rec.Code != 200 {
			t.Fatalf("create %d: %d %s", i, rec.Code, rec.Body)
		}
	}
	fc.advance(time.Minute)
	if rec := f.request("DELETE", api("/capacity-adjustments/5"), h, ""); rec.Code != 200 {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body)
	}
	want := f.request("GET", api("/capacity-adjustments"), h, "").Body.String()
	srv.Close()

	fc.advance(24 * time.Hour) // a replay keeps the times of the records
	srv, err = httpapi.New(cfg, dispatch.DemoTenant)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	f = &fixture{srv: srv, h: srv.Handler(), clock: fc}
	got := f.request("GET", api("/capacity-adjustments"), f.authed(t), "").Body.String()
	if got != want {
		t.Errorf("after the replay:\n%s\nwant\n%s", got, want)
	}
	page := decodeJSON[adjustmentPage](t, []byte(got))
	var ids []int64
	for _, a := range page.Data {
		ids = append(ids, a.ID)
		if a.ID == 4 && (a.CreatedOn != "2027-03-02T08:01:00-07:00" || a.CreatedBy.Name != "alpha") {
			t.Errorf("adjustment 4 replayed as %+v", a)
		}
	}
	if len(ids) != 5 || ids[3] != 4 || ids[4] != 40 {
		t.Errorf("ids %v: want the demo's 1, 2, 3 and the created 4 and 40 (5 deleted)", ids)
	}

	// The tenant file now has an adjustment 40 of its own: the journal's
	// creation of 40 no longer applies.
	changed := strings.Replace(string(dispatch.DemoTenant), `"capacityAdjustments": [
    {
      "id": 1,`, `"capacityAdjustments": [
    {
      "id": 40,`, 1)
	if changed == string(dispatch.DemoTenant) {
		t.Fatal("the demo's first adjustment is not where the test expects it")
	}
	cfg.AllowChangedTenant = true
	srv.Close()
	if _, err := httpapi.New(cfg, []byte(changed)); err == nil || !strings.Contains(err.Error(), "(adjust at") || !strings.Contains(err.Error(), "adjustment 40 exists") {
		t.Errorf("a creation that no longer applies: %v", err)
	}
}
