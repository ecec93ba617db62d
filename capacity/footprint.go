package capacity

import (
	"unsafe"

	"github.com/opendispatch/dispatch/internal/base/footprint"
)

// Footprint is the memory an engine holds, in bytes, by part, computed
// from the lengths and capacities of its tables (see [Engine.Footprint]).
// Strings the engine shares with the [Data] it was built from — names,
// skills, zips, shift titles — are not counted, nor are the technicians'
// and job types' short lists of skills and zones (the engine's own
// copies: a few words per record).
type Footprint struct {
	// Index is what capacity queries and updates read: per technician its
	// working time W, free time F, its assigned appointments (4-byte positions)
	// and its shift spans by type; the pending spans per business unit;
	// the slot catalog with its per-technician statistics; and the
	// capacity controls (groups, adjustments, rules and the appointment
	// spans the rules count).
	Index int64
	// Appointments, Assignments and Shifts are the records the engine
	// keeps to serve them back; Other is technicians, business units, job
	// types and capacity adjustments.
	Appointments, Assignments, Shifts, Other int64
}

// Records returns the bytes of the records: everything but the index.
func (f Footprint) Records() int64 { return f.Appointments + f.Assignments + f.Shifts + f.Other }

// Total returns every part's bytes together.
func (f Footprint) Total() int64 { return f.Index + f.Records() }

// Footprint returns the engine's memory by part. It reads sizes, not the
// runtime's statistics, so it is exact for the engine's own tables,
// estimates its maps from their lengths (about 6% low), and costs
// O(technicians).
func (e *Engine) Footprint() Footprint {
	e.mu.RLock()
	defer e.mu.RUnlock()
	var f Footprint
	sh := e.shifts.Footprint()
	f.Shifts = sh.Records
	f.Index = sh.Index

	// A tech is a Technician (a record) and its incremental state.
	techSize := int64(unsafe.Sizeof(tech{}))
	recSize := int64(unsafe.Sizeof(Technician{}))
	f.Other += recSize*int64(cap(e.techs)) + footprint.Slice(e.unitList) + footprint.Slice(e.jobTypeList) +
		footprint.Slice(e.unitAt.pos) + footprint.Slice(e.jobTypeAt.pos)
	f.Index += (techSize-recSize)*int64(cap(e.techs)) + footprint.Slice(e.cols) + footprint.Slice(e.active) + footprint.Slice(e.order) + footprint.Slice(e.runs) +
		footprint.Map(e.techIdx) + footprint.Slice(e.shardUnit) + footprint.Slice(e.unitShards)
	for i := range e.techs {
		t := &e.techs[i]
		f.Index += footprint.Slice(t.appts.pos) + t.work.Bytes() + t.free.Bytes()
	}
	f.Index += footprint.Slice(e.pending) + footprint.Slice(e.pendingAll.spans)
	for _, b := range e.pending {
		f.Index += footprint.Slice(b.spans)
	}
	c := &e.cat
	f.Index += footprint.Slice(c.dates) + footprint.Slice(c.dayBase) + footprint.Slice(c.slots) + c.open.Bytes() +
		footprint.Slice(c.stats) + footprint.Slice(c.units)
	f.Index += e.ctl.footprint()
	f.Other += footprint.Slice(e.ctl.adjs) // the adjustments as records, to serve back

	f.Appointments = footprint.Slice(e.appts) + footprint.Slice(e.apptIdx) + footprint.Map(e.several) +
		e.zips.Bytes()
	for _, l := range e.several {
		f.Appointments += footprint.Slice(l)
	}
	f.Assignments = footprint.Slice(e.ledger) + footprint.Slice(e.actors) +
		int64(len(e.actors))*int64(unsafe.Sizeof(Actor{})) + footprint.Map(e.actorIdx)
	return f
}

// footprint returns the bytes of the controls' tables.
func (c *ctl) footprint() int64 {
	n := footprint.Slice(c.groups) + footprint.Slice(c.groupOf) + footprint.Slice(c.ideal) + footprint.Slice(c.reserve) +
		footprint.Slice(c.slots) + footprint.Slice(c.rules) + footprint.Slice(c.rulesOf) +
		footprint.Slice(c.counted)
	for _, g := range c.groups {
		n += footprint.Slice(g.BusinessUnitIDs) + footprint.Slice(g.units)
	}
	for _, r := range c.rules {
		n += footprint.Slice(r.JobTypeIDs) + footprint.Slice(r.BusinessUnitIDs) + footprint.Slice(r.jobTypes) + footprint.Slice(r.units)
	}
	for _, l := range c.rulesOf {
		n += footprint.Slice(l)
	}
	for _, bags := range c.counted {
		n += footprint.Slice(bags)
		for _, b := range bags {
			n += footprint.Slice(b.spans)
		}
	}
	return n
}
