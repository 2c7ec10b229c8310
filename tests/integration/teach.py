#!/usr/bin/env python3
"""Integration tests of the teaching tools: --dump (text and JSON), --step,
`zxsim explain` and the labs in guest/labs/.

    teach.py --zxsim PATH --build-dir DIR TEST ISA

TEST is one of TESTS below. Each check prints one line ("ok ..." or
"FAIL ..."); the last line is "N passed, N failed". The checks compare
content: page-table levels and indices against the symbol addresses read
from the guest's own ELF file, entry bits, page counts and sharing.
"""

import json
import os
import re
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import EXIT_BAD_INPUT, EXIT_GUEST_FAULT, Checker, Env, arg_parser, run_guarded  # noqa: E402

LABS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "guest", "labs")
PAGE = 4096


def elf_symbols(path):
    """{name: address} of the functions and objects in an ELF64 file."""
    data = open(path, "rb").read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    secs = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    out = {}
    for sec in secs:
        if sec[1] != 2:  # SHT_SYMTAB
            continue
        strtab = secs[sec[6]]
        for off in range(sec[4], sec[4] + sec[5], 24):
            name, info, _, _, value, _ = struct.unpack_from("<IBBHQQ", data, off)
            if info & 0xF in (1, 2) and value:
                start = strtab[4] + name
                out[data[start:data.index(b"\0", start)].decode()] = value
    return out


def elf_entry(path):
    return struct.unpack_from("<Q", open(path, "rb").read(), 0x18)[0]


def index(va, level):
    return (va >> (39 - 9 * level)) & 511


READ_ONLY = {"arm64": "AP=EL1 ro/EL0 ro", "x86_64": " RO "}
READ_WRITE = {"arm64": "AP=EL1 rw/EL0 rw", "x86_64": " RW "}
TABLE_BITS = {"arm64": "VALID TABLE", "x86_64": "P RW US"}


# ---------------------------------------------------------------- dumps --

DUMP_HEAD = re.compile(r"^==== zxsim dump (\d+) of process \"([^\"]*)\": (.*) ====$")
PT_LINE = re.compile(
    r"^( *)L(\d)\[ *(\d+)\] at 0x([0-9a-f]+) = 0x([0-9a-f]{16})  va 0x([0-9a-f]+)\+0x([0-9a-f]+)  (.*)$")


def split_dumps(err):
    """[(header match, [lines])] of the text dumps on standard error."""
    dumps = []
    for line in err.splitlines():
        m = DUMP_HEAD.match(line)
        if m:
            dumps.append((m, []))
        elif dumps:
            dumps[-1][1].append(line)
    return dumps


def leaf_path(lines, va):
    """The entries of the walk to va's leaf in a page-table dump: a dict
    level -> (index, entry address, value, decoded), following the tree."""
    path = {}
    for line in lines:
        m = PT_LINE.match(line)
        if not m:
            continue
        level, idx = int(m.group(2)), int(m.group(3))
        base, span = int(m.group(6), 16), int(m.group(7), 16)
        if base <= va < base + span:
            path[level] = (idx, int(m.group(4), 16), int(m.group(5), 16), m.group(8))
    return path


def mapping_committed(lines, va):
    for line in lines:
        m = re.search(r"\[0x([0-9a-f]+), 0x([0-9a-f]+)\) mapping .* (\d+) of (\d+) pages committed",
                      line)
        if m and int(m.group(1), 16) <= va < int(m.group(2), 16):
            return int(m.group(3)), line
    return None, None


