#!/usr/bin/env python3
"""Integration tests: runs guest programs through zxsim and checks their
output, exit status and zxsim's reports on standard error.

    run.py --zxsim PATH --build-dir DIR [--make-bad-elves PATH] TEST [ISA]

TEST is one of the names in TESTS below; ISA (arm64 or x86_64) is needed by
the tests that run a guest of one ISA. Guests are found at
DIR/guest/NAME-ISA.elf and the compiler driver at DIR/zxsim-cc.

Each check prints one line ("ok ..." or "FAIL ..." with the command and what
differed); the last line is "N of M checks passed" and the exit status is 1
when a check failed. Meson registers one test per (TEST, ISA) in suite
'integration' (tests/integration/meson.build): each is one test case made of
many checks, and the test summary counts it as one case.
"""

import argparse
import os
import re
import shlex
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ISAS = ("arm64", "x86_64")

# zxsim's exit statuses (sim/run.h, README).
EXIT_BAD_INPUT = 2
EXIT_GUEST_FAULT = 3
EXIT_LIMIT = 4

# A run that takes longer than this is a hang, not a result.
RUN_TIMEOUT = 60


class Result:
    def __init__(self, cmd, cwd, rc, out, err):
        self.cmd, self.cwd, self.rc, self.out, self.err = cmd, cwd, rc, out, err

    @property
    def err_lines(self):
        return self.err.splitlines()

    def describe(self):
        """The command and what came back, for a failure report."""
        where = f"(cd {shlex.quote(self.cwd)} && " if self.cwd else ""
        text = f"    command: {where}{shlex.join(self.cmd)}{')' if self.cwd else ''}\n"
        text += f"    exit status: {self.rc}\n"
        for name, stream in (("stdout", self.out), ("stderr", self.err)):
            lines = stream.splitlines()
            shown = lines[:12] + (["..."] if len(lines) > 12 else [])
            text += f"    {name} ({len(lines)} lines):\n"
            text += "".join(f"      | {line[:200]}\n" for line in shown)
        return text.rstrip("\n")


class Checker:
    """Counts checks; prints each one as it is made."""

    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.last_shown = None

    def check(self, cond, what, result=None, detail=None):
        if cond:
            self.passed += 1
            print(f"ok   {what}")
        else:
            self.failed += 1
            print(f"FAIL {what}")
            if detail:
                print(f"    {detail}")
            if result is not None and result is self.last_shown:
                print("    (the same run as above)")
            elif result is not None:
                print(result.describe())
                self.last_shown = result
        sys.stdout.flush()
        return bool(cond)

    def skip(self, what, why):
        print(f"skip {what}: {why}")

    def no_crash(self, r, what):
        """zxsim itself must never die of a signal or report an internal
        error, whatever the guest did."""
        ok = (isinstance(r.rc, int) and r.rc >= 0 and "internal error" not in r.err
              and "Assertion" not in r.err and "CRITICAL" not in r.err
              and "Sanitizer" not in r.err)
        return self.check(ok, f"{what}: zxsim ends normally (no signal, no internal error)", r)


class Env:
    def __init__(self, args):
        self.zxsim = os.path.abspath(args.zxsim)
        self.build = os.path.abspath(args.build_dir)
        self.make_bad_elves = args.make_bad_elves and os.path.abspath(args.make_bad_elves)
        self.zxsim_cc = os.path.join(self.build, "zxsim-cc")
        self.isa = args.isa

    def guest(self, name, isa=None):
        return os.path.join(self.build, "guest", f"{name}-{isa or self.isa}.elf")

    def run(self, args, cwd=None, timeout=RUN_TIMEOUT, program=None):
        cmd = [program or self.zxsim] + [str(a) for a in args]
        try:
            p = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=timeout)
            rc = p.returncode
            out, err = p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            rc, out, err = "timeout", e.stdout or b"", (e.stderr or b"") + b"\n(killed by run.py)"
        dec = lambda b: b.decode("utf-8", errors="replace")
        return Result(cmd, cwd, rc, dec(out), dec(err))


