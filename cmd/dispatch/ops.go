package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/opendispatch/dispatch/api"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/paging"
	"github.com/opendispatch/dispatch/synth"
	"github.com/opendispatch/dispatch/tenant"
	"github.com/opendispatch/dispatch/validate"
)

func init() {
	register("capacity", "answer a capacity request (POST /capacity)", runCapacity)
	register("shifts", "list technician shifts (GET /technician-shifts)", runShifts)
	register("assignments", "list appointment assignments (GET /appointment-assignments)", runAssignments)
	register("zones", "list zones (GET /zones)", runZones)
	register("hours", "show business hours (GET /business-hours)", runHours)
	register("gps", "list a technician's GPS pings (GET /gps-pings)", runGPS)
	register("assign", "assign technicians to an appointment in a tenant file", func(e *env) error { return runAssign(e, true) })
	register("unassign", "unassign technicians from an appointment in a tenant file", func(e *env) error { return runAssign(e, false) })
	register("generate", "write a synthetic tenant file", runGenerate)
}

func runCapacity(e *env) error {
	fs := flagSet(e, "capacity", "[--tenant FILE] [--request FILE|-] [--from T --to T] [--business-units 1,2] [--job-type N] [--skill-based] [--zip Z]",
		"Prints the capacity response (the contract's JSON) to a request read from FILE or stdin,\n"+
			"or built from the flags. --from and --to take RFC 3339 date-times (any offset), dates\n"+
			"(the tenant's local midnight) or local date-times such as 2027-03-09T08:00 (in the\n"+
			"tenant's zone). With neither, the request covers the tenant's first working day.\n\n"+
			"Each timeslot: technicianIds (who fits the job, its drive buffer included), isAvailable,\n"+
			"isExceedingIdealBookingPercentage, totalAvailability (free minutes after unassigned work\n"+
			"and the reserve for priority work); and beside the contract capacityMinutes (working time\n"+
			"plus adjustments), bookedMinutes, pendingMinutes (unassigned work) and, on an unavailable\n"+
			"timeslot, unavailableBecause: noTechnicianFits, poolExhausted (nothing free after pending\n"+
			"work), reserveHeld (what is left is the reserve, kept for priority job types) and\n"+
			"capacityRule:ID (a rule caps this job type's share of the window).",
		"dispatch capacity --from 2027-03-09 --to 2027-03-10 --job-type 101 --skill-based --zip 80202")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	reqPath := fs.String("request", "", "read the request JSON from `file` (- for stdin)")
	from := fs.String("from", "", "startsOnOrAfter: "+timeHelp)
	to := fs.String("to", "", "endsOnOrBefore: "+timeHelp)
	units := fs.String("business-units", "", "comma-separated business unit `ids`")
	jobType := idFlag(fs, "job-type", "job type `id` (its duration must fit; its skills with --skill-based)")
	skill := fs.Bool("skill-based", false, "only technicians holding the job type's skills")
	zip := fs.String("zip", "", "only technicians serving this `zip`")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	if *reqPath != "" && (*from != "" || *to != "" || *units != "" || *jobType != 0 || *skill || *zip != "") {
		return usagef("--request and the request flags are mutually exclusive")
	}
	if *skill && *jobType == 0 {
		return usagef("--skill-based needs --job-type (the technicians must hold the job type's skills)")
	}
	t, err := e.loadTenant(*tenantPath)
	if err != nil {
		return err
	}
	svc := api.Service{T: t}
	var body []byte
	if *reqPath != "" {
		if *reqPath == "-" {
			body, err = io.ReadAll(e.stdin)
		} else {
			body, err = os.ReadFile(*reqPath)
		}
		if err != nil {
			return err
		}
	} else {
		loc := t.Engine.Location()
		req := capacity.Request{JobTypeID: *jobType, SkillBasedAvailability: *skill, Zip: *zip}
		if req.BusinessUnitIDs, err = ids("business-units", *units); err != nil {
			return err
		}
		switch {
		case *from == "" && *to == "":
			day, ok := firstWorkingDay(t)
			if !ok {
				return usagef("give --from and --to: the tenant has no active Normal shift, so no first working day to ask about")
			}
			req.StartsOnOrAfter = time.Unix(hours.DayStart(loc, day), 0)
			req.EndsOnOrBefore = time.Unix(hours.DayStart(loc, day+1), 0)
		case *from == "" || *to == "":
			return usagef("--from and --to go together")
		default:
			if req.StartsOnOrAfter, err = bound("from", *from, loc, true); err != nil {
				return err
			}
			if req.EndsOnOrBefore, err = bound("to", *to, loc, false); err != nil {
				return err
			}
		}
		if body, err = json.Marshal(req); err != nil {
			return err
		}
	}
	// A request file may start with a byte-order mark, as a tenant file
	// may (RFC 8259 §8.1); the API's bodies may not.
	out, err := svc.Capacity(validate.TrimBOM(body))
	switch {
	case err != nil && *reqPath == "": // built from the flags: name them
		return asFlags(err, fs, "")
	case err != nil && *reqPath == "-":
		return fmt.Errorf("stdin: %w", err)
	case err != nil:
		return fmt.Errorf("%s: %w", *reqPath, err)
	}
	return writeRawJSON(e.stdout, out)
}