def test_dumps(env, c):
    elf = env.guest("lab_demand_paging")
    syms = elf_symbols(elf)
    va = syms["lab_pages"]
    r = env.run(["--dump=vmar,pagetables,vmos", elf])
    c.check(r.rc == 0, "dump run: exit status 0", r)
    dumps = split_dumps(r.err)
    c.check([d[0].group(1) for d in dumps] == ["1", "2", "3", "4"],
            "four dumps: three zxsim_dump() calls and the one at exit", r)
    if len(dumps) != 4:
        return
    c.check(dumps[0][0].group(3) == 'zxsim_dump("1. nothing touched yet")' and
            dumps[3][0].group(3) == "at exit", "dump headers name the label and the exit", r)
    isa = env.isa
    # Dump 1: lab_pages not touched: no leaf for it, but the upper levels
    # are there (the data segment shares them).
    p1 = leaf_path(dumps[0][1], va)
    c.check(3 not in p1, "dump 1: no L3 entry for lab_pages before any access", r, str(p1))
    # Dump 2: pages 0-3 read: each maps the zero page (frame 0) read-only.
    for page in range(4):
        p = leaf_path(dumps[1][1], va + page * PAGE)
        ok = (sorted(p) == [0, 1, 2, 3] and
              all(p[lv][0] == index(va + page * PAGE, lv) for lv in range(4)) and
              p[3][2] & 0x0000FFFFFFFFF000 == 0 and READ_ONLY[isa] in p[3][3] + " ")
        c.check(ok, f"dump 2: page {page} of lab_pages: L0-L3 at the VA's indices, "
                f"leaf = zero page, read-only", r, str(p))
    p = leaf_path(dumps[1][1], va + 4 * PAGE)
    c.check(3 not in p, "dump 2: page 4 was not read: no leaf", r, str(p))
    # Upper levels: table entries decoded with the architecture's bit names,
    # each pointing at the table that holds the next level's entry.
    p = leaf_path(dumps[1][1], va)
    chain = all(TABLE_BITS[isa] in p[lv][3] and
                (p[lv][2] & 0x0000FFFFFFFFF000) == (p[lv + 1][1] & ~0xFFF) for lv in range(3))
    c.check(chain, f"dump 2: table entries show '{TABLE_BITS[isa]}' and point at the next "
            "level's table", r, str(p))
    if isa == "arm64":
        c.check(all(b in p[3][3].split() for b in ("VALID", "PAGE", "AF", "nG", "PXN", "UXN")),
                "dump 2: arm64 leaf names VALID PAGE AF nG PXN UXN", r, p[3][3])
    else:
        c.check(all(b in p[3][3].split() for b in ("P", "RO", "US", "A", "NX")),
                "dump 2: x86-64 leaf names P RO US A NX", r, p[3][3])
    # Dump 3: pages 0-1 written: private frames, writable; 2-3 still zero.
    frames = set()
    for page in range(2):
        p = leaf_path(dumps[2][1], va + page * PAGE)
        ok = 3 in p and p[3][2] & 0x0000FFFFFFFFF000 != 0 and READ_WRITE[isa] in p[3][3] + " "
        c.check(ok, f"dump 3: page {page} written: its own frame, writable", r, str(p))
        if 3 in p:
            frames.add(p[3][2] & 0x0000FFFFFFFFF000)
    c.check(len(frames) == 2, "dump 3: the two written pages have two different frames", r)
    p = leaf_path(dumps[2][1], va + 2 * PAGE)
    c.check(3 in p and p[3][2] & 0x0000FFFFFFFFF000 == 0,
            "dump 3: page 2 still maps the zero page", r, str(p))
    # VMAR tree: the data mapping gains exactly two committed pages.
    n2, l2 = mapping_committed(dumps[1][1], va)
    n3, l3 = mapping_committed(dumps[2][1], va)
    c.check(n2 is not None and n3 == n2 + 2,
            "VMAR dump: the mapping of lab_pages has 2 more committed pages after the writes",
            r, f"{l2!r} then {l3!r}")
    c.check(l3 is not None and "rw-" in l3 and ":data" in l3,
            "VMAR dump: the mapping is rw- and shows the program's data VMO", r, l3)
    # VMOs: the data VMO lists the two frames at the pages of lab_pages.
    vmo_lines = dumps[2][1]
    listed = set()
    for line in vmo_lines:
        m = re.match(r"^    pages? (\d+)(?:-(\d+))? -> frames? 0x([0-9a-f]+)", line)
        if m:
            first, last = int(m.group(1)), int(m.group(2) or m.group(1))
            for i in range(last - first + 1):
                listed.add(int(m.group(3), 16) + i * PAGE)
    c.check(frames and frames <= listed, "VMO dump: the page lists hold the written frames", r)

    # JSON: one object per line, the same content.
    r = env.run(["--dump=all", "--dump-format=json", elf])
    objs = []
    for line in r.err.splitlines():
        if line.startswith("{"):
            try:
                objs.append(json.loads(line))
            except ValueError as e:
                c.check(False, f"JSON dump parses: {e}", r)
    c.check(len(objs) == 4 and [o["dump"] for o in objs] == [1, 2, 3, 4] and
            objs[3]["at_exit"] and objs[0]["label"] == "1. nothing touched yet",
            "JSON: four dumps that parse, numbered, labelled", r)
    if len(objs) == 4:
        ents = objs[2]["page_tables"]["entries"]
        leaf = [e for e in ents if e["level"] == 3 and int(e["va"], 16) == va]
        c.check(len(leaf) == 1 and leaf[0]["index"] == index(va, 3) and
                int(leaf[0]["address"], 16) in frames and leaf[0]["kind"] == "page",
                "JSON: the leaf of lab_pages, its index and frame match the text dump", r,
                str(leaf))
        uppers = [e for e in ents if e["level"] < 3 and e["kind"] == "table" and
                  int(e["va"], 16) <= va < int(e["va"], 16) + int(e["span"], 16)]
        c.check([(e["level"], e["index"]) for e in uppers] == [(lv, index(va, lv)) for lv in
                                                               range(3)],
                "JSON: one table entry per upper level on the way to it", r, str(uppers))

        def find_mapping(node):
            if node["type"] == "mapping":
                b = int(node["base"], 16)
                return node if b <= va < b + int(node["size"], 16) else None
            for ch in node["children"]:
                f = find_mapping(ch)
                if f:
                    return f
            return None

        m2, m3 = find_mapping(objs[1]["vmar"]), find_mapping(objs[2]["vmar"])
        c.check(m2 and m3 and m3["committed_pages"] == m2["committed_pages"] + 2 and
                m3["perms"] == "rw-", "JSON: VMAR mapping committed pages +2, rw-", r)
        vmo = [v for v in objs[2]["vmos"] if m3 and v["koid"] == m3["vmo_koid"]]
        c.check(len(vmo) == 1 and frames <= {int(p["frame"], 16) for p in vmo[0]["pages"]},
                "JSON: the mapped VMO's page list holds the written frames", r)

    # Copy-on-write sharing: lab 2's two dumps.
    elf2 = env.guest("lab_copy_on_write")
    r = env.run(["--dump=vmos", "--dump-format=json", elf2])
    objs = [json.loads(l) for l in r.err.splitlines() if l.startswith("{")]
    c.check(r.rc == 0 and len(objs) == 3, "lab 2 JSON: two dumps and the exit one", r)
    if len(objs) == 3:
        def by_name(o, name):
            v = [x for x in o["vmos"] if x["name"] == name]
            return v[0] if v else None
        par, ch = by_name(objs[0], "lab2-parent"), by_name(objs[0], "lab2-child")
        ok = (par and ch and len(par["pages"]) == 4 and len(ch["pages"]) == 4 and
              all(p["shared_with"] == [ch["koid"]] for p in par["pages"]) and
              all(p["shared_with"] == [par["koid"]] for p in ch["pages"]) and
              [p["frame"] for p in par["pages"]] == [p["frame"] for p in ch["pages"]] and
              ch["child_kind"] == "snapshot" and ch["parent_koid"] == par["koid"])
        c.check(ok, "after the snapshot: the 4 frames are the same, each shared with the other",
                r, f"{par} {ch}")
        par, ch = by_name(objs[1], "lab2-parent"), by_name(objs[1], "lab2-child")
        ok = (par and ch and ch["pages"][0]["shared_with"] == [] and
              par["pages"][0]["shared_with"] == [] and
              ch["pages"][0]["frame"] != par["pages"][0]["frame"] and
              all(p["shared_with"] == [ch["koid"]] for p in par["pages"][1:]))
        c.check(ok, "after the child's write: page 0 private in both, pages 1-3 still shared",
                r, f"{par} {ch}")
    r = env.run(["--dump=vmos", elf2])
    shared = [l for l in r.err.splitlines() if "shared (copy-on-write) with koid" in l]
    c.check(len(shared) == 8 + 6 + 6, "lab 2 text: 8 shared pages listed, then 6 (twice)", r,
            str(shared))

    # Bad values.
    for bad in (["--dump=vmar,bogus"], ["--dump=vmar", "--dump-format=xml"]):
        r = env.run(bad + [elf])
        c.check(r.rc == EXIT_BAD_INPUT and len(r.err_lines) == 1 and "bad value" in r.err,
                f"{' '.join(bad)}: one line, exit status 2", r)
    # Without --dump, zxsim_dump() prints nothing.
    r = env.run([elf])
    c.check(r.rc == 0 and r.err == "", "without --dump: zxsim_dump() prints nothing", r)


