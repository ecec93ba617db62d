package capacity

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/opendispatch/dispatch/paging"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/validate"
)

// checkTechs reports unknown or repeated technician ids, with their
// request paths. It must run under e.mu.
func (e *Engine) checkTechs(errs *validate.Errors, ids []int64) {
	if len(ids) == 0 {
		errs.Add("technicianIds", "capacity: at least one technician id is required: %w", ErrInvalid)
	}
	for i, id := range ids {
		if _, ok := e.techIdx[id]; !ok {
			errs.Add(validate.Index("technicianIds", i), "capacity: unknown technician %d: %w", id, ErrNotFound)
		}
	}
}

// Assign assigns the technicians to the appointment. Assigning one already
// assigned changes nothing. Either every technician is assigned or, on
// error, none is. It returns the appointment's current Assigned records,
// ascending by technician id.
func (e *Engine) Assign(appointmentID int64, technicianIDs []int64, by *Actor) ([]Assignment, error) {
	now := e.now().Unix()
	e.mu.Lock()
	defer e.mu.Unlock()
	a, err := e.checkUpdate(appointmentID, technicianIDs)
	if err != nil {
		return nil, err
	}
	if len(a.assigned) == 0 {
		e.removePending(a)
	}
	for _, id := range sortedUnique(technicianIDs) {
		if _, ok := a.find(id); ok {
			continue
		}
		rec := Assignment{ID: e.nextAssignmentID(), AppointmentID: a.ID, TechnicianID: id, AssignedBy: cloneActor(by),
			AssignedOn: now, Status: Assigned, ModifiedOn: now}
		a.assign(id, len(e.ledger))
		e.ledger = append(e.ledger, rec)
		i := e.techIdx[id]
		e.techs[i].appts.add(a.span())
		e.refresh(i, a.Start, a.End, false, true)
	}
	return e.currentRecords(a), nil
}

