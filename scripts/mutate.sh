#!/usr/bin/env bash
# Mutation testing of the core with gremlins v0.6.0 (docs/testing.md,
# "Mutation testing"). Not run by CI: a full run takes about an hour on two
# shared cores.
#
# Usage: bash scripts/mutate.sh [target...]
#   targets: interval hours capacity1 capacity2 lifecycle shifts validate sim
#            simresult tenant zones paging
#   (default: interval hours capacity1 capacity2 shifts)
#
# GOFLAGS carries -count=1: gremlins times the coverage run to set each
# mutant's timeout, and a cached test result makes that time, and every
# timeout, near zero (every mutant then "times out").
#
# Each target mutates the named files of one package and runs that package's
# own tests per mutant, one worker at a time (gremlins only mutates lines the
# package's own tests cover; the rest is reported NOT COVERED). The capacity
# and sim targets run their tests with -short (the long property runs make
# each mutant too slow); the others run their full tests. The sim package's
# -short tests take 50 s a mutant, mostly metamorphic runs of whole studies
# and queueing checks: simresult mutates sim/result.go like sim but runs
# only the tests of the files named in simTests (8 s), which test results,
# summaries, intervals, merging and reading back.
#
# Results: one JSON file per target in $MUTATE_OUT (default
# /tmp/mutate-results) and a summary table on stdout. Gremlins itself is
# installed into a temporary GOBIN unless $GREMLINS names a binary; it is
# never a dependency of the module.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${MUTATE_OUT:-/tmp/mutate-results}
mkdir -p "$out"
if [ -z "${GREMLINS:-}" ]; then
	gobin=$(mktemp -d)
	trap 'rm -rf "$gobin"' EXIT
	GOBIN=$gobin go install github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0
	GREMLINS=$gobin/gremlins
fi

# excludes PKG FILE... prints -E flags that exclude every non-test Go file of
# PKG except the named ones. Gremlins matches them against paths relative
# to the package directory ("engine.go", not "capacity/engine.go").
excludes() {
	local pkg=$1 f b keep
	shift
	for f in "$pkg"/*.go; do
		b=$(basename "$f")
		case $b in *_test.go) continue ;; esac
		keep=no
		for k in "$@"; do [ "$b" = "$k" ] && keep=yes; done
		[ $keep = yes ] || printf -- '-E\n^%s$\n' "${b//./\\.}"
	done
}

# simTests are the test files of sim whose tests the simresult target runs.
simTests=(exact_internal_test exact_test meansd_internal_test counts_test censor_test coverage_test sim_test
	kept_test kept_internal_test units_test unitwin_test analyst_test bounds_test bounds_ext_test csv_test
	run_fuzz_test irrelevant_test example_test)

# testsOf PKG FILE... prints a -run pattern of the tests, fuzz tests and
# examples of PKG's test files FILE (names without .go).
testsOf() {
	local pkg=$1 f
	shift
	local names
	names=$(for f in "$@"; do grep -o '^func \(Test\|Fuzz\|Example\)[A-Za-z0-9_]*' "$pkg/$f.go" | awk '{print $2}'; done | paste -sd'|')
	printf '^(%s)$' "$names"
}

# run NAME PKG GOFLAGS [FILE...] mutates FILE... (all files when none) of PKG.
run() {
	local name=$1 pkg=$2 flags=$3
	shift 3
	local ex=()
	if [ $# -gt 0 ]; then mapfile -t ex < <(excludes "$pkg" "$@"); fi
	echo "== $name ($pkg ${*:-all files}; GOFLAGS=$flags)" >&2
	GOFLAGS="$flags" "$GREMLINS" unleash --workers 1 --timeout-coefficient 5 \
		"${ex[@]}" -o "$out/$name.json" "./$pkg" >"$out/$name.log" 2>&1 || true
	tail -n 6 "$out/$name.log" >&2
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(interval hours capacity1 capacity2 shifts)
for t in "${targets[@]}"; do
	case $t in
	interval) run interval interval "-count=1 -p=1" ;;
	hours) run hours hours "-count=1 -p=1" ;;
	capacity1) run capacity1 capacity "-count=1 -p=1 -short" query.go controls.go ctlstate.go response.go bag.go ;;
	capacity2) run capacity2 capacity "-count=1 -p=1 -short" lifecycle.go ledger.go warnings.go ;;
	lifecycle) run lifecycle capacity "-count=1 -p=1 -short" lifecycle.go ;;
	shifts) run shifts shifts "-count=1 -p=1" store.go ;;
	validate) run validate validate "-count=1 -p=1" ;;
	sim) run sim sim "-count=1 -p=1 -short" result.go ;;
	tenant) run tenant tenant "-count=1 -p=1" ;;
	zones) run zones zones "-count=1 -p=1" ;;
	paging) run paging paging "-count=1 -p=1" ;;
	simresult) run simresult sim "-count=1 -p=1 -short -run=$(testsOf sim "${simTests[@]}")" result.go ;;
	*) echo "mutate.sh: unknown target \"$t\"" >&2; exit 2 ;;
	esac
done

# Summary: mutants per file and status, from the logs.
printf '%-10s %-14s %7s %7s %7s %9s %11s\n' target file killed lived "timed out" "not viable" "not covered"
for t in "${targets[@]}"; do
	[ -f "$out/$t.log" ] || continue
	awk -v t="$t" '
		/^ *(KILLED|LIVED|TIMED OUT|NOT VIABLE|NOT COVERED) / {
			s = $1; if (s == "TIMED" || s == "NOT") s = s " " $2
			f = $NF; sub(/:.*/, "", f); n[f, s]++; files[f] = 1
		}
		END {
			for (f in files) printf "%-10s %-14s %7d %7d %7d %9d %11d\n", t, f, n[f, "KILLED"], n[f, "LIVED"], n[f, "TIMED OUT"], n[f, "NOT VIABLE"], n[f, "NOT COVERED"]
		}' "$out/$t.log" | sort
done
