#!/usr/bin/env python3
"""Trace tests: guests run through zxsim with --trace, their traces read back.

    traces.py --zxsim PATH --build-dir DIR TEST [ISA]

TEST is one of TESTS below. Each check prints one line; the last line is
"N of M checks passed" (the run is one test case, as in run.py); exit 1
when a check failed, 77 (a skip) when Chromium is missing for the report.
"""

import collections
import csv
import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import run_selected  # noqa: E402



def csv_events(path):
    """The CSV trace as (header, rows) with rows as dicts; the metadata row
    is rows[0]."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    return header, rows[1:], [dict(zip(header, r)) for r in rows[1:]]


def trace_run(env, tmp, name, args, fmt="csv", extra=()):
    path = os.path.join(tmp, f"{name}.{fmt}")
    r = env.run(["--trace", path, *extra, *args])
    return r, path


def syscall_counts(rows):
    """(name, phase) -> count, and name -> statuses of the end events."""
    counts = collections.Counter()
    statuses = collections.defaultdict(collections.Counter)
    for e in rows:
        if e["category"] == "syscall":
            counts[(e["event"], e["phase"])] += 1
            if e["phase"] == "end":
                statuses[e["event"]][int(e["status"])] += 1
    return counts, statuses


def faults_in(rows, size):
    """Faults by kind that fall inside a mapping of `size` bytes live at
    the time, and how many such mappings and unmaps there were."""
    live = []
    kinds = collections.Counter()
    maps = unmaps = 0
    for e in rows:
        if e["category"] == "vm" and int(e["size"], 16) == size:
            base = int(e["base"], 16)
            if e["event"] == "map":
                live.append(base)
                maps += 1
            elif e["event"] == "unmap":
                unmaps += 1
                if base in live:
                    live.remove(base)
        elif e["category"] == "fault":
            va = int(e["va"], 16)
            if any(b <= va < b + size for b in live):
                kinds[e["event"]] += 1
    return kinds, maps, unmaps


# ------------------------------------------------------------ per kind --


def test_rounds(env, c):
    """R rounds of create/map/write/unmap/close: exactly R of each."""
    elf = env.guest("trace_rounds")
    rounds = 6
    with tempfile.TemporaryDirectory() as tmp:
        r0, p0 = trace_run(env, tmp, "zero", [elf, 0], extra=["--summary"])
        r, p = trace_run(env, tmp, "six", [elf, rounds], extra=["--summary"])
        c.no_crash(r, "trace_rounds 6")
        if not c.check(r.rc == 0 and r0.rc == 0, "trace_rounds 0 and 6 exit 0", r):
            return
        _, _, base = csv_events(p0)
        _, _, rows = csv_events(p)
        b_counts, _ = syscall_counts(base)
        counts, statuses = syscall_counts(rows)
        for name in ("vmo_create", "vmar_map", "vmar_unmap", "handle_close"):
            for phase in ("begin", "end"):
                got = counts[(name, phase)] - b_counts[(name, phase)]
                c.check(got == rounds, f"exactly {rounds} more {name} {phase} events", r,
                        f"{got} more ({counts[(name, phase)]} vs {b_counts[(name, phase)]})")
        _, b_statuses = syscall_counts(base)
        for name in ("vmar_map", "vmar_unmap", "handle_close"):
            c.check(statuses[name][0] - b_statuses[name][0] == rounds,
                    f"the {rounds} {name} calls end with status 0", r, f"{dict(statuses[name])}")
        kinds, maps, unmaps = faults_in(rows, 2 * 4096)
        c.check(maps == rounds and unmaps == rounds,
                f"exactly {rounds} maps and {rounds} unmaps of the two-page VMOs", r,
                f"{maps} maps, {unmaps} unmaps")
        c.check(dict(kinds) == {"demand-zero": rounds},
                f"exactly {rounds} demand-zero faults inside them, nothing else", r, f"{dict(kinds)}")
        copy = [e for e in rows if e["category"] == "fault" and e["event"] == "user-copy"]
        c.check(len(copy) == 1 and copy[0]["kernel"] == "1" and copy[0]["access"] == "write"
                and int(copy[0]["va"], 16) == 0x201000,
                "the bad handle pointer gives one user-copy fault (kernel, write, 0x201000)", r,
                f"{copy}")
        c.check(not any(e["category"] == "fault" and e["event"] == "fatal" for e in rows),
                "no fatal fault events", r)
        c.check("fatal 0, user-copy 1)" in r.err, "--summary counts it as user-copy, not fatal",
                r)
        starts = [e for e in rows if e["event"] == "process-start"]
        exits = [e for e in rows if e["event"] == "process-exit"]
        c.check(len(starts) == 1 and starts[0]["name"] == "trace_rounds-" + env.isa + ".elf"
                and len(exits) == 1 and exits[0]["code"] == "0",
                "one process-start (its name) and one process-exit (code 0)", r)
        c.check(rows[1]["event"] == "process-start" and rows[-1]["event"] != "process-start",
                "the process starts before anything else is recorded", r)
        loader = [e for e in rows[: rows.index(exits[0])] if e["event"] == "map"
                  and e["name"].startswith("trace_rounds")]
        c.check(len(loader) >= 2, "the loader's segment mappings are traced", r, f"{loader}")
        teardown = rows[rows.index(exits[0]) + 1:]
        c.check(len(teardown) > 0 and all(e["event"] == "unmap" or e["category"] == "tlb"
                                          for e in teardown),
                "teardown after the exit: unmaps (and their shootdowns) only", r)


def test_pagetouch(env, c):
    """N pages written once: exactly N demand-zero faults in that mapping,
    through the FXT writer and reader (trace-summary)."""
    elf = env.guest("pagetouch")
    pages = 300
    with tempfile.TemporaryDirectory() as tmp:
        r, p = trace_run(env, tmp, "touch", [elf, pages], fmt="fxt")
        c.no_crash(r, "pagetouch 300 --trace .fxt")
        c.check(r.rc == 0, "pagetouch 300 with a trace exits 0", r)
        s = env.run(["trace-summary", p])
        c.check(s.rc == 0, "trace-summary reads the FXT trace", s)
        row = [l for l in s.out.splitlines() if l.startswith("0x") and f" {pages} " in l]
        fields = row[0].split() if row else []
        c.check(len(row) == 1 and fields[-4:] == [str(pages)] * 4,
                f"its mapping: {pages} pages, {pages} touched, {pages} committed, {pages} faults",
                s, f"{row}")
        r2, p2 = trace_run(env, tmp, "touch", [elf, pages], fmt="csv")
        _, _, rows = csv_events(p2)
        kinds, maps, _ = faults_in(rows, pages * 4096)
        c.check(maps == 1 and dict(kinds) == {"demand-zero": pages},
                f"the CSV trace: exactly {pages} demand-zero faults in the mapping", r2,
                f"{dict(kinds)}")
        # Page i is first written at byte i*8 of it (pagetouch's slot_for):
        # the fault carries that byte, not the page, and the store's pc.
        mbase = [int(e["base"], 16) for e in rows if e["category"] == "vm"
                 and e["event"] == "map" and int(e["size"], 16) == pages * 4096]
        inside = [e for e in rows if e["category"] == "fault" and e["event"] == "demand-zero"
                  and mbase and mbase[0] <= int(e["va"], 16) < mbase[0] + pages * 4096]
        wrong = [e["va"] for e in inside
                 if int(e["va"], 16) != mbase[0] + (int(e["va"], 16) - mbase[0]) // 4096 * 4104
                 or e["access"] != "write" or int(e["pc"], 16) == 0]
        c.check(len(inside) == pages and not wrong,
                f"each of the {pages} faults has the exact byte written (page i + i*8) and a pc",
                r2, f"{len(inside)} faults, wrong: {wrong[:4]}")
        odd = [e for e in inside if int(e["va"], 16) - mbase[0] == 0x25 * 4104]
        c.check(len(odd) == 1, "page 0x25 faults at page + 0x128", r2, f"{odd}")
        line = [l for l in s.out.splitlines() if l.strip().startswith("demand-zero")]
        total = sum(1 for e in rows if e["category"] == "fault" and e["event"] == "demand-zero")
        c.check(len(line) == 1 and int(line[0].split()[-1]) == total,
                "FXT and CSV traces of the same run count the same demand-zero faults", s,
                f"{line} vs {total}")


def test_timeout(env, c):
    """--timeout with traced faults: every fault restarts the CPU once, and
    the timeout still holds over the restarts without changing the trace."""
    touch, spin = env.guest("pagetouch"), env.guest("spin")
    with tempfile.TemporaryDirectory() as tmp:
        r1, p1 = trace_run(env, tmp, "plain", [touch, 300])
        r2, p2 = trace_run(env, tmp, "timed", [touch, 300], extra=["--timeout=120"])
        c.no_crash(r2, "pagetouch 300 --trace --timeout=120")
        c.check(r1.rc == 0 and r2.rc == 0, "pagetouch 300 traced, with and without --timeout: "
                "exit status 0", r2)
        with open(p1, "rb") as f1, open(p2, "rb") as f2:
            same = f1.read() == f2.read()
        _, _, rows = csv_events(p2)
        faults = sum(1 for e in rows if e["category"] == "fault")
        c.check(same and faults >= 300, f"--timeout leaves the trace byte for byte the same "
                f"({faults} faults)", r2)
        r, p = trace_run(env, tmp, "spin", [spin], fmt="fxt",
                         extra=["--timeout=0.3", "--trace-events=faults,syscalls"])
        c.no_crash(r, "spin --timeout=0.3 --trace")
        c.check(r.rc == 4 and len(r.err_lines) == 1 and "timeout" in r.err,
                "spin forever, traced, --timeout=0.3: exit status 4, one line about the timeout",
                r)
        s = env.run(["trace-summary", p])
        c.check(s.rc == 0 and "exit status 4" in s.out,
                "trace-summary reads the trace of the stopped run and its exit status 4", s)


def test_unknown_syscall(env, c):
    elf = env.guest("faults")
    with tempfile.TemporaryDirectory() as tmp:
        r, p = trace_run(env, tmp, "bad", [elf, "bad-syscall"])
        c.no_crash(r, "bad-syscall traced")
        _, _, rows = csv_events(p)
        unknown = [e for e in rows if e["category"] == "syscall" and e["event"] == "unknown"]
        c.check(len(unknown) == 2 and unknown[0]["phase"] == "begin"
                and unknown[1]["phase"] == "end" and unknown[0]["number"] == "9999"
                and unknown[1]["status"] == "-13",
                "a syscall number that does not exist: begin and end, number 9999, status -13", r,
                f"{unknown}")


def test_detailed(env, c):
    """Detailed mode: the hardware model's TLB, walk and cache events, on
    the cycle clock, agree with the model's own statistics."""
    h = env.run(["--help"])
    if "--model" not in h.out:
        c.skip("detailed-mode traces", "this zxsim has no --model=detailed")
        c.skipped_run = True
        return
    elf = env.guest("trace_rounds")
    with tempfile.TemporaryDirectory() as tmp:
        r, p = trace_run(env, tmp, "hw", [elf, 3],
                         extra=["--model=detailed", "--trace-events=all"])
        c.no_crash(r, "detailed trace_rounds 3")
        if not c.check(r.rc == 0, "a detailed-mode traced run exits 0", r):
            return
        _, _, rows = csv_events(p)
        c.check(rows[0]["event"] == "cycles", "the trace's clock is the model's cycles", r)
        times = [int(e["time"]) for e in rows[1:]]
        c.check(times == sorted(times) and times[-1] > 0, "cycle timestamps never decrease", r)
        stats = {}
        for line in r.err.splitlines():
            f = line.split()
            if len(f) >= 4 and f[0] in ("tlb.l1i", "tlb.l1d", "tlb.l2", "cache.l1i",
                                        "cache.l1d", "cache.l2"):
                stats[f[0]] = int(f[3])
            if f and f[0] == "walks":
                stats["walks"] = int(f[1])
        tlb = collections.Counter((e["level"], e["event"]) for e in rows
                                  if e["category"] == "tlb" and e["event"] != "shootdown")
        for level in ("L1I", "L1D", "L2"):
            key = "tlb." + level.lower()
            c.check(key in stats and tlb[(level, "miss")] == stats[key],
                    f"TLB {level}: as many miss events as the model counted misses", r,
                    f"trace {tlb[(level, 'miss')]}, model {stats.get(key)}")
        walks = sum(1 for e in rows if e["category"] == "walk")
        c.check(walks == stats.get("walks") and walks == tlb[("L2", "miss")] and walks > 0,
                "one walk event per L2 TLB miss, as many as the model's walks", r,
                f"{walks} walks, model {stats.get('walks')}")
        cache = collections.Counter((e["level"], e["event"]) for e in rows
                                    if e["category"] == "cache" and e["kernel"] == "0")
        for level in ("L1I", "L1D", "L2"):
            key = "cache." + level.lower()
            c.check(key in stats and cache[(level, "miss")] == stats[key],
                    f"cache {level}: the guest's miss events match the model's misses", r,
                    f"trace {cache[(level, 'miss')]}, model {stats.get(key)}")
        r2, p2 = trace_run(env, tmp, "hw2", [elf, 3],
                           extra=["--model=detailed", "--trace-events=all"])
        with open(p, "rb") as a, open(p2, "rb") as b:
            c.check(a.read() == b.read(), "two detailed runs give byte-identical traces", r2)
        rf, pf = trace_run(env, tmp, "hw", [elf, 3], fmt="fxt", extra=["--model=detailed"])
        html = os.path.join(tmp, "hw.html")
        rep = env.run(["report", pf, "-o", html])
        with open(html) as f:
            page = f.read()
        c.check(rep.rc == 0 and '<svg id="tlb-chart"' in page and "tlb-empty" not in page,
                "the report of a detailed trace draws the TLB miss chart", rep)


