package zones

import (
	"fmt"
	"slices"
	"strings"

	"github.com/opendispatch/dispatch/validate"
)

// Zone is a service zone in the contract's shape. Active defaults to true
// when absent.
type Zone struct {
	ID     int64    `json:"id"`
	Name   string   `json:"name"`
	Zips   []string `json:"zips"`
	Cities []string `json:"cities"`
	Active *bool    `json:"active,omitempty"`
}

// IsActive reports whether z is active (true when Active is absent).
func (z Zone) IsActive() bool { return z.Active == nil || *z.Active }

// Directory answers zip and city lookups over a set of zones.
type Directory struct {
	zones  []Zone             // by id
	byZip  map[string][]int64 // active zone ids, ascending
	byCity map[string][]int64
}

// ValidZip reports whether s is a five-digit zip.
func ValidZip(s string) bool {
	if len(s) != 5 {
		return false
	}
	for i := 0; i < 5; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// NormalizeZip returns the five-digit zip of s, which may be five digits or
// ZIP+4 ("80202-1234"), and false when s is neither.
func NormalizeZip(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 10 && s[5] == '-' && ValidZip(s[6:]+"0") {
		s = s[:5]
	}
	return s, ValidZip(s)
}

// NormalizeCity folds case and collapses runs of spaces: "  Lone   TREE"
// becomes "lone tree".
func NormalizeCity(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// New validates zones and returns their directory. The error is a
// [validate.Errors] with paths relative to the zone list ("[2].zips[0]"):
// ids must be positive and distinct, names present, zips five digits, and
// no zip may belong to two active zones.
func New(zones []Zone) (*Directory, error) {
	var errs validate.Errors
	d := &Directory{byZip: make(map[string][]int64), byCity: make(map[string][]int64)}
	ids := make(map[int64]int)
	zipOwner := make(map[string]int64)
	for i, z := range zones {
		path := validate.Index("", i)
		if z.ID <= 0 {
			errs.Add(path+".id", "zones: zone id %d must be positive", z.ID)
		} else if j, dup := ids[z.ID]; dup {
			errs.Add(path+".id", "zones: duplicate zone id %d (also [%d])", z.ID, j)
		}
		ids[z.ID] = i
		if strings.TrimSpace(z.Name) == "" {
			errs.Add(path+".name", "zones: zone %d has no name", z.ID)
		}
		for j, zip := range z.Zips {
			if !ValidZip(zip) {
				errs.Add(validate.Index(path+".zips", j), "zones: malformed zip %q (want five digits)", zip)
				continue
			}
			if !z.IsActive() {
				continue
			}
			if other, dup := zipOwner[zip]; dup && other != z.ID {
				errs.Add(validate.Index(path+".zips", j), "zones: zip %s is already in active zone %d", zip, other)
				continue
			}
			zipOwner[zip] = z.ID
		}
		for j, c := range z.Cities {
			if NormalizeCity(c) == "" {
				errs.Add(validate.Index(path+".cities", j), "zones: empty city name")
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	d.zones = slices.Clone(zones)
	slices.SortFunc(d.zones, func(a, b Zone) int { return int(a.ID - b.ID) })
	for _, z := range d.zones {
		if !z.IsActive() {
			continue
		}
		for _, zip := range z.Zips {
			d.byZip[zip] = appendUnique(d.byZip[zip], z.ID)
		}
		for _, c := range z.Cities {
			k := NormalizeCity(c)
			d.byCity[k] = appendUnique(d.byCity[k], z.ID)
		}
	}
	return d, nil
}

// appendUnique appends id unless it is already last: zones are visited in id
// order, so duplicates within one zone are adjacent.
func appendUnique(ids []int64, id int64) []int64 {
	if n := len(ids); n > 0 && ids[n-1] == id {
		return ids
	}
	return append(ids, id)
}

// Zones returns a copy of every zone, active or not, in id order.
func (d *Directory) Zones() []Zone { return slices.Clone(d.zones) }

// Zone returns the zone with the given id.
func (d *Directory) Zone(id int64) (Zone, bool) {
	i, ok := slices.BinarySearchFunc(d.zones, id, func(z Zone, id int64) int { return int(z.ID - id) })
	if !ok {
		return Zone{}, false
	}
	return d.zones[i], true
}

// LookupZip returns the ids of the active zones serving zip, ascending. zip
// may be five digits or ZIP+4; a malformed zip is an error.
func (d *Directory) LookupZip(zip string) ([]int64, error) {
	z, ok := NormalizeZip(zip)
	if !ok {
		return nil, fmt.Errorf("zones: malformed zip %q (want 12345 or 12345-6789)", zip)
	}
	return slices.Clone(d.byZip[z]), nil
}

// LookupCity returns the ids of the active zones serving city, ascending,
// matching without regard to case or extra spaces.
func (d *Directory) LookupCity(city string) []int64 {
	return slices.Clone(d.byCity[NormalizeCity(city)])
}
