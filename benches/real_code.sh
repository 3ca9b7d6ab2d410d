#!/usr/bin/env bash
# Precision on real code: fetch a fixed set of async crates (and their
# dependencies) with cargo, then run the engine over each crate's `src/`
# with default settings and print every finding, for review by hand.
# Usage: bash benches/real_code.sh > findings.txt
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
manifest="$root/benches/real_code/Cargo.toml"
cargo fetch -q --manifest-path "$manifest"
cargo build -q --release -p pollguard-analysis --example scan --manifest-path "$root/Cargo.toml"
scan="$root/target/release/examples/scan"
tokio_dir=$(dirname "$(cargo metadata --format-version 1 --manifest-path "$manifest" \
  | python3 -c 'import json,sys; m=json.load(sys.stdin); print(next(p["manifest_path"] for p in m["packages"] if p["name"]=="tokio"))')")
registry=$(cd "$tokio_dir/.." && pwd)
crates=0; lines=0
for dir in $(cargo metadata --format-version 1 --manifest-path "$manifest" \
  | python3 -c 'import json,sys,os; m=json.load(sys.stdin); print("\n".join(sorted(os.path.dirname(p["manifest_path"]) for p in m["packages"] if p["source"])))'); do
  [ -d "$dir/src" ] || continue
  out=$("$scan" "$dir/src" -v)
  crates=$((crates + 1))
  lines=$((lines + $(echo "$out" | tail -n1 | sed -E 's/.* files, ([0-9]+) lines.*/\1/')))
  echo "$out" | grep -v ' files, .* lines: ' | sed "s|$registry/||" || true
done
echo "scanned $crates crates, $lines lines"
