#!/usr/bin/env python3
"""Issue 8's measure of reading dependencies: cold, warm, and the floor.

    python3 benches/deps_speed.py [RUNS] [PROJECT]

PROJECT (default `benches/deps_workspace`, an HTTP and gRPC service over
axum, tonic, reqwest, sqlx, redis and deadpool: about 250 packages) is
scanned as a user does, through `cargo pollguard` with the release build
first on `PATH`:

- `--no-deps`: the workspace alone;
- cold: `--deps` with an emptied cache;
- warm: `--deps` again, the cache that cold run filled;
- floor: `cargo-pollguard --parse-only` (read and `syn::parse_file`, in
  parallel, nothing else) of the dependency files a cold run reads whole
  (listed by that run through `POLLGUARD_DEBUG_DEP_FILES`).

After one warm-up round, RUNS rounds (default 5) run the four in turn;
wall time from the clock, CPU (user + sys) and peak RSS from `wait4`.
Prints a Markdown table: medians, the largest peak RSS, and the ratios
issue 8 sets targets for (cold / floor, warm / `--no-deps`).
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
project = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else os.path.join(root, "benches", "deps_workspace")
subprocess.run(["cargo", "build", "-q", "--release", "-p", "cargo-pollguard"], cwd=root, check=True)
subprocess.run(["cargo", "fetch", "-q"], cwd=project, check=False)
bin_dir = os.path.join(root, "target", "release")
env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"])
cache = tempfile.mkdtemp(prefix="pollguard-deps-speed-")
listed = os.path.join(cache, "files.txt")
scan = ["cargo", "pollguard", "--offline", "--quiet"]


def run(cmd, extra=None):
    """Wall seconds, CPU seconds and peak RSS (KiB) of one run."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=project, env=dict(env, **(extra or {})),
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def emptied():
    d = os.path.join(cache, "entries")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return {"POLLGUARD_CACHE_DIR": d}


run(scan + ["--deps"], dict(emptied(), POLLGUARD_DEBUG_DEP_FILES=listed))
files = open(listed).read().split()
floor_cmd = [os.path.join(bin_dir, "cargo-pollguard"), "pollguard", "--parse-only", *files]
lines = sum(sum(1 for _ in open(f, errors="replace")) for f in set(files))
results = {k: [] for k in ("floor", "no-deps", "cold", "warm")}
for r in range(runs + 1):
    got = {"floor": run(floor_cmd), "no-deps": run(scan + ["--no-deps"])}
    cold_env = emptied()
    got["cold"] = run(scan + ["--deps"], cold_env)
    got["warm"] = run(scan + ["--deps"], cold_env)
    if r > 0:
        for k, v in got.items():
            results[k].append(v)
shutil.rmtree(cache, ignore_errors=True)
med = {k: (statistics.median(w for w, _, _ in v), statistics.median(c for _, c, _ in v),
           max(m for _, _, m in v)) for k, v in results.items()}
print(f"{len(files)} dependency files read whole ({len(set(files))} distinct, {lines:,} lines); "
      f"{runs} rounds after one warm-up, medians")
print()
print("| what | median wall | median CPU | peak RSS | all runs, wall (s) |")
print("|---|---|---|---|---|")
for k, v in results.items():
    w, c, m = med[k]
    print(f"| {k} | {w:.3f} s | {c:.3f} s | {m / 1024:.0f} MiB | {' '.join(f'{x:.3f}' for x, _, _ in v)} |")
print()
print(f"cold / floor: {med['cold'][0] / med['floor'][0]:.2f} (CPU {med['cold'][1] / med['floor'][1]:.2f}); "
      f"warm / `--no-deps`: {med['warm'][0] / med['no-deps'][0]:.2f} (CPU {med['warm'][1] / med['no-deps'][1]:.2f})")
