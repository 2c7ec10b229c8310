#!/usr/bin/env python3
"""Tests the test runners themselves: run_conf.py against a stand-in for
zxsim whose guest misbehaves in each way a real one could (lists no case,
reports fewer cases than it lists, skips, crashes mid-run), and
scripts/test_summary.py against a made-up meson test log.

    test_runners.py RUN_CONF.py TEST_SUMMARY.py

Prints one line per check and a closing "N passed, N failed".
"""
import json
import os
import subprocess
import sys
import tempfile

# The stand-in: `fake_zxsim [OPTS...] GUEST [ARGS...]`; GUEST's base name
# picks the behaviour, --start=CASE where a run begins.
FAKE_ZXSIM = r'''#!/usr/bin/env python3
import os, sys
args = [a for a in sys.argv[1:] if not a.startswith("--check")]
kind, rest = os.path.basename(args[0]), args[1:]
cases = {"none": [], "short": ["g.a", "g.b", "g.c"], "skip": ["g.a", "g.b"],
         "crash": ["g.a", "g.b", "g.c"], "good": ["g.a", "g.b"],
         "twice": ["g.a", "g.b"]}[kind]
if rest == ["-l"]:
    print("\n".join(cases))
    sys.exit(0)
start = next((a[8:] for a in rest if a.startswith("--start=")), cases[0])
todo = cases[cases.index(start):]
if kind == "short":
    print("PASS g.a")
    print("1 passed, 0 failed")
elif kind == "skip":
    print("PASS g.a")
    print("SKIP g.b: not here")
    print("1 passed, 0 failed, 1 skipped")
elif kind == "crash":
    for c in todo:
        if c == "g.b":
            sys.stderr.write("zxsim: fatal page fault\n")
            sys.exit(3)
        print("PASS " + c)
    print("%d passed, 0 failed, 0 skipped" % len(todo))
elif kind == "twice":
    print("PASS g.a")
    print("PASS g.a")
    print("PASS g.b")
    print("3 passed, 0 failed, 0 skipped")
else:
    for c in todo:
        print("PASS " + c)
    print("%d passed, 0 failed, 0 skipped" % len(todo))
sys.exit(0)
'''

# (guest kind, expected exit status, expected last line)
RUN_CONF_CASES = [
    ("none", 1, "0 passed, 1 failed, 0 skipped"),
    ("short", 1, "1 passed, 2 failed, 0 skipped"),
    ("skip", 0, "1 passed, 0 failed, 1 skipped"),
    ("crash", 1, "2 passed, 1 failed, 0 skipped"),
    ("twice", 1, "2 passed, 1 failed, 0 skipped"),
    ("good", 0, "2 passed, 0 failed, 0 skipped"),
]

# meson test-log records and what test_summary.py must add them up to.
SUMMARY_LOG = [
    {"name": "own-line-with-skips", "result": "OK", "stdout": "x\n3 passed, 0 failed, 2 skipped\n"},
    {"name": "own-line", "result": "OK", "stdout": "4 passed, 0 failed\n"},
    {"name": "meson-skip", "result": "SKIP", "stdout": ""},
    {"name": "crashed-after-line", "result": "FAIL", "stdout": "5 passed, 0 failed\n"},
    {"name": "plain", "result": "OK", "stdout": "hello\n"},
    {"name": "plain-fail", "result": "FAIL", "stdout": ""},
]
SUMMARY_WANT = (1, "13 passed, 2 failed, 3 skipped")


def last_line(text):
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-1] if lines else ""


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    run_conf, summary = sys.argv[1], sys.argv[2]
    passed = failed = 0

    def check(what, ok, detail):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("PASS " + what)
        else:
            failed += 1
            print("FAIL %s: %s" % (what, detail))

    with tempfile.TemporaryDirectory() as tmp:
        fake = os.path.join(tmp, "fake_zxsim")
        with open(fake, "w") as f:
            f.write(FAKE_ZXSIM)
        os.chmod(fake, 0o755)
        for kind, want_rc, want_line in RUN_CONF_CASES:
            guest = os.path.join(tmp, kind)
            p = subprocess.run([sys.executable, run_conf, fake, guest, "--check-invariants"],
                               capture_output=True, text=True)
            got = (p.returncode, last_line(p.stdout))
            check("run_conf." + kind, got == (want_rc, want_line),
                  "got exit %d and %r, expected exit %d and %r" % (got + (want_rc, want_line)))

        logs = os.path.join(tmp, "build", "meson-logs")
        os.makedirs(logs)
        with open(os.path.join(logs, "testlog.json"), "w") as f:
            for rec in SUMMARY_LOG:
                f.write(json.dumps(rec) + "\n")
        p = subprocess.run([sys.executable, summary, os.path.join(tmp, "build")],
                           capture_output=True, text=True)
        got = (p.returncode, p.stdout.strip())
        check("test_summary.sums", got == SUMMARY_WANT,
              "got %r, expected %r" % (got, SUMMARY_WANT))
        p = subprocess.run([sys.executable, summary, os.path.join(tmp, "missing")],
                           capture_output=True, text=True)
        got = (p.returncode, p.stdout.strip())
        want = (1, "0 passed, 1 failed, 0 skipped")
        check("test_summary.no_log", got == want, "got %r, expected %r" % (got, want))

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
