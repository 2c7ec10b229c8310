#!/usr/bin/env python3
"""Detailed mode: guests run through zxsim's TLB and cache models, their
figures read back from --stats-json.

    detailed.py --zxsim PATH --build-dir DIR TEST [ISA]

TEST is one of TESTS below. Each check prints one line; the last line is
"N of M checks passed" (the run is one test case, as in run.py); exit 1
when a check failed.
"""

import configparser
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import EXIT_BAD_INPUT, run_selected  # noqa: E402

# A clean single-level answer: the teaching profile's L1 data TLB, made an
# E-entry fully associative LRU structure by --set.
def l1d_tlb(entries):
    return ["--profile", "teaching", "--set", f"tlb.l1d.entries={entries}",
            "--set", "tlb.l1d.ways=full", "--set", "tlb.l1d.policy=lru"]


def stats_run(env, tmp, args, guest_args, name="stats"):
    path = os.path.join(tmp, f"{name}.json")
    if os.path.exists(path):
        os.unlink(path)
    r = env.run([*args, "--stats-json", path, env.guest("tlb_sweep"), *guest_args])
    stats = None
    if os.path.exists(path):
        with open(path) as f:
            stats = json.load(f)
    return r, stats


def expected_misses(n, r, e):
    """An E-entry fully associative LRU TLB, n pages swept r times."""
    return n * r if n > e else n


def test_sweep(env, c):
    """--detail=sweep: the sweep function alone, with a cold model. On
    arm64 sweep() touches no stack, so the counts are the analytical ones
    exactly; on x86-64 its prologue, epilogue and ret use the stack page,
    which costs one miss when the pages fit and two when they do not (the
    stack page misses on entry and again on return). Running the same
    sweep 2 and 5 times gives the per-sweep cost exactly on both ISAs."""
    with tempfile.TemporaryDirectory() as tmp:
        for e, n in ((4, 3), (4, 4), (4, 5), (4, 12), (8, 6), (8, 20)):
            runs = {}
            for r in (2, 5):
                res, st = stats_run(env, tmp, ["--detail=sweep", *l1d_tlb(e)], [n, r])
                what = f"E={e} N={n} R={r}"
                if not c.check(res.rc == 0 and st is not None,
                               f"{what}: runs and writes --stats-json", res):
                    continue
                runs[r] = st
                want = expected_misses(n, r, e)
                misses, accesses = st["tlb.l1d.misses"], st["tlb.l1d.accesses"]
                region = st["region"]
                c.check(region["function"] == "sweep" and region["calls"] == 1
                        and region["whole_run"] is False,
                        f"{what}: the figures cover the one call of sweep", res,
                        f"region {region}")
                if env.isa == "arm64":
                    c.check(misses == want, f"{what}: {want} L1 DTLB misses", res,
                            f"got {misses}")
                    c.check(accesses == n * r, f"{what}: {n * r} L1 DTLB accesses", res,
                            f"got {accesses}")
                else:
                    stack = 1 if n + 1 <= e else 2
                    c.check(misses == want + stack,
                            f"{what}: {want} L1 DTLB misses + {stack} for the stack page", res,
                            f"got {misses}")
            if 2 in runs and 5 in runs:
                per_sweep = n if n > e else 0
                d_miss = runs[5]["tlb.l1d.misses"] - runs[2]["tlb.l1d.misses"]
                d_acc = runs[5]["tlb.l1d.accesses"] - runs[2]["tlb.l1d.accesses"]
                c.check(d_miss == 3 * per_sweep,
                        f"E={e} N={n}: three more sweeps miss {3 * per_sweep} more times",
                        None, f"got {d_miss}")
                c.check(d_acc == 3 * n, f"E={e} N={n}: three more sweeps access {3 * n} more times",
                        None, f"got {d_acc}")


def test_brackets(env, c):
    """zxsim_detail_begin/end in a whole-run detailed run: the figures
    before the first begin are dropped, and the bracketed sweep is what
    remains (arm64: exactly; x86-64: plus the stub's return on the stack
    page). The model keeps its contents: pages the guest touched before
    the bracket still hit."""
    n, r, e = 12, 5, 4
    with tempfile.TemporaryDirectory() as tmp:
        res, st = stats_run(env, tmp, ["--model=detailed", *l1d_tlb(e)], [n, r, "brackets"])
        if not c.check(res.rc == 0 and st is not None, "bracketed run writes --stats-json", res):
            return
        region = st["region"]
        c.check(region["brackets"] == 1 and region["whole_run"] is False
                and region["function"] is None,
                "the figures cover one bracketed region", res, f"region {region}")
        misses = st["tlb.l1d.misses"]
        extra = 0 if env.isa == "arm64" else 1
        c.check(misses == n * r + extra, f"{n * r + extra} L1 DTLB misses in the region", res,
                f"got {misses}")
        whole, st2 = stats_run(env, tmp, ["--model=detailed", *l1d_tlb(e)], [n, r], "whole")
        if c.check(whole.rc == 0 and st2 is not None, "the same run without brackets", whole):
            c.check(st2["region"]["whole_run"] is True, "without brackets: the whole run", whole)
            c.check(st2["tlb.l1d.misses"] > misses + 5,
                    "the whole run counts more than the region", whole,
                    f"whole {st2['tlb.l1d.misses']}, region {misses}")
        # Fast mode ignores the brackets: no figures, same output.
        fast = env.run([env.guest("tlb_sweep"), n, r, "brackets"])
        c.check(fast.rc == 0 and fast.out == res.out, "fast mode runs the brackets as no-ops",
                fast)


