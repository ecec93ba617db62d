package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/opendispatch/dispatch/api"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/shifts"
)

// The lifecycle commands change a tenant file: one noun, then a verb,
// as a dispatcher says it — "dispatch appointment cancel", "dispatch
// shift update", "dispatch technician deactivate". The plural nouns
// (appointments, shifts, technicians) list; the singular ones change one
// record. Each goes through package api, as the HTTP extension
// operations do, and writes the file back atomically like assign.

// subcommand is one verb of a noun command.
type subcommand struct {
	name, summary string
	run           func(e *env) error
}

// subcommands lists each noun command's verbs, for run's error prefix
// and the help tests.
var subcommands = map[string][]subcommand{}

func init() {
	registerGroup("appointment", "create, reschedule or cancel an appointment in a tenant file", []subcommand{
		{"create", "add an appointment (unassigned: its time counts as pending)", runAppointmentCreate},
		{"reschedule", "move an appointment to a new time; its technicians stay assigned", runAppointmentReschedule},
		{"cancel", "cancel an appointment: it stays as history and consumes nothing", runAppointmentCancel},
	})
	registerGroup("shift", "create, update, deactivate, reactivate or delete shifts in a tenant file", []subcommand{
		{"create", "create one shift per technician (POST /technician-shifts)", runShiftCreate},
		{"update", "change a shift's type, title, note, bounds or active flag", runShiftUpdate},
		{"deactivate", "make a shift inactive: it gives and takes no time", func(e *env) error { return runShiftSimple(e, "deactivate") }},
		{"reactivate", "make an inactive shift active again", func(e *env) error { return runShiftSimple(e, "reactivate") }},
		{"delete", "delete a shift", func(e *env) error { return runShiftSimple(e, "delete") }},
	})
	registerGroup("technician", "add, update, deactivate or reactivate a technician in a tenant file", []subcommand{
		{"add", "add a technician, active, without shifts", runTechnicianAdd},
		{"update", "change a technician's name, business unit, skills, zones or home", runTechnicianUpdate},
		{"deactivate", "make a technician inactive: no longer eligible, no capacity", func(e *env) error { return runTechnicianActive(e, false) }},
		{"reactivate", "make an inactive technician active again", func(e *env) error { return runTechnicianActive(e, true) }},
	})
}

// registerGroup registers a noun command whose first argument is a verb.
func registerGroup(name, summary string, subs []subcommand) {
	subcommands[name] = subs
	register(name, summary, func(e *env) error {
		var names []string
		for _, s := range subs {
			names = append(names, s.name)
		}
		want := strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
		if len(e.args) > 0 && !strings.HasPrefix(e.args[0], "-") {
			for _, s := range subs {
				if s.name == e.args[0] {
					return s.run(&env{args: e.args[1:], stdin: e.stdin, stdout: e.stdout, stderr: e.stderr})
				}
			}
			return usagef("unknown subcommand %q (want %s)", e.args[0], want)
		}
		fs := flagSet(e, name, "", "", "")
		fs.Usage = func() {
			fmt.Fprintf(e.stdout, "Usage: dispatch %s <%s> --tenant FILE [flags]\n\n%s.\n\nCommands:\n",
				name, strings.Join(names, "|"), strings.ToUpper(summary[:1])+summary[1:])
			for _, s := range subs {
				fmt.Fprintf(e.stdout, "  %-10s  %s\n", s.name, s.summary)
			}
			fmt.Fprintf(e.stdout, "\nRun \"dispatch %s <command> -h\" for its flags and an example.\n", name)
		}
		if err := parse(fs, e.args, false); err != nil {
			return err
		}
		return usagef("want a subcommand: %s", want)
	})
}

// subName returns the name run prints errors under: "appointment cancel"
// for a verb of a noun command, else the command's name.
func subName(args []string) string {
	// simulate's own subcommands: merge, optimize and optimize merge.
	if len(args) > 1 && args[0] == "simulate" && (args[1] == "merge" || args[1] == "optimize") {
		if args[1] == "optimize" && len(args) > 2 && args[2] == "merge" {
			return "simulate optimize merge"
		}
		return "simulate " + args[1]
	}
	if len(args) > 1 {
		for _, s := range subcommands[args[0]] {
			if s.name == args[1] {
				return args[0] + " " + args[1]
			}
		}
	}
	return args[0]
}

