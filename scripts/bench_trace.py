#!/usr/bin/env python3
"""Tracing in `make bench`: what --trace costs in fast mode, and how big
each format's events are.

    bench_trace.py BUILD_DIR

Overhead: guest/bench/bench_touch through zxsim without a trace and with
--trace FILE.fxt --trace-events=faults,syscalls, interleaved REPS times
(default 9); each time is the whole process's wall time, so writing the
file is included. Two workloads: one pass over TRACE_MIB MiB (default 64)
of fresh pages, a demand fault per page (the most events a second this
guest can make), and 1+P passes, most of them without faults. The ratio is
the median over the repetitions of traced time / untraced time of two
adjacent runs; "+us/event" is the difference of the median times divided
by the events recorded.

Sizes: one run per format with --trace-events=all of
guest/tests/trace_rounds, bytes of the file (of standard error for -)
divided by the events in it.

Writers: tests/bench/trace_writer_bench, each format's writer alone (no
CPU, no kernel) on the events bench_touch makes, CPU time per event.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

build = sys.argv[1]
zxsim = os.path.join(build, "zxsim")
reps = int(os.environ.get("REPS", "9"))
isas = os.environ.get("ISAS", "arm64 x86_64").split()
mib = int(os.environ.get("TRACE_MIB", "64"))
passes = int(os.environ.get("TRACE_PASSES", "20"))


def guest(name, isa):
    return os.path.join(build, "guest", f"{name}-{isa}.elf")


def timed(args):
    start = time.perf_counter()
    p = subprocess.run([zxsim, "--ram", "1G"] + [str(a) for a in args], capture_output=True)
    took = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"bench_trace.py: zxsim {' '.join(map(str, args))} failed: {p.stderr.decode()}")
    return took


def count_events(csv_path):
    with open(csv_path) as f:
        return sum(1 for _ in f) - 2  # header and metadata rows


with tempfile.TemporaryDirectory() as tmp:
    trace = os.path.join(tmp, "t.fxt")
    print(f"bench: tracing overhead, fast mode, {reps} interleaved repetitions ...", flush=True)
    print(f"{'workload':<30} {'ISA':<7} {'events':>8} {'plain s':>8} {'traced s':>9} "
          f"{'ratio':>6} {'+us/event':>10}")
    for isa in isas:
        elf = guest("bench_touch", isa)
        for label, args in ((f"{mib} MiB of demand faults", [1, mib]),
                            (f"{1 + passes} passes over {mib} MiB", [1 + passes, mib])):
            timed([elf] + args)  # warm-up, untimed
            plain, traced = [], []
            for rep in range(reps):
                runs = [("plain", [elf] + args),
                        ("traced", ["--trace", trace, "--trace-events=faults,syscalls", elf] + args)]
                if rep % 2:
                    runs.reverse()
                for who, a in runs:
                    (plain if who == "plain" else traced).append(timed(a))
            csv_path = os.path.join(tmp, "count.csv")
            timed(["--trace", csv_path, "--trace-events=faults,syscalls", elf] + args)
            events = count_events(csv_path)
            ratio = statistics.median(t / p for p, t in zip(plain, traced))
            extra = (statistics.median(traced) - statistics.median(plain)) / events * 1e6
            print(f"{label:<30} {isa:<7} {events:>8} {statistics.median(plain):>8.3f} "
                  f"{statistics.median(traced):>9.3f} {ratio:>6.3f} {extra:>10.2f}")
    print()
    print("trace bytes per event (guest/tests/trace_rounds 200, --trace-events=all):")
    print(f"{'format':<8} {'ISA':<7} {'events':>7} {'bytes':>9} {'bytes/event':>12}")
    for isa in isas:
        elf = guest("trace_rounds", isa)
        csv_path = os.path.join(tmp, "size.csv")
        timed(["--trace", csv_path, "--trace-events=all", elf, 200])
        events = count_events(csv_path)
        for fmt in ("fxt", "json", "csv", "-"):
            if fmt == "-":
                p = subprocess.run([zxsim, "--trace", "-", "--trace-events=all", elf, "200"],
                                   capture_output=True)
                size = len(p.stderr)
            else:
                path = os.path.join(tmp, f"size.{fmt}")
                timed(["--trace", path, "--trace-events=all", elf, 200])
                size = os.path.getsize(path)
            name = "text" if fmt == "-" else fmt
            print(f"{name:<8} {isa:<7} {events:>7} {size:>9} {size / events:>12.1f}")
    print("(the sizes include each format's fixed header: FXT's string table, CSV's header row)")

writer_bench = os.path.join(build, "tests", "bench", "trace_writer_bench")
if os.path.exists(writer_bench):
    print()
    print("each writer alone (tests/bench/trace_writer_bench):", flush=True)
    subprocess.run([writer_bench], check=True)