def test_clock(env, c):
    """zx_clock_get_monotonic: 1 us per syscall in fast mode; modelled
    cycles at the profile's clock (teaching: 1000 MHz, 1 ns a cycle) in
    detailed mode, at least one cycle per instruction of the loop."""
    iters = 100000
    guest = env.guest("clock_cycles")

    def elapsed(r):
        for line in r.out.splitlines():
            if line.startswith("elapsed_ns "):
                return int(line.split()[1])
        return None

    fast = env.run([guest, iters])
    c.check(fast.rc == 0 and elapsed(fast) == 1000, "fast mode: one syscall apart is 1000 ns",
            fast)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "clock.json")
        det = env.run(["--model=detailed", "--profile", "teaching", "--stats-json", path, guest,
                       iters])
        ns = elapsed(det)
        if c.check(det.rc == 0 and ns is not None and os.path.exists(path),
                   "detailed mode runs", det):
            with open(path) as f:
                st = json.load(f)
            c.check(ns >= 3 * iters, f"detailed mode: the loop takes at least {3 * iters} ns",
                    det, f"got {ns}")
            c.check(ns <= st["cost.time_ns"], "and no more than the whole run's modelled time",
                    det, f"got {ns}, run {st['cost.time_ns']}")
        again = env.run(["--model=detailed", "--profile", "teaching", guest, iters])
        c.check(elapsed(again) == ns, "detailed mode's clock repeats exactly", again)
    host = env.run(["--clock=host", guest, 10 * iters])
    hns = elapsed(host)
    c.check(host.rc == 0 and hns is not None and hns > 0 and hns != 1000,
            "--clock=host: wall time, not the syscall clock", host)


def test_options(env, c):
    """--set, --profile, --model, --detail, --print-profile: a bad key or
    value is one line naming it, exit status 2."""
    guest = env.guest("tlb_sweep", "arm64")
    for args, name in (
        (["--set", "tlb.l1d.bogus=3"], "tlb.l1d.bogus"),
        (["--set", "tlb.l1d.entries=lots"], "tlb.l1d.entries"),
        (["--set", "cache.l1d.size=3K"], "cache.l1d.size"),
        (["--set", "cache.l1d.policy=best"], "cache.l1d.policy"),
        (["--set", "nonsense"], "nonsense"),
        (["--profile", "no-such-profile"], "no-such-profile"),
        (["--model=turbo"], "--model"),
        (["--clock=sundial"], "--clock"),
        (["--detail=no_such_function"], "no_such_function"),
    ):
        r = env.run([*args, guest, 3, 1])
        c.check(r.rc == EXIT_BAD_INPUT and len(r.err_lines) == 1 and name in r.err and r.out == "",
                f"{' '.join(args)}: exit 2, one line naming {name}", r)
    r = env.run(["--model=detailed", "--max-insns=1000", guest, 3, 1])
    c.check(r.rc == EXIT_BAD_INPUT and len(r.err_lines) == 1,
            "--max-insns with detailed mode: exit 2, one line", r)
    r = env.run(["--print-profile", "--profile", "teaching", "--set", "tlb.l1d.entries=8",
                 "--set", "cache.l2.size=16K"])
    kf = configparser.ConfigParser()
    try:
        kf.read_string(r.out)
        ok = kf["tlb.l1d"]["entries"] == "8" and kf["cache.l2"]["size"] in ("16K", "16384")
    except (configparser.Error, KeyError):
        ok = False
    c.check(r.rc == 0 and ok, "--print-profile shows the --set values as a key file", r)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "profile.ini")
        with open(path, "w") as f:
            f.write(r.out)
        again = env.run(["--print-profile", "--profile", path])
        # The first line names the profile, which is the file's stem now.
        c.check(again.rc == 0 and again.out.splitlines()[1:] == r.out.splitlines()[1:],
                "the printed profile loads back the same", again)


def test_outcome(env, c):
    """--stats-json's outcome: exit code, fatal fault, budget."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "o.json")
        r = env.run(["--model=detailed", "--stats-json", path, env.guest("exitcode"), 7])
        st = json.load(open(path)) if os.path.exists(path) else {}
        o = st.get("outcome", {})
        c.check(r.rc == 7 and o.get("stop") == "exited" and o.get("exit_code") == 7
                and o.get("status") == 7 and o.get("fatal_fault") is False
                and o.get("budget") is False, "a guest's exit code", r, f"outcome {o}")
        os.unlink(path)
        r = env.run(["--model=detailed", "--timeout=0.5", "--stats-json", path, env.guest("spin")])
        st = json.load(open(path)) if os.path.exists(path) else {}
        o = st.get("outcome", {})
        c.check(r.rc == 4 and o.get("stop") == "timeout" and o.get("budget") is True
                and o.get("exit_code") is None, "a timeout is a budget", r, f"outcome {o}")
        os.unlink(path)
        r = env.run(["--stats-json", path, env.guest("faults"), "write-readonly"])
        st = json.load(open(path)) if os.path.exists(path) else {}
        o = st.get("outcome", {})
        c.check(r.rc == 3 and o.get("fatal_fault") is True and st.get("model") == "fast"
                and st.get("region") is None, "a fatal fault, in fast mode", r, f"outcome {o}")


TESTS = {
    "sweep": (test_sweep, True),
    "brackets": (test_brackets, True),
    "clock": (test_clock, True),
    "outcome": (test_outcome, True),
    "options": (test_options, False),
}


if __name__ == "__main__":
    sys.exit(run_selected(__doc__, TESTS))
