package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/opendispatch/dispatch/api"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/hours"
	"github.com/opendispatch/dispatch/internal/base/atomicfile"
	"github.com/opendispatch/dispatch/synth"
	"github.com/opendispatch/dispatch/tenant"
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
			"or built from the flags. --from and --to take RFC 3339 date-times or dates (the tenant's\n"+
			"local midnight). With neither, the request covers the tenant's first working day.",
		"dispatch capacity --from 2027-03-09 --to 2027-03-10 --job-type 101 --skill-based --zip 80202")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	reqPath := fs.String("request", "", "read the request JSON from `file` (- for stdin)")
	from := fs.String("from", "", "startsOnOrAfter: RFC 3339 date-time or `date`")
	to := fs.String("to", "", "endsOnOrBefore: RFC 3339 date-time or `date`")
	units := fs.String("business-units", "", "comma-separated business unit `ids`")
	jobType := fs.Int64("job-type", 0, "job type `id` (its duration must fit; its skills with --skill-based)")
	skill := fs.Bool("skill-based", false, "only technicians holding the job type's skills")
	zip := fs.String("zip", "", "only technicians serving this `zip`")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	if *reqPath != "" && (*from != "" || *to != "" || *units != "" || *jobType != 0 || *skill || *zip != "") {
		return usagef("--request and the request flags are mutually exclusive")
	}
	t, err := loadTenant(*tenantPath)
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
			day := firstWorkingDay(t)
			req.StartsOnOrAfter = time.Unix(hours.DayStart(loc, day), 0)
			req.EndsOnOrBefore = time.Unix(hours.DayStart(loc, day+1), 0)
		case *from == "" || *to == "":
			return usagef("--from and --to go together")
		default:
			if req.StartsOnOrAfter, err = instant("from", *from, loc); err != nil {
				return err
			}
			if req.EndsOnOrBefore, err = instant("to", *to, loc); err != nil {
				return err
			}
		}
		if body, err = json.Marshal(req); err != nil {
			return err
		}
	}
	out, err := svc.Capacity(body)
	if err != nil {
		return err
	}
	return writeRawJSON(e.stdout, out)
}

// firstWorkingDay is the local date of the tenant's earliest Normal shift,
// or today's date in UTC terms of the epoch when it has none.
func firstWorkingDay(t *tenant.Tenant) hours.Date {
	loc := t.Engine.Location()
	first := int64(0)
	for _, sh := range t.Engine.Shifts().All() {
		if sh.Type.String() == "Normal" && sh.Active {
			first = sh.Start
			break // All is in start order
		}
	}
	return hours.DateAt(loc, first)
}

func runShifts(e *env) error {
	fs := flagSet(e, "shifts", "[--tenant FILE] [--page N] [--page-size N] [--starts-on-or-after T] [--ends-on-or-before T]",
		"Lists technician shifts in (start, id) order, paged like the API.",
		"dispatch shifts --starts-on-or-after 2027-03-09T00:00:00-07:00 --page-size 5")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	q := pageFlags(fs)
	after := fs.String("starts-on-or-after", "", "only shifts starting at or after this RFC 3339 `time`")
	before := fs.String("ends-on-or-before", "", "only shifts ending at or before this RFC 3339 `time`")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	v := q()
	set(v, "startsOnOrAfter", *after)
	set(v, "endsOnOrBefore", *before)
	return printFrom(e, *tenantPath, func(s api.Service) (any, error) { return s.ListShifts(v) })
}

// printFrom loads the tenant and prints what get answers over it as JSON:
// the shape of every read command.
func printFrom(e *env, tenantPath string, get func(api.Service) (any, error)) error {
	t, err := loadTenant(tenantPath)
	if err != nil {
		return err
	}
	v, err := get(api.Service{T: t})
	if err != nil {
		return err
	}
	return writeJSON(e.stdout, v)
}

func runAssignments(e *env) error {
	fs := flagSet(e, "assignments", "[--tenant FILE] [--page N] [--page-size N] [--technician ID] [--modified-on-or-after T]",
		"Lists appointment assignment records, current and historical, in id order.",
		"dispatch assignments --technician 101 --page-size 10")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	q := pageFlags(fs)
	tech := fs.String("technician", "", "only this technician's records (`id`)")
	since := fs.String("modified-on-or-after", "", "only records modified at or after this RFC 3339 `time`")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	v := q()
	set(v, "technicianId", *tech)
	set(v, "modifiedOnOrAfter", *since)
	return printFrom(e, *tenantPath, func(s api.Service) (any, error) { return s.ListAssignments(v) })
}

