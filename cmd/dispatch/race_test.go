//go:build race

package main

// raceEnabled: the race detector slows JSON decoding about twentyfold, so
// tests that only exercise sequential code at scale use a smaller tenant.
const raceEnabled = true
