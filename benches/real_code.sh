#!/usr/bin/env bash
# Precision on real code: fetch a fixed set of async crates (and their
# dependencies) with cargo, then run `cargo-pollguard` on each crate's `src/`
# with default settings, as a user would (the whole crate, so its model sees
# every file), and print every finding, for review by hand.
# Usage: bash benches/real_code.sh > findings.txt
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
manifest="$root/benches/real_code/Cargo.toml"
cargo fetch -q --manifest-path "$manifest"
cargo build -q --release -p cargo-pollguard --manifest-path "$root/Cargo.toml"
cli="$root/target/release/cargo-pollguard"
crates=0; lines=0
for dir in $(cargo metadata --format-version 1 --manifest-path "$manifest" \
  | python3 -c 'import json,sys,os; m=json.load(sys.stdin); print("\n".join(sorted(os.path.dirname(p["manifest_path"]) for p in m["packages"] if p["source"])))'); do
  [ -d "$dir/src" ] || continue
  crates=$((crates + 1))
  lines=$((lines + $(find "$dir/src" -name '*.rs' -print0 | xargs -0 cat | wc -l)))
  # Exit code 1 means findings; the JSON lines are what matters here.
  (cd "$dir" && "$cli" --format json src 2>/dev/null || true) \
    | python3 "$root/benches/real_code/print.py" "$(basename "$dir")"
done
echo "scanned $crates crates, $lines lines"
