#!/usr/bin/env python3
"""--gdb tests: Debian's gdb-multiarch, in batch mode, debugs guests through
zxsim's GDB remote stub.

    run_gdb.py --zxsim PATH --build-dir DIR ISA

zxsim starts with --gdb=0 and prints the port it listens on; GDB connects
to it. Every wait is bounded (the port line, GDB, zxsim's exit). Each check
prints "ok ..." or "FAIL ..."; each run (zxsim with GDB or a client, or
zxsim alone) is one test case, passed when all its checks held, and the last
line counts the runs: "N passed, N failed[, N skipped]". Without
gdb-multiarch the whole test is skipped (exit status 77, which meson reports
as a skip).
"""

import argparse
import os
import re
import select
import shutil
import socket
import struct
import subprocess
import sys
import time

GDB = "gdb-multiarch"
ARCH = {"arm64": "aarch64", "x86_64": "i386:x86-64"}
ARG_REG = {"arm64": "$x0", "x86_64": "$rdi"}
PC_REGNUM = {"arm64": 32, "x86_64": 16}
# Register bytes in a `g` packet: arm64 x0-x30, sp, pc (8), cpsr (4), v0-v31
# (16), fpsr, fpcr (4); x86-64 16 general + rip (8), eflags + 6 selectors
# (4), st0-st7 (10), 8 x87 control words (4), xmm0-15 (16), mxcsr (4),
# fs_base, gs_base (8).
G_BYTES = {"arm64": 33 * 8 + 4 + 32 * 16 + 8,
           "x86_64": 17 * 8 + 7 * 4 + 8 * 10 + 8 * 4 + 16 * 16 + 4 + 16}
XML_WANT = {
    "arm64": ['<feature name="org.gnu.gdb.aarch64.core">', '<reg name="x30" bitsize="64"',
              '<reg name="sp" bitsize="64"', '<reg name="pc" bitsize="64"',
              '<reg name="cpsr" bitsize="32"', '<architecture>aarch64</architecture>'],
    "x86_64": ['<feature name="org.gnu.gdb.i386.core">', '<reg name="rax" bitsize="64"',
               '<reg name="rip" bitsize="64"', '<reg name="eflags" bitsize="32"',
               '<reg name="gs" bitsize="32"', '<architecture>i386:x86-64</architecture>'],
}
PORT_LINE = re.compile(r"zxsim: waiting for GDB on 127\.0\.0\.1:(\d+)")
WAIT = 60  # seconds: anything slower is a hang


class Checker:
    """Counts runs: a run passes when every check made since the previous
    run ended held."""

    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.run_failed = False

    def end_run(self):
        if self.run_failed:
            self.failed += 1
        else:
            self.passed += 1
        self.run_failed = False

    def check(self, cond, what, detail=None):
        if cond:
            print(f"ok   {what}")
        else:
            self.run_failed = True
            print(f"FAIL {what}")
            if detail:
                for line in str(detail).splitlines()[:60]:
                    print(f"    | {line}")

    def summary(self):
        line = f"{self.passed} passed, {self.failed} failed"
        if self.skipped:
            line += f", {self.skipped} skipped"
        print(line)


