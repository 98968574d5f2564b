#!/usr/bin/env python3
"""An instruction trace of one timer-interrupt delivery (issue #15 item 4).

Boots the default system with itron/bench/itron_bench as rtos0 under QEMU -icount, waits
until the benchmark is done (rtos0 then only takes its ticks), turns on QEMU's one
instruction per translation block and its `exec` and `int` logs through the HMP monitor,
and follows the next timer interrupts from the moment the processor takes IRQ 0 (vector
0x20) to the first instruction of rtos0's DEF_INH handler (`tick_probe`). Every executed
instruction is attributed to the function it lies in (Gandalf's ELF, rtos0's ELF placed at
its partition's base), in order, so that one can see where the path goes.

  bench/trace_irq.py --build build                 the table of the median delivery
  bench/trace_irq.py --build build --inlined       by the innermost inlined function
  bench/trace_irq.py --build build --listing F     also every instruction of it, to F
  bench/trace_irq.py --build build --check         both systems against bench/results/irq_path.json
  bench/trace_irq.py --build build --update        rewrite that file from this run

--check and --update trace two systems: `samples` (telemetry built in, as in every product
system) and `samples-lean` (without it); --check fails if either path grew by more than 5%, or
if `samples` exceeds 300 instructions (issue #15 item 4's bound).

Exit status 1 if no complete delivery was seen. The count is also the benchmark's irq_latency
(which starts at Gandalf's rdtsc in its IRQ stub, a few instructions after the processor took
the interrupt): the two are printed side by side.
"""
import argparse
import bisect
import datetime
import json
import os
import pathlib
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools/harness"))
from gandalf_harness import Qemu, modules_of  # noqa: E402

TRACE = re.compile(r"^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/")
TAKEN = re.compile(r"Servicing hardware INT=0x20\b")


class Symbols:
    def __init__(self):
        self.starts, self.names = [], []
        self.elves = []  # (elf, base, prefix) for inlined-function lookups
        self.inlined = {}

    def add(self, elf: pathlib.Path, base: int, prefix: str):
        self.elves.append((elf, base, prefix))
        out = subprocess.run(["nm", "-C", "--defined-only", "-n", str(elf)], check=True,
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split(maxsplit=2)
            if len(parts) == 3 and parts[1] in "tTWw":
                self.starts.append(int(parts[0], 16) + base)
                self.names.append(f"{prefix}{parts[2]}")
        order = sorted(range(len(self.starts)), key=self.starts.__getitem__)
        self.starts = [self.starts[i] for i in order]
        self.names = [self.names[i] for i in order]

    def name(self, addr: int) -> str:
        if addr in self.inlined:
            return self.inlined[addr]
        i = bisect.bisect_right(self.starts, addr) - 1
        return self.names[i] if i >= 0 else f"{addr:#x}"

    def resolve_inlined(self, addrs):
        """Names each address by the innermost function it was inlined from (addr2line -i),
        so that a handler with everything inlined still shows where its instructions go."""
        for elf, base, prefix in self.elves:
            mine = sorted({a for a in addrs if self.name(a).startswith(prefix)})
            if not mine:
                continue
            out = subprocess.run(["addr2line", "-a", "-f", "-i", "-C", "-e", str(elf)],
                                 input="".join(f"{a - base:#x}\n" for a in mine), capture_output=True,
                                 text=True, check=True).stdout.splitlines()
            groups, current = [], None
            for line in out:
                if line.startswith("0x") and all(c in "0123456789abcdefx" for c in line):
                    current = []
                    groups.append(current)
                elif current is not None:
                    current.append(line)
            for a, g in zip(mine, groups):
                if g and g[0] != "??":
                    name = re.sub(r"\(.*", "", g[0].replace("(anonymous namespace)::", "")).replace("gandalf::", "")
                    self.inlined[a] = f"{prefix}{name}"


def hmp(path: pathlib.Path, *commands: str):
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(path))
        s.settimeout(5)
        for c in commands:
            s.sendall(c.encode() + b"\n")
            time.sleep(0.2)


def deliveries(log: pathlib.Path, handler: int, limit: int):
    """Lists of instruction addresses, from the one the processor took IRQ 0 at (excluded)
    to the handler's first (excluded)."""
    out, current = [], None
    with open(log, errors="replace") as f:
        for line in f:
            if TAKEN.search(line):
                current = []  # a nested or earlier one that never reached the handler is dropped
                continue
            m = TRACE.match(line)
            if not m or current is None:
                continue
            pc = int(m.group(1), 16)
            if pc == handler:
                out.append(current)
                current = None
                if len(out) == limit:
                    break
            else:
                current.append(pc)
    return out


COMMITTED = ROOT / "bench/results/irq_path.json"
GROWTH = 0.05


