#!/usr/bin/env python3
"""Binaries side by side on one tree: medians of interleaved runs.

    python3 benches/side_by_side.py RUNS TREE NAME=BINARY[:ARG...] ...

TREE is a directory, or a `.txt` file listing directories (one per line,
each passed as a path). Each NAME=BINARY[:ARG...] runs `BINARY pollguard
ARG... TREE`; the first one is the reference the ratios are taken to (the
floor: `NAME=BINARY:--parse-only`). After one warm-up round, RUNS rounds
run every command once each, in order; wall time from the clock, CPU time
(user + sys) and peak RSS from `wait4` of each child. Prints a Markdown
table.
"""
import os
import statistics
import subprocess
import sys
import time

runs, tree = int(sys.argv[1]), sys.argv[2]
targets = open(tree).read().split() if tree.endswith(".txt") else [tree]
cmds = []
for spec in sys.argv[3:]:
    name, rest = spec.split("=", 1)
    binary, *args = rest.split(":")
    cmds.append((name, [binary, "pollguard", *[a for a in args if a], *targets]))
wall = {n: [] for n, _ in cmds}
cpu = {n: [] for n, _ in cmds}
rss = {n: [] for n, _ in cmds}
for r in range(runs + 1):
    for name, cmd in cmds:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(child.pid, 0)
        w = time.perf_counter() - start
        if r > 0:
            wall[name].append(w)
            cpu[name].append(usage.ru_utime + usage.ru_stime)
            rss[name].append(usage.ru_maxrss)  # KiB on Linux
ref = cmds[0][0]
f, fc = statistics.median(wall[ref]), statistics.median(cpu[ref])
print("| what | median wall | × floor | median CPU | × floor | peak RSS | all runs, wall (s) |")
print("|---|---|---|---|---|---|---|")
for name, _ in cmds:
    m, mc = statistics.median(wall[name]), statistics.median(cpu[name])
    runs_s = " ".join(f"{x:.3f}" for x in wall[name])
    peak = max(rss[name]) / 1024
    print(f"| {name} | {m:.3f} s | {m / f:.2f} | {mc:.3f} s | {mc / fc:.2f} | {peak:.0f} MiB | {runs_s} |")
