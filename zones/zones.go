package zones

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/opendispatch/dispatch/validate"
)

// Zone is a service zone in the contract's shape. Active defaults to true
// when absent.
//
// The zero Zone is an active zone with no id and no entries: invalid until
// ID is set. Active stays a *bool, unlike capacity.Technician's and
// shifts.Shift's Inactive, because Zone is the file and wire shape itself:
// the pointer keeps an absent "active" apart from an explicit true, so a
// saved tenant is written back as it was read. Both zero values are
// active, and all four types answer IsActive.
type Zone struct {
	ID     int64    `json:"id"`
	Name   string   `json:"name"`
	Zips   []string `json:"zips"`
	Cities []string `json:"cities"`
	Active *bool    `json:"active,omitempty"`
}

// IsActive reports whether z is active (true when Active is absent).
func (z Zone) IsActive() bool { return z.Active == nil || *z.Active }

// Directory answers postal code and city lookups over a set of zones.
type Directory struct {
	zones  []Zone           // by id
	byCode map[string]int64 // normalized entry of an active zone → its zone
	lens   uint16           // bit n set when some entry has n characters
	byCity map[string][]int64
}

// Postal code lengths, after normalization.
const (
	MinCodeLen = 2
	MaxCodeLen = 10
)

// NormalizeZip returns the normalized form of the postal code s: ASCII
// letters upper-cased, spaces and hyphens removed ("m5v 3l9" is "M5V3L9",
// "80202-1234" is "802021234"). ok is false unless the result is
// MinCodeLen to MaxCodeLen ASCII letters or digits. It allocates only when
// s is not already normalized.
func NormalizeZip(s string) (code string, ok bool) {
	if isNormal(s) {
		return s, true
	}
	var buf [MaxCodeLen]byte
	n, ok := normalize(&buf, s)
	if !ok {
		return "", false
	}
	return string(buf[:n]), true
}

// isNormal reports whether s is a normalized code already.
func isNormal(s string) bool {
	if len(s) < MinCodeLen || len(s) > MaxCodeLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// normalize writes the normalized code of s into buf and returns its
// length, or false when s is malformed.
func normalize(buf *[MaxCodeLen]byte, s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '-':
			continue
		case 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		case '0' <= c && c <= '9' || 'A' <= c && c <= 'Z':
		default:
			return 0, false
		}
		if n == MaxCodeLen {
			return 0, false
		}
		buf[n] = c
		n++
	}
	return n, n >= MinCodeLen
}

// ValidZip reports whether s is a well-formed postal code: whether
// [NormalizeZip] accepts it.
func ValidZip(s string) bool {
	_, ok := NormalizeZip(s)
	return ok
}

// NormalizeCity folds case and collapses runs of spaces: "  Lone   TREE"
// becomes "lone tree".
func NormalizeCity(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// New validates zones and returns their directory. The error is a
// [validate.Errors] with paths relative to the zone list ("[2].zips[0]"):
// ids must be positive and distinct, names present, names and cities
// single-line text of at most [validate.MaxText] characters (see
// [validate.CheckText]), postal codes
// well-formed (see [NormalizeZip]), and no normalized code may be an entry
// of two active zones. Entries of inactive zones are checked for form
// only.
func New(zones []Zone) (*Directory, error) {
	var errs validate.Errors
	d := &Directory{byCode: make(map[string]int64), byCity: make(map[string][]int64)}
	ids := make(map[int64]int)
	owners := make(map[string]int64) // normalized entry → active zone
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
		} else {
			validate.CheckText(&errs, path+".name", z.Name, true, nil)
		}
		for j, zip := range z.Zips {
			at := validate.Index(path+".zips", j)
			code, ok := NormalizeZip(zip)
			if !ok {
				errs.Add(at, "zones: malformed postal code %q (want %d to %d letters or digits, spaces and hyphens aside)", zip, MinCodeLen, MaxCodeLen)
				continue
			}
			if !z.IsActive() {
				continue
			}
			if other, dup := owners[code]; dup && other != z.ID {
				also := ""
				if code != zip {
					also = " (" + code + ")"
				}
				errs.Add(at, "zones: postal code %q%s is already in active zone %d", zip, also, other)
				continue
			}
			owners[code] = z.ID
		}
		for j, c := range z.Cities {
			if NormalizeCity(c) == "" {
				errs.Add(validate.Index(path+".cities", j), "zones: empty city name")
			} else {
				validate.CheckText(&errs, validate.Index(path+".cities", j), c, true, nil)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	d.zones = make([]Zone, len(zones))
	for i, z := range zones {
		d.zones[i] = own(z) // the caller may change its zones afterwards
	}
	slices.SortFunc(d.zones, func(a, b Zone) int { return cmp.Compare(a.ID, b.ID) })
	for code, id := range owners {
		d.byCode[code] = id
		d.lens |= 1 << len(code)
	}
	for _, z := range d.zones {
		if !z.IsActive() {
			continue
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

// Zones returns a copy of every zone, active or not, in id order: lists
// and flag included, shared with nothing.
func (d *Directory) Zones() []Zone {
	out := make([]Zone, len(d.zones))
	for i, z := range d.zones {
		out[i] = own(z)
	}
	return out
}

// own returns a copy of z that shares no list or pointer with it.
func own(z Zone) Zone {
	z.Zips = slices.Clone(z.Zips)
	z.Cities = slices.Clone(z.Cities)
	if z.Active != nil {
		a := *z.Active
		z.Active = &a
	}
	return z
}

// Zone returns a copy of the zone with the given id.
func (d *Directory) Zone(id int64) (Zone, bool) {
	i, ok := slices.BinarySearchFunc(d.zones, id, func(z Zone, id int64) int { return cmp.Compare(z.ID, id) })
	if !ok {
		return Zone{}, false
	}
	return own(d.zones[i]), true
}

// Has reports whether the directory holds a zone with the given id,
// active or not. Unlike [Directory.Zone] it copies nothing: validating a
// tenant's references asks it once for every zone of every technician.
func (d *Directory) Has(id int64) bool {
	_, ok := slices.BinarySearchFunc(d.zones, id, func(z Zone, id int64) int { return cmp.Compare(z.ID, id) })
	return ok
}

// LookupZip returns the id of the active zone serving the postal code
// zip, as a list of zero or one id: the zone with the longest entry that
// is a prefix of the normalized code. zip may be written in any case, with
// spaces and hyphens ("m5v 3l9", "80202-1234"); a malformed code is an
// error. It allocates only the list it returns.
func (d *Directory) LookupZip(zip string) ([]int64, error) {
	var buf [MaxCodeLen]byte
	n, ok := normalize(&buf, zip)
	if !ok {
		return nil, fmt.Errorf("zones: malformed postal code %q (want %d to %d letters or digits, spaces and hyphens aside)", zip, MinCodeLen, MaxCodeLen)
	}
	if id, ok := d.lookup(buf[:n]); ok {
		return []int64{id}, nil
	}
	return nil, nil
}

// lookup returns the zone of the longest entry prefixing the normalized
// code: one map lookup per length of entry the directory has, longest
// first.
func (d *Directory) lookup(code []byte) (int64, bool) {
	for n := len(code); n >= MinCodeLen; n-- {
		if d.lens&(1<<n) == 0 {
			continue
		}
		if id, ok := d.byCode[string(code[:n])]; ok {
			return id, true
		}
	}
	return 0, false
}

// LookupCity returns the ids of the active zones serving city, ascending,
// matching without regard to case or extra spaces.
func (d *Directory) LookupCity(city string) []int64 {
	return slices.Clone(d.byCity[NormalizeCity(city)])
}
