package main

import (
	"flag"
	"strings"

	"github.com/opendispatch/dispatch/validate"
)

// memberFlags names, for a member of an API request body (or query) that
// a command builds from its flags, the flag that sets it where the two
// are spelled apart. A member spelled as its flag (start, end, zip, name, ...) needs
// no entry.
var memberFlags = map[string]string{
	"businessUnitId":      "business-unit",
	"businessUnitGroupId": "group",
	"jobTypeId":           "job-type",
	"jobId":               "job",
	"arrivalWindowStart":  "arrival-start",
	"arrivalWindowEnd":    "arrival-end",
	"technicianId":        "technician",
	"technicianIds":       "technicians",
	"jobAppointmentId":    "appointment",
	"zoneIds":             "zones",
	"shiftType":           "type",
	"from":                "window", // an adjustment's window bounds
	"to":                  "window",
	"startsOnOrAfter":     "from", // a capacity request's range
	"endsOnOrBefore":      "to",
	"businessUnitIds":     "business-units",
	"fromUtc":             "from", // a GPS query's range
	"toUtc":               "to",
}

// asFlags rewrites the JSON paths of the errors of a request body that
// the command built from its flags (fs) to the flags themselves, so that
// an error names what the user typed: "--business-unit: capacity: unknown
// business unit 99", not "businessUnitId: …". idFlag is the flag of the
// record's own id ("" when the body has none). A path whose first member
// no flag of fs sets is left as it is; errors other than validation
// errors pass through.
func asFlags(err error, fs *flag.FlagSet, idFlag string) error {
	// Only the API's own answer: a wrapped error says more than its
	// paths, and keeps them.
	var list validate.Errors
	switch v := err.(type) {
	case validate.Errors:
		list = v
	case *validate.Error:
		list = validate.Errors{v}
	default:
		return err
	}
	out := make(validate.Errors, len(list))
	for i, e := range list {
		c := *e
		c.Path = flagPath(e.Path, fs, idFlag)
		out[i] = &c
	}
	return out
}

// flagPath is the path with its first member replaced by the flag that
// sets it: "skills[2]" → "--skills[2]".
func flagPath(path string, fs *flag.FlagSet, idFlag string) string {
	p := strings.TrimPrefix(path, "$.")
	end := strings.IndexAny(p, ".[")
	if end < 0 {
		end = len(p)
	}
	member, rest := p[:end], p[end:]
	name, ok := memberFlags[member]
	switch {
	case member == "id" && idFlag != "":
		name, ok = idFlag, true
	case !ok:
		name = member
	}
	if name == "" || fs.Lookup(name) == nil {
		return path
	}
	return "--" + name + rest
}
