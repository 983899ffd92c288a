#!/usr/bin/env python3
"""A/B timing of two checkout-lint binaries on one tree, interleaved so load hits both alike.

    python3 bench/ab.py OLD_BINARY NEW_BINARY TREE [RUNS]

Runs `check --format json --exit-zero TREE` with each binary in alternation and prints the
median wall time and the median CPU time (user + system, from getrusage of the children).
"""
import subprocess, sys, time, resource, statistics, os
old, new, target = sys.argv[1], sys.argv[2], sys.argv[3]
runs = int(sys.argv[4]) if len(sys.argv) > 4 else 11
res = {old: [], new: []}
for i in range(runs):
    for b in ([old, new] if i % 2 == 0 else [new, old]):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([b, "check", "--format", "json", "--exit-zero", target], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - t
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        res[b].append((wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)))
for b in (old, new):
    w = statistics.median(x[0] for x in res[b]); c = statistics.median(x[1] for x in res[b])
    print(f"{os.path.basename(b)}: wall median {w:.3f} s, cpu median {c:.3f} s (n={runs})")
