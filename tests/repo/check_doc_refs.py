#!/usr/bin/env python3
"""Fails if a reference to docs/semantics.md names a section that does not
exist. Code, tests and READMEs cite sections by name
(docs/semantics.md "User pointers", or a link ending in #user-pointers), so
renaming a section without updating its readers fails here.

    check_doc_refs.py SOURCE-DIR

Prints one line per broken reference and a closing "N passed, N failed".
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from repo_files import repo_files  # noqa: E402

DOC = "docs/semantics.md"
CITE = re.compile(r'docs/semantics\.md,?\s+((?:"[^"\n]+")[^):;.*]{0,160})')
NAME = re.compile(r'"([^"\n]+)"')
LINK = re.compile(r'semantics\.md#([A-Za-z0-9_-]+)')


def slug(heading):
    """GitHub's anchor for a heading."""
    s = heading.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def flatten(text):
    """Joins comment continuation lines, so a citation may wrap."""
    return re.sub(r"\n[ \t]*(?:\*(?!/)|#|//)?[ \t]*", " ", text)


def broken_refs(root, names, headings):
    slugs = {slug(h) for h in headings}
    bad, count = [], 0
    for name in names:
        path = os.path.join(root, name)
        if name == DOC or name.startswith("tests/repo/") or not os.path.isfile(path):
            continue
        try:
            text = open(path, encoding="utf-8").read()
        except (UnicodeDecodeError, OSError):
            continue
        flat = flatten(text)
        for m in CITE.finditer(flat):
            for section in NAME.findall(m.group(1)):
                count += 1
                if section not in headings:
                    bad.append(f"{name}: no section {section!r} in {DOC}")
        for anchor in LINK.findall(text):
            count += 1
            if anchor not in slugs:
                bad.append(f"{name}: no anchor #{anchor} in {DOC}")
    return bad, count


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    root = sys.argv[1]
    passed = failed = 0
    with open(os.path.join(root, DOC), encoding="utf-8") as f:
        headings = {m.group(1).strip() for m in re.finditer(r"^#{2,4} (.+)$", f.read(), re.M)}

    # The checker must see a broken citation, a broken link and a good one.
    probe = {"a.c": '/* x (docs/semantics.md "No such section", "Handles"). */\n',
             "b.md": "[x](docs/semantics.md#no-such-anchor) [y](docs/semantics.md#handles)\n",
             "c.h": '/* wrapped (docs/semantics.md\n * "Also missing"). */\n'}
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        for n, t in probe.items():
            with open(os.path.join(tmp, n), "w") as f:
                f.write(t)
        bad, count = broken_refs(tmp, list(probe), headings | {"Handles"})
    if count == 5 and len(bad) == 3:
        passed += 1
        print("PASS the checker finds broken citations and links, wrapped ones too")
    else:
        failed += 1
        print(f"FAIL the checker's self-test: {count} references, {len(bad)} broken: {bad}")

    bad, count = broken_refs(root, repo_files(root), headings)
    for b in bad:
        print(b)
    if count > 0 and not bad:
        passed += 1
        print(f"PASS all {count} references to {DOC} name existing sections")
    else:
        failed += 1
        print(f"FAIL {len(bad)} of {count} references to {DOC} name no section")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
