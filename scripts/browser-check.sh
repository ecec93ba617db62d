#!/usr/bin/env bash
# Renders the dispatch board (and any other HTML the program writes) in
# headless Chromium: the screenshot must be produced and the page must log
# no console errors. Installs Debian's chromium when it is missing (without
# its recommended packages: a headless browser needs no GL drivers,
# printing or desktop services). Uses the dispatch binary $DISPATCH_BIN
# when set (scripts/test.sh passes the one it built), else builds one.
# BROWSER_CHECK_KEEP=DIR keeps the screenshots (docs/board.png is the
# board's, docs/week-board.png the week board's).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "browser-check: installing chromium (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  for attempt in 1 2 3; do # a mirror hiccup should not fail CI
    if apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; then break; fi
    [ "$attempt" = 3 ] && { echo "browser-check: could not install chromium"; exit 1; }
    sleep 10
  done
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

check() { # check NAME HTML-FILE
  local name=$1 page=$2 png="$out/$1.png" log="$out/$1.log"
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$out/profile-$name" --hide-scrollbars --window-size=1500,1150 \
    --enable-logging=stderr --v=0 --screenshot="$png" "file://$page" >"$log" 2>&1 || {
      cat "$log"; echo "browser-check: $name: chromium failed"; exit 1; }
  if [ ! -s "$png" ] || [ "$(stat -c %s "$png")" -lt 10000 ]; then
    cat "$log"; echo "browser-check: $name: no screenshot"; exit 1
  fi
  if grep -E 'CONSOLE|Uncaught|SyntaxError' "$log" | grep -viE 'dbus' ; then
    echo "browser-check: $name: the page logged console errors"; exit 1
  fi
  echo "browser-check: $name: screenshot $(stat -c %s "$png") bytes, no console errors"
  if [ -n "${BROWSER_CHECK_KEEP:-}" ]; then cp "$png" "$BROWSER_CHECK_KEEP/$name.png"; fi
}

dispatch=${DISPATCH_BIN:-}
if [ -z "$dispatch" ]; then
  dispatch="$out/dispatch"
  go build -o "$dispatch" ./cmd/dispatch
fi

"$dispatch" board --date 2027-03-09 -o "$out/board.html"
check board "$out/board.html"

# The capacity planning board of a week: every unit, and HVAC Service with
# the unit it shares technicians with (docs/week-board.png is this one).
"$dispatch" board --week 2027-03-08 -o "$out/week-all.html"
check week-all "$out/week-all.html"
"$dispatch" board --week 2027-03-08 --business-unit 1 -o "$out/week-board.html"
check week-board "$out/week-board.html"
for want in 'Reserve holds' 'adjusted: Overbook' 'no working time' 'near ideal'; do
  grep -q "$want" "$out/week-board.html" || { echo "browser-check: week board: no $want"; exit 1; }
done

# The what-if reports: the default study (arrival windows, one variant),
# and a tenant without arrival windows with three variants (the KPI table,
# the paired-difference charts and the window chart must all render).
"$dispatch" simulate --replications 4 --format html -o "$out/report.html"
check report "$out/report.html"
"$dispatch" simulate --scenario sim/testdata/around-the-clock.scenario.json --replications 3 --format html -o "$out/report-queue.html"
check report-queue "$out/report-queue.html"
for page in "$out/report.html" "$out/report-queue.html"; do
  for want in '<table class="kpi">' 'Why calls are lost' 'sans-serif' 'Baseline, replication 0'; do
    grep -q "$want" "$page" || { echo "browser-check: $page: no $want"; exit 1; }
  done
done
grep -q 'Paired differences' "$out/report-queue.html" || { echo "browser-check: no chart of the paired differences"; exit 1; }

# The staffing optimiser's report: the answer, the runners-up and the
# frontier charts (cost against each target's figure).
"$dispatch" simulate optimize --scenario sim/testdata/optimize/around-the-clock.json --format html -o "$out/optimize.html"
check optimize "$out/optimize.html"
for want in 'Answer: ' 'The frontier' 'Cost against emergencyLostShare' 'Runners-up' '<svg'; do
  grep -q "$want" "$out/optimize.html" || { echo "browser-check: optimize.html: no $want"; exit 1; }
done

# Least staffing below the roster: removals, fixed changes, labels in the
# tenant's words (docs: README "How many technicians do we need?").
"$dispatch" simulate optimize --scenario sim/testdata/optimize/least-staffing.json --format html -o "$out/least-staffing.html"
check least-staffing "$out/least-staffing.html"
for want in 'Answer: −2 HVAC Service technicians Mon–Fri 07:00–17:00, −2 Plumbing technicians Mon–Fri 07:00–17:00</h2>' 'Every configuration under: demand ×0.8.' 'the roster as it is: 1218' 'Runners-up'; do
  grep -q "$want" "$out/least-staffing.html" || { echo "browser-check: least-staffing.html: no $want"; exit 1; }
done
