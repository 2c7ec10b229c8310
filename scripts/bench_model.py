#!/usr/bin/env python3
"""`make bench`, detailed mode: zxsim's hardware model against valgrind.

Usage: scripts/bench_model.py [BUILD_DIR]   (default: build)

On the kernels of guest/crosscheck/crosscheck.c (x86-64 guest; the same C
built natively with gcc -O1 for valgrind), in one interleaved session:

  whole run   `crosscheck KERNEL 30` by zxsim --model=detailed --profile
              callgrind, by zxsim in fast mode, and natively by
              valgrind --tool=callgrind --cache-sim=yes and
              valgrind --tool=cachegrind --cache-sim=yes with the same
              geometry. "data refs/s" is the data references each tool
              modelled (zxsim: cache.l1d.accesses; valgrind: Dr + Dw) over
              the run's wall time; "vs callgrind" divides zxsim's by
              callgrind's; "detailed/fast" is detailed mode's time over
              fast mode's. "bare Unicorn + empty hooks" is
              tests/bench/bench_bare --hooks: plain Unicorn running the same
              guest with the memory and block hooks detailed mode needs,
              each only counting, so its rate is the most any model fed by
              Unicorn's hooks could reach (the model itself adds its work).
  region      `crosscheck mm_long 10 FILLER`, where other work (busy) is
              about nine tenths of the instructions: zxsim --detail=mm_long
              against callgrind --toggle-collect=mm_long and cachegrind
              (which simulates everything; its mm_long figures would come
              from cg_annotate). "sooner" is their time over zxsim's.

Times are medians of REPS (default 3) interleaved runs; only ratios
measured in the same run mean anything on a shared machine.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

build = sys.argv[1] if len(sys.argv) > 1 else "build"
reps = int(os.environ.get("REPS", "3"))
zxsim = os.path.join(build, "zxsim")
guest = os.path.join(build, "tests", "crosscheck", "crosscheck-x86_64.elf")
native = os.path.join(build, "tests", "crosscheck", "crosscheck-native")
bare = os.path.join(build, "tests", "bench", "bench_bare")
GEOMETRY = ["--I1=32768,8,64", "--D1=32768,8,64", "--LL=8388608,16,64"]  # profiles/callgrind.ini
TIMES = 30
REGION_TIMES, FILLER = 10, 19_000_000

for f in (zxsim, guest, native, bare):
    if not os.path.exists(f):
        sys.exit(f"bench_model.py: {f} is missing: build first")
if subprocess.run(["sh", "-c", "command -v valgrind"], capture_output=True).returncode != 0:
    print("bench_model.py: valgrind is not installed: skipped")
    sys.exit(0)


def timed(cmd, out=None):
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"bench_model.py: {' '.join(cmd)} failed ({p.returncode}):\n{p.stderr}")
    if out is not None:
        out.append(p.stdout)
    return elapsed


def valgrind_totals(path):
    events = totals = None
    with open(path) as f:
        for line in f:
            if line.startswith("events:"):
                events = line.split()[1:]
            elif line.startswith(("summary:", "totals:")):
                totals = [int(v) for v in line.split()[1:]]
    totals += [0] * (len(events) - len(totals))
    return dict(zip(events, totals))


def zxsim_figure(path, key):
    with open(path) as f:
        data = json.load(f)
    stack = [data]
    while stack:
        o = stack.pop()
        if isinstance(o, dict):
            if key in o:
                return o[key]
            stack.extend(o.values())
    sys.exit(f"bench_model.py: {path}: no {key}")


tmp = tempfile.mkdtemp(prefix="bench_model.")
print(f"{'kernel':<10} {'runner':<27} {'time s':>8} {'M data refs/s':>14} "
      f"{'vs callgrind':>13} {'detailed/fast':>14}")
for kernel in ("mm_double", "mm_long"):
    args = [kernel, str(TIMES)]
    stats = os.path.join(tmp, "stats.json")
    cg_out, cc_out = os.path.join(tmp, "cg.out"), os.path.join(tmp, "cc.out")
    runs = {"detailed": [], "fast": [], "hooks": [], "callgrind": [], "cachegrind": []}
    bare_out = []
    for _ in range(reps):
        runs["detailed"].append(timed([zxsim, "--model=detailed", "--profile", "callgrind",
                                       "--stats-json", stats, guest] + args))
        runs["fast"].append(timed([zxsim, guest] + args))
        runs["hooks"].append(timed([bare, "--hooks", guest] + args, bare_out))
        runs["callgrind"].append(timed(["valgrind", "--tool=callgrind", "--cache-sim=yes",
                                        *GEOMETRY, f"--callgrind-out-file={cg_out}", native]
                                       + args))
        runs["cachegrind"].append(timed(["valgrind", "--tool=cachegrind", "--cache-sim=yes",
                                         *GEOMETRY, f"--cachegrind-out-file={cc_out}", native]
                                        + args))
    t = {k: statistics.median(v) for k, v in runs.items()}
    ours = zxsim_figure(stats, "cache.l1d.accesses")
    cg = valgrind_totals(cg_out)
    cc = valgrind_totals(cc_out)
    bare_refs = int(bare_out[-1].split("data refs ")[1].split(",")[0])
    rate = {"detailed": ours / t["detailed"], "callgrind": (cg["Dr"] + cg["Dw"]) / t["callgrind"],
            "cachegrind": (cc["Dr"] + cc["Dw"]) / t["cachegrind"], "hooks": bare_refs / t["hooks"]}
    print(f"{kernel:<10} {'zxsim --model=detailed':<27} {t['detailed']:>8.2f} "
          f"{rate['detailed'] / 1e6:>14.1f} {rate['detailed'] / rate['callgrind']:>13.2f} "
          f"{t['detailed'] / t['fast']:>14.1f}")
    print(f"{kernel:<10} {'zxsim fast':<27} {t['fast']:>8.2f}")
    print(f"{kernel:<10} {'bare Unicorn + empty hooks':<27} {t['hooks']:>8.2f} "
          f"{rate['hooks'] / 1e6:>14.1f} {rate['hooks'] / rate['callgrind']:>13.2f}")
    for name in ("callgrind", "cachegrind"):
        print(f"{kernel:<10} {'valgrind ' + name:<27} {t[name]:>8.2f} {rate[name] / 1e6:>14.1f} "
              f"{rate[name] / rate['callgrind']:>13.2f}")

print()
print(f"{'region of interest (mm_long, ~1/10 of the instructions)':<56} {'time s':>8} {'sooner':>7}")
args = ["mm_long", str(REGION_TIMES), str(FILLER)]
runs = {"zxsim": [], "callgrind": [], "cachegrind": []}
for _ in range(reps):
    runs["zxsim"].append(timed([zxsim, "--profile", "callgrind", "--detail=mm_long", guest] + args))
    runs["callgrind"].append(timed(["valgrind", "--tool=callgrind", "--cache-sim=yes", *GEOMETRY,
                                    "--toggle-collect=mm_long",
                                    f"--callgrind-out-file={os.path.join(tmp, 'r.out')}", native]
                                   + args))
    runs["cachegrind"].append(timed(["valgrind", "--tool=cachegrind", "--cache-sim=yes",
                                     *GEOMETRY,
                                     f"--cachegrind-out-file={os.path.join(tmp, 'rc.out')}",
                                     native] + args))
t = {k: statistics.median(v) for k, v in runs.items()}
print(f"{'zxsim --detail=mm_long':<56} {t['zxsim']:>8.2f}")
for name in ("callgrind", "cachegrind"):
    extra = " --toggle-collect=mm_long" if name == "callgrind" else " (whole run)"
    print(f"{'valgrind ' + name + extra:<56} {t[name]:>8.2f} {t[name] / t['zxsim']:>7.1f}")