# ----------------------------------------------------------------- step --

STEP_LINE = re.compile(r"^ *(\d+)  0x([0-9a-f]+) (?:<([^+>]+)\+(\d+)>)?  (.*)$")


def test_step(env, c):
    elf = env.guest("lab_demand_paging")
    syms = elf_symbols(elf)
    r = env.run(["--step=40", elf])
    c.check(r.rc == 0, "--step=40: the guest runs to the end", r)
    steps = [STEP_LINE.match(l) for l in r.err_lines]
    steps = [s for s in steps if s]
    c.check([int(s.group(1)) for s in steps] == list(range(1, 41)),
            "--step=40: exactly 40 numbered instruction lines", r)
    c.check(steps and int(steps[0].group(2), 16) == elf_entry(elf),
            "the first line is the ELF entry point", r)
    c.check(all(s.group(5).strip() and not s.group(5).startswith("(") for s in steps),
            "every line has a disassembly", r)
    c.check(any("40 instructions shown" in l for l in r.err_lines),
            "a closing line says the rest runs unstepped", r)
    c.check("sum of what was read: 0" in r.out, "the guest's own output is complete", r)

    # From a function: the first line is its first instruction.
    r = env.run(["--step=3", "--step-from=after_writes", elf])
    steps = [s for s in (STEP_LINE.match(l) for l in r.err_lines) if s]
    c.check(len(steps) == 3 and int(steps[0].group(2), 16) == syms["after_writes"] and
            steps[0].group(3) == "after_writes" and steps[0].group(4) == "0",
            "--step-from=after_writes: starts at <after_writes+0>", r)

    # From main: the first write to lab_pages shows its VA, the page fault
    # it takes (demand-zero), and later accesses show the physical address.
    va = syms["lab_pages"]
    r = env.run(["--step=30000", "--step-from=main", elf])
    lines = r.err_lines
    wr = [i for i, l in enumerate(lines) if re.search(r"\bW1 va 0x%x pa " % va, l)]
    c.check(len(wr) >= 1, "a one-byte store to lab_pages appears with its VA", r)
    if wr:
        line = lines[wr[0]]
        c.check("pa 0x0 (entry forbids it: page fault)" in line,
                "before the first write the entry maps the zero page read-only", r, line)
        nxt = lines[wr[0] + 1] if wr[0] + 1 < len(lines) else ""
        c.check(re.match(r"^ +page fault: write at 0x%x: demand-zero, VMO koid \d+ offset 0x[0-9a-f]+"
                         r" -> frame 0x[0-9a-f]+$" % va, nxt) is not None,
                "the next line is the demand-zero fault at that address", r, nxt)
    first_reads = [i for i, l in enumerate(lines)
                   if re.search(r"\bR1 va 0x%x pa - \(no entry: page fault\)" % (va + PAGE), l)]
    c.check(len(first_reads) == 1 and
            re.match(r"^ +page fault: read at 0x%x: zero-page" % (va + PAGE),
                     lines[first_reads[0] + 1]) is not None,
            "the first read of page 1: no entry, then a zero-page fault", r)
    ok_pa = [m for m in (re.search(r"va 0x([0-9a-f]+) pa 0x([0-9a-f]+)$", l) for l in lines) if m]
    c.check(len(ok_pa) > 10 and all(int(m.group(1), 16) & 0xFFF == int(m.group(2), 16) & 0xFFF
                                    for m in ok_pa),
            "every translated access keeps its page offset (va & 0xfff == pa & 0xfff)", r)
    c.check(any(re.match(r"^ +syscall zxsim_dump -> 0$", l) for l in lines) and
            any(re.match(r"^ +syscall zxsim_mem_stats -> 0$", l) for l in lines),
            "syscalls appear between the instructions", r)
    # Detailed mode: each data reference the model sees gets a line with
    # what every TLB and cache level did.
    r = env.run(["--model=detailed", "--step=30000", "--step-from=main", elf])
    lines = r.err_lines
    c.check(r.rc == 0 and "sum of what was read: 0" in r.out,
            "--model=detailed --step: the guest runs to the end", r)
    outcome = re.compile(r"^ +([RW])(\d+) va 0x([0-9a-f]+) pa 0x([0-9a-f]+): TLB "
                         r"(L1D hit|L1D miss L2 hit|L1D miss L2 miss, walk \((\d) entries read, "
                         r"(\d) from the walk cache\)), cache "
                         r"(L1D hit|L1D miss L2 hit|L1D miss L2 miss L3 hit|L1D miss L2 miss"
                         r"(?: L3 miss)?, memory)(?: \(two pieces; the worse shown\))?$")
    refs = [(i, outcome.match(l)) for i, l in enumerate(lines) if ": TLB " in l]
    c.check(len(refs) > 100 and all(m for _, m in refs),
            "every reference line reads 'TLB <levels>, cache <levels>'", r,
            next((lines[i] for i, m in refs if not m), f"{len(refs)} lines"))
    refs = [(i, m) for i, m in refs if m]
    c.check(all(int(m.group(3), 16) & 0xFFF == int(m.group(4), 16) & 0xFFF for _, m in refs),
            "each reference keeps its page offset (va & 0xfff == pa & 0xfff)", r)
    c.check(all(int(m.group(6)) + int(m.group(7)) == 4 for _, m in refs if m.group(6)),
            "every walk reads or finds in the walk cache exactly 4 levels", r)
    fault = [i for i, l in enumerate(lines)
             if re.match(r"^ +page fault: write at 0x%x: demand-zero" % va, l)]
    after = [m for i, m in refs if fault and i > fault[0] and int(m.group(3), 16) == va]
    frame = re.search(r"-> frame 0x([0-9a-f]+)$", lines[fault[0]]) if fault else None
    c.check(bool(after) and frame is not None and after[0].group(1) == "W" and
            int(after[0].group(4), 16) == int(frame.group(1), 16) and
            after[0].group(5).startswith("L1D miss L2 miss, walk"),
            "the store after the demand-zero fault reaches the new frame through a walk "
            "(the changed entry is in no TLB)", r, after[0].group(0) if after else "none")
    r = env.run(["--step=0", elf])
    c.check(r.rc == EXIT_BAD_INPUT and len(r.err_lines) == 1, "--step=0: one line, exit 2", r)
    r = env.run(["--step-from=no_such_function", elf])
    c.check(r.rc == EXIT_BAD_INPUT and len(r.err_lines) == 1 and "no_such_function" in r.err,
            "--step-from of an unknown symbol: one line, exit 2", r)