# ------------------------------------------------------------- formats --


def test_formats(env, c):
    elf = env.guest("trace_rounds")
    with tempfile.TemporaryDirectory() as tmp:
        rc, pc = trace_run(env, tmp, "t", [elf, 3], fmt="csv")
        rj, pj = trace_run(env, tmp, "t", [elf, 3], fmt="json")
        rf, pf = trace_run(env, tmp, "t", [elf, 3], fmt="fxt")
        rt = env.run(["--trace", "-", elf, 3])
        for r, what in ((rc, "csv"), (rj, "json"), (rf, "fxt"), (rt, "text")):
            c.check(r.rc == 0, f"a .{what} trace run exits 0", r)
        header, raw, rows = csv_events(pc)
        c.check(all(len(x) == len(header) for x in raw),
                f"CSV: every line has the header's {len(header)} columns", rc)
        c.check(rows[0]["category"] == "meta" and rows[0]["event"] == "logical",
                "CSV: the first row names the clock (logical)", rc)
        events = rows[1:]
        times = [int(e["time"]) for e in events]
        c.check(times == list(range(len(events))),
                "the logical clock: one tick per recorded event, from 0", rc)
        with open(pj) as f:
            doc = json.load(f)
        te = [e for e in doc["traceEvents"] if e["ph"] != "M"]
        c.check(len(te) == len(events), "JSON parses and has the same events as CSV", rj,
                f"{len(te)} vs {len(events)}")
        c.check(doc["otherData"]["clock"] == "logical" and doc["otherData"]["isa"] in ("arm64", "x86-64"),
                "JSON: metadata names the clock and the ISA", rj)
        c.check([e["name"] for e in te] == [e["event"] for e in events],
                "JSON: events in the same order with the same names", rj)
        b = sum(1 for e in te if e["ph"] == "B")
        c.check(b > 0 and b == sum(1 for e in te if e["ph"] == "E"),
                "JSON: syscall begin and end events pair up", rj)
        lines = [l for l in rt.err.splitlines() if re.match(r"zxsim: trace +\d+ ", l)]
        c.check(len(lines) == len(events), "--trace -: one line per event on stderr", rt,
                f"{len(lines)} vs {len(events)}")
        c.check(any(" fault   demand-zero va=0x" in l for l in lines),
                "--trace -: a fault line reads 'fault demand-zero va=0x...'", rt)
        s = env.run(["trace-summary", pf])
        c.check(s.rc == 0 and f"{len(events)} events" in s.out,
                "FXT read back by trace-summary: the same number of events", s)
        with open(pf, "rb") as f:
            data = f.read()
        c.check(data[:8] == struct.pack("<Q", 0x0016547846040010) and len(data) % 8 == 0,
                "FXT: magic number record first, whole 64-bit words", rf)

        # --trace-events selects categories.
        r, p = trace_run(env, tmp, "faults-only", [elf, 3], extra=["--trace-events=faults"])
        _, _, rows = csv_events(p)
        cats = {e["category"] for e in rows[1:]}
        c.check(r.rc == 0 and cats == {"fault", "process"},
                "--trace-events=faults records faults (and the process) only", r, f"{cats}")
        r, p = trace_run(env, tmp, "sys-only", [elf, 3], extra=["--trace-events=syscalls"])
        _, _, rows = csv_events(p)
        cats = {e["category"] for e in rows[1:]}
        c.check(cats == {"syscall", "process"}, "--trace-events=syscalls: syscalls only", r,
                f"{cats}")

        # Instruction clock under --max-insns.
        r, p = trace_run(env, tmp, "insns", [elf, 3], extra=["--max-insns=100000000"])
        _, _, rows = csv_events(p)
        times = [int(e["time"]) for e in rows[1:]]
        c.check(r.rc == 0 and rows[0]["event"] == "instructions"
                and times == sorted(times) and times[-1] > len(times),
                "--max-insns: timestamps are instruction counts, never decreasing", r)

        # Bad input: one line, exit 2.
        for args, what in ((["--trace", os.path.join(tmp, "x.txt"), elf], "unknown extension"),
                           (["--trace-events=faults,bogus", "--trace", pc, elf], "unknown event"),
                           (["--trace", os.path.join(tmp, "no", "dir", "x.fxt"), elf],
                            "unwritable path")):
            r = env.run(args)
            c.check(r.rc == 2 and len(r.err_lines) == 1 and r.err.startswith("zxsim: "),
                    f"--trace refusal ({what}): one line, exit status 2", r)
        for args, what in ((["trace-summary", pc], "a CSV file"),
                           (["trace-summary", os.path.join(tmp, "missing.fxt")], "a missing file"),
                           (["report", pf], "no -o")):
            r = env.run(args)
            c.check(r.rc == 2 and len(r.err_lines) == 1, f"{args[0]} of {what}: one line, exit 2", r)


