package httpapi_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/opendispatch/dispatch/httpapi"
)

// Findings of a client generated from api/openapi.yaml (oapi-codegen) and
// run against the server under both prefixes: what the contract says must
// be what a generated client decodes.

// walkSchemas calls visit on every schema of the contract reachable from
// its components and operations, once each, with a path naming where.
func walkSchemas(doc *openapi3.T, visit func(where string, s *openapi3.Schema)) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(where string, r *openapi3.SchemaRef)
	walk = func(where string, r *openapi3.SchemaRef) {
		if r == nil || r.Value == nil || seen[r.Value] {
			return
		}
		s := r.Value
		seen[s] = true
		visit(where, s)
		for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
			walk(where+"."+name, s.Properties[name])
		}
		walk(where+"[]", s.Items)
		walk(where+"{}", s.AdditionalProperties.Schema)
		for i, x := range s.AllOf {
			walk(fmt.Sprintf("%s.allOf[%d]", where, i), x)
		}
		for i, x := range s.OneOf {
			walk(fmt.Sprintf("%s.oneOf[%d]", where, i), x)
		}
		for i, x := range s.AnyOf {
			walk(fmt.Sprintf("%s.anyOf[%d]", where, i), x)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(doc.Components.Schemas)) {
		walk("#/components/schemas/"+name, doc.Components.Schemas[name])
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		ops := doc.Paths.Value(path).Operations()
		for _, method := range slices.Sorted(maps.Keys(ops)) {
			op := ops[method]
			where := method + " " + path
			for _, p := range op.Parameters {
				walk(where+" "+p.Value.Name, p.Value.Schema)
			}
			if op.RequestBody != nil {
				for _, ct := range slices.Sorted(maps.Keys(op.RequestBody.Value.Content)) {
					walk(where+" request "+ct, op.RequestBody.Value.Content[ct].Schema)
				}
			}
			for _, code := range slices.Sorted(maps.Keys(op.Responses.Map())) {
				for _, ct := range slices.Sorted(maps.Keys(op.Responses.Value(code).Value.Content)) {
					walk(where+" "+code+" "+ct, op.Responses.Value(code).Value.Content[ct].Schema)
				}
			}
		}
	}
}

// TestContractNumbersAreDoubles: a number without a format is a float32
// in oapi-codegen's client (and in others), which does not round-trip the
// server's float64 coordinates: 39.7508 decodes as 39.750801. Every number
// in the contract says format: double.
func TestContractNumbersAreDoubles(t *testing.T) {
	doc, _ := contract(t, "/dispatch/v2/{tenant}")
	numbers := 0
	walkSchemas(doc, func(where string, s *openapi3.Schema) {
		if s.Type.Is("number") {
			numbers++
			if s.Format != "double" {
				t.Errorf("%s: type number with format %q, want double", where, s.Format)
			}
		}
	})
	if numbers < 6 { // GPS pings' four, Point's two
		t.Errorf("found %d numbers, want at least 6: the walk misses schemas", numbers)
	}
}

// TestUnassignAnswersCurrentRecords: the unassign operation answers the
// appointment's records that are still Assigned, as assign does (the
// engine's Unassign and the command line's unassign say so), and the
// contract describes that answer, not "the records unassigned, status
// Unassigned", which a client generated from it was led to expect. The
// answer keeps the AppointmentAssignment items, so that a generated client
// decodes assign's and unassign's answers into one type.
func TestUnassignAnswersCurrentRecords(t *testing.T) {
	doc, router := contract(t, "/dispatch/v2/tenant/{tenant}")
	answer := doc.Paths.Value("/appointment-assignments/unassign-technicians").Post.Responses.Status(200).Value.Content.Get("application/json").Schema.Value
	if d := answer.Description; strings.Contains(d, "records unassigned") || !strings.Contains(d, "still Assigned") {
		t.Errorf("the unassign answer is not described as the records still Assigned: %q", d)
	}
	if answer.Items.Ref != "#/components/schemas/AppointmentAssignment" {
		t.Errorf("the unassign answer's items are %q, want assign's AppointmentAssignment", answer.Items.Ref)
	}

	f := newFixture(t, httpapi.Config{})
	tok := f.token(t, "alpha", "alpha-secret")
	header := map[string]string{"Authorization": "Bearer " + tok, "ST-App-Key": "alpha-app-key", "Content-Type": "application/json"}
	validate(t, f, router, "POST", api("/appointment-assignments/assign-technicians"), header, `{"jobAppointmentId": 5001, "technicianIds": [102]}`, http.StatusOK, true)
	for _, c := range []struct {
		body string
		want []float64 // technician ids still assigned
	}{
		{`{"jobAppointmentId": 5001, "technicianIds": [102]}`, []float64{101}},
		{`{"jobAppointmentId": 5001, "technicianIds": [101]}`, []float64{}},
	} {
		rec := validate(t, f, router, "POST", api("/appointment-assignments/unassign-technicians"), header, c.body, http.StatusOK, true)
		var recs []map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &recs); err != nil {
			t.Fatal(err)
		}
		got := []float64{}
		for _, r := range recs {
			if r["status"] != "Assigned" || r["jobAppointmentId"] != float64(5001) {
				t.Errorf("%s: record %v", c.body, r)
			}
			got = append(got, r["technicianId"].(float64))
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: technicians %v still assigned, want %v", c.body, got, c.want)
		}
	}
}

// TestEmptyBodyNull: the operations that take no input (requestBodies
// Empty) answer a body of null with a 400 naming "$", under both
// prefixes, as the contract says: a generated client sends null for a nil
// map body, and must hear why. The state is unchanged: {} then succeeds.
func TestEmptyBodyNull(t *testing.T) {
	ops := []struct{ path, template string }{
		{"/appointments/5001/cancel", "/appointments/{id}/cancel"},
		{"/technician-shifts/1/deactivate", "/technician-shifts/{id}/deactivate"},
		{"/technician-shifts/1/reactivate", "/technician-shifts/{id}/reactivate"},
		{"/technicians/101/deactivate", "/technicians/{id}/deactivate"},
		{"/technicians/101/reactivate", "/technicians/{id}/reactivate"},
		{"/journal/compact", "/journal/compact"},
	}
	doc, _ := contract(t, "/dispatch/v2/{tenant}")
	paths := make([]string, len(ops))
	for i, op := range ops {
		paths[i] = op.path
		if rb := doc.Paths.Value(op.template).Post.RequestBody; rb == nil || rb.Ref != "#/components/requestBodies/Empty" {
			t.Fatalf("%s: request body is not Empty", op.template)
		}
	}
	for _, prefix := range []string{"/dispatch/v2/tenant/{tenant}", "/dispatch/v2/{tenant}"} {
		f := newFixture(t, httpapi.Config{})
		_, router := contract(t, prefix)
		tok := f.token(t, "alpha", "alpha-secret")
		base := strings.Replace(prefix, "{tenant}", demoTenant, 1)
		header := map[string]string{"Authorization": "Bearer " + tok, "ST-App-Key": "alpha-app-key", "Content-Type": "application/json"}
		for _, p := range paths {
			rec := validate(t, f, router, "POST", base+p, header, "null", http.StatusBadRequest, false)
			v := checkProblem(t, rec, http.StatusBadRequest)
			if errs, _ := v["errors"].(map[string]any); errs["$"] == nil {
				t.Errorf("%s%s: null: errors %v, want one at $", base, p, v["errors"])
			}
			want := http.StatusOK
			if p == "/journal/compact" {
				want = http.StatusConflict // no data directory
			}
			validate(t, f, router, "POST", base+p, header, "{}", want, true)
		}
	}
}
