#!/usr/bin/env bash
# Cost of reading dependencies, cold and warm, against `--no-deps`: in each
# project directory given (default: the blind set cli/tests/heldout5/*),
# run the release CLI with `--no-deps`, with dependencies read and an empty
# cache (cold), and again with the cache that run filled (warm), interleaved,
# N rounds (default 5); print the medians and the ratios to `--no-deps`.
# Usage: bash benches/deps_cache.sh [-n N] [DIR...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=5
if [ "${1:-}" = "-n" ]; then rounds=$2; shift 2; fi
dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
  for d in "$root"/cli/tests/heldout5/*/; do [ -f "$d/Cargo.toml" ] && dirs+=("$d"); done
fi
cargo build -q --release -p cargo-pollguard --manifest-path "$root/Cargo.toml"
cli="$root/target/release/cargo-pollguard"
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
time_of() { # prints wall seconds of the command
  local s e
  s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N)
  python3 -c "print(f'{$e - $s:.3f}')"
}
median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.3f}')" "$@"; }
printf '| project | `--no-deps` | cold | warm | cold × | warm × |\n|---|---|---|---|---|---|\n'
for d in "${dirs[@]}"; do
  (cd "$d" && cargo fetch -q 2>/dev/null || true)
  nd=(); cold=(); warm=()
  for _ in $(seq "$rounds"); do
    rm -rf "${cache:?}"/*
    nd+=("$(cd "$d" && time_of "$cli" --quiet --no-deps --offline)")
    cold+=("$(cd "$d" && POLLGUARD_CACHE_DIR=$cache time_of "$cli" --quiet --deps --offline)")
    warm+=("$(cd "$d" && POLLGUARD_CACHE_DIR=$cache time_of "$cli" --quiet --deps --offline)")
  done
  n=$(median "${nd[@]}"); c=$(median "${cold[@]}"); w=$(median "${warm[@]}")
  printf '| %s | %s s | %s s | %s s | %s | %s |\n' "$(basename "$d")" "$n" "$c" "$w" \
    "$(python3 -c "print(f'{$c/$n:.0f}')")" "$(python3 -c "print(f'{$w/$n:.1f}')")"
done
