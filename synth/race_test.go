//go:build race

package synth_test

// raceEnabled: under the race detector generating and building the
// enterprise tenant takes twenty seconds for code that is sequential and
// the same as at the smaller sizes; TestBooksAreSound checks it only in
// normal builds (scripts/test.sh runs it so).
const raceEnabled = true