# -------------------------------------------------------------- explain --


def walk_lines(out):
    return [m for m in (re.match(r"^  L(\d)\[ *(\d+)\] at 0x([0-9a-f]+) = 0x([0-9a-f]+)  (.*)$", l)
                        for l in out.splitlines()) if m]


def profile_sets(name):
    """Sets per structure of a hardware profile, from its file: a TLB of E
    entries and W ways has E/W sets (one when fully associative), a cache
    of S bytes, L-byte lines and W ways S/(L*W)."""
    import configparser
    ini = configparser.ConfigParser(inline_comment_prefixes=("#", ";"))
    ini.read(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "profiles",
                          name + ".ini"))
    def num(text):
        text = text.strip()
        mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:].upper(), 1)
        return int(text[:-1] if mult > 1 else text) * mult
    sets = {}
    for tlb in ("l1d", "l2"):
        sec = ini["tlb." + tlb]
        ways = sec.get("ways", "full")
        sets["tlb." + tlb] = 1 if ways == "full" else num(sec["entries"]) // num(ways)
    for cache in ("l1d", "l2", "l3"):
        sec = ini["cache." + cache]
        if num(sec.get("size", "0")):
            sets["cache." + cache] = num(sec["size"]) // (num(sec["line"]) * num(sec["ways"]))
            sets["line." + cache] = num(sec["line"])
    return sets