// assignNote is the part of assign's help about warnings.
func assignNote(assign bool) string {
	if !assign {
		return ""
	}
	return "\n\nWhat is wrong with the assignment (an inactive technician, a missing skill, another business\n" +
		"unit, outside working time, an overlap with another appointment) is printed on stderr, one\n" +
		"line each (dispatch: warning: technician 104: missingSkills: ...); the assignment is made\n" +
		"all the same (exit status 0): dispatchers override."
}

// printWarnings prints assignment warnings on stderr, one a line.
func printWarnings(e *env, ws []api.Warning) {
	for _, w := range ws {
		fmt.Fprintf(e.stderr, "dispatch: warning: technician %d: %s: %s\n", w.TechnicianID, w.Code, oneLine(w.Message))
	}
}

// changeFlags declares the flags every lifecycle command has.
func changeFlags(fs *flag.FlagSet) (tenantPath, now *string) {
	tenantPath = fs.String("tenant", "", "tenant `file` to change (required)")
	now = fs.String("now", "", "stamp the change with this time instead of the clock: "+timeHelp)
	return
}

// changeTenant loads the tenant file, runs do over it, writes the file
// back atomically, prints the warnings on stderr and the answer on stdout.
// do receives the tenant's zone, to read date-time flags in; on error the
// file is left as it was.
//
// The errors of the request body do builds from the flags of fs name
// those flags (see asFlags; idFlag is the flag of the record's id).
func changeTenant(e *env, fs *flag.FlagSet, idFlag, tenantPath, now string, do func(svc api.Service, loc *time.Location) (any, []api.Warning, error)) error {
	var stamp time.Time
	clock := func() time.Time {
		if stamp.IsZero() {
			return wallClock()
		}
		return stamp
	}
	t, read, err := e.loadTenantToChange(tenantPath, capacity.WithClock(clock))
	if err != nil {
		return err
	}
	if stamp, err = optInstant("now", now, t.Engine.Location()); err != nil {
		return err
	}
	out, warnings, err := do(api.Service{T: t}, t.Engine.Location())
	if err != nil {
		return asFlags(err, fs, idFlag)
	}
	if err := saveTenant(tenantPath, t, read); err != nil {
		return err
	}
	printWarnings(e, warnings)
	return writeJSON(e.stdout, out)
}

// set reports whether the flag name was given on the command line.
func set(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// anySet reports whether any of the flags names was given on the command
// line: an update that gives none has nothing to change.
func anySet(fs *flag.FlagSet, names ...string) bool {
	return slices.ContainsFunc(names, func(n string) bool { return set(fs, n) })
}

// rfc3339 reads a date-time flag (see instant) and gives it in RFC 3339,
// as the API's bodies carry it.
func rfc3339(flagName, s string, loc *time.Location) (*string, error) {
	t, err := instant(flagName, s, loc)
	if err != nil {
		return nil, err
	}
	v := t.Format(time.RFC3339)
	return &v, nil
}

// bodyOf encodes an API request body. The flags are checked before
// (a float flag is finite), so an error here is a bug; it is reported as
// an error all the same, never a panic.
func bodyOf(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding the request: %w", err)
	}
	return b, nil
}

// window reads the optional arrival window flags: both or neither.
func window(from, to string, loc *time.Location) (start, end *string, err error) {
	switch {
	case from == "" && to == "":
		return nil, nil, nil
	case from == "" || to == "":
		return nil, nil, usagef("--arrival-start and --arrival-end go together")
	}
	if start, err = rfc3339("arrival-start", from, loc); err != nil {
		return nil, nil, err
	}
	end, err = rfc3339("arrival-end", to, loc)
	return start, end, err
}

