package httpapi_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opendispatch/dispatch/httpapi"
	"github.com/opendispatch/dispatch/internal/base/proptest"
	"github.com/opendispatch/dispatch/internal/testkit/oracle"
)

// TestOracleLive is the black-box oracle check (see cmd/dispatch
// TestOracle) on a running server, where the engine answers from state it
// updates incrementally: each random tenant file of oracle.Generate is
// served, then changed through the API — technicians assigned and
// unassigned, appointments booked right after a window where someone fits
// (so that the fit of the window before changes), rescheduled and
// canceled, shifts and technicians deactivated and reactivated, capacity
// adjustments created on the windows of its answers — and after every change a capacity request's JSON is compared, member by
// member, with the oracle's answer over the file with the same change
// written in. DISPATCH_SEED replays a run; DISPATCH_ORACLE_TENANTS sets
// the number of tenants.
func TestOracleLive(t *testing.T) {
	p := proptest.Params(t, 150)
	tenants := p.MinSuccessfulTests
	if s := os.Getenv("DISPATCH_ORACLE_TENANTS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			t.Fatalf("DISPATCH_ORACLE_TENANTS=%q: want a positive count", s)
		}
		tenants = n
	}
	var changes, queries, timeslots, refused int
	for range tenants {
		seed := p.Rng.Uint64()
		c, err := oracle.Generate(seed)
		if err != nil {
			t.Fatal(err)
		}
		lv := newLive(t, c)
		rng := rand.New(rand.NewPCG(seed, 2))
		for step := range 12 {
			ok := false
			switch rng.IntN(8) {
			case 0:
				ok = lv.assign(t, rng)
			case 1:
				ok = lv.unassign(t, rng)
			case 2:
				ok = lv.adjust(t, rng)
			case 3:
				ok = lv.book(t, rng)
			case 4:
				ok = lv.reschedule(t, rng)
			case 5:
				ok = lv.cancel(t, rng)
			case 6:
				ok = lv.toggle(t, rng, "shifts", "/technician-shifts/")
			case 7:
				ok = lv.toggle(t, rng, "technicians", "/technicians/")
			}
			if ok {
				changes++
			} else {
				refused++
			}
			req := c.Requests[rng.IntN(len(c.Requests))]
			got := lv.call(t, "POST", "/capacity", string(req))
			if got.Code != 200 {
				t.Fatalf("%s, step %d: POST /capacity %s: %d %s", c.Describe(), step, req, got.Code, got.Body)
			}
			want, err := oracle.Capacity(lv.file(t), req)
			if err != nil {
				t.Fatalf("%s: oracle: %v", c.Describe(), err)
			}
			queries++
			var resp oracle.Response
			json.Unmarshal(want, &resp)
			for _, av := range resp.Availabilities {
				timeslots += len(av.Timeslots)
			}
			if diffs := oracle.Diff(want, got.Body.Bytes()); len(diffs) > 0 {
				t.Fatalf("%s (replay: DISPATCH_SEED=%s), after step %d (%s): the server (got) and the oracle (want) disagree:\n%s\nrequest: %s",
					c.Describe(), proptestSeed(), step, strings.Join(lv.log, "; "), strings.Join(diffs[:min(len(diffs), 8)], "\n"), req)
			}
		}
		lv.srv.Close()
	}
	t.Logf("%d tenants: %d changes through the API (%d drawn changes did not apply), %d requests, %d timeslots compared", tenants, changes, refused, queries, timeslots)
	if changes < tenants*3 {
		t.Errorf("only %d changes applied in %d tenants", changes, tenants)
	}
}

func proptestSeed() string {
	if s := os.Getenv("DISPATCH_SEED"); s != "" {
		return s
	}
	return strconv.Itoa(proptest.DefaultSeed)
}

// live is one served tenant and the file the oracle reads, kept equal to
// the server's state change by change.
type live struct {
	c      oracle.Case
	srv    *httpapi.Server
	token  string
	prefix string
	f      map[string]any
	next   int64 // the next assignment record id
	log    []string
}

