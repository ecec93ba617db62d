package main

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opendispatch/dispatch/api"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/paging"
	"github.com/opendispatch/dispatch/tenant"
)

// The list commands print the tenant's records so that nobody has to open
// the file to find an id. Records have the tenant file's shape; long lists
// (technicians, appointments) are paged like shifts, short ones are
// {"data": [...]} like zones.

func init() {
	register("technicians", "list technicians (filter by business unit, active, skills)", runTechnicians)
	register("job-types", "list job types with their durations and skills", runJobTypes)
	register("business-units", "list business units", runBusinessUnits)
	register("arrival-windows", "list arrival windows (filter by business unit, active)", runArrivalWindows)
	register("appointments", "list appointments with their technicians (filter by time, unit, technician, unassigned)", runAppointments)
}

// triBool is an optional boolean flag: absent, --name (true) or
// --name=false.
type triBool struct{ set, v bool }

func (b *triBool) String() string {
	if b == nil || !b.set {
		return ""
	}
	return strconv.FormatBool(b.v)
}

func (b *triBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return err
	}
	b.set, b.v = true, v
	return nil
}

func (b *triBool) IsBoolFlag() bool { return true }

// keep reports whether v passes the filter.
func (b *triBool) keep(v bool) bool { return !b.set || b.v == v }

// unitSet is the set of business unit ids given to --business-units; an
// empty set keeps everything.
type unitSet []int64

func (u unitSet) has(id int64) bool { return len(u) == 0 || slices.Contains(u, id) }

// meets reports whether ids (a record's units, empty meaning every unit)
// meets the set.
func (u unitSet) meets(ids []int64) bool {
	if len(u) == 0 || len(ids) == 0 {
		return true
	}
	for _, id := range ids {
		if slices.Contains(u, id) {
			return true
		}
	}
	return false
}

// pageOf returns page q of items; q is valid (pageFlags checked it). A
// page past the end is empty.
func pageOf[T any](items []T, page, size int) paging.Page[T] {
	if page-1 > len(items)/size { // also keeps (page-1)*size from overflowing
		return paging.Page[T]{Page: page, PageSize: size, TotalCount: len(items), Data: []T{}}
	}
	return paging.Slice(items, paging.Query{Page: page, PageSize: size})
}

// pageNumbers reads back the values pageFlags checked.
func pageNumbers(v map[string][]string) (page, size int) {
	page, _ = strconv.Atoi(v["page"][0])
	size, _ = strconv.Atoi(v["pageSize"][0])
	return page, size
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func runTechnicians(e *env) error {
	fs := flagSet(e, "technicians", "[--tenant FILE] [--business-units 1,2] [--active[=false]] [--skills S,T] [--page N] [--page-size N]",
		"Lists technicians in id order, paged like shifts, in the tenant file's shape.",
		"dispatch technicians --business-units 1 --active --skills HVAC,'EPA 608'")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	page := pageFlags(fs)
	units := fs.String("business-units", "", "only technicians of these business units (comma-separated `ids`)")
	var active triBool
	fs.Var(&active, "active", "only active technicians (--active=false: only inactive ones)")
	skills := fs.String("skills", "", "only technicians holding every one of these comma-separated `skills`")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	v, err := page()
	if err != nil {
		return err
	}
	us, err := ids("business-units", *units)
	if err != nil {
		return err
	}
	need, err := skillList("skills", *skills)
	if err != nil {
		return err
	}
	return printFrom(e, *tenantPath, func(s api.Service, _ *time.Location) (any, error) {
		if err := checkKnown(s.T.Engine.Data(), "business-units", "business unit", us...); err != nil {
			return nil, err
		}
		var out []tenant.Technician
		for _, t := range s.T.Engine.Technicians() {
			if !unitSet(us).has(t.BusinessUnitID) || !active.keep(t.IsActive()) || !t.HasSkills(need) {
				continue
			}
			ft := tenant.Technician{ID: t.ID, Name: t.Name, BusinessUnitID: t.BusinessUnitID, Skills: nonNil(t.Skills), ZoneIDs: nonNil(t.ZoneIDs), Active: new(bool)}
			*ft.Active = t.IsActive()
			if t.Home != nil {
				ft.Home = &capacity.Point{Latitude: t.Home.Latitude, Longitude: t.Home.Longitude}
			}
			out = append(out, ft)
		}
		slices.SortFunc(out, func(a, b tenant.Technician) int { return cmp.Compare(a.ID, b.ID) })
		p, size := pageNumbers(v)
		return pageOf(out, p, size), nil
	})
}

// skillList splits a comma-separated list of skills, trimming spaces
// around each: "" is no skill, and an empty item ("HVAC,,EPA 608", a
// trailing comma) is a usage error naming the flag, as in a list of ids.
func skillList(flagName, s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x == "" {
			return nil, usagef("--%s: %q has an empty item", flagName, s)
		}
		out = append(out, x)
	}
	return out, nil
}

