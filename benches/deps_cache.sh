#!/usr/bin/env bash
# Cost of reading dependencies, cold and warm, against `--no-deps`: in each
# project directory given (default: the blind set cli/tests/heldout5/*),
# run the release CLI with `--no-deps`, with dependencies read and an empty
# cache (cold), and again with the cache that run filled (warm), interleaved,
# N rounds (default 5); print the medians and the ratios to `--no-deps`.
#
# With `-b BIN`, another build (main's, say) runs the same cold and warm
# runs in the same rounds, each with its own cache, so the two builds are
# compared side by side under the same load.
#
# Usage: bash benches/deps_cache.sh [-n N] [-b BASELINE_BIN] [DIR...]
# Set RUSTUP_TOOLCHAIN (e.g. `stable`) for projects pinning a toolchain
# that is not installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=5
base=""
while [ $# -gt 0 ]; do
  case "$1" in
    -n) rounds=$2; shift 2 ;;
    -b) base=$2; shift 2 ;;
    *) break ;;
  esac
done
dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
  for d in "$root"/cli/tests/heldout5/*/; do [ -f "$d/Cargo.toml" ] && dirs+=("$d"); done
fi
cargo build -q --release -p cargo-pollguard --manifest-path "$root/Cargo.toml"
cli="$root/target/release/cargo-pollguard"
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
mkdir -p "$cache/this" "$cache/base"
time_of() { # prints wall seconds of the command
  local s e
  s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N)
  python3 -c "print(f'{$e - $s:.3f}')"
}
median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.3f}')" "$@"; }
ratio() { python3 -c "print(f'{$1/$2:.${3:-1}f}')"; }
if [ -n "$base" ]; then
  printf '| project | `--no-deps` | cold, base | cold | cold × base | warm, base | warm | warm × `--no-deps`, base | warm × `--no-deps` |\n'
  printf '|---|---|---|---|---|---|---|---|---|\n'
else
  printf '| project | `--no-deps` | cold | warm | cold × | warm × |\n|---|---|---|---|---|---|\n'
fi
for d in "${dirs[@]}"; do
  (cd "$d" && cargo fetch -q 2>/dev/null || true)
  nd=(); cold=(); warm=(); bcold=(); bwarm=()
  for _ in $(seq "$rounds"); do
    rm -rf "${cache:?}"/this/* "${cache:?}"/base/*
    nd+=("$(cd "$d" && time_of "$cli" --quiet --no-deps --offline)")
    cold+=("$(cd "$d" && POLLGUARD_CACHE_DIR=$cache/this time_of "$cli" --quiet --deps --offline)")
    if [ -n "$base" ]; then
      bcold+=("$(cd "$d" && POLLGUARD_CACHE_DIR=$cache/base time_of "$base" --quiet --deps --offline)")
      bwarm+=("$(cd "$d" && POLLGUARD_CACHE_DIR=$cache/base time_of "$base" --quiet --deps --offline)")
    fi
    warm+=("$(cd "$d" && POLLGUARD_CACHE_DIR=$cache/this time_of "$cli" --quiet --deps --offline)")
  done
  n=$(median "${nd[@]}"); c=$(median "${cold[@]}"); w=$(median "${warm[@]}")
  if [ -n "$base" ]; then
    bc=$(median "${bcold[@]}"); bw=$(median "${bwarm[@]}")
    printf '| %s | %s s | %s s | %s s | %s | %s s | %s s | %s | %s |\n' "$(basename "$d")" "$n" \
      "$bc" "$c" "$(ratio "$c" "$bc" 2)" "$bw" "$w" "$(ratio "$bw" "$n" 2)" "$(ratio "$w" "$n" 2)"
  else
    printf '| %s | %s s | %s s | %s s | %s | %s |\n' "$(basename "$d")" "$n" "$c" "$w" \
      "$(ratio "$c" "$n" 0)" "$(ratio "$w" "$n")"
  fi
done