// Unassign removes the technicians from the appointment, keeping their
// records as history with status Unassigned and unassignedOn set.
// Unassigning a technician who is not assigned is an [ErrConflict], and
// then nothing changes.
func (e *Engine) Unassign(appointmentID int64, technicianIDs []int64, by *Actor) ([]Assignment, error) {
	now := e.now().Unix()
	e.mu.Lock()
	defer e.mu.Unlock()
	a, err := e.checkUpdate(appointmentID, technicianIDs)
	if err != nil {
		return nil, err
	}
	var errs validate.Errors
	for i, id := range technicianIDs {
		if _, ok := a.find(id); !ok {
			errs.Add(validate.Index("technicianIds", i), "capacity: technician %d is not assigned to appointment %d: %w", id, a.ID, ErrConflict)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	for _, id := range sortedUnique(technicianIDs) {
		k, _ := a.find(id)
		rec := &e.ledger[a.assigned[k].rec]
		rec.Status, rec.UnassignedOn, rec.ModifiedOn = Unassigned, now, now
		a.assigned = slices.Delete(a.assigned, k, k+1)
		i := e.techIdx[id]
		e.techs[i].appts.remove(a.span())
		e.refresh(i, a.Start, a.End, false, true)
	}
	if len(a.assigned) == 0 {
		e.addPending(a)
	}
	return e.currentRecords(a), nil
}

func cloneActor(by *Actor) *Actor {
	if by == nil {
		return nil
	}
	c := *by
	return &c
}

func (e *Engine) nextAssignmentID() int64 {
	if len(e.ledger) == 0 {
		return 1
	}
	return e.ledger[len(e.ledger)-1].ID + 1
}

func (e *Engine) checkUpdate(appointmentID int64, technicianIDs []int64) (*appt, error) {
	var errs validate.Errors
	a := e.appt(appointmentID)
	if a == nil {
		errs.Add("jobAppointmentId", "capacity: unknown appointment %d: %w", appointmentID, ErrNotFound)
	}
	e.checkTechs(&errs, technicianIDs)
	return a, errs.Err()
}

func (e *Engine) currentRecords(a *appt) []Assignment {
	out := make([]Assignment, 0, len(a.assigned))
	for _, x := range a.assigned {
		out = append(out, e.ledger[x.rec])
	}
	return out
}

// AssignmentQuery filters and pages [Engine.Assignments]. Nil filters are
// absent.
type AssignmentQuery struct {
	TechnicianID      *int64
	ModifiedOnOrAfter *int64 // Unix seconds
	paging.Query
}

// Assignments lists assignment records, current and historical, in id
// order.
func (e *Engine) Assignments(q AssignmentQuery) (paging.Page[Assignment], error) {
	pq, err := q.Query.Normalize()
	if err != nil {
		return paging.Page[Assignment]{}, fmt.Errorf("capacity: %w: %w", err, ErrInvalid)
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	sel := make([]Assignment, 0, len(e.ledger))
	for _, a := range e.ledger {
		if q.TechnicianID != nil && a.TechnicianID != *q.TechnicianID {
			continue
		}
		if q.ModifiedOnOrAfter != nil && a.ModifiedOn < *q.ModifiedOnOrAfter {
			continue
		}
		sel = append(sel, a)
	}
	return paging.Slice(sel, pq), nil
}

// AddAppointment adds an unassigned appointment; its time counts as
// pending in its business unit until a technician is assigned.
func (e *Engine) AddAppointment(a Appointment) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var errs validate.Errors
	switch {
	case a.ID <= 0:
		errs.Add("id", "capacity: appointment id %d must be positive: %w", a.ID, ErrInvalid)
	case e.appt(a.ID) != nil:
		errs.Add("id", "capacity: appointment %d exists: %w", a.ID, ErrConflict)
	}
	if e.jobTypes[a.JobTypeID] == nil {
		errs.Add("jobTypeId", "capacity: unknown job type %d: %w", a.JobTypeID, ErrInvalid)
	}
	if e.units[a.BusinessUnitID] == nil {
		errs.Add("businessUnitId", "capacity: unknown business unit %d: %w", a.BusinessUnitID, ErrInvalid)
	}
	if a.End <= a.Start {
		errs.Add("end", "capacity: appointment %d ends before it starts: %w", a.ID, ErrInvalid)
	}
	if len(errs) > 0 {
		return errs
	}
	k, _ := slices.BinarySearchFunc(e.apptIdx, a.ID, func(x apptKey, id int64) int { return cmp.Compare(x.id, id) })
	e.apptIdx = slices.Insert(e.apptIdx, k, apptKey{a.ID, int32(len(e.appts))})
	e.appts = append(e.appts, appt{Appointment: a})
	e.addPending(&e.appts[len(e.appts)-1])
	return nil
}

// CreateShifts creates one shift per technician in req (see
// [shifts.Store.Create]) and updates those technicians' capacity. Unknown
// technicians are [ErrNotFound].
func (e *Engine) CreateShifts(req shifts.CreateRequest) ([]shifts.Shift, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var errs validate.Errors
	for i, id := range req.TechnicianIDs {
		if _, ok := e.techIdx[id]; !ok && id > 0 {
			errs.Add(validate.Index("technicianIds", i), "capacity: unknown technician %d: %w", id, ErrNotFound)
		}
	}
	if err := req.Validate(); err != nil {
		errs.AddErr("", err)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	created, err := e.shifts.Create(req)
	if err != nil {
		return nil, err
	}
	if req.Type == shifts.OnCall {
		return created, nil // on-call time adds nothing to capacity
	}
	if req.Type == shifts.Normal && e.growTo(req.Start, req.End) {
		return created, nil // the rebuild recomputed everyone
	}
	for _, sh := range created {
		e.refresh(e.techIdx[sh.TechnicianID], sh.Start, sh.End, true, false)
	}
	return created, nil
}
