package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"unicode/utf8"

	"github.com/opendispatch/dispatch/api"
	"github.com/opendispatch/dispatch/validate"
)

// WarningHeader is the response header that carries the warnings of an
// assignment ([capacity.Warning]) without changing the contract's
// response body: one field line per warning, in the engine's order, each
// a compact JSON object {"technicianId", "code", "otherAppointmentId"
// (only for overlappingAppointment), "message"} ([api.Warning]) with every
// character beyond ASCII escaped (\uXXXX), so the value is plain ASCII.
// A client or proxy that joins the lines with ", " (RFC 9110 §5.3) gets a
// list that reads as a JSON array once wrapped in [ and ].
const WarningHeader = "Dispatch-Warning"

// answer is an operation's reply with warnings to send as headers.
type answer struct {
	body     any
	warnings []api.Warning
}

// warningValue encodes one warning as a header value: compact JSON, ASCII
// only.
func warningValue(w api.Warning) string {
	b, _ := json.Marshal(w)
	var out bytes.Buffer
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r < utf8.RuneSelf && r >= 0x20 && r != 0x7f:
			out.WriteByte(byte(r))
		case r <= 0xffff:
			fmt.Fprintf(&out, `\u%04x`, r)
		default: // a surrogate pair
			r -= 0x10000
			fmt.Fprintf(&out, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		}
		b = b[n:]
	}
	return out.String()
}

// setWarnings adds one WarningHeader line per warning.
func setWarnings(h http.Header, ws []api.Warning) {
	for _, w := range ws {
		h.Add(WarningHeader, warningValue(w))
	}
}

// The journal's operations of the lifecycle extension. A record's ID is
// the id of the operation's path.
const (
	opAppointmentCreate     = "appointment.create"
	opAppointmentReschedule = "appointment.reschedule"
	opAppointmentCancel     = "appointment.cancel"
	opShiftUpdate           = "shift.update"
	opShiftDeactivate       = "shift.deactivate"
	opShiftReactivate       = "shift.reactivate"
	opShiftDelete           = "shift.delete"
	opTechnicianAdd         = "technician.add"
	opTechnicianUpdate      = "technician.update"
	opTechnicianDeactivate  = "technician.deactivate"
	opTechnicianReactivate  = "technician.reactivate"
)

// applyLifecycle performs a lifecycle record; ok is false for an
// operation it does not know.
func (st *engine) applyLifecycle(rec Record) (out any, ok bool, err error) {
	svc := st.svc
	switch rec.Op {
	case opAppointmentCreate:
		out, err = svc.CreateAppointment(rec.Body)
	case opAppointmentReschedule:
		a, ws, e := svc.RescheduleAppointment(rec.ID, rec.Body)
		out, err = answer{a, ws}, e
	case opAppointmentCancel:
		out, err = svc.CancelAppointment(rec.ID)
	case opShiftUpdate:
		out, err = svc.UpdateShift(rec.ID, rec.Body)
	case opShiftDeactivate, opShiftReactivate:
		out, err = svc.SetShiftActive(rec.ID, rec.Op == opShiftReactivate)
	case opShiftDelete:
		out, err = svc.DeleteShift(rec.ID)
	case opTechnicianAdd:
		out, err = svc.AddTechnician(rec.Body)
	case opTechnicianUpdate:
		out, err = svc.UpdateTechnician(rec.ID, rec.Body)
	case opTechnicianDeactivate, opTechnicianReactivate:
		out, err = svc.SetTechnicianActive(rec.ID, rec.Op == opTechnicianReactivate)
	default:
		return nil, false, nil
	}
	return out, true, err
}

// lifecycleOps returns the lifecycle's operations beside the contract:
// appointments, shifts and technicians, their lists, and journal
// compaction. api/openapi.yaml documents them with x-extension: true.
func (s *Server) lifecycleOps() []operation {
	return []operation{
		{"GET", "/appointments", s.api(func(st *tenantState, r *http.Request, _ []byte) (any, error) {
			return st.e().svc.ListAppointments(query(r))
		})},
		{"POST", "/appointments", s.api(s.change(opAppointmentCreate))},
		{"POST", "/appointments/{id}/reschedule", s.api(s.change(opAppointmentReschedule))},
		{"POST", "/appointments/{id}/cancel", s.bodiless(s.change(opAppointmentCancel))},
		{"PATCH", "/technician-shifts/{id}", s.api(s.change(opShiftUpdate))},
		{"POST", "/technician-shifts/{id}/deactivate", s.bodiless(s.change(opShiftDeactivate))},
		{"POST", "/technician-shifts/{id}/reactivate", s.bodiless(s.change(opShiftReactivate))},
		{"DELETE", "/technician-shifts/{id}", s.api(s.change(opShiftDelete))},
		{"GET", "/technicians", s.api(func(st *tenantState, r *http.Request, _ []byte) (any, error) {
			return st.e().svc.ListTechnicians(query(r))
		})},
		{"POST", "/technicians", s.api(s.change(opTechnicianAdd))},
		{"PATCH", "/technicians/{id}", s.api(s.change(opTechnicianUpdate))},
		{"POST", "/technicians/{id}/deactivate", s.bodiless(s.change(opTechnicianDeactivate))},
		{"POST", "/technicians/{id}/reactivate", s.bodiless(s.change(opTechnicianReactivate))},
		{"POST", "/journal/compact", s.bodiless(func(st *tenantState, _ *http.Request, _ []byte) (any, error) {
			return st.compactNow(s.cfg)
		})},
	}
}

// emptyObject checks that a body is {} (the compaction takes no input).
// A null is refused too: the strict decoder reads it as an empty value,
// but the schema asks for an object.
func emptyObject(body []byte) error {
	if bytes.Equal(bytes.TrimSpace(body), []byte("null")) {
		return validate.Errors{{Path: "$", Msg: "httpapi: want an object, got null: send {} or no body"}}
	}
	var v struct{}
	if err := validate.Unmarshal(body, &v); err != nil {
		var list validate.Errors
		if errors.As(err, &list) {
			for _, e := range list { // validate's messages name no package
				e.Msg = "httpapi: " + e.Msg
			}
		}
		return err
	}
	return nil
}

// pathID reads the {id} of a request's path; "" when the operation has
// none.
func pathID(r *http.Request) (int64, error) {
	s := r.PathValue("id")
	if s == "" {
		return 0, nil
	}
	return api.ParseID(s)
}