def test_determinism(env, c):
    elf = env.guest("trace_rounds")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("fxt", "json", "csv"):
            blobs = []
            for i in range(2):
                path = os.path.join(tmp, f"run{i}.{fmt}")
                r = env.run(["--trace", path, elf, 4])
                with open(path, "rb") as f:
                    blobs.append(f.read())
            c.check(blobs[0] == blobs[1] and len(blobs[0]) > 0,
                    f"two runs give byte-identical .{fmt} traces", r)


# -------------------------------------------------------------- report --


def png_facts(path):
    """(width, height, fraction of non-white pixels) of an 8-bit RGB(A) PNG."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    w = h = 0
    color = depth = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            w, h, depth, color = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    bpp = {2: 3, 6: 4}[color]
    stride = w * bpp
    prev = bytearray(stride)
    colored = 0
    i = 0
    for _ in range(h):
        ftype = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            cc = prev[x - bpp] if x >= bpp else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - cc
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - cc)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else cc)
                line[x] = (line[x] + pred) & 255
        for x in range(0, stride, bpp):
            if line[x] < 240 or line[x + 1] < 240 or line[x + 2] < 240:
                colored += 1
        prev = line
    assert depth == 8
    return w, h, colored / float(w * h)


def test_report(env, c):
    elf = env.guest("pagetouch", "arm64")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with tempfile.TemporaryDirectory() as tmp:
        r, p = trace_run(env, tmp, "touch", [elf, 2000], fmt="fxt")
        html = os.path.join(tmp, "report.html")
        rep = env.run(["report", p, "-o", html])
        if not c.check(rep.rc == 0 and os.path.exists(html), "zxsim report writes the page", rep):
            return
        with open(html) as f:
            page = f.read()
        for needle in ('<svg id="faults-chart"', '<svg id="heat-map"', 'id="tlb-empty"',
                       '<table id="syscalls"', '<table id="summary"', "vmar_map"):
            c.check(needle in page, f"the page has {needle}", rep)
        c.check("http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
                and "https://" not in page and "<script" not in page and "<link" not in page,
                "self-contained: nothing fetched, no scripts", rep)
        if chromium is None:
            c.skip("Chromium checks", "chromium is not installed (scripts/install-deps.sh installs it)")
            c.skipped_run = True
            return
        profile = tempfile.mkdtemp(dir=tmp)
        shot = os.path.join(tmp, "report.png")
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", f"--user-data-dir={profile}", "--hide-scrollbars"]
        url = "file://" + html
        subprocess.run([chromium, *flags, f"--screenshot={shot}", "--window-size=1000,1800", url],
                       capture_output=True, timeout=120)
        ok = c.check(os.path.exists(shot) and os.path.getsize(shot) > 20000,
                     "Chromium renders a screenshot of more than 20 kB")
        if ok:
            w, h, colored = png_facts(shot)
            c.check(w == 1000 and h == 1800 and colored > 0.02,
                    "the screenshot is 1000x1800 and more than 2% of it is not white", None,
                    f"{w}x{h}, {colored:.3%} coloured")
        keep = os.environ.get("ZXSIM_REPORT_SHOT")
        if keep and os.path.exists(shot):
            shutil.copy(shot, keep)
        profile2 = tempfile.mkdtemp(dir=tmp)
        flags[-2] = f"--user-data-dir={profile2}"
        d = subprocess.run([chromium, *flags, "--dump-dom", url], capture_output=True,
                           timeout=120)
        dom = d.stdout.decode("utf-8", "replace")
        c.check(dom.count("<svg") >= 2 and 'id="faults-chart"' in dom and 'id="heat-map"' in dom,
                "Chromium's DOM has the fault chart and the heat map SVGs", None,
                f"{dom.count('<svg')} svg elements")
        c.check(dom.count('class="bar"') > 5 and dom.count('class="cell"') > 50,
                "the DOM has the bars and heat-map cells", None)


TESTS = {
    "trace_rounds": (test_rounds, True),
    "trace_pagetouch": (test_pagetouch, True),
    "trace_unknown_syscall": (test_unknown_syscall, True),
    "trace_timeout": (test_timeout, True),
    "trace_formats": (test_formats, True),
    "trace_determinism": (test_determinism, True),
    "trace_detailed": (test_detailed, True),
    "trace_report": (test_report, False),
}


if __name__ == "__main__":
    sys.exit(run_selected(__doc__, TESTS))