def test_explain_detailed(env, c):
    """Detailed mode: the TLB sets of the VA and the cache sets of every
    page-table entry read and of the data, as the profile's geometry and
    the addresses give them."""
    elf = env.guest("lab_demand_paging")
    va = elf_symbols(elf)["lab_pages"]
    sets = profile_sets("cortex-a72")
    r = env.run(["explain", elf, "--at=after_writes", "--va=lab_pages", "--model=detailed",
                 "--profile=cortex-a72"])
    c.check(r.rc == 0 and "hardware model (profile cortex-a72)" in r.out,
            "explain --model=detailed: a hardware model section", r)
    vpn = va >> 12
    tlb = re.search(r"^  TLB lookup: L1D set (\d+) way \d+ hit, L2 set (\d+) (?:way \d+ hit|miss)$",
                    r.out, re.M)
    c.check(tlb is not None and int(tlb.group(1)) == vpn % sets["tlb.l1d"] and
            int(tlb.group(2)) == vpn % sets["tlb.l2"],
            f"the TLB lookup: L1D set {vpn % sets['tlb.l1d']} (a hit: just written), "
            f"L2 set {vpn % sets['tlb.l2']}", r, tlb.group(0) if tlb else "none")

    def cache_ok(pa, text):
        want = [f"L1D set {(pa // sets['line.l1d']) % sets['cache.l1d']} ",
                f"L2 set {(pa // sets['line.l2']) % sets['cache.l2']} "]
        return all(w in text for w in want)
    walk = walk_lines(r.out)
    entries = re.findall(r"^  L(\d) entry at 0x([0-9a-f]+): (.*)$", r.out, re.M)
    c.check(len(walk) == 4 and len(entries) == 4 and
            all(int(e[1], 16) == int(w.group(3), 16) and cache_ok(int(e[1], 16), e[2])
                for e, w in zip(entries, walk)),
            "each of the 4 entry reads: its address from the walk, its L1D and L2 sets", r,
            str(entries))
    data = re.search(r"^  data at 0x([0-9a-f]+): (L1D set \d+ (way \d+ hit|miss).*)$", r.out, re.M)
    c.check(data is not None and cache_ok(int(data.group(1), 16), data.group(2)) and
            data.group(3).endswith("hit"),
            "the data line: its sets, and an L1D hit (the guest just wrote it)", r,
            data.group(0) if data else "none")
    r = env.run(["explain", elf, "--at=after_writes", "--va=lab_pages"])
    c.check(r.rc == 0 and "hardware model" not in r.out,
            "without --model=detailed: no hardware section", r)