func newLive(t *testing.T, c oracle.Case) *live {
	t.Helper()
	lv := &live{c: c, next: 1 << 20}
	if err := json.Unmarshal(c.Tenant, &lv.f); err != nil {
		t.Fatal(err)
	}
	id := lv.f["tenant"].(string)
	now := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	srv, err := httpapi.New(httpapi.Config{Now: now, RateLimit: -1,
		Clients: []httpapi.Client{{ID: "oracle", SecretHash: httpapi.HashSecret("oracle-secret"), AppKey: "oracle-key", Tenants: []string{id}}}}, c.Tenant)
	if err != nil {
		t.Fatalf("%s: %v", c.Describe(), err)
	}
	lv.srv, lv.prefix = srv, "/dispatch/v2/tenant/"+id
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"oracle"}, "client_secret": {"oracle-secret"}}
	req := httptest.NewRequest("POST", "/connect/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token: %d %s", rec.Code, rec.Body)
	}
	lv.token = tok.AccessToken
	return lv
}

func (lv *live) call(t *testing.T, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, lv.prefix+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+lv.token)
	req.Header.Set("ST-App-Key", "oracle-key")
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	lv.srv.Handler().ServeHTTP(rec, req)
	return rec
}

func (lv *live) file(t *testing.T) []byte {
	b, err := json.Marshal(lv.f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (lv *live) list(name string) []any { l, _ := lv.f[name].([]any); return l }

// num reads an id from the decoded file (float64) or from a record
// written in by the test (int64).
func num(v any) int64 {
	switch x := v.(type) {
	case float64:
		return int64(x)
	case int64:
		return x
	}
	return 0
}

// assigned reports whether technician tech holds an Assigned record of
// appointment appt.
func (lv *live) assigned(appt, tech int64) bool {
	for _, r := range lv.list("assignments") {
		m := r.(map[string]any)
		if num(m["jobAppointmentId"]) == appt && num(m["technicianId"]) == tech && m["status"] == "Assigned" {
			return true
		}
	}
	return false
}

// assign assigns one or two technicians to an appointment that is not
// canceled; every such assignment must succeed.
func (lv *live) assign(t *testing.T, rng *rand.Rand) bool {
	var appts []int64
	for _, a := range lv.list("appointments") {
		if m := a.(map[string]any); m["canceled"] != true {
			appts = append(appts, num(m["id"]))
		}
	}
	techs := lv.list("technicians")
	if len(appts) == 0 || len(techs) == 0 {
		return false
	}
	appt := appts[rng.IntN(len(appts))]
	var ids []int64
	for range 1 + rng.IntN(2) {
		id := num(techs[rng.IntN(len(techs))].(map[string]any)["id"])
		if !strings.Contains(fmt.Sprint(ids), fmt.Sprint(id)) {
			ids = append(ids, id)
		}
	}
	body, _ := json.Marshal(map[string]any{"jobAppointmentId": appt, "technicianIds": ids})
	if rec := lv.call(t, "POST", "/appointment-assignments/assign-technicians", string(body)); rec.Code != 200 {
		t.Fatalf("%s: assign %s: %d %s", lv.c.Describe(), body, rec.Code, rec.Body)
	}
	for _, id := range ids {
		if !lv.assigned(appt, id) { // assigning an assigned technician changes nothing
			lv.f["assignments"] = append(lv.list("assignments"), map[string]any{"id": lv.next, "jobAppointmentId": appt, "technicianId": id, "status": "Assigned"})
			lv.next++
		}
	}
	lv.log = append(lv.log, fmt.Sprintf("assign %v to %d", ids, appt))
	return true
}

// unassign unassigns one technician who is assigned now.
func (lv *live) unassign(t *testing.T, rng *rand.Rand) bool {
	var held []map[string]any
	for _, r := range lv.list("assignments") {
		if m := r.(map[string]any); m["status"] == "Assigned" {
			held = append(held, m)
		}
	}
	if len(held) == 0 {
		return false
	}
	m := held[rng.IntN(len(held))]
	appt, tech := num(m["jobAppointmentId"]), num(m["technicianId"])
	body, _ := json.Marshal(map[string]any{"jobAppointmentId": appt, "technicianIds": []int64{tech}})
	if rec := lv.call(t, "POST", "/appointment-assignments/unassign-technicians", string(body)); rec.Code != 200 {
		t.Fatalf("%s: unassign %s: %d %s", lv.c.Describe(), body, rec.Code, rec.Body)
	}
	for _, r := range held {
		if num(r["jobAppointmentId"]) == appt && num(r["technicianId"]) == tech {
			r["status"] = "Unassigned"
		}
	}
	lv.log = append(lv.log, fmt.Sprintf("unassign %d from %d", tech, appt))
	return true
}

// adjust creates an adjustment on a timeslot of the oracle's answer to one
// of the case's requests, its bounds written as the local clocks of the
// timeslot's instants ("24:00" for an end on the next date): by the §3
// rule they name the same instants, even where a DST gap moved the
// window's own clocks. Windows whose clocks cannot be written so (an end
// before the start, in a gap) are refused with a 400 and left out.
func (lv *live) adjust(t *testing.T, rng *rand.Rand) bool {
	req := lv.c.Requests[rng.IntN(len(lv.c.Requests))]
	resp, err := oracle.Compute(lv.file(t), req)
	if err != nil {
		t.Fatal(err)
	}
	var slots []oracle.Timeslot
	for _, av := range resp.Availabilities {
		slots = append(slots, av.Timeslots...)
	}
	if len(slots) == 0 {
		return false
	}
	ts := slots[rng.IntN(len(slots))]
	date, from := ts.Start[:10], ts.Start[11:16]
	to := ts.End[11:16]
	if ts.End[:10] != date {
		to = "24:00"
	}
	adj := map[string]any{"date": date, "from": from, "to": to, "minutes": rng.IntN(241) - 120, "reason": "oracle"}
	if adj["minutes"] == 0 {
		adj["minutes"] = 30
	}
	units := lv.list("businessUnits")
	if rng.IntN(2) == 0 {
		adj["businessUnitId"] = num(units[rng.IntN(len(units))].(map[string]any)["id"])
	} else if groups := lv.list("businessUnitGroups"); len(groups) > 0 && rng.IntN(2) == 0 {
		adj["businessUnitGroupId"] = num(groups[rng.IntN(len(groups))].(map[string]any)["id"])
	}
	body, _ := json.Marshal(adj)
	rec := lv.call(t, "POST", "/capacity-adjustments", string(body))
	switch {
	case rec.Code == 400 && from >= to:
		return false // a window turned inside out by a gap: no clocks name it
	case rec.Code != 200:
		t.Fatalf("%s: adjustment %s on timeslot %s–%s: %d %s", lv.c.Describe(), body, ts.Start, ts.End, rec.Code, rec.Body)
	}
	lv.f["capacityAdjustments"] = append(lv.list("capacityAdjustments"), adj)
	lv.log = append(lv.log, fmt.Sprintf("adjust %s", body))
	return true
}

func (lv *live) must(t *testing.T, method, path, body string) {
	t.Helper()
	if rec := lv.call(t, method, path, body); rec.Code != 200 {
		t.Fatalf("%s: %s %s %s: %d %s", lv.c.Describe(), method, path, body, rec.Code, rec.Body)
	}
	lv.log = append(lv.log, method+" "+path+" "+body)
}

// book creates an appointment starting at, or up to an hour after, the end
// of a timeslot where some technician fits, and assigns it to one of them:
// the free stretch the fit ran into is cut short.
func (lv *live) book(t *testing.T, rng *rand.Rand) bool {
	resp, err := oracle.Compute(lv.file(t), lv.c.Requests[rng.IntN(len(lv.c.Requests))])
	if err != nil {
		t.Fatal(err)
	}
	var slots []oracle.Timeslot
	for _, av := range resp.Availabilities {
		for _, ts := range av.Timeslots {
			if len(ts.TechnicianIDs) > 0 {
				slots = append(slots, ts)
			}
		}
	}
	if len(slots) == 0 {
		return false
	}
	ts := slots[rng.IntN(len(slots))]
	end, err := time.Parse(time.RFC3339, ts.End)
	if err != nil {
		t.Fatal(err)
	}
	start := end.Add(time.Duration(rng.IntN(5)) * 15 * time.Minute)
	stop := start.Add(time.Duration(1+rng.IntN(8)) * 15 * time.Minute)
	id := int64(9000 + len(lv.list("appointments")))
	jts, units := lv.list("jobTypes"), lv.list("businessUnits")
	a := map[string]any{"id": id, "jobId": id, "jobTypeId": num(jts[rng.IntN(len(jts))].(map[string]any)["id"]),
		"businessUnitId": num(units[rng.IntN(len(units))].(map[string]any)["id"]),
		"start":          start.Format(time.RFC3339), "end": stop.Format(time.RFC3339),
		"arrivalWindowStart": start.Format(time.RFC3339), "arrivalWindowEnd": stop.Format(time.RFC3339)}
	body, _ := json.Marshal(a)
	lv.must(t, "POST", "/appointments", string(body))
	lv.f["appointments"] = append(lv.list("appointments"), a)
	tech := ts.TechnicianIDs[rng.IntN(len(ts.TechnicianIDs))]
	body, _ = json.Marshal(map[string]any{"jobAppointmentId": id, "technicianIds": []int64{tech}})
	lv.must(t, "POST", "/appointment-assignments/assign-technicians", string(body))
	lv.f["assignments"] = append(lv.list("assignments"), map[string]any{"id": lv.next, "jobAppointmentId": id, "technicianId": tech, "status": "Assigned"})
	lv.next++
	return true
}

// live returns the appointments that are not canceled.
func (lv *live) liveAppointments() []map[string]any {
	var out []map[string]any
	for _, a := range lv.list("appointments") {
		if m := a.(map[string]any); m["canceled"] != true {
			out = append(out, m)
		}
	}
	return out
}

// reschedule moves an appointment by up to two hours either way, its
// length changed by up to an hour.
func (lv *live) reschedule(t *testing.T, rng *rand.Rand) bool {
	appts := lv.liveAppointments()
	if len(appts) == 0 {
		return false
	}
	a := appts[rng.IntN(len(appts))]
	start, err1 := time.Parse(time.RFC3339, a["start"].(string))
	end, err2 := time.Parse(time.RFC3339, a["end"].(string))
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	start = start.Add(time.Duration(rng.IntN(17)-8) * 15 * time.Minute)
	end = end.Add(time.Duration(rng.IntN(17)-8) * 15 * time.Minute)
	if !end.After(start) {
		end = start.Add(15 * time.Minute)
	}
	body, _ := json.Marshal(map[string]any{"start": start.Format(time.RFC3339), "end": end.Format(time.RFC3339)})
	lv.must(t, "POST", fmt.Sprintf("/appointments/%d/reschedule", num(a["id"])), string(body))
	a["start"], a["end"] = start.Format(time.RFC3339), end.Format(time.RFC3339)
	return true
}

// cancel cancels an appointment: its Assigned records become Unassigned.
func (lv *live) cancel(t *testing.T, rng *rand.Rand) bool {
	appts := lv.liveAppointments()
	if len(appts) == 0 {
		return false
	}
	a := appts[rng.IntN(len(appts))]
	id := num(a["id"])
	lv.must(t, "POST", fmt.Sprintf("/appointments/%d/cancel", id), "")
	a["canceled"] = true
	for _, r := range lv.list("assignments") {
		if m := r.(map[string]any); num(m["jobAppointmentId"]) == id && m["status"] == "Assigned" {
			m["status"] = "Unassigned"
		}
	}
	return true
}

// toggle deactivates an active record of list name (shifts or
// technicians), or reactivates an inactive one.
func (lv *live) toggle(t *testing.T, rng *rand.Rand, name, path string) bool {
	recs := lv.list(name)
	if len(recs) == 0 {
		return false
	}
	m := recs[rng.IntN(len(recs))].(map[string]any)
	active := m["active"] != false
	op := "deactivate"
	if !active {
		op = "reactivate"
	}
	lv.must(t, "POST", fmt.Sprintf("%s%d/%s", path, num(m["id"]), op), "")
	m["active"] = !active
	return true
}
