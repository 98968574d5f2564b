#!/usr/bin/env python3
"""Chaos tests (label `chaos`, issue #14 §2, docs/chaos.md): the chaos guest runs generated and
random instruction streams, random hypercalls and random port I/O in rtos1 and in the Linux
slot of the `chaos` system, restarting whenever Gandalf contains one of its faults, while rtos0
(a test guest) keeps its 1 ms tick.

Pass: Gandalf never panics, never faults itself and keeps answering its monitor; what no guest
may change (Gandalf's code, the image store, rtos0's image) keeps its checksum; rtos0's tick
never stops (on QEMU with -icount every interval stays within TICK_TOLERANCE of 1 ms); every
fault Gandalf reports says what the instruction or exception was; the chaos guests made
progress. Seeded: a failure prints the seeds, and `--seed S` runs the same streams again
(on QEMU with -icount, the same run instruction for instruction).

  tests/chaos/run.py --build build valid_on_qemu                  the short run of test-all
  tests/chaos/run.py --build build --seconds 3600 valid_on_qemu    the long run
  tests/chaos/run.py --build build --seed 77 random_on_bochs
"""
import argparse
import pathlib
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools/harness"))
from gandalf_harness import Failure, Qemu, make_iso, parse_fields  # noqa: E402

TICK_TOLERANCE = 0.05            # rtos0's tick intervals on QEMU -icount: within 5% of 1 ms
MIN_REPORTS, LONGER = 5, 4       # rtos0 tick reports (1000 ticks each) a run waits for, up to 4x its time
STUCK_SECONDS = {"qemu": 10, "bochs": 30}
FAULT_LINE = re.compile(r"\[(\w+)\] fault: vector (\d+) ([^(]+?) \(error 0x[0-9a-f]{4}\) at [0-9a-f]{4}:[0-9a-f]{8}: (.+)")
GANDALF_BROKEN = r"PANIC|exception in Gandalf|not emulated \(Gandalf|cannot return to the guest"


def monitor(m, command: str, end: str, timeout: float = 60) -> str:
    start = len(m.console("gandalf").text())
    m.send("gandalf", command + "\n")
    m.wait_for("gandalf", end, timeout, start)
    return m.console("gandalf").text()[start:]


def sums(m) -> dict[str, str]:
    text = monitor(m, "sums", r"sums: end")
    return {name: fnv for name, fnv in re.findall(r"sums: (\S+) [0-9a-f]{8}\+\S+ fnv=(\S+)", text)}


def used_tsc(m) -> dict[str, int]:
    text = monitor(m, "t", r"telemetry: end")
    return {f["name"]: int(f["used_tsc"]) for f in map(parse_fields, re.findall(r"telemetry: (name=\S+ used_tsc=.*)", text))}


def chaos_progress(text: str) -> tuple[int, int]:
    """(lives seen, snippets run) from a chaos guest's console."""
    lives = {int(l) for l in re.findall(r"chaos: (?:up|at) life=(\d+)", text)}
    per_life: dict[int, int] = {}
    for life, n in re.findall(r"chaos: at life=(\d+) .*?snippets=(\d+)", text):
        per_life[int(life)] = max(per_life.get(int(life), 0), int(n))
    return len(lives), sum(per_life.values())


