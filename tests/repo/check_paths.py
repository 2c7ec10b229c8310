#!/usr/bin/env python3
"""Fails if a file of the repository names a path outside it: the parent
folder's "shared" tree, or an absolute path of one machine (a home or work
directory). System paths every Debian machine has (/usr, /etc, /tmp, /proc,
/dev …) are fine.

    check_paths.py SOURCE-DIR

In a git checkout the files are those `git ls-files` lists; otherwise every
file under SOURCE-DIR except build folders. Before scanning, the checker
proves on planted files that it finds each kind of path it looks for.
Prints one line per finding and a closing "N passed, N failed".
"""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from repo_files import repo_files  # noqa: E402

# Spelled in pieces so that this file does not match itself.
PARENT = re.escape(".." + "/" + "shared") + r"(?!\w)"
MACHINE_ROOTS = ["work", "home", "root", "Users", "mnt", "media", "srv", "scratch"]
PATTERN = re.compile(
    PARENT + "|" + r"(?<![\w.:/~-])/(?:" + "|".join(MACHINE_ROOTS) + r")/[\w.-]")

SKIP_DIRS = {".git", "subprojects"}


def findings(root, names):
    found = []
    for name in names:
        path = os.path.join(root, name)
        if not os.path.isfile(path) or os.path.islink(path):
            continue
        with open(path, "rb") as f:
            data = f.read()
        if b"\0" in data[:8192]:
            continue
        text = data.decode("utf-8", errors="replace")
        for lineno, line in enumerate(text.splitlines(), 1):
            m = PATTERN.search(line)
            if m:
                found.append(f"{name}:{lineno}: names {m.group(0)!r}: {line.strip()[:120]}")
    return found


def self_test():
    """The planted paths must all be found, the legitimate ones not."""
    bad = [".." + "/shared/spec/x.md", "/" + "work/main/x", "see /" + "home/me/x",
           "(/" + "root/build)"]
    good = ["/usr/bin/python3", "/tmp/x", "/proc/self/maps", "/dev/null",
            "https://example.org/" + "work/x", "build/" + "home/x", "../" + "shared_x"]
    with tempfile.TemporaryDirectory() as tmp:
        names = []
        for i, text in enumerate(bad + good):
            name = f"f{i}.txt"
            with open(os.path.join(tmp, name), "w") as f:
                f.write(text + "\n")
            names.append(name)
        hits = {h.split(":")[0] for h in findings(tmp, names)}
    want = {f"f{i}.txt" for i in range(len(bad))}
    return hits == want, hits ^ want


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    root = sys.argv[1]
    passed = failed = 0
    ok, wrong = self_test()
    if ok:
        passed += 1
        print("PASS the checker finds every planted path and only those")
    else:
        failed += 1
        print("FAIL the checker's self-test: wrong on " + ", ".join(sorted(wrong)))
    names = repo_files(root, SKIP_DIRS)
    found = findings(root, names)
    for f in found:
        print(f)
    if names and not found:
        passed += 1
        print(f"PASS no file of {len(names)} names a path outside the repository")
    else:
        failed += 1
        print(f"FAIL {len(found)} lines name a path outside the repository"
              if names else "FAIL no files found")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
