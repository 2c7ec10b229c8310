"""The repository's files, for the repository checks: git's list when the
source is a git checkout, else every file under it outside build
directories and the directories named in skip."""

import os
import subprocess


def repo_files(root, skip=frozenset({".git"})):
    try:
        p = subprocess.run(["git", "-C", root, "ls-files", "-z"], capture_output=True,
                           check=True)
        names = [n for n in p.stdout.decode().split("\0") if n]
        if names:
            return names
    except (OSError, subprocess.CalledProcessError):
        pass
    names = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in skip and not d.startswith("build")]
        names += [os.path.relpath(os.path.join(dirpath, f), root) for f in filenames]
    return names