// firstWorkingDay is the local date of the tenant's earliest active
// Normal shift; ok is false when it has none.
func firstWorkingDay(t *tenant.Tenant) (day hours.Date, ok bool) {
	for _, sh := range t.Engine.Shifts().All() {
		if sh.Type.String() == "Normal" && sh.IsActive() {
			// All is in start order
			return hours.DateAt(t.Engine.Location(), sh.Start.Unix()), true
		}
	}
	return 0, false
}

func runShifts(e *env) error {
	fs := flagSet(e, "shifts", "[--tenant FILE] [--page N] [--page-size N] [--starts-on-or-after T] [--ends-on-or-before T]",
		"Lists technician shifts in (start, id) order, paged like the API. Times are RFC 3339,\n"+
			"dates or local date-times in the tenant's zone.",
		"dispatch shifts --starts-on-or-after 2027-03-09 --ends-on-or-before 2027-03-10 --page-size 5")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	page := pageFlags(fs)
	after := fs.String("starts-on-or-after", "", "only shifts starting at or after this time: "+timeHelp)
	before := fs.String("ends-on-or-before", "", "only shifts ending at or before this time: "+timeHelp)
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	v, err := page()
	if err != nil {
		return err
	}
	return printFrom(e, *tenantPath, func(s api.Service, loc *time.Location) (any, error) {
		if err := setTime(v, "startsOnOrAfter", "starts-on-or-after", *after, loc, true); err != nil {
			return nil, err
		}
		if err := setTime(v, "endsOnOrBefore", "ends-on-or-before", *before, loc, false); err != nil {
			return nil, err
		}
		if lo, hi := v.Get("startsOnOrAfter"), v.Get("endsOnOrBefore"); lo != "" && hi != "" {
			l, _ := time.Parse(time.RFC3339, lo)
			h, _ := time.Parse(time.RFC3339, hi)
			if !h.After(l) {
				return nil, usagef("--ends-on-or-before %s is not after --starts-on-or-after %s", hi, lo)
			}
		}
		return s.ListShifts(v)
	})
}

// setTime parses the date-time bound flag value s (see bound; up says
// which way a fraction of a second rounds) and, when given, sets the query
// parameter key to its RFC 3339 form.
func setTime(v url.Values, key, flagName, s string, loc *time.Location, up bool) error {
	t, err := optBound(flagName, s, loc, up)
	if err != nil || t.IsZero() {
		return err
	}
	v.Set(key, t.Format(time.RFC3339))
	return nil
}

