#!/bin/sh
# `make bench`: zxsim against bare Unicorn on the same guest code.
#
# Usage: scripts/bench.sh [BUILD_DIR]        (default: build; build it first)
#
# For each ISA it runs the guests of guest/bench/ through zxsim and through
# the bare runner tests/bench/bench_bare (same ELF, flat memory, no MMU
# callback), interleaving the two, REPS times each, and prints:
#
#   compute loop        register-only loop, guest instructions per second
#   page touch, steady  one store per 4 KiB page over 64 MiB, far beyond
#                       Unicorn's TLB reach: the time of passes 2..1+P
#                       (a run of 1+P passes minus a run of 1 pass), so the
#                       first pass's demand faults are excluded
#   demand fault        (zxsim - bare) time of one pass over 256 MiB of fresh
#                       pages, per page (bare's memory is already populated
#                       by the host), and tests/bench/fault_bench: the
#                       kernel's vm_fault() alone, with the kernel's RAM
#                       fresh (cold) and already written by the host (warm)
#
# These machines are shared and noisy: the same run varies up to 2x in
# time from one repetition to the next, so only figures measured in one
# run mean anything. Speeds are from the median time of each runner;
# "ratio" is zxsim speed / bare speed, the median over the repetitions of
# the ratio of two adjacent runs; "best" is the same ratio from each
# runner's shortest time, for comparison (the two differ by the noise).
# Before measuring, one untimed run makes this machine's host memory warm
# (a page the VM has never touched costs its hypervisor ~7 us the first
# time, which would otherwise land on whichever run gets it).
# Instruction counts are exact: the loops are inline assembly (see the
# guests' headers), and the start-up overhead is counted once by
# bench_bare --count (untimed).
#
# First, tests/bench/scale_probe prints the kernel's CPU time per object
# for K = 10^3, 10^4, 10^5 objects of each kind (SCALE_MAX_K sets the
# largest K), and scripts/bench_scale.py the seconds of whole zxsim runs of
# a guest holding that many objects.
#
# Environment: REPS (default 9), COMPUTE_ITERS_ARM64 / COMPUTE_ITERS_X86_64
# (loop iterations), TOUCH_PASSES_ARM64 / TOUCH_PASSES_X86_64 (the P above),
# TOUCH_MIB (64), FAULT_MIB (256), ISAS ("arm64 x86_64").
set -eu

BUILD=${1:-build}
for f in "$BUILD/zxsim" "$BUILD/tests/bench/bench_bare" "$BUILD/tests/bench/fault_bench" \
    "$BUILD/tests/bench/scale_probe"; do
    if [ ! -x "$f" ]; then
        echo "bench.sh: $f is missing: build first (make bench does)" >&2
        exit 2
    fi
done

# How the kernel's costs grow with the number of objects (tests/bench/scale_probe.c).
echo "bench: kernel scaling probe (CPU time per object, K objects) ..."
"$BUILD/tests/bench/scale_probe" "${SCALE_MAX_K:-100000}"
echo
python3 "$(dirname "$0")/bench_scale.py" "$BUILD"

# What --trace costs in fast mode, and each format's bytes per event.
python3 "$(dirname "$0")/bench_trace.py" "$BUILD"
echo

exec python3 - "$BUILD" <<'PYTHON'
import os
import re
import statistics
import subprocess
import sys

build = sys.argv[1]
zxsim = os.path.join(build, "zxsim")
bare = os.path.join(build, "tests", "bench", "bench_bare")
fault_bench = os.path.join(build, "tests", "bench", "fault_bench")
reps = int(os.environ.get("REPS", "9"))
isas = os.environ.get("ISAS", "arm64 x86_64").split()
touch_mib = int(os.environ.get("TOUCH_MIB", "64"))
fault_mib = int(os.environ.get("FAULT_MIB", "256"))
# Sized for roughly a quarter of a second of bare emulation per run.
defaults = {
    "arm64": {"iters": 50_000_000, "passes": 40},
    "x86_64": {"iters": 100_000_000, "passes": 60},
}
PAGE = 4096
COMPUTE_BODY = 10  # instructions per iteration (guest/bench/bench_compute.c)


def env_int(name, default):
    return int(os.environ.get(name, str(default)))


