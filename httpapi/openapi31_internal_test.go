package httpapi

import (
	"context"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestOpenAPINullType: the contract is OpenAPI 3.1, where a nullable field
// is a type list with "null" (3.0's nullable: true is gone). kin-openapi
// reads the list: the field takes null and a string, and refuses a number.
func TestOpenAPINullType(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile("../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := doc.Components.Schemas["AppointmentAssignment"].Value.Properties["unassignedOn"].Value
	if s.Nullable {
		t.Error("unassignedOn uses 3.0's nullable: true")
	}
	if err := s.VisitJSON(nil); err != nil {
		t.Errorf("null refused: %v", err)
	}
	if err := s.VisitJSON("2027-03-09T08:00:00-07:00"); err != nil {
		t.Errorf("a date-time refused: %v", err)
	}
	if err := s.VisitJSON(float64(1)); err == nil {
		t.Error("a number accepted")
	}
}
