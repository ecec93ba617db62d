package capacity

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opendispatch/dispatch/validate"
)

// WarningCode names what is wrong with assigning a technician to an
// appointment. The codes are stable: clients switch on them, and they are
// the strings a client sees on the wire.
type WarningCode string

// The warning codes, in the order warnings of one technician are listed
// (the codes' own string order).
const (
	// WarnInactive: the technician is inactive. The assignment is made
	// all the same, and then the appointment is no longer pending work
	// (an assigned appointment is not), while the inactive technician
	// adds no capacity and is busy in none: its minutes count nowhere
	// until the technician is reactivated or the appointment reassigned.
	WarnInactive WarningCode = "inactiveTechnician"
	// WarnMissingSkills: the technician lacks skills the appointment's job
	// type requires (all of them are named in the message).
	WarnMissingSkills WarningCode = "missingSkills"
	// WarnOtherBusinessUnit: the technician is in a business unit other
	// than the appointment's and not in the same business-unit group: a
	// group is one technician pool (DESIGN §4a), so a technician of a unit
	// in the appointment's unit's group is not "other".
	WarnOtherBusinessUnit WarningCode = "otherBusinessUnit"
	// WarnOutsideWorkingTime: the appointment lies wholly or partly
	// outside the technician's working time W(t).
	WarnOutsideWorkingTime WarningCode = "outsideWorkingTime"
	// WarnOverlap: the appointment overlaps another appointment the
	// technician is assigned to, named by OtherAppointmentID; one warning
	// per such appointment.
	WarnOverlap WarningCode = "overlappingAppointment"
)

// Warning is one thing wrong with one technician's assignment to an
// appointment. Assigning succeeds all the same — dispatchers may override
// — and the warning says what they overrode. Warnings come ordered by
// TechnicianID, then Code, then OtherAppointmentID.
type Warning struct {
	TechnicianID int64
	Code         WarningCode
	// OtherAppointmentID is the appointment overlapped, for WarnOverlap;
	// 0 for the other codes.
	OtherAppointmentID int64
	// Message says it in English, with the ids, names and local times
	// involved. Its wording may change; switch on Code.
	Message string
}

// String returns the code and the message: "overlappingAppointment:
// appointment 5003 …".
func (w Warning) String() string { return string(w.Code) + ": " + w.Message }

// CheckAssignment returns the warnings [Engine.Assign] would return for
// assigning the technicians to the appointment, without assigning them.
// Errors are those of Assign; it changes nothing.
func (e *Engine) CheckAssignment(appointmentID int64, technicianIDs []int64) ([]Warning, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	a, err := e.checkUpdate(appointmentID, technicianIDs)
	if err != nil {
		return nil, err
	}
	if a.canceled {
		return nil, canceledErr(a.id)
	}
	var ws []Warning
	for _, id := range sortedUnique(technicianIDs) {
		ws = e.appendWarnings(ws, a, e.techIdx[id])
	}
	return ws, nil
}

func canceledErr(id int64) error {
	var errs validate.Errors
	errs.Add("jobAppointmentId", "capacity: appointment %d is canceled: %w", id, ErrConflict)
	return errs
}