def test_explain_cmd(env, c):
    elf = env.guest("lab_demand_paging")
    syms = elf_symbols(elf)
    va = syms["lab_pages"]
    r = env.run(["explain", elf, "--at", "main", "--va", "lab_pages"])
    c.check(r.rc == 0, "explain --at main --va lab_pages: exit status 0", r)
    c.check(r.out.startswith("stopped at 0x%x (main+0)" % syms["main"]),
            "it stops at main's first instruction", r)
    c.check("virtual address 0x%x (lab_pages+0)" % va in r.out, "names the address", r)
    bits = "  ".join(f" L{lv} va[{47 - 9 * lv}:{39 - 9 * lv}]={index(va, lv)}" for lv in range(4))
    c.check(all(f"L{lv} va[{47 - 9 * lv}:{39 - 9 * lv}]={index(va, lv)}" in r.out
                for lv in range(4)), "the index bits of each level", r, bits)
    c.check("translation: none yet" in r.out, "lab_pages has no translation at main", r)
    c.check(re.search(r"read +page fault \(no entry\); the kernel would map the shared zero page",
                      r.out) is not None, "a read would map the zero page", r)
    c.check(re.search(r"write +page fault \(no entry\); the kernel would commit a fresh "
                      r"zero-filled frame .*\(demand-zero\)", r.out) is not None,
            "a write would be demand-zero", r)
    c.check(re.search(r"execute +page fault, fatal: the mapping does not allow it", r.out)
            is not None, "executing it would be fatal", r)
    c.check(re.search(r"mapping \[0x[0-9a-f]+, 0x[0-9a-f]+\) rw- \(max rwx\) of VMO "
                      r"\"[^\"]*:data\"", r.out) is not None, "the mapping found", r)

    r = env.run(["explain", elf, "--at=after_writes", "--va=0x%x" % va])
    w = walk_lines(r.out)
    c.check([int(m.group(1)) for m in w] == [0, 1, 2, 3] and
            [int(m.group(2)) for m in w] == [index(va, lv) for lv in range(4)],
            "after the writes: a 4-level walk at the VA's indices", r)
    m = re.search(r"translation: pa 0x([0-9a-f]+) \(frame 0x([0-9a-f]+) \+ offset 0x000\), "
                  r"the entry allows rw-", r.out)
    c.check(m is not None and w and int(m.group(2), 16) == int(w[3].group(4), 16) & 0xFFFFFFFFF000,
            "the translation is the leaf's frame, read-write", r)
    c.check(re.search(r"read +no fault: the entry allows it", r.out) is not None and
            re.search(r"write +no fault", r.out) is not None, "reads and writes need no fault", r)
    r = env.run(["explain", elf, "--at=after_writes", "--va=0x%x" % (va + 2 * PAGE)])
    c.check(re.search(r"translation: pa 0x0 \(frame 0x0 ", r.out) is not None and
            re.search(r"write +page fault \(the entry does not allow it\); the kernel would "
                      r"commit a fresh zero-filled frame", r.out) is not None,
            "page 2 (only read): the zero page, and a write would be demand-zero", r)
    r = env.run(["explain", elf, "--at", "main", "--va", "0x10"])
    c.check(r.rc == 0 and "the address is outside the user address space" in r.out and
            re.search(r"read +page fault, fatal: no mapping covers the address", r.out),
            "an address outside the address space: fatal, and why", r)
    r = env.run(["explain", elf, "--at", "0x1", "--va", "lab_pages"])
    c.check(r.rc == EXIT_BAD_INPUT and "stopped at" not in r.out and
            r.err_lines == ["zxsim: explain: the guest never reached 0x1 (0x1)"],
            "an --at point the guest never runs: it runs to its end, one line, exit 2", r)
    for bad in (["--at", "nosuch", "--va", "lab_pages"], ["--at", "main"], []):
        r = env.run(["explain", elf] + bad)
        c.check(r.rc == EXIT_BAD_INPUT and len(r.err_lines) == 1,
                f"explain {' '.join(bad)}: one line, exit 2", r)
    test_explain_detailed(env, c)


