package hours

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // results must not depend on the host's zone files
)

// LoadLocation returns the IANA time zone name, from the embedded zone
// database when the host has none. The empty name and "Local" are refused:
// a tenant's rules must not depend on the machine they run on. For an
// unknown name the error suggests the nearest zone name when one is close
// (edit distance over [ZoneNames], ignoring case; a bare city is compared
// with the last part of each name):
//
//	hours: unknown time zone "America/Denvr" (did you mean "America/Denver"?)
//
// LoadLocation accepts legacy names such as "MST"; [ZoneWarning] says what
// is wrong with them.
func LoadLocation(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("hours: time zone %q: want an IANA name such as \"America/Denver\"", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		if s := nearestZone(name); s != "" {
			return nil, fmt.Errorf("hours: unknown time zone %q (did you mean %q?)", name, s)
		}
		return nil, fmt.Errorf("hours: unknown time zone %q", name)
	}
	return loc, nil
}

// ZoneNames returns the names of the embedded zone database (time/tzdata
// of the Go release that built the program), sorted. The list is
// generated: go test ./hours -run ZoneNames -update.
func ZoneNames() []string { return append([]string(nil), zoneNames[:]...) }

// nearestZone returns the zone name nearest to name, or "" when none is
// close: within a quarter of name's length (at least 1) in edit distance.
// Ties go to the first name in sorted order. Legacy names (see
// [ZoneWarning]) are never suggested.
func nearestZone(name string) string {
	in := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(name), " ", "_"))
	best, bestD := "", max(1, len(in)/4)+1
	if len(in)-longestZoneName >= bestD {
		return "" // no name is close: the distance is at least the difference in length
	}
	for _, z := range zoneNames {
		if ZoneWarning(z) != "" {
			continue
		}
		lz := strings.ToLower(z)
		d := closer(in, lz, bestD)
		if !strings.Contains(in, "/") {
			if i := strings.LastIndexByte(lz, '/'); i >= 0 {
				d = min(d, closer(in, lz[i+1:], bestD))
			}
		}
		if d < bestD {
			best, bestD = z, d
		}
	}
	return best
}

// longestZoneName is the length of the longest of zoneNames.
var longestZoneName = func() int {
	n := 0
	for _, z := range zoneNames {
		n = max(n, len(z))
	}
	return n
}()

// closer returns the edit distance of a and b when it may be below bound,
// and bound otherwise. The distance is at least the difference of the
// lengths, so a name far longer or shorter than every zone's (a file's
// typo is short; a megabyte of junk is not) costs no distance at all:
// computing it would take time in the product of the lengths.
func closer(a, b string, bound int) int {
	if diff := len(a) - len(b); diff >= bound || -diff >= bound {
		return bound
	}
	return editDistance(a, b)
}

// editDistance is the Levenshtein distance of a and b in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// legacyZones are the zone names of the database that name no place,
// with the location names to use instead. The UTC aliases and the
// Etc/GMT±N offsets are recognized by [ZoneWarning] separately.
var legacyZones = map[string]struct {
	fixed bool   // no daylight saving time ever
	use   string // the advice: location names to use instead
}{
	"EST":     {true, `"America/New_York" (Eastern time) or "America/Panama" (no daylight saving time)`},
	"MST":     {true, `"America/Denver" (Mountain time) or "America/Phoenix" (no daylight saving time)`},
	"HST":     {true, `"Pacific/Honolulu"`},
	"EST5EDT": {false, `"America/New_York"`},
	"CST6CDT": {false, `"America/Chicago"`},
	"MST7MDT": {false, `"America/Denver"`},
	"PST8PDT": {false, `"America/Los_Angeles"`},
	"CET":     {false, `a location name such as "Europe/Paris"`},
	"MET":     {false, `a location name such as "Europe/Paris"`},
	"EET":     {false, `a location name such as "Europe/Athens"`},
	"WET":     {false, `a location name such as "Europe/Lisbon"`},
	"Factory": {true, `the location name of the business, such as "America/Denver"`},
}

// utcAliases are the names of UTC other than "UTC" and "Etc/UTC".
var utcAliases = map[string]bool{
	"GMT": true, "GMT0": true, "GMT+0": true, "GMT-0": true, "Greenwich": true, "UCT": true, "Universal": true, "Zulu": true,
	"Etc/GMT": true, "Etc/GMT0": true, "Etc/GMT+0": true, "Etc/GMT-0": true, "Etc/Greenwich": true, "Etc/UCT": true,
	"Etc/Universal": true, "Etc/Zulu": true,
}

// ZoneWarning returns a warning for a zone name that loads but is probably
// not what a tenant means, or "" for a name that is fine. It warns on:
//
//   - legacy abbreviations with a fixed offset ("MST", "EST", "HST"): no
//     daylight saving time, so where clocks change every wall-clock rule is
//     an hour off in summer;
//   - fixed offsets "Etc/GMT+7" and the like (whose sign is inverted:
//     Etc/GMT+7 is UTC−07:00);
//   - legacy POSIX-style rule names ("MST7MDT", "PST8PDT", "CET"), kept
//     by the database only for compatibility;
//   - aliases of UTC other than "UTC" and "Etc/UTC" ("GMT", "Zulu"), and
//     the placeholder "Factory".
//
// "UTC" and "Etc/UTC" are accepted silently: a tenant that plans in UTC
// says so plainly. So are the database's aliases that name a place
// ("US/Mountain", "Canada/Eastern", "Navajo", "Japan"): each is a link to a
// location zone ("America/Denver", ...) and gives exactly its times; only
// the spelling is old.
func ZoneWarning(name string) string {
	if utcAliases[name] {
		return fmt.Sprintf(`hours: time zone %q is an alias of UTC, not a place: business hours in UTC are rarely meant; write "UTC" if they are, or the location name of the business such as "America/Denver"`, name)
	}
	if l, ok := legacyZones[name]; ok {
		if l.fixed {
			return fmt.Sprintf("hours: time zone %q is a legacy abbreviation with a fixed offset (%s all year, no daylight saving time): where clocks change, every business hour and arrival window is an hour off in summer; use %s",
				name, fixedOffset(name), l.use)
		}
		return fmt.Sprintf("hours: time zone %q is a legacy POSIX-style name kept only for compatibility; use %s", name, l.use)
	}
	if rest, ok := strings.CutPrefix(name, "Etc/GMT"); ok && len(rest) > 1 && (rest[0] == '+' || rest[0] == '-') {
		if n, err := strconv.Atoi(rest[1:]); err == nil && n > 0 {
			return fmt.Sprintf(`hours: time zone %q is a fixed offset (%s all year: Etc/GMT names invert the sign), with no daylight saving time: where clocks change, every business hour and arrival window is an hour off part of the year; use the location name of the business, such as "America/Denver"`,
				name, fixedOffset(name))
		}
	}
	return ""
}

// fixedOffset formats the UTC offset of a fixed-offset zone as "-07:00".
func fixedOffset(name string) string {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return "?"
	}
	return time.Date(2027, 1, 1, 0, 0, 0, 0, loc).Format("-07:00")
}
