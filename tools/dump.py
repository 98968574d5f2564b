#!/usr/bin/env python3
"""A partition's crash dump from Gandalf's monitor, readable, with symbols.

    tools/dump.py NAME [--socket build/run/com4.sock] [--elf FILE] [--out FILE]
    tools/dump.py --list [--socket ...]

When a partition faults and Gandalf contains it, Gandalf keeps a dump of it (docs/debugging.md,
"Crash dumps") while the rest runs: the fault, every register, the instruction bytes at EIP,
the top of its stack, and, as its configuration asks, the last bytes of its console and a copy
of its memory. This fetches the dump through the monitor's console socket of a running
system (`dump NAME`), saves the monitor's lines (--out) and prints them readably. With --elf
(the partition's ELF: build/itron/APP.elf for a μITRON instance, build/linux/vmlinux for
Linux) EIP and every stack word that falls in the program's code get their function and offset.
--from-text reads saved lines instead of connecting."""
import argparse
import bisect
import pathlib
import re
import subprocess
import sys

root = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(root / "tools/harness"))
import monitor_socket  # noqa: E402

EXCEPTIONS = {0: "#DE divide error", 1: "#DB debug", 3: "#BP breakpoint", 4: "#OF overflow", 5: "#BR bound",
              6: "#UD invalid opcode", 7: "#NM no FPU", 8: "#DF double fault", 10: "#TS invalid TSS",
              11: "#NP segment not present", 12: "#SS stack fault", 13: "#GP general protection",
              14: "#PF page fault", 16: "#MF x87 error", 17: "#AC alignment", 19: "#XM SIMD error",
              256: "reset: the guest reset its machine (Linux after a panic, or reboot)"}


class Symbols:
    """Function symbols of an ELF (nm -n -S): the function an address falls in, if any."""

    def __init__(self, elf: pathlib.Path):
        out = subprocess.run(["nm", "-n", "-S", "--defined-only", str(elf)], check=True, capture_output=True,
                             text=True).stdout
        self.entries = [(int(a, 16), int(size, 16), n)
                        for a, size, n in re.findall(r"^([0-9a-f]+) ([0-9a-f]+) [tTwW] (\S+)$", out, re.M)]
        self.addresses = [a for a, _, _ in self.entries]

    def name(self, address: int) -> str | None:
        i = bisect.bisect_right(self.addresses, address) - 1
        if i < 0:
            return None
        base, size, name = self.entries[i]
        return f"{name}+0x{address - base:x}" if address < base + size else None


def parse(text: str, name: str) -> dict:
    """The monitor's `dump NAME` lines -> a dict; ValueError with the monitor's own message."""
    refused = re.search(r"monitor: (no (?:partition|dump) .*)", text)
    if refused:
        raise ValueError(refused.group(1))
    d: dict = {"regs": {}, "code": b"", "stack": b"", "console": b"", "code_at": None, "stack_at": None,
               "console_at": None}
    for line in re.findall(rf"dump: name={re.escape(name)} (.*)", text):
        if line.startswith("what="):
            d["what"] = line[5:]
        elif line.startswith("regs "):
            d["regs"].update({k: int(v, 16) for k, v in re.findall(r"(\w+)=([0-9a-f]+)", line)})
        elif line.startswith("insn "):
            d["insn"] = line[5:]
        elif line.startswith("memory bytes="):
            m = re.match(r"memory bytes=([0-9a-f]+) copied=([0-9a-f]+)", line)
            d["memory_bytes"], d["memory_copied"] = int(m.group(1), 16), int(m.group(2), 16)
        elif line.startswith(("code ", "stack ", "console ")):
            kind, at, hexes = line.split()
            at = int(at.split("=")[1], 16)
            if d[kind + "_at"] is None:
                d[kind + "_at"] = at
            d[kind] += bytes.fromhex(hexes)
        else:
            d.update({k: v for k, v in re.findall(r"(\w+)=(\S+)", line)})
    if "vector" not in d:
        raise ValueError(f"no dump lines for {name}")
    return d