func runAppointmentCreate(e *env) error {
	fs := flagSet(e, "appointment create", "--tenant FILE --appointment N --job-type N --business-unit N --start T --end T [--arrival-start T --arrival-end T] [--job N] [--zip Z] [--now T]",
		"Adds an unassigned appointment to the tenant file: its time counts as pending in its business\n"+
			"unit until a technician is assigned (dispatch assign). The id is the job system's; an id in\n"+
			"use is refused. Times are RFC 3339, dates or local date-times in the tenant's zone. Prints the\n"+
			"appointment; the file is rewritten atomically (temporary file, fsync, rename).\n\n"+tenantSaveHelp,
		"dispatch appointment create --tenant my-tenant.json --appointment 9001 --job-type 101 --business-unit 1 --start 2027-03-10T13:00 --end 2027-03-10T15:00 --arrival-start 2027-03-10T12:00 --arrival-end 2027-03-10T16:00 --zip 80202")
	tenantPath, now := changeFlags(fs)
	id := idFlag(fs, "appointment", "the new appointment's `id` (required)")
	job := idFlag(fs, "job", "the job `id` it is a visit of")
	jobType := idFlag(fs, "job-type", "job type `id` (required)")
	unit := idFlag(fs, "business-unit", "business unit `id` (required)")
	start := fs.String("start", "", "start (required): "+timeHelp)
	end := fs.String("end", "", "end (required): "+timeHelp)
	arrStart := fs.String("arrival-start", "", "arrival window start promised to the customer: "+timeHelp)
	arrEnd := fs.String("arrival-end", "", "arrival window end: "+timeHelp)
	zip := fs.String("zip", "", "the job site's postal `code`")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	if *tenantPath == "" || *id == 0 || *jobType == 0 || *unit == 0 || *start == "" || *end == "" {
		return usagef("--tenant, --appointment, --job-type, --business-unit, --start and --end are required")
	}
	return changeTenant(e, fs, "appointment", *tenantPath, *now, func(svc api.Service, loc *time.Location) (any, []api.Warning, error) {
		req := api.CreateAppointmentRequest{ID: id, JobID: *job, JobTypeID: jobType, BusinessUnitID: unit, Zip: *zip}
		var err error
		if req.Start, err = rfc3339("start", *start, loc); err != nil {
			return nil, nil, err
		}
		if req.End, err = rfc3339("end", *end, loc); err != nil {
			return nil, nil, err
		}
		if req.ArrivalWindowStart, req.ArrivalWindowEnd, err = window(*arrStart, *arrEnd, loc); err != nil {
			return nil, nil, err
		}
		body, err := bodyOf(req)
		if err != nil {
			return nil, nil, err
		}
		a, err := svc.CreateAppointment(body)
		return a, nil, err
	})
}

func runAppointmentReschedule(e *env) error {
	fs := flagSet(e, "appointment reschedule", "--tenant FILE --appointment N --start T --end T [--arrival-start T --arrival-end T] [--now T]",
		"Moves an appointment to a new time: every time is replaced (without --arrival-start and\n"+
			"--arrival-end it has no arrival window). The technicians assigned to it stay assigned; what\n"+
			"is wrong with them at the new time (outside working time, an overlap, ...) is printed on\n"+
			"stderr as warnings, and the change is made all the same. Prints the appointment.",
		"dispatch appointment reschedule --tenant my-tenant.json --appointment 5001 --start 2027-03-11T09:00 --end 2027-03-11T10:30")
	tenantPath, now := changeFlags(fs)
	id := idFlag(fs, "appointment", "appointment `id` (required)")
	start := fs.String("start", "", "new start (required): "+timeHelp)
	end := fs.String("end", "", "new end (required): "+timeHelp)
	arrStart := fs.String("arrival-start", "", "new arrival window start: "+timeHelp)
	arrEnd := fs.String("arrival-end", "", "new arrival window end: "+timeHelp)
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	if *tenantPath == "" || *id == 0 || *start == "" || *end == "" {
		return usagef("--tenant, --appointment, --start and --end are required")
	}
	return changeTenant(e, fs, "appointment", *tenantPath, *now, func(svc api.Service, loc *time.Location) (any, []api.Warning, error) {
		var req api.RescheduleRequest
		var err error
		if req.Start, err = rfc3339("start", *start, loc); err != nil {
			return nil, nil, err
		}
		if req.End, err = rfc3339("end", *end, loc); err != nil {
			return nil, nil, err
		}
		if req.ArrivalWindowStart, req.ArrivalWindowEnd, err = window(*arrStart, *arrEnd, loc); err != nil {
			return nil, nil, err
		}
		body, err := bodyOf(req)
		if err != nil {
			return nil, nil, err
		}
		return svc.RescheduleAppointment(*id, body)
	})
}

