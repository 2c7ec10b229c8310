#!/usr/bin/env python3
"""Runs fault cases of guest/conformance/conf_fault.c under zxsim.

    run_fault_case.py ZXSIM GUEST.elf [CASE...] [-- ZXSIM-OPTION...]

With no CASE, every case the guest lists (GUEST.elf -l) is run. Each case
is one zxsim run. The guest prints

    about to fault: ACCESS at 0xADDR: REASON

and touches ADDR; the case passes when zxsim then exits with status 3 and
its standard error holds exactly

    zxsim: fatal page fault: ACCESS at 0xADDR: REASON

(exact address, not "page; exact address unknown"), followed by the "pc"
line of the report, and the guest printed nothing after the access. A case
that prints "expecting no fault" passes when the guest exits 0 instead.
Prints "PASS fault.NAME" / "FAIL fault.NAME: why" per case and a final
"N passed, N failed"; exits 1 if any case failed.
"""
import re
import subprocess
import sys

ABOUT_RE = re.compile(r"^about to fault: (read|write|execute) at (0x[0-9a-f]{16}): (.+)$")
REPORT_RE = re.compile(
    r"^zxsim: fatal page fault: (read|write|execute) at (0x[0-9a-f]{16})"
    r"( \(page; exact address unknown\))?: (.+)$")
FAULT_EXIT = 3
TIMEOUT = 120


def run(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                           timeout=TIMEOUT)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return None, "", "(host timeout after %d s)" % TIMEOUT


def check_case(zxsim, elf, name, opts):
    rc, out, err = run([zxsim] + opts + [elf, name])
    lines = out.splitlines()
    about = None
    about_index = None
    for i, line in enumerate(lines):
        m = ABOUT_RE.match(line)
        if m:
            about, about_index = m, i
    if "expecting no fault" in lines:
        if rc == 0 and about is None:
            return True, "", out, err
        return False, "expected no fault, got exit status %s" % rc, out, err
    if about is None:
        return False, "the guest never announced its access (exit status %s)" % rc, out, err
    if any(line.startswith("survived") for line in lines[about_index + 1:]):
        return False, "the access at %s did not fault" % about.group(2), out, err
    if rc != FAULT_EXIT:
        return False, "exit status %s, expected %d" % (rc, FAULT_EXIT), out, err
    reports = [REPORT_RE.match(l) for l in err.splitlines()]
    reports = [r for r in reports if r]
    if len(reports) != 1:
        return False, "expected one fatal page fault report on stderr, found %d" % len(
            reports), out, err
    r = reports[0]
    want = (about.group(1), about.group(2), about.group(3))
    got = (r.group(1), r.group(2), r.group(4))
    if r.group(3):
        return False, "the report gives only the page: %s" % r.group(0), out, err
    if got != want:
        return False, "reported %s at %s: %s; expected %s at %s: %s" % (got + want), out, err
    if not re.search(r"^zxsim:   pc 0x[0-9a-f]{16}: ", err, re.M):
        return False, "the report lacks its pc line", out, err
    return True, "", out, err


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        print(__doc__)
        return 2
    opts = []
    if "--" in args:
        i = args.index("--")
        args, opts = args[:i], args[i + 1:]
    zxsim, elf, names = args[0], args[1], args[2:]
    if not names:
        rc, out, err = run([zxsim, elf, "-l"])
        names = [l.strip() for l in out.splitlines() if l.strip()]
        if rc != 0 or not names:
            sys.stdout.write(out + err)
            print("could not list the fault cases of %s" % elf)
            print("0 passed, 1 failed")
            return 1
    passed = failed = 0
    for name in names:
        ok, why, out, err = check_case(zxsim, elf, name, opts)
        if ok:
            passed += 1
            print("PASS %s" % name)
        else:
            failed += 1
            for line in (out + err).rstrip().splitlines():
                print("    | " + line)
            print("FAIL %s: %s" % (name, why))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