// appendWarnings appends what is wrong with technician column i working
// appointment a, in code order. It allocates only when something is
// wrong, and costs O(log n) per set it searches.
func (e *Engine) appendWarnings(ws []Warning, a *appt, i int) []Warning {
	t := &e.techs[i]
	add := func(code WarningCode, other int64, format string, args ...any) {
		ws = append(ws, Warning{TechnicianID: t.ID, Code: code, OtherAppointmentID: other, Message: fmt.Sprintf(format, args...)})
	}
	if !t.IsActive() {
		add(WarnInactive, 0, "%s is inactive", who(t))
	}
	if a.jobType >= 0 {
		jt := &e.jobTypeList[a.jobType]
		if !t.HasSkills(jt.Skills) {
			var missing []string
			for _, s := range jt.Skills {
				if q := strconv.Quote(s); !slices.Contains(t.Skills, s) && !slices.Contains(missing, q) {
					missing = append(missing, q)
				}
			}
			add(WarnMissingSkills, 0, "%s lacks %s, which job type %d (%s) requires", who(t), strings.Join(missing, ", "), jt.ID, jt.Name)
		}
	}
	if u, v := e.cols[i].unit, a.unit; u >= 0 && v >= 0 && u != v {
		if g := e.ctl.groupOf[v]; g < 0 || g != e.ctl.groupOf[u] {
			tu, au := &e.unitList[u], &e.unitList[v]
			add(WarnOtherBusinessUnit, 0, "%s is in business unit %d (%s); appointment %d is for business unit %d (%s)%s",
				who(t), tu.ID, tu.Name, a.id, au.ID, au.Name, e.groupNote(v))
		}
	}
	if work := t.work.MeasureIn(a.start, a.end); work < a.end-a.start {
		if work == 0 {
			add(WarnOutsideWorkingTime, 0, "%s has no working time during appointment %d (%s)", who(t), a.id, e.spanText(a.start, a.end))
		} else {
			add(WarnOutsideWorkingTime, 0, "appointment %d (%s) lies outside the working time of %s for %s of its %s",
				a.id, e.spanText(a.start, a.end), who(t), minutes(a.end-a.start-work), minutes(a.end-a.start))
		}
	}
	first := len(ws)
	for k := t.appts.first(e.appts, a.start); k < len(t.appts.pos) && e.appts[t.appts.pos[k]].start < a.end; k++ {
		b := &e.appts[t.appts.pos[k]]
		if b.id == a.id || b.end <= a.start {
			continue
		}
		add(WarnOverlap, b.id, "appointment %d (%s) overlaps appointment %d (%s), to which %s is assigned, for %s",
			a.id, e.spanText(a.start, a.end), b.id, e.spanText(b.start, b.end), who(t), minutes(min(a.end, b.end)-max(a.start, b.start)))
	}
	slices.SortFunc(ws[first:], func(x, y Warning) int { return cmp.Compare(x.OtherAppointmentID, y.OtherAppointmentID) })
	return ws
}

// who names a technician in a message: "technician 102 (Ben Ortiz)".
func who(t *tech) string {
	if t.Name == "" {
		return "technician " + strconv.FormatInt(t.ID, 10)
	}
	return "technician " + strconv.FormatInt(t.ID, 10) + " (" + t.Name + ")"
}

// groupNote names the group of unit position u, for a message: a unit of
// it would not have been "other".
func (e *Engine) groupNote(u int32) string {
	g := e.ctl.groupOf[u]
	if g < 0 {
		return ""
	}
	return fmt.Sprintf(" (group %d, %s, does not include it)", e.ctl.groups[g].ID, e.ctl.groups[g].Name)
}

// spanText writes [s, t) in the tenant's local time: "2027-03-09 10:00–11:30",
// or with both dates when t falls on a later date. (A span of one date
// may last 24 hours: on the day daylight saving time ends.)
func (e *Engine) spanText(s, t int64) string {
	a, b := time.Unix(s, 0).In(e.loc), time.Unix(t, 0).In(e.loc)
	const day, clock = "2006-01-02 15:04", "15:04"
	if ay, am, ad := a.Date(); b.Day() == ad && b.Month() == am && b.Year() == ay {
		return a.Format(day) + "–" + b.Format(clock)
	}
	return a.Format(day) + "–" + b.Format(day)
}

// minutes writes seconds as whole minutes, rounded up so that a part of a
// minute is not "0 minutes".
func minutes(sec int64) string {
	m := (sec + 59) / 60
	if m == 1 {
		return "1 minute"
	}
	return strconv.FormatInt(m, 10) + " minutes"
}