def render(d: dict, name: str, symbols: Symbols | None) -> str:
    r = d["regs"]
    sym = lambda a: (symbols.name(a) if symbols else None)
    vector = int(d["vector"])
    out = [f"{name}: dump {d['seq']} (restart {d['restarts']}), at {d['time_ms']} ms of Gandalf's clock",
           f"  fault: vector {vector} {EXCEPTIONS.get(vector, 'interrupt or hypercall')}, error {d['error']}",
           f"  why:   {d.get('what', '')}",
           f"  at:    {r.get('cs', 0):04x}:{r.get('eip', 0):08x}" + (f"  <{sym(r['eip'])}>" if sym(r.get('eip', -1)) else "")
           + f"  {d.get('insn', '')}  [{d['code'].hex(' ')}]"]
    out.append("  " + "  ".join(f"{k}={r[k]:08x}" for k in ("eax", "ebx", "ecx", "edx") if k in r))
    out.append("  " + "  ".join(f"{k}={r[k]:08x}" for k in ("esi", "edi", "ebp", "esp") if k in r))
    out.append("  " + "  ".join(f"{k}={r[k]:04x}" for k in ("cs", "ss", "ds", "es", "fs", "gs") if k in r)
               + f"  eflags={r.get('eflags', 0):08x}")
    if "cr0" in r:
        out.append("  " + "  ".join(f"{k}={r[k]:08x}" for k in ("cr0", "cr2", "cr3", "cr4")))
    out.append(f"  stack from {d['stack_at'] or 0:08x} ({len(d['stack'])} bytes):")
    stack = d["stack"]
    for i in range(0, len(stack) - len(stack) % 4, 4):
        word = int.from_bytes(stack[i:i + 4], "little")
        s = sym(word)
        out.append(f"    {(d['stack_at'] or 0) + i:08x}: {word:08x}" + (f"  <{s}>" if s else ""))
    if d["console"]:
        out.append(f"  last {len(d['console'])} bytes of its console:")
        text = d["console"].decode("latin-1").replace("\r", "")
        out += ["  | " + line for line in text.split("\n")]
    if "memory_bytes" in d:
        done = "all" if d["memory_copied"] == d["memory_bytes"] else f"{d['memory_copied']:#x} so far"
        out.append(f"  memory: {d['memory_bytes']:#x} bytes from its start kept ({done}): gandalf dump {name} --memory FILE")
    return "\n".join(out) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("name", nargs="?", help="the partition (as in the configuration)")
    ap.add_argument("--list", action="store_true", help="list the partitions that have a dump")
    ap.add_argument("--socket", type=pathlib.Path, default=root / "build/run/com4.sock",
                    help="the monitor's console socket (default: build/run/com4.sock, as tools/run-system makes it)")
    ap.add_argument("--elf", type=pathlib.Path, help="the partition's ELF, for symbols")
    ap.add_argument("--out", type=pathlib.Path, help="also save the monitor's lines here")
    ap.add_argument("--from-text", type=pathlib.Path, help="read saved monitor lines instead of connecting")
    a = ap.parse_args()
    if not a.list and not a.name:
        ap.error("name a partition, or --list")
    if a.from_text:
        text = a.from_text.read_text()
    else:
        command, end = ("dumps", r"dumps: end\n") if a.list else (f"dump {a.name}", r"dump: end\n|monitor: no .*\n")
        text = monitor_socket.reply_or_exit("dump", a.socket, command, end)
    if a.out:
        a.out.write_text(text)
    if a.list:
        rows = re.findall(r"dumps: (name=.*)", text)
        print("\n".join(rows) if rows else "no partition has a dump")
        return 0
    try:
        d = parse(text, a.name)
    except ValueError as e:
        print(f"dump: {e}", file=sys.stderr)
        return 1
    if a.elf is not None and not a.elf.exists():
        print(f"dump: {a.elf} does not exist", file=sys.stderr)
        return 1
    sys.stdout.write(render(d, a.name, Symbols(a.elf) if a.elf else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
