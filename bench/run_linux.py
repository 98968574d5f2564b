#!/usr/bin/env python3
"""Linux on Gandalf against the same kernel booted natively, in one run each under QEMU
-icount shift=0 (one instruction = one virtual ns, so rdtsc counts guest instructions and the
figures are deterministic): boot to the prompt (Linux's /proc/uptime there), the null system
call (getppid through int $0x80, cycles per call from gandalf-selftest), fork+exec of
/bin/true, and the traps into Gandalf per null system call (Gandalf's monitor counters before
and after). Writes bench/results/linux.json-style output to --out. First figures for issue
#11; the full lmbench-style table is issue #12."""
import argparse
import json
import pathlib
import re
import sys
import tempfile
import time

root = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(root / "tools/harness"))
sys.path.insert(0, str(root / "tests/linux"))
from gandalf_harness import Qemu  # noqa: E402
from run import NativeLinux, command  # noqa: E402

SYSCALLS = 200000
FORKS = 200


def traps(m) -> int:
    start = len(m.console("gandalf").text())
    m.send("gandalf", "c\n")
    m.wait_for("gandalf", r"counters: end", 30, start)
    text = m.console("gandalf").text()[start:]
    return int(re.search(r"counters: name=linux .*?traps=(\d+)", text).group(1))


def on_gandalf(build: pathlib.Path, work: pathlib.Path) -> dict:
    with Qemu(build / "systems/default", work, icount=True).start() as m:
        m.wait_for("linux", r"/ # ", 300)
        uptime = float(command(m, "cat /proc/uptime").split()[0])
        before = traps(m)
        out = command(m, f"gandalf-selftest syscalls {SYSCALLS}", 600)
        after = traps(m)
        per_call = int(re.search(r"getppid (\d+) cycles/call", out).group(1))
        t0 = time.monotonic()
        fork = command(m, f"time gandalf-selftest forkexec {FORKS}", 600)
        return {"boot_to_prompt_s": uptime, "null_syscall_instructions": per_call,
                "traps_per_null_syscall": round((after - before) / SYSCALLS, 2),
                "forkexec_real": re.search(r"real\s+(\d+m ?[\d.]+s)", fork).group(1) if "real" in fork else None,
                "host_seconds_forkexec": round(time.monotonic() - t0, 2)}


def native(build: pathlib.Path, work: pathlib.Path) -> dict:
    nl = NativeLinux(build / "linux", work, "console=ttyS0 panic=-1")
    nl.cmd += ["-icount", "shift=0,sleep=off"]
    with nl as m:
        m.wait_for(r"/ # ", 300)
        s = m.send("cat /proc/uptime\n")
        uptime = float(m.wait_for(r"^(\d+\.\d+) ", 30, s).group(1).decode())
        s = m.send(f"gandalf-selftest syscalls {SYSCALLS}\n")
        per_call = int(m.wait_for(r"getppid (\d+) cycles/call", 600, s).group(1).decode())
        s = m.send(f"time gandalf-selftest forkexec {FORKS}\n")
        real = m.wait_for(r"real\s+(\d+m ?[\d.]+s)", 600, s).group(1).decode()
        return {"boot_to_prompt_s": uptime, "null_syscall_instructions": per_call, "forkexec_real": real}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", type=pathlib.Path, required=True)
    ap.add_argument("--out", type=pathlib.Path)
    a = ap.parse_args()
    work = pathlib.Path(tempfile.mkdtemp(prefix="gandalf-bench-linux-"))
    (work / "native").mkdir()
    result = {"platform": "qemu-icount", "syscalls": SYSCALLS, "forks": FORKS,
              "native": native(a.build, work / "native"), "gandalf": on_gandalf(a.build, work / "gandalf")}
    n, g = result["native"], result["gandalf"]
    result["ratio_null_syscall"] = round(g["null_syscall_instructions"] / n["null_syscall_instructions"], 2)
    result["ratio_boot"] = round(g["boot_to_prompt_s"] / n["boot_to_prompt_s"], 2)
    text = json.dumps(result, indent=1)
    print(text)
    if a.out:
        a.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