func runJobTypes(e *env) error {
	fs := flagSet(e, "job-types", "[--tenant FILE] [--business-units 1,2]",
		"Lists job types in id order: duration in minutes, required skills, business units, and\n"+
			"the controls: priority (emergency work, which may take the capacity reserves hold back)\n"+
			"and travelBufferMinutes (the job type's own drive buffer; absent: the tenant's).",
		"dispatch job-types --business-units 2")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	units := fs.String("business-units", "", "only job types of these business units (comma-separated `ids`)")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	us, err := ids("business-units", *units)
	if err != nil {
		return err
	}
	return printFrom(e, *tenantPath, func(s api.Service, _ *time.Location) (any, error) {
		if err := checkKnown(s.T.Engine.Data(), "business-units", "business unit", us...); err != nil {
			return nil, err
		}
		out := api.List[capacity.JobType]{Data: []capacity.JobType{}}
		for _, j := range s.T.Engine.Data().JobTypes {
			if unitSet(us).meets(j.BusinessUnitIDs) {
				out.Data = append(out.Data, tenant.JobTypeOf(j))
			}
		}
		slices.SortFunc(out.Data, func(a, b capacity.JobType) int { return cmp.Compare(a.ID, b.ID) })
		return out, nil
	})
}

func runBusinessUnits(e *env) error {
	fs := flagSet(e, "business-units", "[--tenant FILE]",
		"Lists business units in id order with their ideal booking percentages (absent: the group's,\n"+
			"else the tenant's) and reserve percentages for priority work (absent: none; a group's, when\n"+
			"set, replaces the unit's).",
		"dispatch business-units")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	return printFrom(e, *tenantPath, func(s api.Service, _ *time.Location) (any, error) {
		out := api.List[capacity.BusinessUnit]{Data: []capacity.BusinessUnit{}}
		for _, u := range s.T.Engine.Data().BusinessUnits {
			out.Data = append(out.Data, tenant.BusinessUnitOf(u))
		}
		slices.SortFunc(out.Data, func(a, b capacity.BusinessUnit) int { return cmp.Compare(a.ID, b.ID) })
		return out, nil
	})
}

func runArrivalWindows(e *env) error {
	fs := flagSet(e, "arrival-windows", "[--tenant FILE] [--business-units 1,2] [--active[=false]]",
		"Lists arrival windows in id order: local from and to in the tenant's zone, weekdays (none:\n"+
			"every open day) and business units (none: every unit).",
		"dispatch arrival-windows --business-units 1 --active")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	units := fs.String("business-units", "", "only windows that apply to one of these business units (comma-separated `ids`)")
	var active triBool
	fs.Var(&active, "active", "only active windows (--active=false: only inactive ones)")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	us, err := ids("business-units", *units)
	if err != nil {
		return err
	}
	return printFrom(e, *tenantPath, func(s api.Service, _ *time.Location) (any, error) {
		if err := checkKnown(s.T.Engine.Data(), "business-units", "business unit", us...); err != nil {
			return nil, err
		}
		out := api.List[hours.ArrivalWindow]{Data: []hours.ArrivalWindow{}}
		for _, w := range s.T.Engine.Schedule().Rules().ArrivalWindows {
			if !unitSet(us).meets(w.BusinessUnitIDs) || !active.keep(w.IsActive()) {
				continue
			}
			a := w.IsActive()
			out.Data = append(out.Data, hours.ArrivalWindow{ID: w.ID, From: w.From, To: w.To, Weekdays: nonNil(slices.Clone(w.Weekdays)),
				BusinessUnitIDs: nonNil(slices.Clone(w.BusinessUnitIDs)), Active: &a})
		}
		slices.SortFunc(out.Data, func(a, b hours.ArrivalWindow) int { return cmp.Compare(a.ID, b.ID) })
		return out, nil
	})
}

// appointment is an appointment record with the technicians assigned to
// it now, ascending ([] when it waits for one).
type appointment struct {
	capacity.Appointment
	TechnicianIDs []int64 `json:"technicianIds"`
}

