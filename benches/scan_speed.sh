#!/usr/bin/env bash
# Scan speed of `cargo pollguard` on tokio's `src/` (the tokio version in
# Cargo.lock, from the local registry cache), next to the parse-only floor
# (`cargo-pollguard --parse-only`: read + `syn::parse_file` of the same files
# in the same rayon pool) and to `cargo clippy --features full` on a copy of
# tokio under target/, from an empty target directory and with dependencies
# built. Medians of RUNS interleaved runs (default 7). Prints a Markdown table.
#
#   bash benches/scan_speed.sh            # RUNS=7, all rows
#   RUNS=5 NO_CLIPPY=1 bash benches/scan_speed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
WORK=target/scan-speed
mkdir -p "$WORK"

cargo build --release -q -p cargo-pollguard
BIN=$PWD/target/release/cargo-pollguard
VERSION=$(awk '$0 == "name = \"tokio\"" { getline; gsub(/[^0-9.]/, "", $0); print; exit }' Cargo.lock)
REG=${CARGO_HOME:-$HOME/.cargo}/registry/src
SRC=$(ls -d "$REG"/*/tokio-"$VERSION" 2>/dev/null | head -1 || true)
if [ -z "$SRC" ]; then cargo fetch -q; SRC=$(ls -d "$REG"/*/tokio-"$VERSION" | head -1); fi
FILES=$(find "$SRC/src" -name '*.rs' | wc -l)
LINES=$(find "$SRC/src" -name '*.rs' -print0 | xargs -0 cat | wc -l)

COPY=$WORK/tokio
if [ -z "${NO_CLIPPY:-}" ] && [ ! -f "$COPY/Cargo.toml" ]; then
    rm -rf "$COPY"; cp -r "$SRC" "$COPY"
    # A standalone workspace, so the copy is not taken for a member of ours.
    printf '\n[workspace]\n' >> "$COPY/Cargo.toml"
    (cd "$COPY" && cargo generate-lockfile -q)
fi

# name | command run in the repo root
CMDS=(
    "floor (read + parse only)|$BIN --parse-only $SRC/src"
    "cargo-pollguard|$BIN $SRC/src"
    "cargo-pollguard --no-prefilter|$BIN --no-prefilter $SRC/src"
)
if [ -z "${NO_CLIPPY:-}" ]; then
    CMDS+=(
        "cargo clippy --features full, deps built|touch $COPY/src/lib.rs && (cd $COPY && CARGO_TARGET_DIR=$PWD/$WORK/clippy-warm cargo clippy -q --features full)"
        "cargo clippy --features full, empty target dir|rm -rf $WORK/clippy-cold && (cd $COPY && CARGO_TARGET_DIR=$PWD/$WORK/clippy-cold cargo clippy -q --features full)"
    )
    # Dependencies of the warm row, built once.
    (cd "$COPY" && CARGO_TARGET_DIR=$PWD/../clippy-warm cargo clippy -q --features full) >/dev/null 2>&1 || true
fi

python3 - "$RUNS" "$FILES" "$LINES" "$SRC" "${CMDS[@]}" <<'PY'
import statistics, subprocess, sys, time
runs, files, lines, src = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
cmds = [c.split("|", 1) for c in sys.argv[5:]]
times = {name: [] for name, _ in cmds}
for _ in range(2):  # warm-up: page cache, binaries
    for name, cmd in cmds[:3]:
        subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(runs):
    for name, cmd in cmds:
        t = time.perf_counter()
        subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times[name].append(time.perf_counter() - t)
floor = statistics.median(times[cmds[0][0]])
print(f"tokio `src/` at {src}: {files} files, {lines} lines; medians of {runs} interleaved runs\n")
print("| what | median wall time | lines/s | × floor | all runs (s) |")
print("|---|---|---|---|---|")
for name, _ in cmds:
    m = statistics.median(times[name])
    runs_s = " ".join(f"{t:.3f}" for t in times[name])
    print(f"| {name} | {m:.3f} s | {lines / m:,.0f} | {m / floor:.2f} | {runs_s} |")
PY