// printFrom loads the tenant and prints what get answers over it as JSON:
// the shape of every read command. get receives the tenant's zone, to read
// date-time flags in.
func printFrom(e *env, tenantPath string, get func(s api.Service, loc *time.Location) (any, error)) error {
	t, err := e.loadTenant(tenantPath)
	if err != nil {
		return err
	}
	v, err := get(api.Service{T: t}, t.Engine.Location())
	if err != nil {
		return err
	}
	return writeJSON(e.stdout, v)
}

func runAssignments(e *env) error {
	fs := flagSet(e, "assignments", "[--tenant FILE] [--page N] [--page-size N] [--technician ID] [--modified-on-or-after T]",
		"Lists appointment assignment records, current and historical, in id order.",
		"dispatch assignments --technician 101 --modified-on-or-after 2027-03-01 --page-size 10")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	page := pageFlags(fs)
	tech := idFlag(fs, "technician", "only this technician's records (`id`)")
	since := fs.String("modified-on-or-after", "", "only records modified at or after this time: "+timeHelp)
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	v, err := page()
	if err != nil {
		return err
	}
	if *tech != 0 {
		v.Set("technicianId", strconv.FormatInt(*tech, 10))
	}
	return printFrom(e, *tenantPath, func(s api.Service, loc *time.Location) (any, error) {
		if err := checkKnown(s.T.Engine.Data(), "technician", "technician", *tech); err != nil {
			return nil, err
		}
		if err := setTime(v, "modifiedOnOrAfter", "modified-on-or-after", *since, loc, true); err != nil {
			return nil, err
		}
		return s.ListAssignments(v)
	})
}

// pageFlags declares --page and --page-size and returns a function that
// checks them (a bad value is a usage error naming the flag) and gives
// their query values.
func pageFlags(fs *flag.FlagSet) func() (url.Values, error) {
	page := intFlag(fs, "page", 1, 1, math.MaxInt, "page `number`, from 1")
	size := intFlag(fs, "page-size", paging.DefaultSize, 1, paging.MaxSize, fmt.Sprintf("page `size`, 1 to %d", paging.MaxSize))
	return func() (url.Values, error) { // each value was checked when given
		if *page-1 > math.MaxInt / *size {
			return nil, usagef("--page: %d is too large: (page-1)×page-size %d is above %d", *page, *size, math.MaxInt)
		}
		return url.Values{"page": {strconv.Itoa(*page)}, "pageSize": {strconv.Itoa(*size)}}, nil
	}
}

func runZones(e *env) error {
	fs := flagSet(e, "zones", "[--tenant FILE]", "Lists the tenant's service zones.", "dispatch zones")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	return printFrom(e, *tenantPath, func(s api.Service, _ *time.Location) (any, error) { return s.Zones(), nil })
}

func runHours(e *env) error {
	fs := flagSet(e, "hours", "[--tenant FILE]", "Shows the tenant's weekly business hours.", "dispatch hours")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	return printFrom(e, *tenantPath, func(s api.Service, _ *time.Location) (any, error) { return s.BusinessHours(), nil })
}

func runGPS(e *env) error {
	fs := flagSet(e, "gps", "--technician ID --from T --to T [--tenant FILE]",
		"Lists one technician's GPS pings with from <= time < to (all three flags required). Times\n"+
			"are RFC 3339, dates or local date-times in the tenant's zone; pings print in UTC.",
		"dispatch gps --technician 101 --from 2027-03-09T07:00 --to 2027-03-09T12:00")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	tech := idFlag(fs, "technician", "technician `id`")
	from := fs.String("from", "", "fromUtc: "+timeHelp)
	to := fs.String("to", "", "toUtc: "+timeHelp)
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	if *tech == 0 || *from == "" || *to == "" {
		return usagef("--technician, --from and --to are required")
	}
	return printFrom(e, *tenantPath, func(s api.Service, loc *time.Location) (any, error) {
		// Pings with from <= time < to: both bounds round a fraction up.
		f, err := bound("from", *from, loc, true)
		if err != nil {
			return nil, err
		}
		t, err := bound("to", *to, loc, true)
		if err != nil {
			return nil, err
		}
		v := url.Values{"technicianId": {strconv.FormatInt(*tech, 10)}, "fromUtc": {f.UTC().Format(time.RFC3339)}, "toUtc": {t.UTC().Format(time.RFC3339)}}
		pings, err := s.GPS(v)
		return pings, asFlags(err, fs, "")
	})
}

