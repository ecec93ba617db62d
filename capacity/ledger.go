package capacity

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/opendispatch/dispatch/paging"
	"github.com/opendispatch/dispatch/shifts"
	"github.com/opendispatch/dispatch/validate"
	"github.com/opendispatch/dispatch/zones"
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

// checkActor checks the name of by, who assigns or unassigns, as the
// tenant file's assignedBy is checked: single-line text of at most
// [validate.MaxText] characters, at the path "by.name". Nil is no one.
func checkActor(by *Actor) error {
	if by == nil || textOK(by.Name, true) {
		return nil
	}
	var errs validate.Errors
	checkText(&errs, "by.name", by.Name, true)
	return errs
}

// Assign assigns the technicians to the appointment. Assigning one already
// assigned changes nothing. Either every technician is assigned or, on
// error, none is. It returns the appointment's current Assigned records,
// ascending by technician id, and what is wrong with the assignment of
// each technician named (see [Warning]; nil when nothing is): assigning
// succeeds all the same, since dispatchers may override.
//
// Assigning to a canceled appointment is an [ErrConflict].
func (e *Engine) Assign(appointmentID int64, technicianIDs []int64, by *Actor) ([]Assignment, []Warning, error) {
	now, err := e.stamp()
	if err != nil {
		return nil, nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := checkActor(by); err != nil {
		return nil, nil, err
	}
	a, err := e.checkUpdate(appointmentID, technicianIDs)
	if err != nil {
		return nil, nil, err
	}
	if a.canceled {
		return nil, nil, canceledErr(a.id)
	}
	if a.col == noneAssigned {
		e.removePending(a)
	}
	var ws []Warning
	p := e.posOf(a)
	for _, id := range sortedUnique(technicianIDs) {
		i := e.techIdx[id]
		if e.assign(a, int32(i), len(e.ledger)) {
			e.ledger = append(e.ledger, record{id: e.nextAssignmentID(), appt: a.id, col: int32(i), byAndStatus: e.internActor(by),
				assignedOn: now, unassignedOn: unset, modifiedOn: now})
			e.techs[i].appts.add(e.appts, p)
			e.refresh(i, a.start, a.end, false)
		}
		ws = e.appendWarnings(ws, a, i)
	}
	return e.currentRecords(a), ws, nil
}

// Unassign removes the technicians from the appointment, keeping their
// records as history with status Unassigned and unassignedOn set.
// Unassigning a technician who is not assigned is an [ErrConflict], and
// then nothing changes.
func (e *Engine) Unassign(appointmentID int64, technicianIDs []int64, by *Actor) ([]Assignment, error) {
	now, err := e.stamp()
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := checkActor(by); err != nil {
		return nil, err
	}
	a, err := e.checkUpdate(appointmentID, technicianIDs)
	if err != nil {
		return nil, err
	}
	var errs validate.Errors
	var buf [1]assignee
	list := e.assigneesIn(a, &buf)
	for i, id := range technicianIDs {
		if _, ok := findAssignee(list, int32(e.techIdx[id])); !ok {
			errs.Add(validate.Index("technicianIds", i), "capacity: technician %d is not assigned to appointment %d: %w", id, a.id, ErrConflict)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	list = slices.Clone(list)
	for _, id := range sortedUnique(technicianIDs) {
		i := e.techIdx[id]
		k, _ := findAssignee(list, int32(i))
		e.ledger[list[k].rec].unassign(now)
		list = slices.Delete(list, k, k+1)
		e.techs[i].appts.remove(e.appts, e.posOf(a))
		e.refresh(i, a.start, a.end, false)
	}
	e.setAssignees(a, list)
	if a.col == noneAssigned {
		e.addPending(a)
	}
	return e.currentRecords(a), nil
}

func (e *Engine) nextAssignmentID() int64 {
	if len(e.ledger) == 0 {
		return 1
	}
	return e.ledger[len(e.ledger)-1].id + 1
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

// currentRecords returns a's Assigned records, ascending by technician id.
func (e *Engine) currentRecords(a *appt) []Assignment {
	var buf [1]assignee
	list := e.assigneesIn(a, &buf)
	out := make([]Assignment, len(list))
	var ac actorCopies
	for i, x := range list {
		out[i] = e.publicRecord(&e.ledger[x.rec], &ac)
	}
	if !e.ordered() { // assignees are in column order
		slices.SortFunc(out, func(x, y Assignment) int { return cmp.Compare(x.TechnicianID, y.TechnicianID) })
	}
	return out
}

// AssignmentQuery filters and pages [Engine.Assignments]. A nil
// TechnicianID and a zero ModifiedOnOrAfter are absent.
type AssignmentQuery struct {
	TechnicianID      *int64
	ModifiedOnOrAfter time.Time
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
	col := int32(-1)
	if q.TechnicianID != nil {
		i, ok := e.techIdx[*q.TechnicianID]
		if !ok {
			return paging.Slice([]Assignment(nil), pq), nil
		}
		col = int32(i)
	}
	sel := make([]Assignment, 0, len(e.ledger))
	since, bySince := q.ModifiedOnOrAfter.Unix(), !q.ModifiedOnOrAfter.IsZero()
	var ac actorCopies
	for i := range e.ledger {
		r := &e.ledger[i]
		if col >= 0 && r.col != col {
			continue
		}
		if bySince && r.modifiedOn < since {
			continue
		}
		sel = append(sel, e.publicRecord(r, &ac))
	}
	return paging.Slice(sel, pq), nil
}

// AddAppointment adds an unassigned appointment; its time counts as
// pending in its business unit until a technician is assigned, and with
// the capacity rules that name its job type. One added Canceled counts
// nowhere. Its fields are checked as [Data.Validate] checks them, and its
// instants against [hours.CheckInstant]; an id in use is an
// [ErrConflict].
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
	if !e.hasJobType(a.JobTypeID) {
		badRef(&errs, "jobTypeId", "job type", a.JobTypeID)
	}
	if !e.hasUnit(a.BusinessUnitID) {
		badRef(&errs, "businessUnitId", "business unit", a.BusinessUnitID)
	}
	checkTimes(&errs, self, a.ID, a.Start, a.End, a.ArrivalWindowStart, a.ArrivalWindowEnd, true)
	if a.Zip != "" {
		if _, ok := zones.NormalizeZip(a.Zip); !ok {
			errs.Add("zip", "capacity: malformed zip %q: %w", a.Zip, ErrInvalid)
		}
	}
	if len(errs) > 0 {
		return errs
	}
	// An id above every other keeps the appointments in id order (the
	// positions need no list); any other gets one.
	if k, _ := e.apptAt(a.ID); e.apptIdx != nil || k < len(e.appts) {
		if e.apptIdx == nil {
			e.apptIdx = identity(len(e.appts))
		}
		e.apptIdx = slices.Insert(e.apptIdx, k, int32(len(e.appts)))
	}
	e.appts = append(e.appts, e.internAppt(&a))
	if p := &e.appts[len(e.appts)-1]; !p.canceled {
		e.addPending(p)
		e.countAppointment(p)
	}
	return nil
}

// CreateShifts creates one shift per technician in req (see
// [shifts.Store.Create]) and updates those technicians' capacity. Unknown
// technicians are [ErrNotFound].
func (e *Engine) CreateShifts(req shifts.CreateRequest) ([]shifts.Shift, error) {
	if _, err := e.stamp(); err != nil {
		return nil, err // the store would stamp with it
	}
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
	checkInstants(&errs, req.Start, req.End)
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
	if req.Type == shifts.Normal && e.growTo(req.Start.Unix(), req.End.Unix()) {
		return created, nil // the rebuild recomputed everyone
	}
	for i := range created {
		e.shiftChanged(nil, &created[i])
	}
	return created, nil
}