# ----------------------------------------------------------------- labs --


def expected(lab):
    with open(os.path.join(LABS, lab, "expected.txt")) as f:
        return f.read()


def test_labs(env, c):
    r = env.run([env.guest("lab_demand_paging")])
    c.check(r.rc == 0 and r.out == expected("1-demand-paging"),
            "lab 1 prints exactly its expected.txt", r)
    r = env.run([env.guest("lab_copy_on_write")])
    c.check(r.rc == 0 and r.out == expected("2-copy-on-write"),
            "lab 2 prints exactly its expected.txt", r)
    r = env.run(["--explain", env.guest("lab_fault")])
    c.check(r.rc == EXIT_GUEST_FAULT and r.out == expected("5-fault"),
            "lab 5 prints its expected.txt and stops with exit status 3", r)
    walk = [l for l in r.err_lines if re.match(r"^zxsim:     L[0-3]\[", l)]
    c.check(len(walk) == 4 and READ_ONLY[env.isa] in walk[-1] + " " and
            re.search(r"fatal page fault: write at 0x[0-9a-f]*018: permission denied", r.err),
            "lab 5: write at offset 0x18 denied; the leaf entry is read-only", r)


TLB_PAGES = (2, 4, 5, 16, 17, 32)
CACHE_RUNS = ((512, 2), (512, 3), (576, 3), (1024, 3))
MODEL = ["--model=detailed", "--profile=teaching"]


def stats_row(err, name):
    """(accesses, hits, misses, read misses) of one structure's stats line."""
    for line in err.splitlines():
        f = line.split()
        if f and f[0] == name:
            return int(f[1]), int(f[2]), int(f[3]), int(f[5])
    return None


def filtered(r, pattern):
    return "".join(l + "\n" for l in (r.out + r.err).splitlines() if re.search(pattern, l))


