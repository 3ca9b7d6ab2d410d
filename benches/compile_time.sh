#!/usr/bin/env bash
# Compile-time cost of `#[pollguard::no_blocking]` (issue 2).
#
# Generates, under target/compile-bench/, one crate per variant with the same
# 500 small async fns: plain; under an identity proc-macro attribute (the
# floor: the cost of any attribute macro at all); under
# `#[pollguard::no_blocking]` with and without its watchdog wrapping; and
# under `#[tracing::instrument]` (the anchor). Builds every dependency once,
# then rebuilds only the variant's crate (debug, after touching its source),
# RUNS times per variant, interleaved, and prints the medians and ratios as
# the Markdown table of BENCHMARKS.md.
#
# Usage: bash benches/compile_time.sh            (RUNS=7 by default)
#        RUNS=9 FNS=500 bash benches/compile_time.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-7}
fns=${FNS:-500}
dir="$root/target/compile-bench"
mkdir -p "$dir"
variants=(plain identity no_blocking no_blocking_nowd tracing)

# --- the generated workspace ---------------------------------------------
cat > "$dir/Cargo.toml" <<EOF
[workspace]
members = ["identity_attr", $(printf '"%s", ' "${variants[@]}")]
resolver = "3"
EOF
mkdir -p "$dir/identity_attr/src"
cat > "$dir/identity_attr/Cargo.toml" <<'EOF'
[package]
name = "identity_attr"
version = "0.0.0"
edition = "2024"
[lib]
proc-macro = true
EOF
cat > "$dir/identity_attr/src/lib.rs" <<'EOF'
use proc_macro::TokenStream;
#[proc_macro_attribute]
pub fn identity(_args: TokenStream, item: TokenStream) -> TokenStream {
    item
}
EOF

attr_of() {
  case "$1" in
    plain) echo "" ;;
    identity) echo "#[identity_attr::identity]" ;;
    no_blocking) echo "#[pollguard::no_blocking]" ;;
    no_blocking_nowd) echo "#[pollguard::no_blocking(watchdog = false)]" ;;
    tracing) echo "#[tracing::instrument]" ;;
  esac
}
deps_of() {
  case "$1" in
    plain) echo "" ;;
    identity) echo 'identity_attr = { path = "../identity_attr" }' ;;
    no_blocking | no_blocking_nowd) echo "pollguard = { path = \"$root\" }" ;;
    tracing) echo 'tracing = "0.1"' ;;
  esac
}

for v in "${variants[@]}"; do
  mkdir -p "$dir/$v/src"
  cat > "$dir/$v/Cargo.toml" <<EOF
[package]
name = "bench_$v"
version = "0.0.0"
edition = "2024"
[dependencies]
$(deps_of "$v")
EOF
  attr=$(attr_of "$v")
  {
    echo "#![allow(clippy::all)]"
    for i in $(seq 0 $((fns - 1))); do
      cat <<EOF
$attr
pub async fn handler_$i(input: u64, name: &str) -> Result<u64, String> {
    let doubled = input.checked_mul(2).ok_or_else(|| format!("{name}: overflow"))?;
    let next = std::future::ready(doubled + $i).await;
    if next % 7 == 0 {
        return Err(format!("{name}: {next} is a multiple of 7"));
    }
    Ok(next)
}
EOF
    done
  } > "$dir/$v/src/lib.rs"
done

# --- measure --------------------------------------------------------------
export CARGO_TARGET_DIR="$dir/target"
# One warm-up build per variant: a `-p` build may resolve other features for
# shared dependencies than a `--workspace` build, and must not pay for them.
for v in "${variants[@]}"; do
  cargo build -q --manifest-path "$dir/Cargo.toml" -p "bench_$v"
done
now() { date +%s.%N; }
declare -A times
for r in $(seq 1 "$runs"); do
  for v in "${variants[@]}"; do
    touch "$dir/$v/src/lib.rs"
    start=$(now)
    cargo build -q --manifest-path "$dir/Cargo.toml" -p "bench_$v"
    end=$(now)
    times[$v]+="$(printf "%.3f" "$(echo "$end - $start" | bc)") "
  done
  echo "run $r/$runs done" >&2
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }
declare -A med
for v in "${variants[@]}"; do med[$v]=$(echo "${times[$v]}" | median); done
ratio() { printf "%.2f" "$(echo "scale=4; $1 / $2" | bc)"; }
overhead() { printf "%.2f" "$(echo "$1 - ${med[plain]}" | bc)"; }

echo "$fns async fns, debug build of that crate only, median of $runs interleaved runs"
echo "($(nproc) cores, $(lscpu | grep 'Model name' | sed 's/Model name: *//'), $(rustc --version))"
echo
echo "| variant | median (s) | × plain | overhead over plain (s) |"
echo "|---|---|---|---|"
for v in "${variants[@]}"; do
  echo "| $v \`$(attr_of "$v")\` | ${med[$v]} | $(ratio "${med[$v]}" "${med[plain]}") | $(overhead "${med[$v]}") |"
done
echo
echo "- no_blocking / identity: $(ratio "${med[no_blocking]}" "${med[identity]}") (target ≤ 1.5)"
echo "- no_blocking(watchdog = false) / identity: $(ratio "${med[no_blocking_nowd]}" "${med[identity]}")"
echo "- no_blocking overhead / tracing overhead: $(ratio "$(overhead "${med[no_blocking]}")" "$(overhead "${med[tracing]}")") (target < 0.33)"
echo "- no_blocking(watchdog = false) overhead / tracing overhead: $(ratio "$(overhead "${med[no_blocking_nowd]}")" "$(overhead "${med[tracing]}")")"
echo
echo "raw seconds:"
for v in "${variants[@]}"; do echo "- $v: ${times[$v]}"; done
