// Package zones holds service zones — named lists of postal codes and
// cities — and looks an address's postal code or city up to the active
// zone serving it.
//
// # Postal codes
//
// Contractors work in the United States (80202, 80202-1234), Canada
// (M5V 3L9), the United Kingdom (SW1A 1AA), Australia (2000) and the
// Netherlands (1011 AB), so a postal code is not a five-digit ZIP: it is
// normalized by upper-casing ASCII letters and removing spaces and hyphens,
// and must then be 2 to 10 ASCII letters or digits ([NormalizeZip]). The
// names say "zip" after the contract's field, for every country's code.
//
// A zone's entry serves every code it is a prefix of, once both are
// normalized: 80202 serves 80202-1234, M5V serves M5V 3L9, SW1A serves
// SW1A 1AA. Where entries of several active zones match a code, the
// longest wins: a zone listing M5V 3L9 takes that code from one listing
// M5V. Ties cannot happen: two entries of one length that both prefix a
// code are the same entry, and one normalized entry in two active zones is
// an error when the directory is built. Entries of inactive zones serve
// nothing (a technician whose zones are all inactive serves no code; one
// without zones serves every code, which is the capacity engine's rule).
// A lookup costs one map probe per distinct entry length, at most nine.
//
// Cities match without regard to case or repeated spaces, and may belong
// to several zones.
//
// A [Directory] is immutable and safe for concurrent use.
package zones
