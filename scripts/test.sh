#!/usr/bin/env bash
# The project's test command (README), exactly what CI runs. Its steps, each
# timed:
#   vet             go vet over every package
#   race tests      every test under the race detector
#   benchmarks once every benchmark runs once, so none can rot (-short
#                   leaves out the enterprise profile: the same benchmarks
#                   over 10,000 technicians, whose data take most of the
#                   time), then the two tests too slow for the race detector
#                   at full size (every synthetic profile's book; the command
#                   line over 1,000 technicians; the simulator against Erlang
#                   B and C at heavy load)
#   other archs     on an amd64 host: vet and the short tests built for 386
#                   (int is 32 bits there: sizes, pages and messages that
#                   assumed 64 found that way); then a 386 build and an
#                   arm64 one (under qemu-user, installed when missing; its
#                   compiler may fuse multiply-adds) each write the amd64
#                   build's text report, and each one's shard merged with an
#                   amd64 shard is byte for byte the amd64 build's study
#   image           the container image: a static binary on an empty base,
#                   written as an OCI image layout tarball to dist/ and
#                   checked (no Docker daemon, no network)
#   browser check   the HTML the program writes, rendered in headless
#                   Chromium (installed when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
# One build configuration without cgo for vet, the benchmarks and the
# static binary of the image, so that packages compile once for all three;
# the race detector needs cgo and is the second configuration. -trimpath
# everywhere: the image's binary must not depend on where the checkout is,
# and a flag that differs between steps would compile everything again.
export CGO_ENABLED=0
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-trimpath"

step() { # step NAME COMMAND...: run and time one step
  local name=$1 t0=$SECONDS
  shift
  echo "== $name"
  "$@"
  echo "== $name: $((SECONDS - t0)) s"
}

benchmarks() {
  go test -short -run '^$' -bench . -benchtime 1x ./... >/dev/null
  go test -run '^(TestBooksAreSound|TestLargeTenant)$' ./synth ./cmd/dispatch
  # The simulator's queueing-theory tests at full power (heavy load, c up
  # to 300): too slow under the race detector, which runs their small cases.
  go test -count=1 -run '^TestErlang' ./sim/
}

otherarchs() {
  if [ "$(go env GOHOSTARCH)" != amd64 ]; then
    echo "not an amd64 host: skipped"
    return
  fi
  GOARCH=386 go vet ./...
  local tmp
  tmp=$(mktemp -d)
  go build -o "$tmp/dispatch" ./cmd/dispatch
  GOARCH=386 go build -o "$tmp/dispatch386" ./cmd/dispatch
  if ! "$tmp/dispatch386" help >/dev/null 2>&1; then
    echo "this kernel does not run 386 programs: 32-bit tests skipped (vet passed)"
    rm -rf "$tmp"
    return
  fi
  GOARCH=386 go test -short ./...
  # Run figures are the same on every architecture and reports print
  # them rounded; the JSON's exact-interval bounds (gonum's Beta and Gamma
  # quantiles over math.Exp and math.Log, which have assembly on amd64)
  # may differ in their last digits, so a 386 build is held to what an
  # arm64 one is: the same text report, and its shard merged with an
  # amd64 shard byte for byte the amd64 study.
  "$tmp/dispatch" simulate --replications 6 --format json >"$tmp/amd64.json"
  "$tmp/dispatch" simulate --replications 6 >"$tmp/amd64.txt"
  "$tmp/dispatch386" simulate --replications 6 >"$tmp/386.txt"
  cmp "$tmp/amd64.txt" "$tmp/386.txt" || { echo "386 and amd64 builds wrote different reports"; return 1; }
  "$tmp/dispatch386" simulate --replications 6 --shard 0/2 --format json >"$tmp/part0.json"
  "$tmp/dispatch" simulate --replications 6 --shard 1/2 --format json >"$tmp/part1.json"
  "$tmp/dispatch" simulate merge --format json "$tmp/part0.json" "$tmp/part1.json" >"$tmp/merged.json"
  cmp "$tmp/amd64.json" "$tmp/merged.json" || { echo "a 386 shard merged with an amd64 one differs from the amd64 study"; return 1; }
  if ! command -v qemu-aarch64-static >/dev/null 2>&1; then
    echo "installing qemu-user-static (Debian package) to run an arm64 build"
    for attempt in 1 2 3; do
      if apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-user-static >/dev/null; then break; fi
      [ "$attempt" = 3 ] && { echo "could not install qemu-user-static"; exit 1; }
      sleep 5
    done
  fi
  GOARCH=arm64 go build -o "$tmp/dispatcharm64" ./cmd/dispatch
  local arm=(qemu-aarch64-static "$tmp/dispatcharm64")
  "${arm[@]}" simulate --replications 6 >"$tmp/arm64.txt"
  cmp "$tmp/amd64.txt" "$tmp/arm64.txt" || { echo "arm64 and amd64 builds wrote different reports"; return 1; }
  "${arm[@]}" simulate --replications 6 --shard 0/2 --format json >"$tmp/part0.json"
  "$tmp/dispatch" simulate --replications 6 --shard 1/2 --format json >"$tmp/part1.json"
  "$tmp/dispatch" simulate merge --format json "$tmp/part0.json" "$tmp/part1.json" >"$tmp/merged.json"
  cmp "$tmp/amd64.json" "$tmp/merged.json" || { echo "an arm64 shard merged with an amd64 one differs from the amd64 study"; return 1; }
  rm -rf "$tmp"
}

image() {
  mkdir -p dist
  local tool rev version
  tool=$(mktemp -d)
  rev=$(git rev-parse HEAD 2>/dev/null || echo unknown)
  version=$(git describe --tags --always --dirty 2>/dev/null || echo dev)
  GOOS=linux go build -ldflags='-s -w' -o dist/dispatch ./cmd/dispatch
  go build -o "$tool/image" ./internal/cmd/image
  local flags=(--binary dist/dispatch --arch "$(go env GOARCH)" --version "$version" --revision "$rev" --ref "dispatch:$version")
  "$tool/image" "${flags[@]}" -o dist/dispatch-image.tar
  "$tool/image" "${flags[@]}" --check dist/dispatch-image.tar
  rm -rf "$tool"
}

t0=$SECONDS
step vet go vet ./...
step "race tests" env CGO_ENABLED=1 go test -race ./...
step "benchmarks once" benchmarks
step "other archs" otherarchs
step image image
step "browser check" env DISPATCH_BIN=dist/dispatch bash scripts/browser-check.sh
echo "== all passed: $((SECONDS - t0)) s"