def run(build: pathlib.Path, work: pathlib.Path, emulator: str, mode: str, seconds: float, seed: int) -> None:
    system = build / "systems/chaos"
    report = 2000 if mode == "valid" else 200  # random-mode lives are short
    args = {"rtos1": f"seed={seed} mode={mode} report={report}",
            "linux": f"seed={seed + 1} mode={mode} report={report}", "rtos0": "report_every=1000"}
    print(f"chaos: {mode} streams on {emulator}, seeds rtos1={seed} linux={seed + 1}, {seconds:.0f} s", flush=True)
    iso = make_iso(system, work / "case.iso", args)
    if emulator == "bochs":
        from bochs_sockets import interactive_bochs  # consoles that take input: the monitor
        m = interactive_bochs(system, work, iso)
    else:
        m = Qemu(system, work, iso=iso).start()
    with m:
        m.wait_for("gandalf", r"gandalf: starting guests", 300)
        m.wait_for("rtos0", r"tick n=1000 ", 300)
        before = sums(m)
        # `sums` keeps interrupts masked while it reads (docs/debugging.md): the tick report
        # that covers it is not judged, nor what follows the last `sums`.
        ticks_from = len(m.console("rtos0").text())
        deadline = time.monotonic() + seconds
        # The judgement needs MIN_REPORTS of rtos0's tick reports (seconds of virtual time):
        # QEMU's speed in guest instructions per wall second depends on the stream and on the
        # host's load, so a short run goes on until it has them, for at most LONGER times its
        # wall time.
        def reports() -> int:
            return len(re.findall(r"tick n=", m.console("rtos0").text()[ticks_from:]))
        hard_deadline = deadline + (LONGER - 1) * seconds
        # A chaos guest caught in a loop with its virtual IF off never faults: after
        # STUCK_SECONDS without a line from it, the harness restarts it from the monitor.
        # (Only rtos1: the Linux slot runs only when rtos1 halts, fixed priority.)
        seen, seen_at, watchdog = len(m.console("rtos1").text()), time.monotonic(), 0
        while time.monotonic() < deadline or (reports() < MIN_REPORTS and time.monotonic() < hard_deadline):
            time.sleep(min(5.0, max(1.0, deadline - time.monotonic())))
            m.expect_absent("gandalf", GANDALF_BROKEN)
            size = len(m.console("rtos1").text())
            if size != seen:
                seen, seen_at = size, time.monotonic()
            elif time.monotonic() - seen_at > STUCK_SECONDS[emulator]:
                monitor(m, "restart rtos1", r"monitor: done")
                watchdog += 1
                seen_at = time.monotonic()
        ticks_to = len(m.console("rtos0").text())
        after = sums(m)  # the monitor still answers
        used = used_tsc(m)
        text = m.console("gandalf").text()
        m.expect_absent("gandalf", GANDALF_BROKEN)
        for name in ("gandalf", "store", "rtos0"):
            if before.get(name) is None or after.get(name) != before[name]:
                raise Failure(m._report(f"{name}'s checksum moved: {before.get(name)} then {after.get(name)}"))
        # rtos0's tick: reports every 1000 ticks, counting on by 1000 each, to the end.
        reports = [parse_fields(l) for l in re.findall(r"tick (n=.*)", m.console("rtos0").text())]
        ns = [int(r["n"]) for r in reports]
        if len(ns) < 3 or any(b - a != 1000 for a, b in zip(ns, ns[1:])):
            raise Failure(m._report(f"rtos0's tick reports do not count on by 1000: {ns[:20]}"))
        if emulator == "qemu":
            judged = [parse_fields(l) for l in re.findall(r"tick (n=.*)", m.console("rtos0").text()[ticks_from:ticks_to])][1:]
            if len(judged) < 3:
                raise Failure(m._report(f"only {len(judged)} tick reports of rtos0 to judge"))
            period = int(judged[-1]["avg"])
            worst = max(max(abs(int(r["min"]) - period), abs(int(r["max"]) - period)) for r in judged)
            if worst > TICK_TOLERANCE * period:
                raise Failure(m._report(f"rtos0's tick interval strayed {worst} TSC from {period} (bound "
                                        f"{TICK_TOLERANCE:.0%})"))
        # Every fault report names the instruction or the exception and why. (Whole lines only:
        # the last one may still be on its way out of Gandalf's console.)
        text = text[:text.rfind("\n") + 1]
        faults = FAULT_LINE.findall(text)
        raw = re.findall(r"\] fault: .*", text)
        if len(faults) != len(raw) or any(not why.strip() or "?" in what for _, _, what, why in faults):
            odd = [l for l in re.findall(r".*\] fault: .*", text) if not FAULT_LINE.search(l)]
            raise Failure(m._report(f"{len(raw) - len(faults)} fault reports without a readable cause: {odd[:3]}"))
        # Valid mode keeps every memory operand and near branch inside the guest (docs/chaos.md):
        # an access beyond a limit or outside the partition's memory means the generator
        # escaped, in rtos1 or in the Linux slot, and on QEMU, which does not check data limits,
        # the run would no longer be the processor's. (A stack Gandalf cannot reflect on is not
        # judged: in the Linux slot an iret to one of its ring-3 selectors, as hardware allows,
        # takes SS:ESP from scratch.)
        escaped = [l for l in re.findall(r".*\] fault: .*", text)
                   if re.search(r"beyond the (?:code )?segment limit|outside the partition's memory", l)]
        if mode == "valid" and escaped:
            raise Failure(m._report(f"the valid-mode generator reached beyond its segment: {escaped[:3]}"))
        restarts = {who: len(re.findall(rf"\[{who}\] restarting", text)) for who in ("rtos1", "linux")}
        lives, snippets = chaos_progress(m.console("rtos1").text())
        if snippets < (2000 if mode == "valid" else 500):
            raise Failure(m._report(f"rtos1's chaos guest ran only {snippets} snippets"))
        causes: dict[str, int] = {}
        for _, vector, _, why in faults:
            key = f"#{vector} " + re.sub(r"0x[0-9a-f]+", "N", why)[:70]
            causes[key] = causes.get(key, 0) + 1
        print(f"chaos: rtos1 ran {snippets} snippets in {lives} lives ({used.get('rtos1', 0)} TSC ticks of CPU, "
              f"one per instruction under QEMU -icount and on Bochs), Linux slot {chaos_progress(m.console('linux').text())[1]} snippets "
              f"({used.get('linux', 0)} TSC); Gandalf contained {len(faults)} faults and restarted rtos1 "
              f"{restarts['rtos1']}, the Linux slot {restarts['linux']} times; the harness restarted rtos1 "
              f"{watchdog} times (stuck in a loop with its IF off); rtos0 ticked {ns[-1]} times; "
              f"checksums unchanged")
        for cause, n in sorted(causes.items(), key=lambda kv: -kv[1])[:12]:
            print(f"  {n:6}  {cause}")


CASES = {"valid_on_qemu": ("qemu", "valid", 60), "random_on_bochs": ("bochs", "random", 90),
         "valid_on_bochs": ("bochs", "valid", 60)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True, type=pathlib.Path)
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--seconds", type=float, help="wall-clock seconds to run (default: the case's)")
    ap.add_argument("--seed", type=int, default=0, help="rtos1's seed (the Linux slot's is one more); 0: from the clock")
    ap.add_argument("case", choices=sorted(CASES))
    a = ap.parse_args()
    emulator, mode, seconds = CASES[a.case]
    seed = a.seed or int(time.time()) % 100000
    work = pathlib.Path(tempfile.mkdtemp(prefix=f"gandalf-chaos-{a.case}-"))
    try:
        run(a.build.resolve(), work, emulator, mode, a.seconds or seconds, seed)
    except Failure as e:
        print(f"FAIL {a.case} (seed {seed}; replay: tests/chaos/run.py --build {a.build} --seed {seed} {a.case}): "
              f"{e}\n(work directory kept: {work})")
        return 1
    print(f"PASS {a.case} (seed {seed})")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