class Session:
    """zxsim waiting for GDB, then GDB running `commands`, then both ended."""

    def __init__(self, zxsim, elf, guest_args, isa, commands):
        self.cmd = [zxsim, "--gdb=0", elf] + guest_args
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.port, early = self._read_port()
        self.gdb_out = ""
        self.gdb_rc = None
        if self.port is not None:
            gdb_cmd = [GDB, "-nx", "-batch", "-ex", "set pagination off", "-ex",
                       "set confirm off", "-ex", f"set architecture {ARCH[isa]}", "-ex",
                       f"file {elf}", "-ex", f"target remote 127.0.0.1:{self.port}"]
            for c in commands:
                gdb_cmd += ["-ex", c]
            try:
                g = subprocess.run(gdb_cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, timeout=WAIT)
                self.gdb_out, self.gdb_rc = g.stdout, g.returncode
            except subprocess.TimeoutExpired as e:
                self.gdb_out = (e.stdout or b"").decode(errors="replace") + "\n(GDB timed out)"
        try:
            out, err = self.proc.communicate(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
        self.rc = self.proc.returncode
        self.out = out.decode(errors="replace")
        self.err = early + err.decode(errors="replace")

    def _read_port(self):
        """Reads zxsim's standard error up to the port line, within WAIT."""
        seen = b""
        deadline = time.monotonic() + WAIT
        fd = self.proc.stderr.fileno()
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], deadline - time.monotonic())
            if not ready:
                break
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            seen += chunk
            m = PORT_LINE.search(seen.decode(errors="replace"))
            if m:
                return int(m.group(1)), seen.decode(errors="replace")
        return None, seen.decode(errors="replace")

    def value(self, name):
        """The value GDB printed as NAME=VALUE, or None."""
        m = re.search(rf"^{name}=(\S+)$", self.gdb_out, re.M)
        return m.group(1) if m else None

    def describe(self):
        return (f"command: {' '.join(self.cmd)}\nzxsim exit status: {self.rc}\n"
                f"zxsim stdout:\n{self.out}zxsim stderr:\n{self.err}GDB output:\n{self.gdb_out}")


def elf_entry(path):
    with open(path, "rb") as f:
        head = f.read(32)
    return struct.unpack_from("<Q", head, 24)[0]


def to_int(text):
    try:
        return int(text, 0)
    except (TypeError, ValueError):
        return None


def test_session(c, zxsim, build, isa):
    """Break at main, read a variable and a register, change the variable,
    break in a function, single-step, continue to the exit."""
    elf = os.path.join(build, "guest", f"gdb_target-{isa}.elf")
    s = Session(zxsim, elf, ["one", "two"], isa, [
        'printf "ENTRY_PC=%#lx\\n", $pc',
        "break main",
        "continue",
        'printf "AT_MAIN=%s\\n", $_as_string($pc)',
        "info symbol $pc",
        'printf "COUNTER=%d\\n", counter',
        f'printf "ARGC=%d\\n", {ARG_REG[isa]}',
        "set var counter = 100",
        'printf "COUNTER2=%d\\n", counter',
        "break bump",
        "continue",
        "info symbol $pc",
        'printf "BUMP_PC=%#lx\\n", $pc',
        "x/2i $pc",
        "stepi",
        'printf "STEP_PC=%#lx\\n", $pc',
        "delete",
        "continue",
        'printf "EXIT=%d\\n", $_exitcode',
    ])
    d = s.describe()
    c.check(s.port is not None and s.port > 0, f"{isa}: zxsim announces the port it listens on", d)
    c.check(to_int(s.value("ENTRY_PC")) == elf_entry(elf),
            f"{isa}: GDB finds the guest at its ELF entry point before the first instruction", d)
    c.check("Breakpoint 1, " in s.gdb_out and re.search(r"^main( \+ \d+)? in section \.text$",
                                                        s.gdb_out, re.M) is not None,
            f"{isa}: `break main` + `continue` stops in main", d)
    c.check(s.value("COUNTER") == "41", f"{isa}: the global `counter` reads 41", d)
    c.check(s.value("ARGC") == "3", f"{isa}: the argument register holds argc = 3", d)
    c.check(s.value("COUNTER2") == "100", f"{isa}: `set var counter = 100` reads back 100", d)
    c.check("Breakpoint 2, " in s.gdb_out and
            re.search(r"^bump( \+ \d+)? in section \.text$", s.gdb_out, re.M) is not None,
            f"{isa}: a second breakpoint stops in bump", d)
    # x/2i lists the instruction at pc and the next one; stepi must land
    # on the next one (bump does not branch before its first store).
    addrs = re.findall(r"^(?:=> )?\s*(0x[0-9a-f]+) <bump(?:\+\d+)?>:", s.gdb_out, re.M)
    step_pc = to_int(s.value("STEP_PC"))
    c.check(len(addrs) == 2 and to_int(addrs[0]) == to_int(s.value("BUMP_PC")) and
            step_pc == to_int(addrs[1]),
            f"{isa}: stepi moves pc to the next instruction ({addrs[1] if len(addrs) == 2 else '?'})",
            d)
    c.check("exited with code 0147]" in s.gdb_out and s.value("EXIT") == "103",
            f"{isa}: continue runs to the exit; GDB reports exit code 103 (100 + argc)", d)
    c.check(s.rc == 103 and "counter = 103" in s.out,
            f"{isa}: zxsim exits with the guest's code 103 and the guest printed it", d)
    c.end_run()