// pageFlags declares --page and --page-size and returns a function giving
// their query values.
func pageFlags(fs interface {
	Int(string, int, string) *int
}) func() url.Values {
	page := fs.Int("page", 0, "page `number`, from 1 (default 1)")
	size := fs.Int("page-size", 0, "page `size`, at most 500 (default 50)")
	return func() url.Values {
		v := url.Values{}
		if *page != 0 {
			v.Set("page", strconv.Itoa(*page))
		}
		if *size != 0 {
			v.Set("pageSize", strconv.Itoa(*size))
		}
		return v
	}
}

func set(v url.Values, k, s string) {
	if s != "" {
		v.Set(k, s)
	}
}

func runZones(e *env) error {
	fs := flagSet(e, "zones", "[--tenant FILE]", "Lists the tenant's service zones.", "dispatch zones")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	return printFrom(e, *tenantPath, func(s api.Service) (any, error) { return s.Zones(), nil })
}

func runHours(e *env) error {
	fs := flagSet(e, "hours", "[--tenant FILE]", "Shows the tenant's weekly business hours.", "dispatch hours")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	return printFrom(e, *tenantPath, func(s api.Service) (any, error) { return s.BusinessHours(), nil })
}

func runGPS(e *env) error {
	fs := flagSet(e, "gps", "--technician ID --from T --to T [--tenant FILE]",
		"Lists one technician's GPS pings with from <= time < to (all three flags required).",
		"dispatch gps --technician 101 --from 2027-03-09T14:00:00Z --to 2027-03-09T18:00:00Z")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	tech := fs.String("technician", "", "technician `id`")
	from := fs.String("from", "", "fromUtc: RFC 3339 `time`")
	to := fs.String("to", "", "toUtc: RFC 3339 `time`")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	if *tech == "" || *from == "" || *to == "" {
		return usagef("--technician, --from and --to are required")
	}
	v := url.Values{"technicianId": {*tech}, "fromUtc": {*from}, "toUtc": {*to}}
	return printFrom(e, *tenantPath, func(s api.Service) (any, error) { return s.GPS(v) })
}

func runAssign(e *env, assign bool) error {
	name, verb := "assign", "Assigns"
	if !assign {
		name, verb = "unassign", "Unassigns"
	}
	fs := flagSet(e, name, "--tenant FILE --appointment N --technicians 1,2 [--now T] [--by NAME]",
		verb+" technicians and rewrites the tenant file atomically (temporary file, fsync, rename).\n"+
			"Prints the appointment's current assignment records.",
		"dispatch "+name+" --tenant my-tenant.json --appointment 5001 --technicians 101,102")
	tenantPath := fs.String("tenant", "", "tenant `file` to change (required)")
	appt := fs.Int64("appointment", 0, "appointment `id` (required)")
	techs := fs.String("technicians", "", "comma-separated technician `ids` (required)")
	now := fs.String("now", "", "stamp the records with this RFC 3339 `time` instead of the clock")
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
	clock := time.Now
	if *now != "" {
		t, err := time.Parse(time.RFC3339, *now)
		if err != nil {
			return usagef("--now: %q is not an RFC 3339 date-time", *now)
		}
		clock = func() time.Time { return t }
	}
	t, err := loadTenant(*tenantPath, capacity.WithClock(clock))
	if err != nil {
		return err
	}
	body, _ := json.Marshal(api.AssignRequest{JobAppointmentID: appt, TechnicianIDs: techIDs})
	actor := &capacity.Actor{Name: *by}
	svc := api.Service{T: t}
	var recs []api.Assignment
	if assign {
		recs, err = svc.Assign(body, actor)
	} else {
		recs, err = svc.Unassign(body, actor)
	}
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.Save(&buf); err != nil {
		return err
	}
	if err := atomicfile.Write(*tenantPath, 0o644, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
		return err
	}
	return writeJSON(e.stdout, recs)
}

func runGenerate(e *env) error {
	fs := flagSet(e, "generate", "[--profile small|medium|large|enterprise] [--seed N] [-o FILE]",
		"Writes a deterministic synthetic tenant: the same profile and seed give the same bytes.",
		"dispatch generate --profile large --seed 1 -o large.json")
	profile := fs.String("profile", "small", "tenant `size`: small (10 technicians), medium (100), large (1,000), enterprise (10,000)")
	seed := fs.Uint64("seed", 1, "random `seed`")
	out := fs.String("o", "", "output `file` (default stdout), written atomically")
	if err := parse(fs, e.args, false); err != nil {
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
