package main

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opendispatch/dispatch/api"
	"github.com/opendispatch/dispatch/capacity"
	"github.com/opendispatch/dispatch/tenant"
)

// The capacity controls of DESIGN §4a on the command line: adjust writes
// an adjustment into a tenant file; adjustments, capacity-rules and
// business-unit-groups list them.

func init() {
	register("adjust", "add or remove a capacity adjustment in a tenant file", runAdjust)
	register("adjustments", "list capacity adjustments (filter by dates, unit, group)", runAdjustments)
	register("capacity-rules", "list capacity rules (job types capped at a share of a window)", runCapacityRules)
	register("business-unit-groups", "list business-unit groups (units sharing technicians) with their percentages", runGroups)
}

func runAdjust(e *env) error {
	fs := flagSet(e, "adjust", "--tenant FILE --date D --window HH:MM-HH:MM [--business-unit N|--group N] --minutes ±M --reason TEXT [--now T] [--by NAME]\n"+
		"       dispatch adjust --tenant FILE --remove ID",
		"Adds minutes to one arrival window of one local date — positive is planned overbooking,\n"+
			"negative is capacity held back — for every request, or only for requests reaching one\n"+
			"business unit or one group; or removes an adjustment. Rewrites the tenant file atomically\n"+
			"(temporary file, fsync, rename) and prints the adjustment. The window must be one of the\n"+
			"date's windows (the refusal names them); createdOn is the clock (or --now), createdBy --by.\n\n"+tenantSaveHelp,
		"dispatch adjust --tenant my-tenant.json --date 2027-03-09 --window 08:00-10:00 --business-unit 1 --minutes 90 --reason 'two tune-ups usually cancel'")
	tenantPath := fs.String("tenant", "", "tenant `file` to change (required)")
	dateFlag := fs.String("date", "", "local `date` of the window, YYYY-MM-DD")
	window := fs.String("window", "", "the window's local `from-to`, such as 08:00-10:00")
	unit := idFlag(fs, "business-unit", "only for requests reaching this business unit (`id`)")
	group := idFlag(fs, "group", "only for requests reaching a unit of this business-unit group (`id`)")
	minutes := fs.String("minutes", "", "signed `minutes`: +90 overbooks by an hour and a half, -120 holds two hours back")
	reason := fs.String("reason", "", "why, for whoever reads the board next (`text`, required)")
	remove := idFlag(fs, "remove", "remove the adjustment with this `id` instead")
	now := fs.String("now", "", "stamp createdOn with this time instead of the clock: "+timeHelp)
	by := fs.String("by", "dispatch CLI", "`name` recorded as createdBy")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	if *tenantPath == "" {
		return usagef("--tenant is required")
	}
	adding := *dateFlag != "" || *window != "" || *unit != 0 || *group != 0 || *minutes != "" || *reason != ""
	switch {
	case *remove != 0 && adding:
		return usagef("--remove takes no other adjustment flags")
	case *remove == 0 && (*dateFlag == "" || *window == "" || *minutes == "" || *reason == ""):
		return usagef("--date, --window, --minutes and --reason are required (or --remove ID)")
	case *unit != 0 && *group != 0:
		return usagef("--business-unit and --group are mutually exclusive: an adjustment names one or neither")
	}
	req := api.AdjustmentRequest{}
	if *remove == 0 {
		if _, err := date("date", *dateFlag); err != nil {
			return err
		}
		from, to, ok := splitWindow(*window)
		if !ok {
			return usagef("--window: %q: want from-to, such as 08:00-10:00", *window)
		}
		// A signed delta: "+90" reads as meant, so one "+" is allowed here
		// (the only integer flag that takes one); otherwise plain decimal.
		// A whole number out of range is told so by parseInt, with its
		// bound.
		digits := strings.TrimPrefix(*minutes, "+")
		m, err := parseInt("minutes", digits, math.MinInt32, math.MaxInt32)
		if _, _, _, ok := decimal(digits); !ok || strings.HasPrefix(*minutes, "+-") {
			return usagef("--minutes: %q is not a whole number of minutes (+90, -120)", *minutes)
		}
		if err != nil {
			return err
		}
		req = api.AdjustmentRequest{Date: dateFlag, From: &from, To: &to, Minutes: &m, Reason: reason}
		if *unit != 0 {
			req.BusinessUnitID = unit
		}
		if *group != 0 {
			req.BusinessUnitGroupID = group
		}
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
	svc := api.Service{T: t}
	var out api.Adjustment
	if *remove != 0 {
		out, err = svc.RemoveAdjustment(strconv.FormatInt(*remove, 10))
	} else {
		body, _ := json.Marshal(req)
		out, err = svc.CreateAdjustment(body, &capacity.Actor{Name: *by})
	}
	if err != nil {
		return asFlags(err, fs, "remove")
	}
	if err := saveTenant(*tenantPath, t, read); err != nil {
		return err
	}
	return writeJSON(e.stdout, out)
}

// splitWindow splits "08:00-10:00" (or with an en dash, as the program
// prints windows) into its bounds.
func splitWindow(s string) (from, to string, ok bool) {
	for _, sep := range []string{"–", "-"} {
		if from, to, ok = strings.Cut(s, sep); ok {
			return strings.TrimSpace(from), strings.TrimSpace(to), from != "" && to != ""
		}
	}
	return "", "", false
}

func runAdjustments(e *env) error {
	fs := flagSet(e, "adjustments", "[--tenant FILE] [--from D] [--to D] [--business-unit N] [--group N] [--page N] [--page-size N]",
		"Lists capacity adjustments in (date, from, to, id) order, paged like shifts, in the tenant\n"+
			"file's shape: signed minutes on one window of one local date, for everyone, a business\n"+
			"unit or a group. --from and --to are local dates: adjustments on from <= date < to.",
		"dispatch adjustments --from 2027-03-08 --to 2027-03-15")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	page := pageFlags(fs)
	from := fs.String("from", "", "only adjustments on this local `date` or later")
	to := fs.String("to", "", "only adjustments before this local `date`")
	unit := idFlag(fs, "business-unit", "only adjustments naming this business unit (`id`)")
	group := idFlag(fs, "group", "only adjustments naming this group (`id`)")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	if *unit != 0 && *group != 0 { // both would select nothing, always
		return usagef("--business-unit and --group are mutually exclusive: an adjustment names one or neither")
	}
	v, err := page()
	if err != nil {
		return err
	}
	for _, f := range []struct{ name, value string }{{"from", *from}, {"to", *to}} {
		if f.value == "" {
			continue
		}
		if _, err := date(f.name, f.value); err != nil {
			return err
		}
		v.Set(f.name, f.value)
	}
	if *from != "" && *to != "" && *to <= *from {
		return usagef("--to %s is not after --from %s", *to, *from)
	}
	if *unit != 0 {
		v.Set("businessUnitId", strconv.FormatInt(*unit, 10))
	}
	if *group != 0 {
		v.Set("businessUnitGroupId", strconv.FormatInt(*group, 10))
	}
	return printFrom(e, *tenantPath, func(s api.Service, _ *time.Location) (any, error) {
		d := s.T.Engine.Data()
		if err := checkKnown(d, "business-unit", "business unit", *unit); err != nil {
			return nil, err
		}
		if err := checkKnown(d, "group", "business-unit group", *group); err != nil {
			return nil, err
		}
		return s.ListAdjustments(v)
	})
}

func runCapacityRules(e *env) error {
	fs := flagSet(e, "capacity-rules", "[--tenant FILE]",
		"Lists capacity rules in id order: the job types a rule names may take at most maxPercentage\n"+
			"of a window's capacity, in requests reaching one of its business units (none: every request).\n"+
			"A window a rule blocks says \"capacityRule:ID\" in unavailableBecause.",
		"dispatch capacity-rules")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	return printFrom(e, *tenantPath, func(s api.Service, _ *time.Location) (any, error) {
		out := api.List[capacity.Rule]{Data: []capacity.Rule{}}
		for _, r := range s.T.Engine.Rules() {
			out.Data = append(out.Data, tenant.RuleOf(r))
		}
		slices.SortFunc(out.Data, func(a, b capacity.Rule) int { return cmp.Compare(a.ID, b.ID) })
		return out, nil
	})
}

func runGroups(e *env) error {
	fs := flagSet(e, "business-unit-groups", "[--tenant FILE]",
		"Lists business-unit groups in id order: units that share one technician pool, and the\n"+
			"group's ideal booking and reserve percentages, which replace its units' own when set.",
		"dispatch business-unit-groups")
	tenantPath := fs.String("tenant", "", "tenant `file` (default: the embedded demo tenant)")
	if err := parse(fs, e.args, false); err != nil {
		return err
	}
	return printFrom(e, *tenantPath, func(s api.Service, _ *time.Location) (any, error) {
		out := api.List[capacity.BusinessUnitGroup]{Data: []capacity.BusinessUnitGroup{}}
		for _, g := range s.T.Engine.BusinessUnitGroups() {
			out.Data = append(out.Data, tenant.GroupOf(g))
		}
		slices.SortFunc(out.Data, func(a, b capacity.BusinessUnitGroup) int { return cmp.Compare(a.ID, b.ID) })
		return out, nil
	})
}