func runAppointmentCancel(e *env) error {
	fs := flagSet(e, "appointment cancel", "--tenant FILE --appointment N [--now T]",
		"Cancels an appointment: it stays in the file, marked canceled, and consumes nothing (no one's\n"+
			"busy time, not pending, not counted by capacity rules). The records of the technicians\n"+
			"assigned to it become Unassigned (at --now) and stay as history. Prints the appointment and\n"+
			"those records. A canceled appointment is not assigned or rescheduled again: book a new one.",
		"dispatch appointment cancel --tenant my-tenant.json --appointment 5001")
	tenantPath, now := changeFlags(fs)
	id := idFlag(fs, "appointment", "appointment `id` (required)")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	if *tenantPath == "" || *id == 0 {
		return usagef("--tenant and --appointment are required")
	}
	return changeTenant(e, fs, "appointment", *tenantPath, *now, func(svc api.Service, _ *time.Location) (any, []api.Warning, error) {
		c, err := svc.CancelAppointment(*id)
		return c, nil, err
	})
}

// shiftTypeHelp is the help of --type.
const shiftTypeHelp = "shift `type`: Normal (working time), OnCall or TimeOff"

func runShiftCreate(e *env) error {
	fs := flagSet(e, "shift create", "--tenant FILE --technicians 1,2 --start T --end T [--type Normal|OnCall|TimeOff] [--title S] [--note S] [--now T]",
		"Creates one shift per technician (POST /technician-shifts) and prints them. Times are RFC 3339,\n"+
			"dates or local date-times in the tenant's zone.",
		"dispatch shift create --tenant my-tenant.json --technicians 101,102 --start 2027-03-13T08:00 --end 2027-03-13T14:00 --title Overtime")
	tenantPath, now := changeFlags(fs)
	techs := fs.String("technicians", "", "comma-separated technician `ids` (required)")
	typ := fs.String("type", "Normal", shiftTypeHelp)
	title := fs.String("title", "", "shift `title`")
	note := fs.String("note", "", "shift `note`")
	start := fs.String("start", "", "start (required): "+timeHelp)
	end := fs.String("end", "", "end (required): "+timeHelp)
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	if *tenantPath == "" || *techs == "" || *start == "" || *end == "" {
		return usagef("--tenant, --technicians, --start and --end are required")
	}
	techIDs, err := ids("technicians", *techs)
	if err != nil {
		return err
	}
	if _, err := shifts.ParseType(*typ); err != nil {
		return usagef("--type: %v", err)
	}
	return changeTenant(e, fs, "", *tenantPath, *now, func(svc api.Service, loc *time.Location) (any, []api.Warning, error) {
		req := api.CreateShiftRequest{TechnicianIDs: techIDs, ShiftType: typ, Title: title, Note: *note}
		var err error
		if req.Start, err = rfc3339("start", *start, loc); err != nil {
			return nil, nil, err
		}
		if req.End, err = rfc3339("end", *end, loc); err != nil {
			return nil, nil, err
		}
		body, err := bodyOf(req)
		if err != nil {
			return nil, nil, err
		}
		out, err := svc.CreateShifts(body)
		return out, nil, err
	})
}

