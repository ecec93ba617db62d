package capacity

import (
	"cmp"
	"math"
	"slices"

	"github.com/opendispatch/dispatch/interval"
)

// The engine keeps the tenant's records to serve them back (appointments,
// the assignment ledger), and they outweigh the capacity index: a tenant
// has two or three appointments and as many ledger records per
// technician-day. Stored as the public types they took more than twice the
// index's bytes, so they are stored narrower: references to technicians,
// job types, business units, zips and actors become 32-bit positions in
// small tables, and instants stay int64 (DESIGN §3). The public types are
// built on the way out.

// appt is an appointment as the engine keeps it, and the technicians
// assigned to it now: 72 bytes, against 80 for an Appointment alone.
type appt struct {
	id, jobID      int64
	start, end     int64
	awStart, awEnd int64 // unset for no arrival window
	jobType        int32 // position in Engine.jobTypeList, -1 when unknown
	unit           int32 // position in Engine.unitList, -1 when unknown
	zip            int32 // position in Engine.zips
	// Nearly every appointment has zero or one technician, so one assignee
	// is kept inline; col is then its technician column, or noneAssigned,
	// or severalAssigned when Engine.several holds the list.
	col      int32
	rec      int32 // the inline assignee's Assigned record in Engine.ledger
	canceled bool  // consumes nothing; no one is assigned
}

const (
	noneAssigned    = -1
	severalAssigned = -2
)

// assignee is a technician column assigned now and the position of its
// Assigned record in the ledger.
type assignee struct{ col, rec int32 }

func (a *appt) span() interval.Span { return interval.Span{Start: a.start, End: a.end} }

// assigneesIn returns the appointment's current assignees, ascending by
// column, in buf when there is one. The slice is shared with the engine
// when there are several; do not modify it.
func (e *Engine) assigneesIn(a *appt, buf *[1]assignee) []assignee {
	switch a.col {
	case noneAssigned:
		return nil
	case severalAssigned:
		return e.several[a.id]
	}
	buf[0] = assignee{a.col, a.rec}
	return buf[:]
}

// setAssignees stores list (ascending by column) as a's assignees.
func (e *Engine) setAssignees(a *appt, list []assignee) {
	delete(e.several, a.id)
	switch len(list) {
	case 0:
		a.col, a.rec = noneAssigned, 0
	case 1:
		a.col, a.rec = list[0].col, list[0].rec
	default:
		a.col, a.rec = severalAssigned, 0
		e.several[a.id] = list
	}
}

// findAssignee returns the position of column col among list, or false.
func findAssignee(list []assignee, col int32) (int, bool) {
	return slices.BinarySearchFunc(list, col, func(x assignee, c int32) int { return cmp.Compare(x.col, c) })
}

// assign adds column col with its record to a's assignees and reports
// whether it did: it does nothing when col is assigned already.
func (e *Engine) assign(a *appt, col int32, rec int) bool {
	if a.col == noneAssigned {
		a.col, a.rec = col, int32(rec)
		return true
	}
	var buf [1]assignee
	list := e.assigneesIn(a, &buf)
	i, ok := findAssignee(list, col)
	if ok {
		return false
	}
	e.setAssignees(a, slices.Insert(slices.Clone(list), i, assignee{col, int32(rec)}))
	return true
}

// public returns a as an Appointment.
func (e *Engine) public(a *appt) Appointment {
	out := Appointment{ID: a.id, JobID: a.jobID, Start: e.at(a.start), End: e.at(a.end),
		ArrivalWindowStart: e.optAt(a.awStart), ArrivalWindowEnd: e.optAt(a.awEnd), Zip: e.zips.At(a.zip), Canceled: a.canceled}
	if a.jobType >= 0 {
		out.JobTypeID = e.jobTypeList[a.jobType].ID
	}
	if a.unit >= 0 {
		out.BusinessUnitID = e.unitList[a.unit].ID
	}
	return out
}

