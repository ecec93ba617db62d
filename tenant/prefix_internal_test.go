package tenant

import "testing"

// TestHasPackagePrefix: a message names its package when it starts with
// lower-case ASCII letters, 'a' to 'z' inclusive, and ": ". No value
// problem of a file names a package with a 'z' today (package zones has
// no text types), so the bounds are pinned here rather than through a
// file.
func TestHasPackagePrefix(t *testing.T) {
	for msg, want := range map[string]bool{
		"capacity: unknown assignment status": true,
		"zones: x":                            true,
		"a: x":                                true,
		"z: x":                                true,
		"azz: x":                              true,
		"`: x":                                false, // the byte before 'a'
		"{: x":                                false, // the byte after 'z'
		"Zones: x":                            false,
		"zones2: x":                           false,
		": x":                                 false,
		"zones:x":                             false,
		"zones":                               false,
		`"10am" is not an RFC 3339 date-time`: false,
	} {
		if got := hasPackagePrefix(msg); got != want {
			t.Errorf("hasPackagePrefix(%q) = %v, want %v", msg, got, want)
		}
	}
}