def arg_parser(doc, tests, isa_default=None):
    """The command line every runner here takes: --zxsim, --build-dir,
    [--make-bad-elves], TEST [ISA]."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--zxsim", required=True)
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--make-bad-elves")
    ap.add_argument("test", choices=sorted(tests))
    ap.add_argument("isa", nargs="?", choices=ISAS, default=isa_default)
    return ap


SKIP = 77  # meson's exit status for a skipped test


def run_selected(doc, tests, validate=None):
    """The main of a runner whose tests map a name to (function, per_isa):
    runs the one named on the command line and returns the exit status.
    The whole run is one test case ("P of T checks passed", not "N passed,
    N failed"): it fails if any check failed or none ran, and is skipped
    when the test marked the Checker skipped_run."""
    ap = arg_parser(doc, tests)
    args = ap.parse_args()
    fn, per_isa = tests[args.test]
    if per_isa and not args.isa:
        ap.error(f"test {args.test} needs an ISA")
    if validate:
        validate(ap, args)
    c = Checker()
    run_guarded(fn, Env(args), c)
    total = c.passed + c.failed
    print(f"{c.passed} of {total} checks passed")
    if c.failed or total == 0:
        return 1
    return SKIP if getattr(c, "skipped_run", False) else 0


def run_guarded(fn, env, c, let_through=()):
    """Runs one test; a crash of the runner is a failure, not a pass.
    Exceptions of the types in let_through reach the caller."""
    try:
        fn(env, c)
    except Exception as e:
        if isinstance(e, let_through):
            raise
        traceback.print_exc(file=sys.stdout)
        c.check(False, f"runner raised {type(e).__name__}: {e}")


def hex_numbers(text):
    return [int(h, 16) for h in re.findall(r"0x([0-9a-fA-F]+)", text)]


def stats_lines(text):
    """'key value' lines with a decimal value, as pagetouch prints them."""
    out = {}
    for line in text.splitlines():
        m = re.fullmatch(r"([A-Za-z_.]+) (-?\d+)", line.strip())
        if m:
            out[m.group(1)] = int(m.group(2))
    return out


# ---------------------------------------------------------------- hello --


def test_hello(env, c):
    elf = env.guest("hello")
    for extra in ([], ["--check-invariants"]):
        r = env.run(extra + [elf, "a", "b c"])
        want = (
            "Hello from zxsim!\n"
            "argc = 3\n"
            f'argv[0] = "{elf}"\n'
            'argv[1] = "a"\n'
            'argv[2] = "b c"\n'
        )
        label = "hello a 'b c'" + (" --check-invariants" if extra else "")
        c.check(r.rc == 0, f"{label}: exit status 0", r)
        c.check(r.out == want, f"{label}: greeting and argv exactly", r, f"expected {want!r}")
        c.check(r.err == "", f"{label}: nothing on stderr", r)

    # An empty argument and one longer than the 256-byte debug_write pieces.
    long_arg = "".join(chr(ord("a") + i % 26) for i in range(3000))
    r = env.run([elf, "", long_arg])
    want = f'Hello from zxsim!\nargc = 3\nargv[0] = "{elf}"\nargv[1] = ""\nargv[2] = "{long_arg}"\n'
    c.check(r.rc == 0 and r.out == want, "hello '' <3000 chars>: printed exactly", r)


# ------------------------------------------------------------ pagetouch --

SUMMARY_FAULTS = re.compile(
    r"page faults\s+(\d+) \(demand-zero (\d+), zero-page (\d+), copy-on-write (\d+), "
    r"map-committed (\d+), fatal (\d+), user-copy (\d+)\)"
)
SUMMARY_FRAMES = re.compile(
    r"frames\s+(\d+) in use at exit \(committed (\d+), page tables (\d+), zero page (\d+)\)"
    r", peak (\d+) of (\d+)"
)


def test_pagetouch(env, c):
    elf = env.guest("pagetouch")
    pages = 10000
    r = env.run(["--summary", elf, pages])
    c.no_crash(r, "pagetouch 10000")
    c.check(r.rc == 0, "pagetouch 10000: the guest's own checks pass (exit 0)", r)
    c.check("pagetouch ok" in r.out, "pagetouch 10000: prints 'pagetouch ok'", r)
    s = stats_lines(r.out)
    need = ["delta.frames_in_use", "delta.committed_frames", "delta.page_table_frames",
            "delta.page_faults", "after.committed_frames", "after.page_table_frames",
            "after.frames_in_use", "bad_pages"]
    if not c.check(all(k in s for k in need), "pagetouch 10000: prints its statistics", r):
        return
    c.check(s["bad_pages"] == 0, "every page holds its own value", r)
    c.check(s["delta.committed_frames"] == pages,
            f"committed_frames grew by exactly {pages}", r,
            f"grew by {s['delta.committed_frames']}")
    c.check(s["delta.frames_in_use"] == pages + s["delta.page_table_frames"],
            f"frames_in_use grew by exactly {pages} + new page-table frames "
            f"({s['delta.page_table_frames']})", r,
            f"grew by {s['delta.frames_in_use']}")
    c.check(s["delta.page_table_frames"] > 0,
            "mapping 40 MB of fresh pages needed new page-table frames", r)
    c.check(s["delta.page_faults"] >= pages, f"page_faults grew by at least {pages}", r,
            f"grew by {s['delta.page_faults']}")
    c.check(s.get("vmo.committed_bytes") == pages * 4096,
            "ZX_INFO_VMO committed_bytes = 10000 pages", r)

    # The --summary lines on stderr tell the same story.
    faults = SUMMARY_FAULTS.search(r.err)
    frames = SUMMARY_FRAMES.search(r.err)
    if c.check(faults is not None and frames is not None,
               "--summary prints the page-fault and frame lines", r):
        total, demand_zero, _, _, _, fatal, _ = map(int, faults.groups())
        in_use, committed, tables, zero, peak, nframes = map(int, frames.groups())
        c.check(demand_zero >= pages, f"--summary: demand-zero faults >= {pages}", r,
                f"demand-zero {demand_zero}")
        c.check(total >= s["after.page_faults"] and fatal == 0,
                "--summary: total faults >= the guest's last sample, none fatal", r)
        c.check(in_use == committed + tables + zero and zero == 1,
                "--summary: frames in use = committed + page tables + zero page", r)
        c.check(committed >= s["after.committed_frames"] and committed >= pages,
                "--summary: committed frames at exit include the 10000 pages", r)
        c.check(tables >= s["after.page_table_frames"],
                "--summary: page-table frames at exit >= the guest's sample", r)
        c.check(peak >= in_use and nframes == 65536,
                "--summary: peak >= in use, 65536 frames of 256 MiB default RAM", r)
        c.check("guest exited with code 0" in r.err, "--summary: outcome line", r)

    # The same, smaller, with the kernel's invariants checked at every fault.
    r = env.run(["--check-invariants", elf, 500])
    c.check(r.rc == 0 and "pagetouch ok" in r.out,
            "pagetouch 500 --check-invariants: exit 0", r)
    # Committed up front, the stores only map pages.
    r = env.run(["--check-invariants", elf, 2000, "commit"])
    c.check(r.rc == 0 and "zx_vmo_op_range(COMMIT) -> 0" in r.out,
            "pagetouch 2000 commit --check-invariants: exit 0", r)


# --------------------------------------------------------------- faults --

FAULT_LINE = re.compile(r"^zxsim: fatal page fault: (\w+) at (0x[0-9a-fA-F]+)(.*): (.+)$")
PC_LINE = re.compile(r"^zxsim:\s+pc (0x[0-9a-fA-F]+): (.+)$")

# case, offset, access, reason, what the mapping line says
FAULT_CASES = [
    ("read-unmapped", 0x18, "read", "not mapped", None),
    ("read-unmapped", 0x7F8, "read", "not mapped", None),
    ("read-unmapped", 0xFF8, "read", "not mapped", None),
    ("read-indexed", 0x7F8, "read", "not mapped", None),
    ("read-byte", 0xBFF, "read", "not mapped", None),
    ("read-preindex", 0x7F8, "read", "not mapped", None),
    ("read-postindex", 0x7F0, "read", "not mapped", None),
    ("write-readonly", 0x18, "write", "permission denied", "r--"),
    ("write-readonly", 0x7F8, "write", "permission denied", "r--"),
    ("exec-nx", 0x18, "execute", "permission denied", "rw-"),
    ("exec-nx", 0x7F8, "execute", "permission denied", "rw-"),
    ("exec-unmapped", 0x7F8, "execute", "not mapped", None),
    ("write-beyond", 0x18, "write", "beyond the end of the VMO", "rw-"),
    ("write-beyond", 0x7F8, "write", "beyond the end of the VMO", "rw-"),
]

# The mnemonic the pc line must show for each case.
FAULT_MNEMONICS = {
    "arm64": {"read-unmapped": "ldr", "read-indexed": "ldr", "read-byte": "ldrb",
              "read-preindex": "ldr", "read-postindex": "ldr", "write-readonly": "str",
              "write-beyond": "str", "exec-nx": "ret"},
    "x86_64": {"read-unmapped": "mov", "read-indexed": "mov", "read-byte": "mov",
               "read-preindex": "mov", "read-postindex": "pop", "write-readonly": "mov",
               "write-beyond": "mov", "exec-nx": "ret"},
}


def test_faults(env, c):
    elf = env.guest("faults")
    for case, off, access, reason, perms in FAULT_CASES:
        label = f"faults {case} +{off:#x}"
        r = env.run(["--check-invariants", elf, case, f"{off:x}"])
        c.no_crash(r, label)
        c.check(r.rc == EXIT_GUEST_FAULT, f"{label}: exit status 3", r)
        m = re.search(r"^touch (\w+) (0x[0-9a-f]+)$", r.out, re.M)
        if not c.check(m is not None and m.group(1) == access,
                       f"{label}: the guest announced its {access}", r):
            continue
        addr = int(m.group(2), 16)
        c.check(addr % 4096 == off, f"{label}: the address is not page aligned", r)
        lines = r.err_lines
        c.check(len(lines) >= 3 and all(l.startswith("zxsim:") for l in lines),
                f"{label}: the report is zxsim: lines (fault, pc, place)", r)
        fault = [FAULT_LINE.match(l) for l in lines]
        fault = [f for f in fault if f]
        if not c.check(len(fault) == 1, f"{label}: one 'fatal page fault' line", r):
            continue
        f = fault[0]
        c.check(f.group(1) == access, f"{label}: access type is '{access}'", r,
                f"report says {f.group(1)!r}")
        c.check(int(f.group(2), 16) == addr and "unknown" not in f.group(3),
                f"{label}: the exact address {addr:#x}", r,
                f"report says {f.group(2)}{f.group(3)}")
        c.check(f.group(4) == reason, f"{label}: reason '{reason}'", r,
                f"report says {f.group(4)!r}")
        pcs = [PC_LINE.match(l) for l in lines]
        pcs = [p for p in pcs if p]
        if c.check(len(pcs) == 1, f"{label}: one pc line", r):
            pc, insn = int(pcs[0].group(1), 16), pcs[0].group(2)
            if access == "execute":
                c.check(pc == addr, f"{label}: pc is the fetched address", r)
            mnemonic = FAULT_MNEMONICS[env.isa].get(case)
            if mnemonic:
                c.check(insn.split()[0] == mnemonic,
                        f"{label}: pc line disassembles '{mnemonic} ...'", r,
                        f"pc line shows {insn!r}")
            else:
                c.check(insn == "(instruction not readable)",
                        f"{label}: pc line says the instruction is not readable", r)
        place = lines[-1] if lines else ""
        if perms is None:
            c.check("no mapping" in place, f"{label}: the place line says 'no mapping'", r)
        else:
            m2 = re.search(r"mapping \[(0x[0-9a-f]+), (0x[0-9a-f]+)\) (\S+)", place)
            ok = m2 is not None and int(m2.group(1), 16) <= addr < int(m2.group(2), 16)
            c.check(ok and m2.group(3) == perms,
                    f"{label}: the mapping line covers the address with perms {perms}", r)
            vmo_off = off + (4096 if case == "write-beyond" else 0)
            c.check(f"at offset {vmo_off:#x}" in place,
                    f"{label}: the mapping line gives VMO offset {vmo_off:#x}", r)
            if case == "write-beyond":
                c.check("size 0x1000" in place,
                        f"{label}: the mapping line gives the VMO's size 0x1000", r)


def test_explain(env, c):
    """--explain adds the page-table walk of the faulting address."""
    elf = env.guest("faults")
    # A write to a read-only page: the walk reaches a present leaf.
    r = env.run(["--explain", elf, "write-readonly", "18"])
    c.check(r.rc == EXIT_GUEST_FAULT, "explain write-readonly: exit status 3", r)
    walk = [l for l in r.err_lines if re.match(r"^zxsim:     L[0-3]\[ *\d+\] at 0x", l)]
    c.check(any("page-table walk" in l for l in r.err_lines),
            "explain: the report has a page-table walk", r)
    c.check(len(walk) == 4 and walk[-1].startswith("zxsim:     L3"),
            "explain: four levels down to a present leaf", r)
    leaf = walk[-1] if walk else ""
    ro = "AP=EL1 ro/EL0 ro" if env.isa == "arm64" else " RO "
    c.check(ro in leaf, f"explain: the leaf entry decodes as read-only ({ro.strip()})", r)
    # Unmapped: the walk stops at the first missing entry.
    r = env.run(["--explain", elf, "read-unmapped", "18"])
    walk = [l for l in r.err_lines if re.match(r"^zxsim:     L[0-3]\[", l)]
    c.check(1 <= len(walk) <= 4 and ("invalid" in walk[-1] or "not present" in walk[-1]),
            "explain: an unmapped address's walk ends at an invalid entry", r)
    # Without --explain there is no walk.
    r = env.run([elf, "write-readonly", "18"])
    c.check(not any("page-table walk" in l for l in r.err_lines),
            "no walk without --explain", r)


# ----------------------------------------------------------- exceptions --

# case: (text the exception name must contain (any of), mnemonic at pc)
EXCEPTIONS = {
    "arm64": {
        "trap": (("breakpoint", "brk"), "brk"),
        "udf": (("undefined",), None),  # Capstone may print udf as .word
        "privileged": (("undefined",), "msr"),
    },
    "x86_64": {
        "trap": (("invalid opcode", "#UD"), "ud2"),
        "udf": (("invalid opcode", "#UD"), "ud2"),
        "privileged": (("general protection", "#GP"), "hlt"),
    },
}


def test_exceptions(env, c):
    elf = env.guest("faults")
    for case, (names, mnemonic) in EXCEPTIONS[env.isa].items():
        label = f"faults {case}"
        r = env.run(["--check-invariants", elf, case])
        c.no_crash(r, label)
        c.check(r.rc == EXIT_GUEST_FAULT, f"{label}: exit status 3", r)
        c.check(r.out.startswith("about to "), f"{label}: the guest ran up to it", r)
        first = r.err_lines[0] if r.err_lines else ""
        c.check(first.startswith("zxsim: fatal CPU exception") and
                any(n in first for n in names),
                f"{label}: 'fatal CPU exception' naming {' or '.join(names)}", r)
        pcs = [PC_LINE.match(l) for l in r.err_lines]
        pcs = [p for p in pcs if p]
        if c.check(len(pcs) == 1, f"{label}: a pc line", r) and mnemonic:
            c.check(pcs[0].group(2).split()[0] == mnemonic,
                    f"{label}: pc line disassembles '{mnemonic}'", r)

    # An unknown syscall number: the kernel kills the process.
    r = env.run(["--check-invariants", elf, "bad-syscall"])
    c.no_crash(r, "bad-syscall")
    c.check(r.rc == EXIT_GUEST_FAULT, "raw syscall 9999: exit status 3", r)
    c.check("syscall 9999 returned" not in r.out, "raw syscall 9999: never returns", r)
    c.check(len(r.err_lines) == 1 and "kill" in r.err and "9999" in r.err,
            "raw syscall 9999: one line saying the kernel killed it, naming 9999", r)


# ---------------------------------------------------------- exit status --


def test_exit_status(env, c):
    elf = env.guest("exitcode")
    # guest's code -> (zxsim's exit status, a note on stderr?)
    cases = [(0, 0, False), (1, 1, False), (2, 2, True), (3, 3, True), (4, 4, True),
             (5, 5, False), (44, 44, False), (255, 255, False), (256, 0, False),
             (300, 44, False), (-1, 255, False), (1234, 1234 & 0xFF, False)]
    for code, status, noted in cases:
        label = f"return {code} from main"
        r = env.run(["--check-invariants", elf, code])
        c.no_crash(r, label)
        c.check(r.rc == status, f"{label}: exit status {status}", r)
        c.check(r.out == f"returning {code} from main\n", f"{label}: guest output", r)
        if noted:
            c.check(len(r.err_lines) == 1 and "guest's own" in r.err and str(code) in r.err,
                    f"{label}: one stderr line says {code} is the guest's own code", r)
        else:
            c.check(r.err == "", f"{label}: nothing on stderr", r)
    # The summary's outcome keeps the whole code.
    r = env.run(["--summary", elf, 300])
    c.check(r.rc == 44 and "guest exited with code 300" in r.err,
            "return 300: --summary outcome says code 300", r)


# --------------------------------------------------------------- limits --


def bisect_budget(env, elf, turns):
    """The smallest --max-insns that lets `spin turns` finish (exit 0).
    Returns (budget, number of runs)."""
    runs = 0

    def finishes(k):
        nonlocal runs
        runs += 1
        return env.run([f"--max-insns={k}", elf, turns]).rc == 0

    hi = 1024
    while not finishes(hi):
        hi *= 2
        if hi > 1 << 24:
            return None, runs
    lo = 1
    while lo < hi:
        mid = (lo + hi) // 2
        if finishes(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo, runs


def test_limits(env, c):
    spin = env.guest("spin")
    r = env.run(["--max-insns=1000000", spin])
    c.no_crash(r, "spin --max-insns=1000000")
    c.check(r.rc == EXIT_LIMIT, "spin forever, --max-insns=1000000: exit status 4", r)
    c.check(len(r.err_lines) == 1 and "budget" in r.err and "1000000" in r.err,
            "spin forever, --max-insns: one line about the instruction budget", r)

    r = env.run(["--timeout", "0.5", spin], timeout=30)
    c.no_crash(r, "spin --timeout 0.5")
    c.check(r.rc == EXIT_LIMIT, "spin forever, --timeout 0.5: exit status 4", r)
    c.check(len(r.err_lines) == 1 and "timeout" in r.err,
            "spin forever, --timeout: one line about the timeout", r)

    # Exactness: the smallest budget K that lets the guest finish. K must
    # be the same in two searches, K - 1 must stop it with status 4, and
    # 1000 more turns of a two-instruction loop must cost exactly 2000 more.
    k1, n1 = bisect_budget(env, spin, 1000)
    k1b, n2 = bisect_budget(env, spin, 1000)
    k2, n3 = bisect_budget(env, spin, 2000)
    print(f"     budgets: spin 1000 -> {k1} ({n1} runs), again -> {k1b} ({n2} runs), "
          f"spin 2000 -> {k2} ({n3} runs)")
    if not c.check(None not in (k1, k1b, k2), "spin N finishes under some budget"):
        return
    c.check(k1 == k1b, f"the same budget is found twice ({k1}, {k1b})")
    c.check(k2 - k1 == 2000, f"1000 more loop turns cost exactly 2000 instructions "
            f"({k2} - {k1} = {k2 - k1})")
    r = env.run([f"--max-insns={k1}", spin, 1000])
    c.check(r.rc == 0 and r.err == "", f"spin 1000 --max-insns={k1}: finishes, exit 0", r)
    r = env.run([f"--max-insns={k1 - 1}", spin, 1000])
    c.check(r.rc == EXIT_LIMIT, f"spin 1000 --max-insns={k1 - 1}: exit status 4", r)
    c.check(len(r.err_lines) == 1 and "budget" in r.err and str(k1 - 1) in r.err,
            f"spin 1000 --max-insns={k1 - 1}: one line about the budget", r)

    # Too little simulated RAM: a clean report, never a host crash.
    pagetouch = env.guest("pagetouch")
    r = env.run(["--ram=1M", "--check-invariants", pagetouch, 10000])
    c.no_crash(r, "pagetouch --ram=1M")
    c.check(r.rc == EXIT_GUEST_FAULT and "out of simulated RAM" in r.err,
            "pagetouch --ram=1M: exit 3, 'out of simulated RAM'", r)
    c.check(any(l.startswith("zxsim: fatal page fault: write") for l in r.err_lines),
            "pagetouch --ram=1M: reported as a fatal write fault", r)
    r = env.run(["--ram=1M", "--check-invariants", pagetouch, 10000, "commit"])
    c.no_crash(r, "pagetouch commit --ram=1M")
    c.check(r.rc == 10 and "zx_vmo_op_range(COMMIT) -> -4" in r.out,
            "pagetouch commit --ram=1M: ZX_ERR_NO_MEMORY returned to the guest", r)
    r = env.run(["--ram=48M", pagetouch, 10000])
    c.check(r.rc == 0, "pagetouch --ram=48M: 10000 pages fit", r)


# ------------------------------------------------------------------ CLI --

OPTIONS = ["--ram", "--max-insns", "--timeout", "--seed", "--no-aslr", "--stack", "--discard",
           "--check-invariants", "--summary", "--version", "--help"]

# bad argument list -> text the one error line must contain
BAD_OPTIONS = [
    (["--ram=0"], "--ram"),
    (["--ram=-5"], "--ram"),
    (["--ram=1T"], "--ram"),
    (["--ram=abc"], "--ram"),
    (["--ram=65G"], "--ram"),
    (["--ram=4097"], "--ram"),
    (["--ram"], "--ram"),
    (["--max-insns=0"], "--max-insns"),
    (["--max-insns=x"], "--max-insns"),
    (["--max-insns=-3"], "--max-insns"),
    (["--timeout=-1"], "--timeout"),
    (["--timeout=0"], "--timeout"),
    (["--timeout=soon"], "--timeout"),
    (["--stack=1"], "--stack"),
    (["--stack=2G"], "--stack"),
    (["--seed=-1"], "--seed"),
    (["--discard=sometimes"], "--discard"),
    (["--frobnicate"], "--frobnicate"),
    (["-q"], "-q"),
]


def elf_load_segments(path):
    """(vaddr, memsz, filesz, flags) of each PT_LOAD, read with struct: an
    independent reading of the file for `zxsim inspect` to agree with."""
    with open(path, "rb") as f:
        data = f.read()
    e_entry, e_phoff = struct.unpack_from("<QQ", data, 24)
    e_phentsize, e_phnum = struct.unpack_from("<HH", data, 54)
    segs = []
    for i in range(e_phnum):
        p_type, p_flags, _, p_vaddr, _, p_filesz, p_memsz, _ = struct.unpack_from(
            "<IIQQQQQQ", data, e_phoff + i * e_phentsize)
        if p_type == 1:
            segs.append((p_vaddr, p_memsz, p_filesz, p_flags))
    return e_entry, segs


def perms_text(flags):
    return ("r" if flags & 4 else "-") + ("w" if flags & 2 else "-") + ("x" if flags & 1 else "-")


def test_cli(env, c):
    hello = env.guest("hello", "arm64")
    r = env.run(["--help"])
    c.check(r.rc == 0, "--help: exit status 0", r)
    for opt in OPTIONS:
        c.check(opt in r.out, f"--help mentions {opt}", r)
    c.check("inspect" in r.out, "--help mentions the inspect subcommand", r)
    r = env.run(["--version"])
    c.check(r.rc == 0 and r.out.startswith("zxsim "), "--version: exit 0, 'zxsim VERSION'", r)

    for args, name in BAD_OPTIONS:
        label = " ".join(args)
        r = env.run(args + [hello])
        c.check(r.rc == EXIT_BAD_INPUT, f"{label}: exit status 2", r)
        c.check(r.out == "", f"{label}: nothing on stdout (the guest did not run)", r)
        c.check(len(r.err_lines) == 1 and r.err.startswith("zxsim: ") and name in r.err,
                f"{label}: one 'zxsim: ' line naming {name}", r)
    r = env.run([])
    c.check(r.rc == EXIT_BAD_INPUT and len(r.err_lines) == 1 and r.err.startswith("zxsim: ")
            and r.out == "", "no guest at all: exit 2, one line", r)
    r = env.run(["--summary"])
    c.check(r.rc == EXIT_BAD_INPUT and len(r.err_lines) == 1 and r.out == "",
            "options but no guest: exit 2, one line", r)

    # Good values in every accepted spelling still run the guest.
    r = env.run(["--ram=64M", "--ram", "512M", "--stack=64K", "--max-insns", "100000000",
                 "--timeout=60", "--seed=0x2a", "--no-aslr", "--discard=never", hello])
    c.check(r.rc == 0 and r.out.startswith("Hello from zxsim!"),
            "valid options in both spellings: the guest runs", r)

    # Options after the ELF path are the guest's.
    for isa in ISAS:
        elf = env.guest("hello", isa)
        r = env.run([elf, "--ram=5", "--help", "-x", "--"])
        want = (f'Hello from zxsim!\nargc = 5\nargv[0] = "{elf}"\nargv[1] = "--ram=5"\n'
                'argv[2] = "--help"\nargv[3] = "-x"\nargv[4] = "--"\n')
        c.check(r.rc == 0 and r.out == want and r.err == "",
                f"{isa}: options after the ELF path go to the guest", r)

    # inspect: the segments, as the file's program headers say.
    for isa, machine in (("arm64", "arm64"), ("x86_64", "x86-64")):
        elf = env.guest("hello", isa)
        r = env.run(["inspect", elf])
        c.check(r.rc == 0 and r.err == "", f"inspect {isa}: exit status 0", r)
        entry, segs = elf_load_segments(elf)
        c.check(machine in r.out.splitlines()[0] if r.out else False,
                f"inspect {isa}: names the machine {machine}", r)
        c.check(f"entry {entry:#x}" in r.out, f"inspect {isa}: entry {entry:#x}", r)
        rows = re.findall(r"^\s+\d+\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+([rwx-]{3})$",
                          r.out, re.M)
        got = [(int(a, 16), int(m, 16), int(f, 16), p) for a, m, f, p in rows]
        want = [(v, m, f, perms_text(fl)) for v, m, f, fl in segs]
        c.check(got == want, f"inspect {isa}: {len(want)} segments match the program headers",
                r, f"expected {want}")
    r = env.run(["inspect"])
    c.check(r.rc == EXIT_BAD_INPUT and len(r.err_lines) == 1 and "usage" in r.err,
            "inspect without a file: exit 2, usage line", r)
    r = env.run(["inspect", "/nonexistent/guest.elf"])
    c.check(r.rc == EXIT_BAD_INPUT and len(r.err_lines) == 1 and r.out == "",
            "inspect of a missing file: exit 2, one line", r)

    # A guest file literally named like the subcommand runs as ./inspect.
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(env.guest("hello", "x86_64"), os.path.join(tmp, "inspect"))
        r = env.run(["./inspect", "arg"], cwd=tmp)
        c.check(r.rc == 0 and 'argv[0] = "./inspect"' in r.out and 'argv[1] = "arg"' in r.out,
                "a guest named 'inspect' runs when given as ./inspect", r)
        r = env.run(["inspect", "inspect"], cwd=tmp)
        c.check(r.rc == 0 and "x86-64" in r.out, "'inspect inspect' inspects the file", r)


# ----------------------------------------------------------- ELF corpus --


def expect_refusal(env, c, label, path, substring):
    r = env.run([path], timeout=30)
    c.no_crash(r, label)
    c.check(r.rc == EXIT_BAD_INPUT, f"{label}: exit status 2", r)
    c.check(r.out == "", f"{label}: nothing on stdout", r)
    c.check(len(r.err_lines) == 1 and r.err.startswith("zxsim: ") and
            (substring is None or substring in r.err),
            f"{label}: one 'zxsim: ' line" + (f" containing {substring!r}" if substring else ""),
            r)


def test_elf_corpus(env, c):
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "corpus")
        r = env.run([corpus], program=env.make_bad_elves)
        if not c.check(r.rc == 0, "make_bad_elves writes the corpus", r):
            return
        with open(os.path.join(corpus, "expected.txt")) as f:
            expected = [line.rstrip("\n").split("\t") for line in f if line.strip()]
        with open(os.path.join(corpus, "valid.txt")) as f:
            valid = [line.rstrip("\n").split("\t") for line in f if line.strip()]
        c.check(len(expected) >= 20 and len(valid) == 2,
                f"corpus: {len(expected)} refused files, {len(valid)} valid ones")
        for name, substring in expected:
            path = os.path.join(corpus, name)
            expect_refusal(env, c, name, path, substring)
            # inspect reads the same file without running it and refuses
            # exactly what a run refuses, with the same line.
            r = env.run(["inspect", path], timeout=30)
            c.no_crash(r, f"inspect {name}")
            c.check(r.rc == EXIT_BAD_INPUT and r.out == "" and len(r.err_lines) == 1
                    and r.err.startswith("zxsim: ") and substring in r.err,
                    f"inspect {name}: exit 2, one line containing {substring!r}", r)
        for name, machine, entry in valid:
            path = os.path.join(corpus, name)
            r = env.run(["--check-invariants", path])
            c.no_crash(r, name)
            c.check(r.rc == EXIT_GUEST_FAULT and r.out == "",
                    f"{name}: loads and runs into its trap (exit status 3)", r)
            c.check(r.err.startswith("zxsim: fatal CPU exception"),
                    f"{name}: reported as a fatal CPU exception", r)
            r = env.run(["inspect", path])
            c.check(r.rc == 0 and machine in r.out and f"entry {entry}" in r.out,
                    f"inspect {name}: {machine}, entry {entry}", r)

        # Files the corpus may not have: the host's own oddities.
        expect_refusal(env, c, "missing file", os.path.join(tmp, "no-such.elf"), None)
        expect_refusal(env, c, "a directory", tmp, None)
        expect_refusal(env, c, "/dev/null", "/dev/null", None)
        test_unreadable(env, c, os.path.join(corpus, valid[0][0]))


def test_unreadable(env, c, good_elf):
    """A valid ELF without read permission is refused with one line. Root
    may read any file, so as root zxsim runs as nobody (setpriv, part of
    util-linux), from a folder nobody can enter."""
    public = tempfile.mkdtemp(prefix="zxsim-unreadable-")
    try:
        os.chmod(public, 0o755)
        unreadable = os.path.join(public, "unreadable.elf")
        shutil.copy(good_elf, unreadable)
        os.chmod(unreadable, 0)
        label = "a file without read permission"
        if os.geteuid() == 0:
            setpriv = shutil.which("setpriv")
            if not c.check(setpriv is not None, f"{label}: setpriv is installed (util-linux)"):
                return
            nobody = ["--reuid=65534", "--regid=65534", "--clear-groups"]
            for sub in ([], ["inspect"]):
                r = env.run(nobody + [env.zxsim] + sub + [unreadable], timeout=30,
                            program=setpriv)
                what = f"{' '.join(sub + [label])} (as nobody)"
                c.no_crash(r, what)
                c.check(r.rc == EXIT_BAD_INPUT and r.out == "" and len(r.err_lines) == 1
                        and r.err.startswith("zxsim: ") and "Permission denied" in r.err,
                        f"{what}: exit 2, one line saying permission denied", r)
        else:
            expect_refusal(env, c, label, unreadable, "Permission denied")
    finally:
        if os.path.exists(os.path.join(public, "unreadable.elf")):
            os.chmod(os.path.join(public, "unreadable.elf"), stat.S_IRUSR | stat.S_IWUSR)
        shutil.rmtree(public, ignore_errors=True)


# -------------------------------------------------------------- garbage --


def test_garbage(env, c):
    elf = env.guest("garbage")
    r = env.run(["--check-invariants", elf], timeout=120)
    for line in r.out.splitlines():
        if "calls:" in line or "->" in line or line.startswith("FAIL"):
            print(f"     {line}")
    c.no_crash(r, "garbage")
    c.check(r.rc == 0, "garbage syscalls: the guest exits 0 (its own checks held)", r)
    c.check(r.out.rstrip().endswith("garbage ok"), "garbage syscalls: 'garbage ok'", r)
    c.check("STRANGE" not in r.out, "every call returned a valid zx_status_t", r)
    c.check(r.err == "", "garbage syscalls: nothing on stderr", r)


# ---------------------------------------------------------- huge ranges --


def test_huge_ranges(env, c):
    # Terabyte-sized ranges must cost what is committed in them: a kernel
    # that walked every page would run into the timeout (exit 4).
    elf = env.guest("huge_ranges")
    r = env.run(["--check-invariants", "--timeout=20", elf], timeout=60)
    c.no_crash(r, "huge_ranges")
    c.check(r.rc == 0 and r.out.rstrip().endswith("huge ranges ok"),
            "operations over terabytes finish and give Zircon's statuses", r)


# ------------------------------------------------------------- zxsim-cc --


def test_zxsim_cc(env, c):
    cc = env.zxsim_cc
    with tempfile.TemporaryDirectory() as tmp:
        for f in ("sample.c", "sample.h"):
            shutil.copy(os.path.join(HERE, "cc_sample", f), tmp)
        flags = ["-O2", "-Wall", "-DVALUE=7", f"-I{tmp}"]
        target = f"--target={env.isa}"
        want = "VALUE = 7, square = 49, last square read back = 81 (0)"

        r = env.run([target] + flags + ["sample.c", "-o", "sample.elf"], cwd=tmp, program=cc)
        c.check(r.rc == 0 and r.err == "", f"zxsim-cc {target} from a fresh directory", r)
        r = env.run([os.path.join(tmp, "sample.elf")], cwd=tmp)
        c.check(r.rc == 0 and want in r.out, "the program it built runs under zxsim", r)

        # Compile, then link, as separate steps; the default output a.out.
        r = env.run([target] + flags + ["-c", "sample.c", "-o", "sample.o"], cwd=tmp, program=cc)
        c.check(r.rc == 0 and os.path.exists(os.path.join(tmp, "sample.o")),
                "zxsim-cc -c compiles only", r)
        r = env.run([target, "sample.o"], cwd=tmp, program=cc)
        c.check(r.rc == 0 and os.path.exists(os.path.join(tmp, "a.out")),
                "zxsim-cc links an object to a.out", r)
        r = env.run(["a.out"], cwd=tmp)
        c.check(r.rc == 0 and want in r.out, "a.out runs under zxsim", r)

        # Through a symlink in another directory.
        bindir = os.path.join(tmp, "bin")
        os.mkdir(bindir)
        os.symlink(cc, os.path.join(bindir, "zcc"))
        r = env.run([target] + flags + ["sample.c", "-o", "linked.elf"], cwd=tmp,
                    program=os.path.join(bindir, "zcc"))
        c.check(r.rc == 0, "zxsim-cc works through a symlink", r)

        # Unknown and missing targets.
        for args, label in ((["--target=riscv"], "--target=riscv"), ([], "no --target")):
            r = env.run(args + flags + ["sample.c", "-o", "bad.elf"], cwd=tmp, program=cc)
            c.check(r.rc == EXIT_BAD_INPUT and "target" in r.err and
                    not os.path.exists(os.path.join(tmp, "bad.elf")),
                    f"zxsim-cc {label}: exit 2 with a message about --target", r)


# ---------------------------------------------------------------- main --

# ------------------------------------------------------------- programs --

# Lines paging_demo must print: the figures the scenario implies.
DEMO_LINES = [
    "  machine: +0 frames in use (+0 committed, +0 page tables), 0 faults",
    "  machine: +2 frames in use (+0 committed, +2 page tables), 64 faults",
    "  machine: +32 frames in use (+32 committed, +0 page tables), 32 faults",
    "  parent  RSS  32 pages  USS   0 pages  PSS  16.00 pages",
    "  child   RSS  32 pages  USS   8 pages  PSS  20.00 pages",
    "  machine: +8 frames in use (+8 committed, +0 page tables), 8 faults",
    "  zx_vmo_op_range(DECOMMIT) with a snapshot      -> -2",
    "  machine: -8 frames in use (-8 committed, +0 page tables), 0 faults",
    "  machine: -16 frames in use (-16 committed, +0 page tables), 0 faults",
    "  parent  RSS  16 pages  USS  16 pages  PSS  16.00 pages",
]


def test_programs(env, c):
    """The demo and the tour run clean and print what they should."""
    elf = env.guest("paging_demo")
    for extra in (["--check-invariants"], ["--seed=12345"]):
        r = env.run(extra + [elf])
        c.no_crash(r, "paging_demo")
        c.check(r.rc == 0 and r.err == "", f"paging_demo {' '.join(extra)}: exit status 0", r)
        lines = r.out.splitlines()
        c.check(bool(lines) and re.fullmatch(
            r"demo complete: all \d+ checks of statuses, contents and figures held", lines[-1]),
                "paging_demo: its last line says every check held", r)
        c.check("!!" not in r.out and "unexpected" not in r.out,
                "paging_demo: no step disagreed", r)
        for want in DEMO_LINES:
            c.check(want in lines, f"paging_demo prints {want.strip()!r}", r)
    r = env.run(["--summary", elf])
    c.check(r.rc == 0 and "zxsim: guest exited with code 0" in r.err
            and re.search(r"page faults\s+\d+ \(demand-zero \d+", r.err) is not None,
            "paging_demo --summary: exit 0 and the summary on standard error", r)

    elf = env.guest("vmo_tour")
    r = env.run(["--check-invariants", elf])
    c.no_crash(r, "vmo_tour")
    c.check(r.rc == 0 and r.err == "", "vmo_tour: exit status 0", r)
    for want in ['read back: "written with zx_vmo_write"', "size 16384",
                 'VMO sees: "stored through the mapping"', "committed 8192 bytes, 1 mapping(s)",
                 "zx_vmo_read past the end                 -> -14",
                 "zx_handle_close(vmo) again               -> -11", "tour complete"]:
        c.check(want in r.out.splitlines(), f"vmo_tour prints {want!r}", r)
    c.check("(unexpected)" not in r.out, "vmo_tour: no step was unexpected", r)


def test_scale(env, c):
    """The scale benchmark's guest (make bench) holds and lets go of objects of
    every kind with each status and read-back checked, and says so when one
    fails."""
    elf = env.guest("bench_scale")
    works = [("map", []), ("map", ["--no-aslr"]), ("specific", []), ("vmar", []),
             ("chain", []), ("dup", []), ("commit", []), ("protect", [])]
    for work, extra in works:
        label = f"bench_scale {work} 300 {' '.join(extra)}".rstrip()
        r = env.run(extra + ["--check-invariants", elf, work, 300])
        c.no_crash(r, label)
        c.check(r.rc == 0 and r.out == "" and r.err == "", f"{label}: every status held", r)
    # 300 pages do not fit in 1 MiB of RAM: the first write that finds no
    # frame must stop the guest with its report.
    r = env.run(["--ram=1M", elf, "commit", 300])
    c.no_crash(r, "bench_scale commit 300 in 1 MiB")
    c.check(r.rc == 1 and re.search(r"^bench_scale: zx_vmo_write \(object \d+\) -> -4$", r.out,
                                    re.M) is not None,
            "bench_scale commit 300 in 1 MiB: stops at ZX_ERR_NO_MEMORY and says so", r)
    for bad in (["map", 0], ["map", "12x"], ["map", 200001], ["remap", 10], ["map"]):
        r = env.run([elf] + bad)
        c.check(r.rc == 2 and r.out == "",
                f"bench_scale {' '.join(map(str, bad))}: a bad argument is the guest's status 2", r)


TESTS = {
    "hello": (test_hello, True),
    "pagetouch": (test_pagetouch, True),
    "faults": (test_faults, True),
    "explain": (test_explain, True),
    "exceptions": (test_exceptions, True),
    "exit_status": (test_exit_status, True),
    "limits": (test_limits, True),
    "garbage": (test_garbage, True),
    "huge_ranges": (test_huge_ranges, True),
    "zxsim_cc": (test_zxsim_cc, True),
    "cli": (test_cli, False),
    "elf_corpus": (test_elf_corpus, False),
    "programs": (test_programs, True),
    "scale": (test_scale, True),
}


def needs_bad_elves(ap, args):
    if args.test == "elf_corpus" and not args.make_bad_elves:
        ap.error("elf_corpus needs --make-bad-elves")


def main():
    return run_selected(__doc__, TESTS, needs_bad_elves)


if __name__ == "__main__":
    sys.exit(main())
