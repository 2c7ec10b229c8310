#!/usr/bin/env python3
"""Whole zxsim runs of a program holding K objects (guest/bench/bench_scale.c),
timed as a user would time them, for K = 10^3, 10^4 and 10^5.

    bench_scale.py [BUILD_DIR]       (default: build; build it first)

Each cell is the wall-clock seconds of one whole zxsim process (start-up,
loading, the guest's work, exit), the best of REPS runs (default 3); the
first row is a run with K = 1, the fixed cost every run pays. Every run
must exit 0: the guest checks each status and read-back itself.

Environment: REPS, SCALE_MAX_K (default 100000), ISAS (default "x86_64"),
RAM (default 1G: the commit row holds K pages at once).
"""

import os
import subprocess
import sys
import time

build = sys.argv[1] if len(sys.argv) > 1 else "build"
zxsim = os.path.join(build, "zxsim")
reps = max(1, int(os.environ.get("REPS", "3")))
max_k = int(os.environ.get("SCALE_MAX_K", "100000"))
isas = os.environ.get("ISAS", "x86_64").split()
ram = os.environ.get("RAM", "1G")

ROWS = [
    ("map+unmap, ASLR", "map", []),
    ("map+unmap, --no-aslr", "map", ["--no-aslr"]),
    ("map+unmap, SPECIFIC", "specific", []),
    ("sub-VMARs allocate+destroy", "vmar", []),
    ("snapshot chain, parents closed", "chain", []),
    ("handle duplicate+close", "dup", []),
    ("write each page, decommit", "commit", []),
    ("protect every other page", "protect", []),
]


def run_once(isa, work, k, extra):
    elf = os.path.join(build, "guest", f"bench_scale-{isa}.elf")
    cmd = [zxsim, f"--ram={ram}"] + extra + [elf, work, str(k)]
    start = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True)
    took = time.monotonic() - start
    if p.returncode != 0:
        sys.exit(f"bench_scale.py: {' '.join(cmd)} exited {p.returncode}:\n{p.stdout}{p.stderr}")
    return took


def best(isa, work, k, extra):
    return min(run_once(isa, work, k, extra) for _ in range(reps))


def main():
    for path in (zxsim, os.path.join(build, "guest", f"bench_scale-{isas[0]}.elf")):
        if not os.path.exists(path):
            sys.exit(f"bench_scale.py: {path} is missing: build first (make bench does)")
    ks = [k for k in (1000, 10000, 100000) if k <= max_k]
    for isa in isas:
        print(f"bench: whole zxsim runs holding K objects ({isa}; seconds, best of {reps})")
        print(f"{'work':32}" + "".join(f"{'K=' + str(k):>10}" for k in ks))
        print(f"{'start-up and exit (K = 1)':32}{best(isa, 'map', 1, []):10.3f}")
        for name, work, extra in ROWS:
            cells = "".join(f"{best(isa, work, k, extra):10.3f}" for k in ks)
            print(f"{name:32}{cells}", flush=True)
        print()


if __name__ == "__main__":
    main()