def test_source_stepping(c, zxsim, build, isa):
    """next, step and finish: GDB's own stepping over and out of calls."""
    elf = os.path.join(build, "guest", f"gdb_target-{isa}.elf")
    s = Session(zxsim, elf, ["one", "two"], isa, [
        "break main", "continue", "next", "step", "finish", "next", "info locals", "continue",
    ])
    d = s.describe()
    c.check(re.search(r"^20\t    int value = bump\(0\);$", s.gdb_out, re.M) is not None,
            f"{isa}: `next` steps over bump(argc) to the next line", d)
    c.check(re.search(r"^bump \(by=(by@entry=)?0\) at ", s.gdb_out, re.M) is not None,
            f"{isa}: `step` enters bump(0)", d)
    c.check("Value returned is $1 = 44" in s.gdb_out,
            f"{isa}: `finish` returns to main with bump's value 44", d)
    c.check(re.search(r"^value = 44$", s.gdb_out, re.M) is not None and s.rc == 44,
            f"{isa}: the local reads 44 and the guest exits with 44", d)
    c.end_run()


def test_memory_breakpoints(c, zxsim, build, isa):
    """Without Z0, GDB plants int3 / brk in the read-only text itself: the
    write must reach the frame, Unicorn must drop the code it translated,
    and the trap must come back as a breakpoint at its address."""
    elf = os.path.join(build, "guest", f"gdb_target-{isa}.elf")
    s = Session(zxsim, elf, [], isa, [
        "set remote software-breakpoint-packet off",
        "break bump",
        "continue",
        'printf "HIT_PC=%#lx\\n", $pc',
        "info symbol $pc",
        "continue",
        'printf "HIT2_PC=%#lx\\n", $pc',
        "continue",
    ])
    d = s.describe()
    m = re.search(r"^Breakpoint 1 at (0x[0-9a-f]+):", s.gdb_out, re.M)
    c.check("Breakpoint 1, bump" in s.gdb_out and m is not None and
            to_int(s.value("HIT_PC")) == int(m.group(1), 16),
            f"{isa}: a breakpoint GDB writes into the text stops exactly at its address", d)
    # Stepping over it ran bump's first instructions without the trap; the
    # second call only stops if that translated code was dropped.
    c.check(s.gdb_out.count("Breakpoint 1, bump") == 2 and
            s.value("HIT2_PC") == s.value("HIT_PC"),
            f"{isa}: the rewritten text is executed again: the second call stops too", d)
    c.check("exited with code 052]" in s.gdb_out and s.rc == 42 and "counter = 42" in s.out,
            f"{isa}: after it the guest runs on unharmed to exit code 42 (41 + argc)", d)
    c.end_run()


