package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/validate"
)

// The extension beside the contract: capacity adjustments (DESIGN §4a
// item 10), listed, created and deleted under the tenant's routes like the
// contract's operations, journaled and replayed like assignments.
// api/openapi.yaml marks them "x-extension: true".

// extensions returns the operations beside the contract's nine: capacity
// adjustments and the lifecycle.
func (s *Server) extensions() []operation {
	return append(s.adjustmentOps(), s.lifecycleOps()...)
}

// adjustmentOps returns the capacity adjustments' operations.
func (s *Server) adjustmentOps() []operation {
	return []operation{
		{"GET", "/capacity-adjustments", s.api(func(st *tenantState, r *http.Request, _ []byte) (any, error) {
			return st.e().svc.ListAdjustments(query(r))
		})},
		// The record keeps the id the adjustment gets, so that a replay
		// creates the very same one.
		{"POST", "/capacity-adjustments", s.api(s.journaled("adjust", func(st *tenantState, _ *http.Request, body []byte) ([]byte, error) {
			return st.e().svc.NumberAdjustment(body)
		}))},
		{"DELETE", "/capacity-adjustments/{id}", s.api(s.journaled("unadjust", func(_ *tenantState, r *http.Request, _ []byte) ([]byte, error) {
			id, err := pathID(r)
			if err != nil {
				return nil, err
			}
			return json.Marshal(removal{ID: id})
		}))},
	}
}

// removal is the journal body of a deleted adjustment.
type removal struct {
	ID int64 `json:"id"`
}

// applyExtension performs an extension's journaled change: "adjust"
// creates the adjustment of the record's body (createdBy the client,
// createdOn the record's time), "unadjust" deletes one.
func (st *engine) applyExtension(rec Record, by *capacity.Actor) (any, error) {
	switch rec.Op {
	case "adjust":
		return st.svc.CreateAdjustment(rec.Body, by)
	case "unadjust":
		var r removal
		if err := validate.Unmarshal(rec.Body, &r); err != nil {
			return nil, err
		}
		return st.svc.RemoveAdjustment(strconv.FormatInt(r.ID, 10))
	}
	return nil, fmt.Errorf("unknown operation %q", rec.Op)
}
