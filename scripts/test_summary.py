#!/usr/bin/env python3
"""Sums every test case of one or more meson build directories.

A test that prints its own closing "N passed, N failed" line (optionally
followed by ", N skipped") counts as that many cases; any other test counts
as one case, by its meson result (a meson SKIP is a skipped case). A test
that failed while reporting no failed case counts one more failure, so a
crash after the closing line is never lost. Prints one plain line:
"N passed, N failed, N skipped", and exits 1 when anything failed.
"""
import json
import os
import re
import sys

LINE = re.compile(r"^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$", re.M)


def count(build_dir):
    passed = failed = skipped = 0
    log = os.path.join(build_dir, "meson-logs", "testlog.json")
    if not os.path.exists(log):
        print(f"{build_dir}: no test log", file=sys.stderr)
        return 0, 1, 0
    with open(log) as f:
        for line in f:
            test = json.loads(line)
            result = test.get("result")
            ok = result in ("OK", "EXPECTEDFAIL", "SKIP")
            found = LINE.findall(test.get("stdout") or "")
            if found:
                p, n, s = found[-1]
                p, n, s = int(p), int(n), int(s or 0)
                if not ok and n == 0:
                    n = 1
                passed += p
                failed += n
                skipped += s
            elif result == "SKIP":
                skipped += 1
            elif ok:
                passed += 1
            else:
                failed += 1
    return passed, failed, skipped


def main():
    total_p = total_f = total_s = 0
    for d in sys.argv[1:]:
        p, f, s = count(d)
        total_p += p
        total_f += f
        total_s += s
    print(f"{total_p} passed, {total_f} failed, {total_s} skipped")
    return 1 if total_f else 0


if __name__ == "__main__":
    sys.exit(main())