class Remote:
    """A bare remote-protocol client, for what GDB's command line does not
    show: the raw replies, the interrupt byte, a dropped connection."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        self.buf = b""

    def _byte(self):
        while not self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("zxsim closed the connection")
            self.buf += chunk
        b, self.buf = self.buf[:1], self.buf[1:]
        return b

    def send_raw(self, data):
        self.sock.sendall(data)

    def send(self, payload):
        data = payload.encode()
        self.sock.sendall(b"$%s#%02x" % (data, sum(data) & 0xff))
        ack = self._byte()
        if ack != b"+":
            raise ValueError(f"expected an acknowledgement, got {ack!r}")

    def reply(self):
        while self._byte() != b"$":
            pass
        body = b""
        while True:
            b = self._byte()
            if b == b"#":
                break
            body += b
        check = self._byte() + self._byte()
        if int(check, 16) != sum(body) & 0xff:
            raise ValueError("bad checksum")
        self.sock.sendall(b"+")
        return body.decode(errors="replace")

    def ask(self, payload):
        self.send(payload)
        return self.reply()


def test_protocol(c, zxsim, build, isa):
    elf = os.path.join(build, "guest", f"spin-{isa}.elf")
    cmd = [zxsim, "--gdb=0", elf]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    holder = Session.__new__(Session)
    holder.proc = proc
    port, early = holder._read_port()
    got = {}
    error = None
    try:
        r = Remote(port)
        # Three copies at once, as GDB resends a packet nobody acknowledged
        # in time: one reply, and the next packet gets its own.
        frame = b"$qSupported:swbreak+#%02x" % (sum(b"qSupported:swbreak+") & 0xff)
        r.send_raw(frame * 3)
        got["qSupported"] = r.reply()
        xml = ""
        while True:
            part = r.ask(f"qXfer:features:read:target.xml:{len(xml):x},200")
            xml += part[1:]
            if not part.startswith("m"):
                break
        got["xml"] = xml
        got["?"] = r.ask("?")
        got["g"] = r.ask("g")
        got["pc"] = r.ask("p%x" % PC_REGNUM[isa])
        got["m0"] = r.ask("m0,8")
        got["M0"] = r.ask("M0,1:00")
        got["vCont?"] = r.ask("vCont?")
        r.send("vCont;c")
        r.send_raw(b"\x03")
        got["interrupt"] = r.reply()
        r.sock.close()
    except (OSError, ValueError, EOFError, TypeError) as e:
        error = e
    try:
        out, err = proc.communicate(timeout=WAIT)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    err = early + err.decode(errors="replace")
    d = f"command: {' '.join(cmd)}\nerror: {error}\nreplies: {got}\nzxsim exit status: " \
        f"{proc.returncode}\nzxsim stderr:\n{err}"
    feats = ["qXfer:features:read+", "swbreak+", "PacketSize="]
    c.check(all(f in got.get("qSupported", "") for f in feats),
            f"{isa}: qSupported offers {', '.join(feats)}", d)
    xml = got.get("xml", "")
    want = XML_WANT[isa]
    c.check(all(w in xml for w in want), f"{isa}: the target description has {', '.join(want)}",
            d)
    c.check(got.get("?") == "T05thread:1;",
            f"{isa}: `?` answers a SIGTRAP stop (resent packets answered once)", d)
    c.check(len(got.get("g", "")) == 2 * G_BYTES[isa],
            f"{isa}: `g` carries {G_BYTES[isa]} bytes of registers", d)
    pc = got.get("pc", "")
    c.check(len(pc) == 16 and int.from_bytes(bytes.fromhex(pc), "little") == elf_entry(elf),
            f"{isa}: `p` of the pc is the ELF entry point", d)
    c.check(got.get("m0") == "E14" and got.get("M0") == "E14",
            f"{isa}: reading and writing unmapped address 0 answer E14", d)
    c.check(got.get("vCont?") == "vCont;c;C;s;S", f"{isa}: vCont? lists c, C, s, S", d)
    c.check(got.get("interrupt") == "T02thread:1;",
            f"{isa}: the interrupt byte stops a running guest with SIGINT", d)
    c.check(proc.returncode == 137 and "zxsim: GDB killed the guest at pc" in err,
            f"{isa}: closing the connection ends the run (exit status 137)", d)
    c.end_run()


def test_fault(c, zxsim, build, isa, case, signal, what):
    """A guest that dies: GDB sees the signal at the faulting instruction,
    and zxsim's report names the same pc."""
    elf = os.path.join(build, "guest", f"faults-{isa}.elf")
    s = Session(zxsim, elf, [case], isa, [
        "continue",
        'printf "FAULT_PC=%#lx\\n", $pc',
        "x/i $pc",
        "continue",
    ])
    d = s.describe()
    c.check(f"Program received signal {signal}" in s.gdb_out,
            f"{isa}: {what}: GDB reports {signal}", d)
    m = re.search(r"zxsim:   pc (0x[0-9a-f]+):", s.err)
    pc = to_int(s.value("FAULT_PC"))
    c.check(m is not None and pc is not None and int(m.group(1), 16) == pc,
            f"{isa}: {what}: GDB's pc is the faulting instruction of zxsim's report", d)
    c.check(f"Program terminated with signal {signal}" in s.gdb_out and s.rc == 3,
            f"{isa}: {what}: continuing delivers it, the guest dies (exit status 3)", d)
    c.end_run()