func runAssign(e *env, assign bool) error {
	name, verb, example := "assign", "Assigns", "101,102"
	if !assign {
		name, verb, example = "unassign", "Unassigns", "101" // the demo assigns 5001 to 101 alone
	}
	fs := flagSet(e, name, "--tenant FILE --appointment N --technicians 1,2 [--now T] [--by NAME]",
		verb+" technicians and rewrites the tenant file atomically (temporary file, fsync, rename).\n"+
			"Prints the appointment's current assignment records."+assignNote(assign)+"\n\n"+tenantSaveHelp,
		"dispatch "+name+" --tenant my-tenant.json --appointment 5001 --technicians "+example)
	tenantPath := fs.String("tenant", "", "tenant `file` to change (required)")
	appt := idFlag(fs, "appointment", "appointment `id` (required)")
	techs := fs.String("technicians", "", "comma-separated technician `ids` (required)")
	now := fs.String("now", "", "stamp the records with this time instead of the clock: "+timeHelp)
	by := fs.String("by", "dispatch CLI", "`name` recorded as assignedBy")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	if *tenantPath == "" || *appt == 0 || *techs == "" {
		return usagef("--tenant, --appointment and --technicians are required")
	}
	techIDs, err := ids("technicians", *techs)
	if err != nil {
		return err
	}
	// --now may be a local time, read in the tenant's zone: the clock reads
	// it once the tenant is loaded.
	var stamp time.Time
	clock := func() time.Time {
		if stamp.IsZero() {
			return wallClock()
		}
		return stamp
	}
	t, read, err := e.loadTenantToChange(*tenantPath, capacity.WithClock(clock))
	if err != nil {
		return err
	}
	if stamp, err = optInstant("now", *now, t.Engine.Location()); err != nil {
		return err
	}
	body, _ := json.Marshal(api.AssignRequest{JobAppointmentID: appt, TechnicianIDs: techIDs})
	actor := &capacity.Actor{Name: *by}
	svc := api.Service{T: t}
	var recs []api.Assignment
	var warnings []api.Warning
	if assign {
		recs, warnings, err = svc.Assign(body, actor)
	} else {
		recs, err = svc.Unassign(body, actor)
	}
	if err != nil {
		return asFlags(err, fs, "")
	}
	if err := saveTenant(*tenantPath, t, read); err != nil {
		return err
	}
	printWarnings(e, warnings)
	return writeJSON(e.stdout, recs)
}

func runGenerate(e *env) error {
	fs := flagSet(e, "generate", "[--profile small|medium|large|enterprise] [--seed N] [-o FILE]",
		"Writes a deterministic synthetic tenant: the same profile and seed give the same bytes.",
		"dispatch generate --profile large --seed 1 -o large.json")
	profile := fs.String("profile", "small", "tenant `size`: small (10 technicians), medium (100), large (1,000), enterprise (10,000)")
	seed := intFlag[uint64](fs, "seed", 1, 0, math.MaxUint64, "random `seed`")
	out := fs.String("o", "", "output `file` (default stdout), replaced atomically; links are followed, devices and pipes written in place")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	if err := checkOut("o", *out); err != nil {
		return err
	}
	p, err := synth.ProfileNamed(*profile)
	if err != nil {
		return usagef("--profile: %v", err)
	}
	f, err := synth.Generate(p, *seed)
	if err != nil {
		return err
	}
	return writeOutput(e, *out, f.Write)
}