def test_model_labs(env, c):
    """Labs 3 and 4 run the hardware model: arm64's figures are the lab's
    expected.txt exactly; on x86-64 the sweep's own reads give the same
    counts, plus at most a few stack accesses around the brackets."""
    text = ""
    for n in TLB_PAGES:
        r = env.run(MODEL + [env.guest("lab_tlb_reach"), n])
        c.check(r.rc == 0, f"lab 3, {n} pages: exit status 0", r)
        text += filtered(r, r"pages|tlb\.l1d|tlb\.l2 ")
        l1, l2 = stats_row(r.err, "tlb.l1d"), stats_row(r.err, "tlb.l2")
        if not c.check(l1 and l2, f"lab 3, {n} pages: TLB statistics printed", r):
            continue
        sweep = n * 10
        # Within the 4-entry L1 TLB's reach nothing misses; beyond it every
        # read does. The L2 TLB (16 entries, 4 ways of 4 sets) keeps 16
        # pages; with 17 one set holds 5 and those 5 pages miss each sweep.
        want_l1 = 0 if n <= 4 else sweep
        want_l2 = 0 if n <= 16 else (50 if n == 17 else sweep)
        extra = 0 if env.isa == "arm64" else 6
        c.check(want_l1 <= l1[2] <= want_l1 + extra,
                f"lab 3, {n} pages: L1 data TLB misses {want_l1}", r, str(l1))
        c.check(n <= 4 or want_l2 <= l2[2] <= want_l2 + extra,
                f"lab 3, {n} pages: L2 TLB misses {want_l2}", r, str(l2))
    # Step mode in detailed mode: after each load of the sweep (5 pages,
    # beyond the L1 TLB's reach) the L1 data TLB miss at that very VA.
    r = env.run(MODEL + ["--step=40", "--step-from=sweep", env.guest("lab_tlb_reach"), 5])
    lines = r.err_lines
    loads = [(i, m) for i, m in ((i, re.search(r"\bR1 va (0x[0-9a-f]+) pa 0x[0-9a-f]+$", l))
                                 for i, l in enumerate(lines)) if m]
    c.check(len(loads) >= 5 and all(f"TLB L1D miss at va {m.group(1)}" in lines[i + 1]
                                    for i, m in loads),
            "--step in detailed mode: each sweep load is followed by its L1 data TLB miss", r)
    c.check(all(any(l.startswith(f"        R1 va {m.group(1)} pa ") and
                    ": TLB L1D miss L2 hit, cache " in l for l in lines[i + 1:i + 6])
                for i, m in loads),
            "... and by its reference line: TLB L1D miss L2 hit (the 16-entry L2 TLB holds 5 pages)",
            r)
    c.check(any(re.match(r"^ +cache L1D miss at pa 0x[0-9a-f]+$", l) for l in lines),
            "--step in detailed mode: data cache misses by physical address", r)
    if env.isa == "arm64":
        c.check(text == expected("3-tlb-reach"), "lab 3: the figures of expected.txt exactly",
                None, text)
    text = ""
    for dist, count in CACHE_RUNS:
        r = env.run(MODEL + [env.guest("lab_cache_conflicts"), dist, count])
        text += filtered(r, r"apart|cache\.l1d|cache\.l2 ")
        l1 = stats_row(r.err, "cache.l1d")
        if not c.check(r.rc == 0 and l1, f"lab 4, {count} bytes {dist} apart: statistics", r):
            continue
        # Bytes 512 apart (or 1024) share an L1 set: three of them thrash
        # its two ways; 576 apart they fall in three sets.
        conflict = count > 2 and dist % 512 == 0
        c.check(l1[3] == (100 * count if conflict else 0),
                f"lab 4, {count} bytes {dist} apart: {'every' if conflict else 'no'} read misses "
                "in L1", r, str(l1))
    if env.isa == "arm64":
        c.check(text == expected("4-cache-conflicts"), "lab 4: the figures of expected.txt exactly",
                None, text)


TESTS = {
    "model_labs": test_model_labs,
    "dumps": test_dumps,
    "step": test_step,
    "explain_cmd": test_explain_cmd,
    "labs": test_labs,
}


def main():
    ap = arg_parser(__doc__, TESTS)
    args = ap.parse_args()
    if not args.isa:
        ap.error(f"test {args.test} needs an ISA")
    c = Checker()
    run_guarded(TESTS[args.test], Env(args), c)
    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
