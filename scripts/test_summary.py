#!/usr/bin/env python3
"""Sums every test case of one or more meson build directories.

A test that prints its own closing "N passed, N failed" line counts as that
many cases; any other test counts as one case, by its meson result. A test
that failed while reporting no failed case counts one more failure, so a
crash after the closing line is never lost. Prints one plain line:
"N passed, N failed", and exits 1 when anything failed.
"""
import json
import os
import re
import sys

LINE = re.compile(r"^(\d+) passed, (\d+) failed\s*$", re.M)


def count(build_dir):
    passed = failed = 0
    log = os.path.join(build_dir, "meson-logs", "testlog.json")
    if not os.path.exists(log):
        print(f"{build_dir}: no test log", file=sys.stderr)
        return 0, 1
    with open(log) as f:
        for line in f:
            test = json.loads(line)
            ok = test.get("result") in ("OK", "EXPECTEDFAIL", "SKIP")
            found = LINE.findall(test.get("stdout") or "")
            if found:
                p, n = map(int, found[-1])
                if not ok and n == 0:
                    n = 1
                passed += p
                failed += n
            elif ok:
                passed += 1
            else:
                failed += 1
    return passed, failed


def main():
    total_p = total_f = 0
    for d in sys.argv[1:]:
        p, f = count(d)
        total_p += p
        total_f += f
    print(f"{total_p} passed, {total_f} failed")
    return 1 if total_f else 0


if __name__ == "__main__":
    sys.exit(main())