func runShiftUpdate(e *env) error {
	fs := flagSet(e, "shift update", "--tenant FILE --shift N [--type T] [--title S] [--note S] [--start T] [--end T] [--active[=false]] [--now T]",
		"Changes a shift: the flags given replace its fields, the others stay. Its technician's capacity\n"+
			"follows. Prints the shift as stored now (modifiedOn is --now, else the clock).",
		"dispatch shift update --tenant my-tenant.json --shift 12 --end 2027-03-09T18:00 --note 'stays late'")
	tenantPath, now := changeFlags(fs)
	id := idFlag(fs, "shift", "shift `id` (required)")
	typ := fs.String("type", "", shiftTypeHelp)
	title := fs.String("title", "", "new `title`")
	note := fs.String("note", "", "new `note`")
	start := fs.String("start", "", "new start: "+timeHelp)
	end := fs.String("end", "", "new end: "+timeHelp)
	var active triBool
	fs.Var(&active, "active", "make the shift active (--active=false: inactive)")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	if *tenantPath == "" || *id == 0 {
		return usagef("--tenant and --shift are required")
	}
	if !anySet(fs, "type", "title", "note", "start", "end", "active") {
		return usagef("nothing to change: give --type, --title, --note, --start, --end or --active")
	}
	if set(fs, "type") {
		if _, err := shifts.ParseType(*typ); err != nil {
			return usagef("--type: %v", err)
		}
	}
	return changeTenant(e, fs, "shift", *tenantPath, *now, func(svc api.Service, loc *time.Location) (any, []api.Warning, error) {
		var req api.UpdateShiftRequest
		var err error
		if set(fs, "type") {
			req.ShiftType = typ
		}
		if set(fs, "title") {
			req.Title = title
		}
		if set(fs, "note") {
			req.Note = note
		}
		if active.set {
			req.Active = &active.v
		}
		if *start != "" {
			if req.Start, err = rfc3339("start", *start, loc); err != nil {
				return nil, nil, err
			}
		}
		if *end != "" {
			if req.End, err = rfc3339("end", *end, loc); err != nil {
				return nil, nil, err
			}
		}
		body, err := bodyOf(req)
		if err != nil {
			return nil, nil, err
		}
		sh, err := svc.UpdateShift(*id, body)
		return sh, nil, err
	})
}

func runShiftSimple(e *env, verb string) error {
	about := map[string]string{
		"deactivate": "Makes a shift inactive: it gives (or, for TimeOff, takes) no time while inactive, and\nstays in the file. Prints the shift.",
		"reactivate": "Makes an inactive shift active again. Prints the shift.",
		"delete":     "Deletes a shift from the file; its technician's capacity follows. Prints the shift deleted.",
	}[verb]
	fs := flagSet(e, "shift "+verb, "--tenant FILE --shift N [--now T]", about, "dispatch shift "+verb+" --tenant my-tenant.json --shift 12")
	tenantPath, now := changeFlags(fs)
	id := idFlag(fs, "shift", "shift `id` (required)")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	if *tenantPath == "" || *id == 0 {
		return usagef("--tenant and --shift are required")
	}
	return changeTenant(e, fs, "shift", *tenantPath, *now, func(svc api.Service, _ *time.Location) (any, []api.Warning, error) {
		var sh api.Shift
		var err error
		switch verb {
		case "delete":
			sh, err = svc.DeleteShift(*id)
		default:
			sh, err = svc.SetShiftActive(*id, verb == "reactivate")
		}
		return sh, nil, err
	})
}

// technicianFlags declares the fields of a technician.
type technicianFlags struct {
	fs                  *flag.FlagSet
	name, skills, zones *string
	home                *string
	unit                *int64
}

func declareTechnician(fs *flag.FlagSet, update bool) technicianFlags {
	homeHelp := "home `position` as LATITUDE,LONGITUDE in decimal degrees"
	if update {
		homeHelp += ", or none to remove it"
	}
	return technicianFlags{fs: fs,
		name:   fs.String("name", "", "the technician's `name`"),
		unit:   idFlag(fs, "business-unit", "business unit `id`"),
		skills: fs.String("skills", "", "comma-separated `skills` (\"\" for none)"),
		zones:  fs.String("zones", "", "comma-separated zone `ids` it serves (\"\" for every zone)"),
		home:   fs.String("home", "", homeHelp),
	}
}

// request builds the body of the flags given.
func (f technicianFlags) request(id *int64) (api.TechnicianRequest, error) {
	r := api.TechnicianRequest{ID: id}
	if set(f.fs, "name") {
		r.Name = f.name
	}
	if set(f.fs, "business-unit") {
		r.BusinessUnitID = f.unit
	}
	if set(f.fs, "skills") {
		skills, err := skillList("skills", *f.skills)
		if err != nil {
			return r, err
		}
		r.Skills = append([]string{}, skills...)
	}
	if set(f.fs, "zones") {
		zs, err := ids("zones", *f.zones)
		if err != nil {
			return r, err
		}
		r.ZoneIDs = append([]int64{}, zs...)
	}
	if set(f.fs, "home") {
		if *f.home == "none" {
			r.Home = json.RawMessage("null")
		} else {
			la, lo, err := position("home", *f.home)
			if err != nil {
				return r, err
			}
			if r.Home, err = bodyOf(api.Point{Latitude: la, Longitude: lo}); err != nil {
				return r, err
			}
		}
	}
	return r, nil
}