def trace(build: pathlib.Path, system_name: str, count: int):
    """The deliveries seen on one system, and its symbols."""
    system = build / "systems" / system_name
    info = json.loads((system / "system.json").read_text())
    rtos0 = next(p for p in info["partitions"] if p["name"] == "rtos0")
    syms = Symbols()
    syms.add(system / "gandalf.elf", 0, "gandalf: ")
    syms.add(build / "itron/itron_bench.elf", rtos0["virt_base"], "rtos0: ")
    handler = next(s for s, n in zip(syms.starts, syms.names) if n == "rtos0: tick_probe")
    work = pathlib.Path(tempfile.mkdtemp(prefix="gandalf-trace-"))
    log = work / "exec.log"
    sock = work / "hmp.sock"
    os.environ["GANDALF_QEMU_ARGS"] = f"-monitor unix:{sock},server=on,wait=off -D {log}"
    mods = [(n, str(build / "itron/itron_bench.img") if n == "rtos0" else p) for n, p in modules_of(system)]
    m = Qemu(system, work, icount=True, modules=mods)
    found = []
    with m.start():
        m.wait_for("rtos0", r"bench: done", 600)
        hmp(sock, "singlestep on", "log exec,nochain,int")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(found) < count:
            time.sleep(2)
            found = deliveries(log, handler, count)
        hmp(sock, "log none")
    os.environ.pop("GANDALF_QEMU_ARGS")
    return found, syms


LIMIT = 300  # instructions, IRQ 0 taken to rtos0's handler, telemetry built in (issue #15 item 4)


def check(build: pathlib.Path, update: bool) -> int:
    figures = {}
    for name in ("samples", "samples-lean"):
        found, _ = trace(build, name, 5)
        if not found:
            print(f"trace_irq: {name}: no delivery of IRQ 0 reached tick_probe")
            return 1
        figures[name] = statistics.median(len(d) for d in found)
        print(f"trace_irq: {name}: {figures[name]:.0f} instructions from IRQ 0 taken to rtos0's tick_probe")
    if update:
        COMMITTED.write_text(json.dumps({
            "benchmark": "irq_path", "date": datetime.date.today().isoformat(), "platform": "qemu-icount",
            "unit": "guest_instructions", "from": "the processor takes IRQ 0 (Gandalf's vector 0x20)",
            "to": "first instruction of rtos0's DEF_INH handler (itron_bench tick_probe)",
            "growth_allowed": GROWTH, "systems": {k: int(v) for k, v in figures.items()}}, indent=1) + "\n")
        print(f"wrote {COMMITTED}")
        return 0
    committed = json.loads(COMMITTED.read_text())["systems"]
    bad = 0
    for name, now in figures.items():
        was = committed[name]
        grew = now / was - 1
        print(f"trace_irq: {name}: committed {was}, now {now:.0f} ({grew:+.1%}): {'ok' if grew <= GROWTH else 'GREW'}")
        bad += grew > GROWTH
    # Issue #15 item 4's bound, for the product build (telemetry in), whatever the committed figure.
    over = figures["samples"] > LIMIT
    print(f"trace_irq: samples: {figures['samples']:.0f} against the bound of {LIMIT}: {'ok' if not over else 'OVER'}")
    return 1 if bad or over else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", type=pathlib.Path, default=ROOT / "build")
    ap.add_argument("--count", type=int, default=9, help="deliveries to follow (the median is shown)")
    ap.add_argument("--listing", type=pathlib.Path, help="write the median delivery, one instruction a line")
    ap.add_argument("--json", type=pathlib.Path, help="write the per-function counts")
    ap.add_argument("--inlined", action="store_true",
                    help="attribute each instruction to the innermost function it was inlined from")
    ap.add_argument("--system", default="samples", help="the system to trace (samples, samples-lean)")
    ap.add_argument("--check", action="store_true", help="both systems against " + str(COMMITTED))
    ap.add_argument("--update", action="store_true", help="rewrite " + str(COMMITTED))
    a = ap.parse_args()
    if a.check or a.update:
        return check(a.build.resolve(), a.update)
    found, syms = trace(a.build.resolve(), a.system, a.count)

    if not found:
        print("trace_irq: no delivery of IRQ 0 reached tick_probe", file=sys.stderr)
        return 1
    lengths = [len(d) for d in found]
    median = sorted(found, key=len)[len(found) // 2]
    print(f"trace_irq: {len(found)} deliveries, instructions from IRQ 0 taken to rtos0's tick_probe: "
          f"{', '.join(map(str, lengths))} (median {statistics.median(lengths):.0f})")
    if a.inlined:
        syms.resolve_inlined(median)
    runs = []  # (function, instructions) in order
    for pc in median:
        name = syms.name(pc)
        if runs and runs[-1][0] == name:
            runs[-1][1] += 1
        else:
            runs.append([name, 1])
    width = max(len(n) for n, _ in runs)
    for name, n in runs:
        print(f"  {name:<{width}} {n:5}")
    print(f"  {'total':<{width}} {len(median):5}")
    totals = {}  # the same, summed per function, in order of first appearance
    for name, n in runs:
        totals[name] = totals.get(name, 0) + n
    print("trace_irq: per function")
    for name, n in totals.items():
        print(f"  {name:<{width}} {n:5}")
    if a.listing:
        a.listing.write_text("".join(f"{pc:08x} {syms.name(pc)}\n" for pc in median))
    if a.json:
        a.json.write_text(json.dumps({"lengths": lengths, "median": runs, "per_function": totals}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