// internAppt returns a's narrow form, unassigned. References the engine
// does not know become -1 (validation reports them).
func (e *Engine) internAppt(a *Appointment) appt {
	var p [1]appt
	e.internAppts(p[:], []Appointment{*a})
	return p[0]
}

// internAppts stores the narrow form of each of as, unassigned, in ps
// (as long), field by field: a build fills its table in place rather
// than copying each appointment through a temporary, in one loop rather
// than a call per appointment. It reports whether every appointment
// passes [apptSound]'s checks, made in the same loop, and whether their
// ids ascend strictly.
func (e *Engine) internAppts(ps []appt, as []Appointment) (sound, inOrder bool) {
	ps = ps[:len(as)]
	sound, inOrder = true, true
	prev := int64(math.MinInt64)
	// The position tables are read in the loop (posTable.at's body): a
	// call of jobTypePos and unitPos for each appointment cost more than
	// the lookups, and at itself, inlined on copies of the tables, 0.7%
	// more of a small build (its nil check first). They search when
	// there is no table.
	jt, ut := e.jobTypeAt.pos, e.unitAt.pos
	jlo, ulo := uint64(e.jobTypeAt.lo), uint64(e.unitAt.lo)
	for i := range as {
		p, a := &ps[i], &as[i]
		p.id, p.jobID = a.ID, a.JobID
		p.start, p.end = unix(a.Start), unix(a.End)
		p.awStart, p.awEnd = unix(a.ArrivalWindowStart), unix(a.ArrivalWindowEnd)
		switch k := uint64(a.JobTypeID) - jlo; {
		case k < uint64(len(jt)):
			p.jobType = jt[k]
		case jt == nil:
			p.jobType = e.jobTypePos(a.JobTypeID)
		default:
			p.jobType = -1
		}
		switch k := uint64(a.BusinessUnitID) - ulo; {
		case k < uint64(len(ut)):
			p.unit = ut[k]
		case ut == nil:
			p.unit = e.unitPos(a.BusinessUnitID)
		default:
			p.unit = -1
		}
		p.zip = e.zips.Add(a.Zip)
		p.col, p.rec = noneAssigned, 0
		p.canceled = a.Canceled
		inOrder = inOrder && prev < p.id
		prev = p.id
		sound = sound && apptSound(p)
	}
	return sound, inOrder
}

// record is a ledger record as the engine keeps it: 48 bytes, against 64
// for an Assignment.
type record struct {
	id, appt     int64
	assignedOn   int64 // each of the three unset when not set
	unassignedOn int64
	modifiedOn   int64
	col          int32  // technician column
	byAndStatus  uint32 // actor position + 1 (0 for none), and the unassigned bit
}

const unassignedBit = 1 << 31

func (r *record) status() Status {
	if r.byAndStatus&unassignedBit != 0 {
		return Unassigned
	}
	return Assigned
}

// unassign marks r as history.
func (r *record) unassign(now int64) {
	r.byAndStatus |= unassignedBit
	r.unassignedOn, r.modifiedOn = now, now
}

// publicRecord returns r as an Assignment. AssignedBy points at a copy of
// the engine's interned actor, taken from ac: the caller may change it
// without changing the engine's records (records of one call that share
// an actor share its copy).
func (e *Engine) publicRecord(r *record, ac *actorCopies) Assignment {
	out := Assignment{ID: r.id, AppointmentID: r.appt, AssignedOn: e.optAt(r.assignedOn), UnassignedOn: e.optAt(r.unassignedOn),
		Status: r.status(), ModifiedOn: e.optAt(r.modifiedOn)}
	if r.col >= 0 {
		out.TechnicianID = e.techs[r.col].ID
	}
	if by := r.byAndStatus &^ unassignedBit; by != 0 {
		out.AssignedBy = ac.at(e.actors, by-1)
	}
	return out
}

