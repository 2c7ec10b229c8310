#!/usr/bin/env python3
"""Runs one conformance guest program (built with guest/conformance/conf.h)
under zxsim and survives guest crashes.

    run_conf.py ZXSIM GUEST.elf [ZXSIM-OPTION...] [-- FILTER]

The guest prints "PASS group.name" / "FAIL group.name: ..." /
"SKIP group.name: why" per case and a final "N passed, N failed, N skipped".
When zxsim stops the guest early (a fatal fault, a failed kernel invariant, a
timeout), the case that was running is counted as failed with zxsim's
report, and the run resumes with the next case (guest argument
--start=NAME). A program that lists no case, or that reports fewer cases
than it listed, fails: every listed case must end in exactly one PASS, FAIL
or SKIP line. The last line printed is the total over all runs,
"N passed, N failed, N skipped"; the exit status is 1 if any case failed.
"""
import re
import subprocess
import sys

CASE_RE = re.compile(r"^(PASS|FAIL|SKIP) (\S+?)(:.*)?$")
TOTAL_RE = re.compile(r"^(\d+) passed, (\d+) failed(, (\d+) skipped)?$")
# Generous per-run limit; zxsim's own --timeout gives a clean exit status 4.
RUN_TIMEOUT = 900


def run(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                           timeout=RUN_TIMEOUT)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        return None, out, err + "\n(run_conf.py: host timeout after %d s)\n" % RUN_TIMEOUT


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        print(__doc__)
        return 2
    zxsim, elf = args[0], args[1]
    rest = args[2:]
    guest_args = []
    if "--" in rest:
        i = rest.index("--")
        rest, guest_args = rest[:i], rest[i + 1:]
    zxsim_opts = rest

    rc, out, err = run([zxsim, elf, "-l"])
    if rc != 0:
        sys.stdout.write(out)
        sys.stdout.write(err)
        print("could not list the cases of %s (exit status %s)" % (elf, rc))
        print("0 passed, 1 failed, 0 skipped")
        return 1
    cases = [line.strip() for line in out.splitlines() if line.strip()]
    if guest_args:
        cases = [c for c in cases if c.startswith(guest_args[0])]
    if not cases:
        print("FAIL %s: the program lists no case%s" %
              (elf, " matching " + guest_args[0] if guest_args else ""))
        print("0 passed, 1 failed, 0 skipped")
        return 1
    if len(set(cases)) != len(cases):
        print("FAIL %s: the program lists a case twice" % elf)
        print("0 passed, 1 failed, 0 skipped")
        return 1

    passed = failed = skipped = 0
    reported = set()
    crashed = []
    index = 0
    while index < len(cases):
        cmd = [zxsim] + zxsim_opts + [elf, "--start=" + cases[index]] + guest_args
        rc, out, err = run(cmd)
        seen = set()
        finished = False
        for line in out.splitlines():
            m = CASE_RE.match(line)
            t = TOTAL_RE.match(line)
            if m and m.group(2) in cases:
                if m.group(2) in reported:
                    failed += 1
                    print("FAIL %s: reported twice" % m.group(2))
                    continue
                seen.add(m.group(2))
                reported.add(m.group(2))
                if m.group(1) == "PASS":
                    passed += 1
                elif m.group(1) == "SKIP":
                    skipped += 1
                else:
                    failed += 1
                print(line)
            elif t:
                finished = True
            else:
                print(line)
        if finished and rc in (0, 1):
            if err.strip():
                sys.stdout.write(err)
            break
        # The guest stopped early: the first case after the last one reported
        # is the one that was running.
        last = -1
        for i in range(index, len(cases)):
            if cases[i] in seen:
                last = i
        victim = last + 1 if last >= 0 else index
        for line in err.rstrip().splitlines():
            print("    | " + line)
        failed += 1
        if victim >= len(cases):
            # Every case reported, but the run ended badly (e.g. a crash in
            # the clean-up after the last case, or no final line).
            print("FAIL %s: the guest ended with exit status %s after its last case"
                  % (elf, rc))
            break
        print("FAIL %s: zxsim stopped the guest during this case (exit status %s)"
              % (cases[victim], rc))
        crashed.append(cases[victim])
        index = victim + 1

    # Every listed case must have been reported once; a case the guest
    # silently skipped (or never reached) is a failure, not a pass.
    missing = [c for c in cases if c not in reported and c not in crashed]
    for c in missing:
        print("FAIL %s: the program printed no PASS, FAIL or SKIP line for it" % c)
    failed += len(missing)
    if crashed:
        print("cases that stopped the guest: " + ", ".join(crashed))
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
