//go:build race

package sim_test

// raceEnabled: the race detector slows the simulator about eightfold, so
// the queueing-theory tests run their small cases only; scripts/test.sh
// runs them in full without it.
const raceEnabled = true