// actorCopies copies the interned actors a call returns, each once, on
// first use. Its zero value is ready.
type actorCopies struct {
	m []*Actor
}

// at returns the copy of actors[i].
func (c *actorCopies) at(actors []*Actor, i uint32) *Actor {
	if c.m == nil {
		c.m = make([]*Actor, len(actors))
	}
	if c.m[i] == nil {
		a := *actors[i]
		c.m[i] = &a
	}
	return c.m[i]
}

// internRecords stores the narrow form of each of as in rs (as long),
// field by field (a build fills its ledger in place), in one loop. An
// unknown technician becomes column -1 (validation reports it). The loop
// remembers the previous record's technician and actor: a ledger lists a
// technician's records together and shares a few actors among them, so
// most records need neither a lookup by id nor hashing the actor's name.
//
// In the same loop it adds each Assigned record of a known technician to
// count[column], and reports whether every record passes the checks
// [Data.Validate] makes of one record but its appointment and actor (a
// known technician, a status, an unassignedOn when Unassigned, instants
// unset or in the years), whether their ids ascend strictly, and whether
// their appointment ids do not descend.
func (e *Engine) internRecords(rs []record, as []Assignment, count []int32) (sound, inOrder, byAppt bool) {
	rs = rs[:len(as)]
	last := recordCache{col: -1}
	sound = true
	// The previous record's ids are read back through a pointer, and the
	// checks of order sum into one word of failures: kept apart, the
	// three flags and the two previous ids left too few registers for the
	// loop, which stored and reloaded them at every record.
	var fails uint8 // notInOrder | notByAppt
	prev := &record{id: math.MinInt64, appt: math.MinInt64}
	for i := range as {
		r, a := &rs[i], &as[i]
		r.id, r.appt = a.ID, a.AppointmentID
		r.assignedOn, r.unassignedOn, r.modifiedOn = unix(a.AssignedOn), unix(a.UnassignedOn), unix(a.ModifiedOn)
		r.col = -1
		if a.TechnicianID == last.tech && last.col >= 0 {
			r.col = last.col
		} else if i, ok := e.techIdx[a.TechnicianID]; ok {
			r.col = int32(i)
			last.tech, last.col = a.TechnicianID, r.col
		}
		if a.AssignedBy == nil || a.AssignedBy != last.by {
			last.by, last.byPos = a.AssignedBy, e.internActor(a.AssignedBy)
		}
		r.byAndStatus = last.byPos
		if a.Status == Unassigned {
			r.byAndStatus |= unassignedBit
		} else if r.col >= 0 {
			count[r.col]++
		}
		sound = sound && r.col >= 0 && (a.Status == Assigned || a.Status == Unassigned && r.unassignedOn != unset) &&
			optInYears(r.assignedOn) && optInYears(r.unassignedOn) && optInYears(r.modifiedOn)
		if prev.id >= r.id {
			fails |= notInOrder
		}
		if prev.appt > r.appt {
			fails |= notByAppt
		}
		prev = r
	}
	return sound, fails&notInOrder == 0, fails&notByAppt == 0
}

// The failures of order internRecords sums.
const (
	notInOrder = 1 << iota
	notByAppt
)

// recordCache is what internRecords remembers of the previous record: a
// technician id and its column (-1 for none yet), an actor pointer and
// its position. The actor is looked up again unless the pointer is the
// same: within one build a record's actor does not change.
type recordCache struct {
	tech  int64
	col   int32
	by    *Actor
	byPos uint32
}

// internActor returns the position + 1 of by in the actor table, adding a
// copy of it when new, or 0 for nil.
func (e *Engine) internActor(by *Actor) uint32 {
	if by == nil {
		return 0
	}
	if i, ok := e.actorIdx[*by]; ok {
		return i
	}
	c := *by
	e.actors = append(e.actors, &c)
	e.actorIdx[c] = uint32(len(e.actors))
	return uint32(len(e.actors))
}
