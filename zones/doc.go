// Package zones holds service zones — named lists of zips and cities — and
// looks an address's zip or city up to the active zones serving it.
//
// Zips are five digits in a zone; a lookup also accepts ZIP+4
// ("80202-1234"), which matches its five-digit prefix. Cities match without
// regard to case or repeated spaces. A [Directory] is immutable and safe for
// concurrent use.
package zones
