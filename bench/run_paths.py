#!/usr/bin/env python3
"""Worst-case path lengths through Gandalf (issue #14 item 4, docs/results.md "Worst-case paths").

The PROBE systems (gandalf/core/paths.hpp) time every entry into Gandalf, by kind, from its C
handler's first instruction to its return into the exit path. Under QEMU -icount shift=0 the
TSC counts instructions, so each row's worst is the longest path of its kind in instructions,
and since all of Gandalf runs with interrupts masked, how long that path keeps them off. Three
scenarios drive the paths, each on QEMU -icount:

  vmm-test   test guests: a fault and its restart, a reflected exception, FPU switches, virtual
             8259/8254 port I/O, console input interrupts, refused hypercalls, a monitor restart
  chaos      the chaos guests (docs/chaos.md), valid streams with a fixed seed
  linux      Linux 6.1 at ring 1 beside sample1/sample2: boot to the prompt, fork+exec, a pipe,
             signals, privileged instructions from user mode, the FPU, and a monitor restart of
             Linux back to its prompt

The rows are merged (worst of the worst, counts added) into --out. With --check, every row of
the committed table (bench/results/paths.json) must have been exercised and must not have grown
by more than 10%; a measured row missing from the table fails too. --update rewrites the
committed table from this run (then docs/results.md's table, printed with --markdown).
"""
import argparse
import datetime
import json
import pathlib
import platform
import re
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools/harness"))
from gandalf_harness import LINUX_PROMPT, Failure, Qemu, linux_command, make_iso  # noqa: E402

COMMITTED = ROOT / "bench/results/paths.json"
GROWTH = 0.10
PROMPT = LINUX_PROMPT
CHAOS_SEED = 2026


def monitor(m, command: str, end: str, timeout: float = 60) -> str:
    start = len(m.console("gandalf").text())
    m.send("gandalf", command + "\n")
    m.wait_for("gandalf", end, timeout, start)
    return m.console("gandalf").text()[start:]


def paths(m) -> dict[str, dict[str, int]]:
    out = monitor(m, "paths", r"paths: end")
    if "not built" in out:
        raise Failure(m._report("this Gandalf has no path probe"))
    return {kind: {"count": int(c), "worst": int(w), "total": int(t)}
            for kind, c, w, t in re.findall(r"paths: kind=(\S+) count=(\d+) worst=(\d+) total=(\d+)", out)}


def vmm_test(build: pathlib.Path, work: pathlib.Path) -> dict:
    # Module arguments, not typed commands, wherever they can: under -icount these runs are
    # the same instruction for instruction. Both FPU users overlap, so that each #NM saves the
    # other's state.
    args = {"rtos1": "misbehave=ud2 at=100", "linux": "misbehave=fpu_tick at=100",
            "rtos0": "misbehave=fpu_tick at=150"}
    (work / "vmm-test").mkdir(parents=True, exist_ok=True)
    with Qemu(build / "systems/vmm-test-probe", work / "vmm-test", module_args=args).start() as m:
        m.wait_for("gandalf", r"gandalf: starting guests", 60)
        m.wait_for("rtos1", r"\[rtos1\] up partition=2 restarts=1", 60)
        for role in ("rtos0", "linux"):  # both done before anything is typed
            m.wait_for(role, rf"\[{role}\] fpu_tick: \d+ checks, 0 wrong", 60)
        for role in ("rtos0", "linux"):  # typed: console input interrupts, whenever they come
            for command in ("stats", "divide_reflect", "bad_hypercall"):
                start = len(m.console(role).text())
                m.send(role, command + "\n")
                m.wait_for(role, rf"\[{role}\] (tick |misbehave {command})", 60, start)
        time.sleep(1)
        monitor(m, "restart linux", r"monitor: done")
        m.wait_for("linux", r"\[linux\] up partition=0 restarts=1", 60)
        m.expect_absent("gandalf", r"PANIC|exception in Gandalf")
        return paths(m)


def chaos(build: pathlib.Path, work: pathlib.Path, seconds: float) -> dict:
    system = build / "systems/chaos-probe"
    args = {"rtos1": f"seed={CHAOS_SEED} mode=valid report=2000",
            "linux": f"seed={CHAOS_SEED + 1} mode=valid report=2000", "rtos0": "report_every=1000"}
    (work / "chaos").mkdir(parents=True, exist_ok=True)
    iso = make_iso(system, work / "chaos/case.iso", args)
    with Qemu(system, work / "chaos", iso=iso).start() as m:
        m.wait_for("gandalf", r"gandalf: starting guests", 120)
        m.wait_for("rtos0", r"tick n=1000 ", 120)
        time.sleep(seconds)
        m.expect_absent("gandalf", r"PANIC|exception in Gandalf")
        return paths(m)