def elf(prog, isa):
    return os.path.join(build, "guest", f"{prog}-{isa}.elf")


def fail(msg):
    sys.exit(f"bench.sh: {msg}")


def run_bare(prog, isa, args, count=False):
    cmd = [bare] + (["--count"] if count else []) + [elf(prog, isa)] + [str(a) for a in args]
    p = subprocess.run(cmd, capture_output=True, text=True)
    m = re.search(r"status (\d+), host time ([0-9.]+) s(?:, insns (\d+))?", p.stdout)
    if p.returncode != 0 or not m or m.group(1) != "0":
        fail(f"{' '.join(cmd)} failed:\n{p.stdout}{p.stderr}")
    return int(m.group(3)) if count else float(m.group(2))


def run_zxsim(prog, isa, args):
    ram = "1G" if fault_mib <= 768 and touch_mib <= 768 else "4G"
    cmd = [zxsim, "--summary", "--ram", ram, elf(prog, isa)] + [str(a) for a in args]
    p = subprocess.run(cmd, capture_output=True, text=True)
    m = re.search(r"([0-9.]+) s host time", p.stderr)
    if p.returncode != 0 or not m:
        fail(f"{' '.join(cmd)} failed (status {p.returncode}):\n{p.stdout}{p.stderr}")
    return float(m.group(1))


def overhead(prog, isa, args, loop_insns):
    """Instructions outside the timed loop, counted once (UC_HOOK_CODE)."""
    return run_bare(prog, isa, args, count=True) - loop_insns


# Instruction counts: check each loop formula and measure the fixed start-up
# and exit overhead, with small arguments (the code hook is slow).
print("bench: checking instruction counts with bench_bare --count ...", flush=True)
fixed = {}
for isa in isas:
    c1 = overhead("bench_compute", isa, [1000], 1000 * COMPUTE_BODY)
    c2 = overhead("bench_compute", isa, [3000], 3000 * COMPUTE_BODY)
    t1 = overhead("bench_touch", isa, [1, 1], 1 * (4 * 256 + 3))
    t2 = overhead("bench_touch", isa, [3, 2], 3 * (4 * 512 + 3))
    if c1 != c2 or t1 != t2:
        fail(f"{isa}: loop instruction counts do not match the formulas "
             f"(compute overhead {c1} vs {c2}, touch {t1} vs {t2})")
    fixed[isa] = {"compute": c1, "touch": t1}
    print(f"  {isa}: compute 10*N + {c1}, touch P*(4*pages + 3) + {t1} instructions")

# Warm-up, untimed: gives this VM's host memory a first touch, and the
# guests' files a place in the page cache.
for isa in isas:
    run_zxsim("bench_touch", isa, [1, fault_mib])
    run_bare("bench_touch", isa, [1, fault_mib])
subprocess.run([fault_bench, str(fault_mib * 256)], capture_output=True)

print(f"bench: {reps} interleaved repetitions per ISA ...", flush=True)
times = {}  # (isa, runner, job) -> list of seconds, one per repetition
fb = {}     # isa -> list of (cold, warm, lookup)


def params(isa):
    iters = env_int(f"COMPUTE_ITERS_{isa.upper()}", defaults[isa]["iters"])
    passes = env_int(f"TOUCH_PASSES_{isa.upper()}", defaults[isa]["passes"])
    return iters, passes


for rep in range(reps):
    for isa in isas:
        iters, passes = params(isa)
        jobs = {
            "compute": ("bench_compute", [iters]),
            "touch1": ("bench_touch", [1, touch_mib]),
            "touchP": ("bench_touch", [1 + passes, touch_mib]),
            "fault": ("bench_touch", [1, fault_mib]),
        }
        for job, (prog, args) in jobs.items():
            # Alternate which runner goes first, against drift.
            order = ["bare", "zxsim"] if (rep % 2 == 0) else ["zxsim", "bare"]
            for who in order:
                run = run_bare if who == "bare" else run_zxsim
                times.setdefault((isa, who, job), []).append(run(prog, isa, args))
    out = subprocess.run([fault_bench, str(fault_mib * 256)], capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"fault_bench failed:\n{out.stdout}{out.stderr}")
    for m in re.finditer(r"isa (\S+), pages \d+, cold ([0-9.]+) us/fault, "
                         r"warm ([0-9.]+) us/fault, lookup ([0-9.]+) ns", out.stdout):
        key = "x86_64" if m.group(1) == "x86-64" else m.group(1)
        fb.setdefault(key, []).append(tuple(float(m.group(i)) for i in (2, 3, 4)))
    print(f"  repetition {rep + 1} of {reps} done", flush=True)