def test_bad_address(c, zxsim, build, isa):
    elf = os.path.join(build, "guest", f"gdb_target-{isa}.elf")
    for value, why in (("10.0.0.1:1234", "listens on 127.0.0.1 only"),
                       ("0.0.0.0:1234", "listens on 127.0.0.1 only"),
                       ("65536", "a TCP port"), ("port", "a TCP port")):
        r = subprocess.run([zxsim, f"--gdb={value}", elf], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=WAIT)
        c.check(r.returncode == 2 and len(r.stderr.splitlines()) == 1 and
                f"bad value for --gdb: '{value}'" in r.stderr and why in r.stderr,
                f"{isa}: --gdb={value} is refused in one line, exit status 2",
                f"exit status {r.returncode}\n{r.stderr}")
        c.end_run()


def test_fast_mode_only(c, zxsim, build, isa):
    elf = os.path.join(build, "guest", f"gdb_target-{isa}.elf")
    for extra in (["--model=detailed"], ["--detail=bump"]):
        r = subprocess.run([zxsim, "--gdb=0"] + extra + [elf], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=WAIT)
        c.check(r.returncode == 2 and r.stderr == "zxsim: --gdb works in fast mode only (not with "
                "--model=detailed or --detail)\n",
                f"{isa}: --gdb with {extra[0]} is refused in one line, exit status 2",
                f"exit status {r.returncode}\n{r.stderr}")
        c.end_run()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--zxsim", required=True)
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("isa", choices=sorted(ARCH))
    a = ap.parse_args()
    c = Checker()
    if shutil.which(GDB) is None:
        print(f"skip {a.isa}: {GDB} is not installed (scripts/install-deps.sh installs it)")
        c.skipped += 1
        c.summary()
        return 77
    test_session(c, a.zxsim, a.build_dir, a.isa)
    test_source_stepping(c, a.zxsim, a.build_dir, a.isa)
    test_memory_breakpoints(c, a.zxsim, a.build_dir, a.isa)
    test_protocol(c, a.zxsim, a.build_dir, a.isa)
    test_fault(c, a.zxsim, a.build_dir, a.isa, "write-readonly", "SIGSEGV",
               "a write to read-only memory")
    test_fault(c, a.zxsim, a.build_dir, a.isa, "udf", "SIGILL", "an undefined instruction")
    # hlt is a general-protection fault at CPL 3; msr to an EL1 register is
    # undefined at EL0.
    test_fault(c, a.zxsim, a.build_dir, a.isa, "privileged",
               "SIGSEGV" if a.isa == "x86_64" else "SIGILL", "a privileged instruction")
    test_bad_address(c, a.zxsim, a.build_dir, a.isa)
    test_fast_mode_only(c, a.zxsim, a.build_dir, a.isa)
    c.summary()
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
