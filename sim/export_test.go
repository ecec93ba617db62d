package sim

// RareEvents is rareEvents, for the coverage experiment of package
// sim_test, which checks the reported intervals against the rule.
const RareEvents float64 = rareEvents

// ClopperPearson is clopperPearson, for the coverage experiments.
var ClopperPearson = clopperPearson
