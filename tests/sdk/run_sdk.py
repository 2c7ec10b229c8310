#!/usr/bin/env python3
"""Tests of the guest SDK's edges and zxsim's clear refusals: Ctrl-C and
SIGTERM, Linux executables, --ram beyond the host, C++ and -lm in
zxsim-cc, and the syscall fuzzer.

    run_sdk.py --zxsim PATH --build-dir DIR TEST [ISA]

Prints one "ok ..." or "FAIL ..." line per check and "N of M checks passed"
last (the Checker of tests/integration/run.py): each run is one test case
of many checks. A test that cannot apply on this host exits 77 (a meson
skip)."""

import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import run  # noqa: E402  (Checker, Env, Result)

EXIT_BAD_INPUT = 2
EXIT_SKIP = 77


class Skip(Exception):
    """The whole test does not apply on this host."""


# --------------------------------------------------------------- signals --


def handler_installed(pid, signo):
    """Whether the process catches signo (its SigCgt mask in /proc)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("SigCgt:"):
                    return bool(int(line.split()[1], 16) & (1 << (signo - 1)))
    except OSError:
        pass
    return False


def stop_with(env, signo, summary):
    """Runs the endless spin guest, sends signo once zxsim catches it, and
    returns the Result."""
    cmd = [env.zxsim] + (["--summary"] if summary else []) + [env.guest("spin")]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Poll until zxsim has its handler: before that the signal would kill it.
    polls = 0
    while not handler_installed(p.pid, signo) and p.poll() is None and polls < 100000:
        polls += 1
    # One signal is enough; it is sent again only if the run has not ended
    # after a while (a signal landing as the engine starts could be missed).
    out = err = b""
    for _ in range(10):
        if p.poll() is not None:
            break
        p.send_signal(signo)
        try:
            out, err = p.communicate(timeout=5)
            break
        except subprocess.TimeoutExpired:
            continue
    else:
        p.kill()
        out, err = p.communicate()
    dec = lambda b: b.decode("utf-8", errors="replace")
    return run.Result(cmd, None, p.returncode, dec(out), dec(err))


def test_signals(env, c):
    for signo, name, status in ((signal.SIGINT, "SIGINT", 130), (signal.SIGTERM, "SIGTERM", 143)):
        r = stop_with(env, signo, summary=False)
        c.check(r.rc == status, f"{name} stops the guest: exit status {status}", r)
        c.check(len(r.err_lines) == 1 and r.err.startswith(f"zxsim: stopped by {name} at pc 0x")
                and f"(exit status {status})" in r.err,
                f"{name}: one line says so", r)
    r = stop_with(env, signal.SIGINT, summary=True)
    c.check(r.rc == 130, "SIGINT with --summary: exit status 130", r)
    lines = r.err_lines
    c.check(len(lines) > 2 and lines[0].startswith("zxsim: stopped by SIGINT")
            and lines[1] == "zxsim: guest stopped by SIGINT (exit status 130)"
            and any(l.strip().startswith("syscalls") for l in lines)
            and any(l.strip().startswith("page faults") for l in lines),
            "SIGINT with --summary: the line, then the summary", r)


# ------------------------------------------------------ Linux executables --


def linux_elf(machine, with_note, osabi):
    """A minimal static ELF: one PT_LOAD of the file at 0x10000000 (entry at
    its code), and a PT_NOTE with a GNU ABI tag if with_note."""
    note = struct.pack("<III", 4, 16, 1) + b"GNU\0" + struct.pack("<IIII", 0, 3, 2, 0)
    ehsize, phsize = 64, 56
    phnum = 2 if with_note else 1
    note_off = ehsize + phnum * phsize
    code_off = note_off + len(note)
    code = b"\0" * 16
    size = code_off + len(code)
    base = 0x10000000
    ident = b"\x7fELF" + bytes([2, 1, 1, osabi]) + b"\0" * 8
    eh = ident + struct.pack("<HHIQQQIHHHHHH", 2, machine, 1, base + code_off, ehsize, 0, 0,
                             ehsize, phsize, phnum, 64, 0, 0)
    load = struct.pack("<IIQQQQQQ", 1, 5, 0, base, base, size, size, 0x1000)
    ph = load
    if with_note:
        ph += struct.pack("<IIQQQQQQ", 4, 4, note_off, base + note_off, base + note_off,
                          len(note), len(note), 4)
    return eh + ph + note + code


def refused_as_linux(env, c, label, path):
    for args in ([path], ["inspect", path]):
        r = env.run(args)
        c.check(r.rc == EXIT_BAD_INPUT and r.out == "" and len(r.err_lines) == 1
                and "a Linux program, not a Zircon one" in r.err,
                f"{label}{' (inspect)' if args[0] == 'inspect' else ''}: exit 2, one line: a "
                "Linux program", r)


def test_linux_elf(env, c):
    with tempfile.TemporaryDirectory() as tmp:
        for machine, isa in ((183, "arm64"), (62, "x86-64")):
            path = os.path.join(tmp, f"note-{isa}")
            with open(path, "wb") as f:
                f.write(linux_elf(machine, True, 0))
            refused_as_linux(env, c, f"{isa} ELF with a GNU ABI tag note", path)
            path = os.path.join(tmp, f"osabi-{isa}")
            with open(path, "wb") as f:
                f.write(linux_elf(machine, False, 3))
            refused_as_linux(env, c, f"{isa} ELF with EI_OSABI GNU/Linux", path)
        # The same file without the note is a Zircon-style executable: it
        # loads (and runs into the zeros at its entry).
        path = os.path.join(tmp, "plain")
        with open(path, "wb") as f:
            f.write(linux_elf(62, False, 0))
        r = env.run([path])
        c.check("Linux" not in r.err and r.rc != EXIT_BAD_INPUT,
                "the same ELF without the tag is not called a Linux program", r)
        # A real static Linux program from the host's compiler.
        cc = shutil.which("gcc") or shutil.which("cc")
        src = os.path.join(tmp, "l.c")
        with open(src, "w") as f:
            f.write("int main(void) { return 0; }\n")
        built = False
        if cc:
            exe = os.path.join(tmp, "linux-static")
            p = subprocess.run([cc, "-static", "-O2", src, "-o", exe], capture_output=True)
            built = p.returncode == 0
        if built:
            refused_as_linux(env, c, "a static x86-64 Linux program built by the host's cc", exe)
        else:
            c.skip("a static Linux program from the host's cc", "no static C library on the host")


# --------------------------------------------------------------- --ram --


def host_can_back():
    fields = {}
    with open("/proc/meminfo") as f:
        for line in f:
            k, v = line.split(":", 1)
            fields[k] = int(v.split()[0]) * 1024
    return fields.get("MemAvailable", 0) + fields.get("SwapFree", 0)


def test_ram(env, c):
    elf = env.guest("hello")
    if host_can_back() >= 64 << 30:
        raise Skip("this host can back --ram=64G, so nothing is refused")
    r = env.run(["--ram=64G", elf])
    c.check(r.rc == EXIT_BAD_INPUT and r.out == "" and len(r.err_lines) == 1
            and "more than this host can back" in r.err and "--ram" in r.err,
            "--ram=64G beyond the host: exit 2, one line saying so", r)
    r = env.run(["--ram=64M", elf])
    c.check(r.rc == 0 and "Hello" in r.out, "--ram=64M still runs", r)


# ------------------------------------------------------------- zxsim-cc --


def test_zxsim_cc(env, c):
    cc = env.zxsim_cc
    target = f"--target={env.isa}"
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("prog.cc", "prog.cpp", "prog.cxx", "prog.C"):
            with open(os.path.join(tmp, name), "w") as f:
                f.write("int main() { return 0; }\n")
            r = env.run([target, name, "-o", "out.elf"], cwd=tmp, program=cc)
            c.check(r.rc == EXIT_BAD_INPUT and len(r.err_lines) == 1
                    and "C++ is not supported" in r.err and "C only" in r.err
                    and not os.path.exists(os.path.join(tmp, "out.elf")),
                    f"zxsim-cc {name}: exit 2, one line: only C is supported", r)
        with open(os.path.join(tmp, "p.c"), "w") as f:
            f.write('#include <math.h>\n#include <stdio.h>\n'
                    'int main(int argc, char **argv) {\n'
                    '    double x = argc + 1.0;\n'
                    '    printf("%.6f %.6f %.6f\\n", sqrt(x), pow(x, 10.0), sin(x) + cos(x));\n'
                    '    return 0;\n}\n')
        for flag in ("-xc++", "-x c++"):
            r = env.run([target] + flag.split() + ["p.c", "-o", "out.elf"], cwd=tmp, program=cc)
            c.check(r.rc == EXIT_BAD_INPUT and "C++ is not supported" in r.err,
                    f"zxsim-cc {flag}: exit 2, only C is supported", r)
        r = env.run([target, "-O2", "p.c", "-o", "m.elf", "-lm"], cwd=tmp, program=cc)
        c.check(r.rc == 0 and r.err == "", "zxsim-cc ... -lm links", r)
        r = env.run([os.path.join(tmp, "m.elf")])
        c.check(r.rc == 0 and r.out == "1.414214 1024.000000 0.493151\n",
                "the -lm program computes sqrt, pow, sin and cos", r)
        r = env.run([target, "-O2", "-lm", "-lc", "p.c", "-o", "m2.elf"], cwd=tmp, program=cc)
        c.check(r.rc == 0 and os.path.exists(os.path.join(tmp, "m2.elf")),
                "zxsim-cc -lm -lc before the source links too", r)


# ----------------------------------------------------------------- fuzz --


def test_fuzz(env, c):
    calls = 100000
    r = env.run(["--check-invariants", env.guest("fuzz"), "1", str(calls)], timeout=600)
    for line in r.out.splitlines():
        print(f"     {line}")
    c.no_crash(r, "fuzz")
    c.check(r.rc == 0, f"fuzz seed 1, {calls} calls under --check-invariants: exit 0", r)
    c.check(f"fuzz ok: {calls} calls" in r.out and "UNDEFINED" not in r.out,
            "every status was ZX_OK or an error Zircon defines", r)
    c.check(r.err == "", "fuzz: nothing on stderr (no invariant broken, no fault)", r)


TESTS = {
    "signals": test_signals,
    "linux_elf": test_linux_elf,
    "ram": test_ram,
    "zxsim_cc": test_zxsim_cc,
    "fuzz": test_fuzz,
}


def main():
    args = run.arg_parser(__doc__, TESTS, isa_default="x86_64").parse_args()
    c = run.Checker()
    try:
        run.run_guarded(TESTS[args.test], run.Env(args), c, let_through=(Skip,))
    except Skip as e:
        print(f"skip: {e}")
        return EXIT_SKIP
    print(f"{c.passed} of {c.passed + c.failed} checks passed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