def series(isa, who, job):
    """Seconds per repetition; "steady" is passes 2..1+P: touchP - touch1."""
    if job == "steady":
        return [p - o for p, o in zip(times[(isa, who, "touchP")], times[(isa, who, "touch1")])]
    return times[(isa, who, job)]


def med(isa, who, job):
    return statistics.median(series(isa, who, job))


def best(isa, who, job):
    if job == "steady":
        return min(times[(isa, who, "touchP")]) - min(times[(isa, who, "touch1")])
    return min(times[(isa, who, job)])


def ratio(isa, job):
    """Median over repetitions of bare time / zxsim time (zxsim speed / bare)."""
    return statistics.median(b / z for b, z in zip(series(isa, "bare", job),
                                                   series(isa, "zxsim", job)))


print()
print("ratio: zxsim's speed divided by bare Unicorn's (tests/bench/bench_bare, the same")
print("ELF on flat memory with no hooks), measured in this run on this machine")
print(f"{'workload':<22} {'ISA':<7} {'bare M insns/s':>15} {'zxsim M insns/s':>16} "
      f"{'ratio':>6} {'best':>5}")
for isa in isas:
    iters, passes = params(isa)
    rows = [
        ("compute loop", COMPUTE_BODY * iters + fixed[isa]["compute"], "compute"),
        (f"page touch {touch_mib}M steady", passes * (4 * touch_mib * 256 + 3), "steady"),
    ]
    for label, insns, job in rows:
        b = insns / med(isa, "bare", job) / 1e6
        z = insns / med(isa, "zxsim", job) / 1e6
        r = ratio(isa, job)
        r_best = best(isa, "bare", job) / best(isa, "zxsim", job)
        print(f"{label:<22} {isa:<7} {b:>15.1f} {z:>16.1f} {r:>6.2f} {r_best:>5.2f}")
print()
print("steady-state time per touched page (each store misses Unicorn's TLB), ns:")
print(f"{'ISA':<7} {'bare':>8} {'zxsim':>8} {'extra':>8}")
for isa in isas:
    iters, passes = params(isa)
    n = passes * touch_mib * 256
    b = med(isa, "bare", "steady") / n * 1e9
    z = med(isa, "zxsim", "steady") / n * 1e9
    print(f"{isa:<7} {b:>8.1f} {z:>8.1f} {z - b:>8.1f}")
print()
print(f"demand fault, us per 4 KiB page ({fault_mib} MiB of fresh pages):")
print(f"{'ISA':<7} {'end-to-end':>11} {'best':>6} {'kernel cold':>12} {'kernel warm':>12} "
      f"{'walk ns':>8}")
pages = fault_mib * 256
for isa in isas:
    e2e = statistics.median((z - b) / pages * 1e6 for b, z in zip(
        series(isa, "bare", "fault"), series(isa, "zxsim", "fault")))
    e2e_best = (best(isa, "zxsim", "fault") - best(isa, "bare", "fault")) / pages * 1e6
    rows = fb.get(isa, [])
    cold = statistics.median(r[0] for r in rows)
    warm = statistics.median(r[1] for r in rows)
    walk = statistics.median(r[2] for r in rows)
    print(f"{isa:<7} {e2e:>11.3f} {e2e_best:>6.3f} {cold:>12.3f} {warm:>12.3f} {walk:>8.1f}")
print()
print("end-to-end: (zxsim - bare) time of one pass over fresh pages, per page (bare's")
print("memory is populated before its run); kernel: fault_bench's vm_fault() alone, the")
print("kernel's RAM fresh (cold) or already written by the host (warm); walk: one")
print("mmu_pt_lookup. Medians of the repetitions; best: from each runner's best time.")
if os.environ.get("BENCH_RAW"):
    for key in sorted(times):
        print("raw", *key, " ".join(f"{t:.4f}" for t in times[key]))
PYTHON