func runAppointments(e *env) error {
	fs := flagSet(e, "appointments", "[--tenant FILE] [--from T] [--to T] [--business-units 1,2] [--job-type N] [--technician ID] [--unassigned] [--page N] [--page-size N]",
		"Lists appointments in (start, id) order, paged like shifts, each with the technicians\n"+
			"assigned to it now. --from and --to keep appointments that start in [from, to); they take\n"+
			"RFC 3339, dates (the tenant's local midnight) or local date-times in the tenant's zone.",
		"dispatch appointments --from 2027-03-09 --to 2027-03-10 --unassigned")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	page := pageFlags(fs)
	from := fs.String("from", "", "only appointments starting at or after this time: "+timeHelp)
	to := fs.String("to", "", "only appointments starting before this time: "+timeHelp)
	units := fs.String("business-units", "", "only appointments of these business units (comma-separated `ids`)")
	jobType := idFlag(fs, "job-type", "only appointments of this job type (`id`)")
	tech := idFlag(fs, "technician", "only appointments this technician is assigned to now (`id`)")
	unassigned := fs.Bool("unassigned", false, "only appointments no technician is assigned to")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	if *tech != 0 && *unassigned {
		return usagef("--technician and --unassigned are mutually exclusive")
	}
	v, err := page()
	if err != nil {
		return err
	}
	us, err := ids("business-units", *units)
	if err != nil {
		return err
	}
	return printFrom(e, *tenantPath, func(s api.Service, loc *time.Location) (any, error) {
		// Appointments starting in [from, to): both bounds round a
		// fraction of a second up.
		lo, err := optBound("from", *from, loc, true)
		if err != nil {
			return nil, err
		}
		hi, err := optBound("to", *to, loc, true)
		if err != nil {
			return nil, err
		}
		if !lo.IsZero() && !hi.IsZero() && !hi.After(lo) {
			return nil, usagef("--to %s is not after --from %s", hi.Format(time.RFC3339), lo.Format(time.RFC3339))
		}
		d := s.T.Engine.Data()
		for _, c := range []error{checkKnown(d, "business-units", "business unit", us...), checkKnown(d, "job-type", "job type", *jobType),
			checkKnown(d, "technician", "technician", *tech)} {
			if c != nil {
				return nil, c
			}
		}
		assigned := map[int64][]int64{}
		for _, a := range d.Assignments {
			if a.Status == capacity.Assigned {
				assigned[a.AppointmentID] = append(assigned[a.AppointmentID], a.TechnicianID)
			}
		}
		apps := slices.Clone(d.Appointments)
		slices.SortFunc(apps, func(a, b capacity.Appointment) int {
			return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.ID, b.ID))
		})
		var out []appointment
		for _, a := range apps {
			techs := assigned[a.ID]
			switch {
			case !lo.IsZero() && a.Start.Before(lo), !hi.IsZero() && !a.Start.Before(hi),
				!unitSet(us).has(a.BusinessUnitID), *jobType != 0 && a.JobTypeID != *jobType,
				*tech != 0 && !slices.Contains(techs, *tech), *unassigned && len(techs) > 0:
				continue
			}
			techs = slices.Clone(techs)
			slices.Sort(techs)
			out = append(out, appointment{Appointment: a, TechnicianIDs: nonNil(techs)}) // its times in the tenant's zone
		}
		p, size := pageNumbers(v)
		return pageOf(out, p, size), nil
	})
}

// checkKnown refuses ids that the tenant does not have: a filter on an
// unknown id is an error naming the flag, not an empty list. kind is
// "technician", "job type", "business unit" or "business-unit group".
func checkKnown(d capacity.Data, flagName, kind string, ids ...int64) error {
	have := map[int64]bool{}
	switch kind {
	case "technician":
		for _, t := range d.Technicians {
			have[t.ID] = true
		}
	case "job type":
		for _, j := range d.JobTypes {
			have[j.ID] = true
		}
	case "business unit":
		for _, u := range d.BusinessUnits {
			have[u.ID] = true
		}
	case "business-unit group":
		for _, g := range d.BusinessUnitGroups {
			have[g.ID] = true
		}
	default:
		panic("checkKnown: unknown kind " + kind)
	}
	for _, id := range ids {
		if id != 0 && !have[id] {
			return fmt.Errorf("--%s: unknown %s %d", flagName, kind, id)
		}
	}
	return nil
}