def linux(build: pathlib.Path, work: pathlib.Path) -> dict:
    (work / "linux").mkdir(parents=True, exist_ok=True)
    with Qemu(build / "systems/default-probe", work / "linux").start() as m:
        m.wait_for("gandalf", r"gandalf: starting guests", 60)
        m.wait_for("linux", PROMPT, 300)
        for line in ("gandalf-selftest forkexec 100", "gandalf-selftest pipe 2", "gandalf-selftest signal",
                     "gandalf-selftest priv", "gandalf-selftest fpu 1", "gandalf-selftest sleep 100"):
            out = linux_command(m, line, 300)
            if not re.search(r" ok\b", out):
                raise Failure(m._report(f"`{line}` did not say ok: {out!r}"))
        start = len(m.console("linux").text())
        monitor(m, "restart linux", r"monitor: done")
        m.wait_for("linux", r"Linux version 6\.1\.", 120, start)
        m.wait_for("linux", PROMPT, 300, start)
        m.expect_absent("gandalf", r"PANIC|exception in Gandalf|not emulated")
        return paths(m)


def merge(runs: dict[str, dict]) -> dict:
    rows: dict[str, dict] = {}
    for scenario, table in runs.items():
        for kind, r in table.items():
            row = rows.setdefault(kind, {"count": 0, "worst": 0, "scenario": scenario})
            row["count"] += r["count"]
            if r["worst"] > row["worst"]:
                row["worst"], row["scenario"] = r["worst"], scenario
    return dict(sorted(rows.items()))


def check(rows: dict, committed: dict) -> list[str]:
    problems = []
    base = committed["rows"]
    for kind, c in base.items():
        r = rows.get(kind)
        if r is None or r["count"] == 0:
            problems.append(f"{kind}: in the committed table, not exercised by this run")
        elif r["worst"] > c["worst"] * (1 + GROWTH):
            problems.append(f"{kind}: worst {r['worst']} instructions, {r['worst'] / c['worst']:.2f}x the committed "
                            f"{c['worst']} (more than {GROWTH:.0%} growth; scenario {r['scenario']})")
    for kind in rows.keys() - base.keys():
        problems.append(f"{kind}: measured ({rows[kind]['worst']} instructions) but not in the committed table "
                        "(bench/run_paths.py --update)")
    return problems


def markdown(rows: dict) -> str:
    lines = ["| path | worst (instructions) | count | scenario of the worst |", "|---|---:|---:|---|"]
    for kind, r in sorted(rows.items(), key=lambda kv: -kv[1]["worst"]):
        lines.append(f"| `{kind}` | {r['worst']:,} | {r['count']:,} | {r['scenario']} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", type=pathlib.Path, required=True)
    ap.add_argument("--out", type=pathlib.Path, required=True)
    ap.add_argument("--chaos-seconds", type=float, default=20)
    ap.add_argument("--check", action="store_true", help="fail on a row grown by more than 10%%")
    ap.add_argument("--update", action="store_true", help="rewrite bench/results/paths.json from this run")
    ap.add_argument("--markdown", action="store_true", help="print the table for docs/results.md")
    a = ap.parse_args()
    work = a.out.parent / "paths-work"
    work.mkdir(parents=True, exist_ok=True)
    try:
        runs = {"vmm-test": vmm_test(a.build, work), "chaos": chaos(a.build, work, a.chaos_seconds),
                "linux": linux(a.build, work)}
    except Failure as e:
        print(f"FAIL paths: {e}")
        return 1
    rows = merge(runs)
    doc = {"benchmark": "paths", "date": datetime.date.today().isoformat(), "host": platform.machine(),
           "platform": "qemu-icount", "unit": "guest_instructions", "growth_allowed": GROWTH, "rows": rows}
    a.out.write_text(json.dumps(doc, indent=2) + "\n")
    for kind, r in rows.items():
        print(f"{kind:32} worst {r['worst']:>9}  count {r['count']:>10}  ({r['scenario']})")
    if a.markdown:
        print(markdown(rows))
    if a.update:
        COMMITTED.write_text(json.dumps(doc, indent=2) + "\n")
        print(f"wrote {COMMITTED}")
    if a.check:
        problems = check(rows, json.loads(COMMITTED.read_text()))
        for p in problems:
            print(f"FAIL paths: {p}")
        if problems:
            return 1
        print("paths: every row within 10% of the committed table")
    return 0


if __name__ == "__main__":
    sys.exit(main())
