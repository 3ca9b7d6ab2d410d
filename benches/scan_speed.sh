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
#
# SCALING=1 instead measures the floor and `cargo-pollguard` on trees of
# growing size from the registry cache: tokio's `src/`, then prefixes of
# one fixed order of every crate directory (sorted by a hash of its name,
# so each size mixes small and large crates and holds the smaller ones)
# with about 0.5, 1.5, 3.5 and 10 million lines (SIZES to change them, in
# lines), each passed as a list of crate directories. Prints lines, files,
# medians, the ratio and the peak RSS of both.
#
#   RUNS=5 SCALING=1 bash benches/scan_speed.sh
#   SCALING=1 LISTS=target/tiers bash benches/scan_speed.sh   # the lists only
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
if [ -n "${SCALING:-}" ]; then
    exec python3 - "$RUNS" "$BIN" "$SRC/src" "$(dirname "$SRC")" "${SIZES:-500000 1500000 3500000 10000000}" <<'PY'
import hashlib, os, re, statistics, subprocess, sys, tempfile
runs, binary, tokio, registry, sizes = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], [int(x) for x in sys.argv[5].split()]

def lines_of(d):
    n = 0
    for root, dirs, files in os.walk(d):
        for f in files:
            if f.endswith(".rs"):
                with open(os.path.join(root, f), "rb") as fh:
                    n += fh.read().count(b"\n")
    return n

# One fixed order, so that each size holds the smaller ones.
crates = sorted(
    (d for d in os.listdir(registry) if os.path.isdir(os.path.join(registry, d))),
    key=lambda d: hashlib.sha1(d.encode()).hexdigest(),
)
tiers, chosen, total, it = [("tokio `src/`", [tokio])], [], 0, iter(crates)
for size in sizes:
    for d in it:
        chosen.append(os.path.join(registry, d))
        total += lines_of(chosen[-1])
        if total >= size:
            break
    tiers.append((f"{len(chosen)} crates", list(chosen)))

# LISTS=dir: write each size's crate directories to dir/<size>.txt (for
# benches/side_by_side.py) and stop.
if os.environ.get("LISTS"):
    os.makedirs(os.environ["LISTS"], exist_ok=True)
    for size, (_, dirs) in zip(sizes, tiers[1:]):
        with open(os.path.join(os.environ["LISTS"], f"{size}.txt"), "w") as fh:
            fh.write("\n".join(dirs) + "\n")
    sys.exit(0)

def run(cmd):
    # `/usr/bin/time` gives the peak RSS; the wall time is its own.
    with tempfile.NamedTemporaryFile("r") as out:
        subprocess.run(["/usr/bin/time", "-o", out.name, "-f", "%e %M"] + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall, rss = out.read().split()[-2:]
    return float(wall), int(rss)

print(f"medians of {runs} interleaved runs (floor, then cargo-pollguard, in each run)\n")
print("| tree | files | lines | floor | `cargo-pollguard` | × floor | peak RSS floor | peak RSS `cargo-pollguard` |")
print("|---|---|---|---|---|---|---|---|")
for name, dirs in tiers:
    info = subprocess.run([binary, "--parse-only"] + dirs, capture_output=True, text=True).stderr
    m = re.search(r"parsed \d+ of (\d+) files, (\d+) lines", info)
    files, lines = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    t = {"floor": [], "pg": []}
    rss = {"floor": [], "pg": []}
    for _ in range(runs):
        for k, cmd in (("floor", [binary, "--parse-only"] + dirs), ("pg", [binary] + dirs)):
            w, r = run(cmd)
            t[k].append(w)
            rss[k].append(r)
    f, p = statistics.median(t["floor"]), statistics.median(t["pg"])
    mib = lambda k: f"{max(rss[k]) / 1024:.0f} MiB"
    print(f"| {name} | {files:,} | {lines:,} | {f:.2f} s | {p:.2f} s | **{p / f:.2f}** | {mib('floor')} | {mib('pg')} |", flush=True)
PY
fi
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