func runTechnicianAdd(e *env) error {
	fs := flagSet(e, "technician add", "--tenant FILE --technician N --name S --business-unit N [--skills S,T] [--zones 1,2] [--home LAT,LON] [--now T]",
		"Adds a technician, active, to the tenant file. It has no shifts, so no capacity until\n"+
			"'dispatch shift create' gives it some. Without --zones it serves every zone. Prints the\n"+
			"technician.",
		"dispatch technician add --tenant my-tenant.json --technician 120 --name 'Kim Lee' --business-unit 1 --skills HVAC,'EPA 608' --zones 1,2")
	tenantPath, now := changeFlags(fs)
	id := idFlag(fs, "technician", "the new technician's `id` (required)")
	tf := declareTechnician(fs, false)
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	if *tenantPath == "" || *id == 0 || *tf.name == "" || *tf.unit == 0 {
		return usagef("--tenant, --technician, --name and --business-unit are required")
	}
	req, err := tf.request(id)
	if err != nil {
		return err
	}
	return changeTenant(e, fs, "technician", *tenantPath, *now, func(svc api.Service, _ *time.Location) (any, []api.Warning, error) {
		body, err := bodyOf(req)
		if err != nil {
			return nil, nil, err
		}
		t, err := svc.AddTechnician(body)
		return t, nil, err
	})
}

func runTechnicianUpdate(e *env) error {
	fs := flagSet(e, "technician update", "--tenant FILE --technician N [--name S] [--business-unit N] [--skills S,T] [--zones 1,2] [--home LAT,LON|none] [--now T]",
		"Changes a technician: the flags given replace its fields, the others stay (--skills \"\" clears\n"+
			"the skills, --zones \"\" makes it serve every zone). Use deactivate and reactivate for its\n"+
			"active flag. Prints the technician.",
		"dispatch technician update --tenant my-tenant.json --technician 104 --skills HVAC,Plumbing --business-unit 2")
	tenantPath, now := changeFlags(fs)
	id := idFlag(fs, "technician", "technician `id` (required)")
	tf := declareTechnician(fs, true)
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	if *tenantPath == "" || *id == 0 {
		return usagef("--tenant and --technician are required")
	}
	if !anySet(fs, "name", "business-unit", "skills", "zones", "home") {
		return usagef("nothing to change: give --name, --business-unit, --skills, --zones or --home")
	}
	req, err := tf.request(nil)
	if err != nil {
		return err
	}
	return changeTenant(e, fs, "technician", *tenantPath, *now, func(svc api.Service, _ *time.Location) (any, []api.Warning, error) {
		body, err := bodyOf(req)
		if err != nil {
			return nil, nil, err
		}
		t, err := svc.UpdateTechnician(*id, body)
		return t, nil, err
	})
}

func runTechnicianActive(e *env, active bool) error {
	verb, about := "deactivate", "Makes a technician inactive: no longer eligible, its capacity leaves every timeslot. Its\n"+
		"shifts and assignments stay (reassign its appointments if the work must be done). Prints the\n"+
		"technician."
	if active {
		verb, about = "reactivate", "Makes an inactive technician active again. Prints the technician."
	}
	fs := flagSet(e, "technician "+verb, "--tenant FILE --technician N [--now T]", about, "dispatch technician "+verb+" --tenant my-tenant.json --technician 104")
	tenantPath, now := changeFlags(fs)
	id := idFlag(fs, "technician", "technician `id` (required)")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	if *tenantPath == "" || *id == 0 {
		return usagef("--tenant and --technician are required")
	}
	return changeTenant(e, fs, "technician", *tenantPath, *now, func(svc api.Service, _ *time.Location) (any, []api.Warning, error) {
		t, err := svc.SetTechnicianActive(*id, active)
		return t, nil, err
	})
}
