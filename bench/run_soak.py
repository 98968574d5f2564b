#!/usr/bin/env python3
"""The soak (issue #14 item 3, docs/results.md "Soak"): Linux 6.1 at ring 1 runs stress-ng (the
Debian i386 package, in the soak initramfs) on its cpu, fork, pipe, vm, timer and signal
stressors while rtos0 (the μITRON benchmark, itron_bench) measures every tick: the interval
between consecutive ticks and the latency from the real timer interrupt to its handler, in
phases of 2,000 ticks typed back to back on its console so that the phases cover the run.

QEMU -icount shift=0 (the TSC counts instructions: 1 instruction = 1 ns of virtual time; the
8254's 1 ms tick is 999,847 ns). A tick is a missed deadline when its interval lies more than
5 µs (DEADLINE_NS) from that period. The result: per-phase figures, the worst interval and
latency, the missed deadlines, a histogram of all intervals (1 µs bins) and its plot.

  bench/run_soak.py --build build --seconds 20 --check           the short run of test-all
  bench/run_soak.py --build build --seconds 600 --out bench/results/soak.json --svg docs/soak-ticks.svg
"""
import argparse
import datetime
import json
import pathlib
import re
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools/harness"))
from gandalf_harness import LINUX_PROMPT, Failure, Qemu, linux_command, parse_fields  # noqa: E402

PERIOD_NS = 1193 * 1e9 / 1193182  # what count 1193 gives: 999,847 ns
DEADLINE_NS = 5000
PHASE_TICKS = 2000                 # itron_bench.h
STRESSORS = "--cpu 1 --fork 1 --pipe 1 --vm 1 --vm-bytes 4M --timer 1 --signal 1"
QUEUED = 2                         # phases asked for ahead, so that they follow each other


def phase_fields(text: str) -> dict:
    out = {}
    for what in ("irq_latency", "tick_interval"):
        stats = re.search(rf"bench: phase_{what} (n=.*)", text).group(1)
        out[what] = {k: int(v) for k, v in parse_fields(stats).items()}
        hist = []
        for line in re.findall(rf"hist: phase_{what} (.*)", text):
            hist += [(int(lo), int(n)) for lo, n in re.findall(r"(\d+):(\d+)", line)]
        out[what]["hist"] = hist
    return out


def soak(build: pathlib.Path, work: pathlib.Path, seconds: int, system: str = "soak") -> dict:
    work.mkdir(parents=True, exist_ok=True)
    with Qemu(build / "systems" / system, work).start() as m:
        m.wait_for("linux", LINUX_PROMPT, 300)
        m.wait_for("rtos0", r"bench: done", 900)
        out = linux_command(m, "stress-ng --version")
        if "stress-ng, version" not in out:
            raise Failure(m._report(f"no stress-ng in the soak initramfs: {out!r}"))
        linux_command(m, f"stress-ng {STRESSORS} -t {seconds}s --metrics-brief >/tmp/soak.out 2>&1 &")
        phases, wanted = [], max(1, seconds * 1000 // PHASE_TICKS - 1)
        start = len(m.console("rtos0").text())
        asked = 0
        wall = time.monotonic()
        while len(phases) < wanted:
            while asked < min(wanted, len(phases) + QUEUED):
                m.send("rtos0", "L")
                asked += 1
            end = m.wait_for("rtos0", r"bench: phase done\r?\n", 900, start).end()
            phases.append(phase_fields(m.console("rtos0").text()[start:end]))
            start = end
            if len(phases) % 25 == 0:
                worst = max(p["tick_interval"]["max"] for p in phases)
                print(f"soak: {len(phases)}/{wanted} phases ({len(phases) * PHASE_TICKS / 1000:.0f} s of ticks, "
                      f"{time.monotonic() - wall:.0f} s wall), worst interval so far {worst} ns", flush=True)
        said = linux_command(m, "wait; cat /tmp/soak.out", 600)
        if "successful run completed" not in said:
            raise Failure(m._report(f"stress-ng did not complete: {said!r}"))
        m.expect_absent("gandalf", r"\] fault:|PANIC|not emulated")
        start = len(m.console("gandalf").text())
        m.send("gandalf", "paths\n")  # the longest paths, in a PROBE system (soak-probe)
        m.wait_for("gandalf", r"paths: end|paths: not built", 60, start)
        paths = re.findall(r"paths: kind=(\S+) count=\d+ worst=(\d+)", m.console("gandalf").text()[start:])
        metrics = {name: {"bogo_ops": int(ops), "per_second": float(rate)} for name, ops, rate in
                   re.findall(r"metrc: \[\d+\] (\w+)\s+(\d+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+)", said)}
        return {"phases": phases, "stress_ng": metrics, "wall_seconds": round(time.monotonic() - wall),
                "paths_worst": {kind: int(w) for kind, w in paths}}


def summarize(run: dict, seconds: int) -> dict:
    phases = run["phases"]
    bins: dict[int, int] = {}
    missed = 0
    lo_ok, hi_ok = PERIOD_NS - DEADLINE_NS, PERIOD_NS + DEADLINE_NS
    for p in phases:
        t = p["tick_interval"]
        # Each phase's histogram has 20 equal buckets from its min to its max, placed here by
        # their lower bounds (1 µs bins relative to the period). Missed: the intervals of the
        # buckets that lie wholly outside the deadline, and at least the phase's extreme when it
        # lies outside in a bucket that straddles it (a lower bound on the count, exact for the
        # isolated outliers a lost tick makes).
        width = (t["max"] - t["min"]) // 20 + 1
        outside = 0
        for lo, n in t["hist"]:
            b = round((lo - PERIOD_NS) / 1000)
            bins[b] = bins.get(b, 0) + n
            if lo > hi_ok or lo + width <= lo_ok:
                outside += n
        if outside == 0 and (t["max"] > hi_ok or t["min"] < lo_ok):
            outside = 1
        missed += outside
    ticks = sum(p["tick_interval"]["n"] for p in phases)
    worst_hi = max(p["tick_interval"]["max"] for p in phases)
    worst_lo = min(p["tick_interval"]["min"] for p in phases)
    return {
        "benchmark": "soak", "date": datetime.date.today().isoformat(), "platform": "qemu-icount",
        "unit": "ns of virtual time (guest instructions)", "seconds_requested": seconds,
        "stressors": STRESSORS, "phases": len(phases), "intervals_measured": ticks,
        "tick_interval": {"period": round(PERIOD_NS), "min": worst_lo, "max": worst_hi,
                          "worst_deviation": round(max(worst_hi - PERIOD_NS, PERIOD_NS - worst_lo)),
                          "p999_worst_phase": max(p["tick_interval"]["p999"] for p in phases)},
        "irq_latency": {"min": min(p["irq_latency"]["min"] for p in phases),
                        "p50_median_phase": sorted(p["irq_latency"]["p50"] for p in phases)[len(phases) // 2],
                        "max": max(p["irq_latency"]["max"] for p in phases)},
        "missed_deadlines": missed, "deadline_ns": DEADLINE_NS,
        "interval_histogram_us": dict(sorted(bins.items())),
        "stress_ng": run["stress_ng"], "wall_seconds": run["wall_seconds"],
        **({"paths_worst": run["paths_worst"]} if run["paths_worst"] else {}),
    }


def svg(doc: dict) -> str:
    """Tick intervals, deviation from the period in 1 µs bins, log-scale counts."""
    import math
    every = {int(k): v for k, v in doc["interval_histogram_us"].items()}
    bins = {b: n for b, n in every.items() if -10 <= b <= 10}  # a lost tick is +1000: said, not drawn
    beyond = sum(every.values()) - sum(bins.values())
    lo, hi = min(min(bins), -6), max(max(bins), 6)
    w, h, left, bottom = 640, 300, 60, 40
    bw = (w - left - 20) / (hi - lo + 1)
    top = math.log10(max(bins.values()) * 2)
    bars = []
    for b, n in bins.items():
        bh = (h - bottom - 20) * math.log10(n + 1) / top
        bars.append(f'<rect x="{left + (b - lo) * bw:.1f}" y="{h - bottom - bh:.1f}" width="{max(bw - 1, 1):.1f}" '
                    f'height="{bh:.1f}" fill="#4a7"><title>{b} µs: {n}</title></rect>')
    marks = "".join(f'<line x1="{left + (x - lo + 0.5) * bw:.1f}" y1="20" x2="{left + (x - lo + 0.5) * bw:.1f}" '
                    f'y2="{h - bottom}" stroke="#c33" stroke-dasharray="4"/>' for x in (-5, 5))
    labels = "".join(f'<text x="{left + (x - lo) * bw:.1f}" y="{h - bottom + 16}" font-size="11">{x}</text>'
                     for x in range(lo, hi + 1, max(1, (hi - lo) // 10)))
    tick = doc["tick_interval"]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif">'
            f'<text x="{left}" y="14" font-size="13">rtos0 tick intervals under stress-ng: {doc["intervals_measured"]:,} '
            f'ticks, {doc["missed_deadlines"]} beyond ±5 µs ({beyond} beyond ±10 µs, not drawn; worst '
            f'{tick["worst_deviation"]:,} ns)</text>'
            f'{"".join(bars)}{marks}{labels}'
            f'<text x="{left}" y="{h - 6}" font-size="11">deviation from the 999,847 ns period (µs); counts on a '
            f'log scale; dashed: the ±5 µs deadline (QEMU -icount, {doc["date"]})</text></svg>\n')


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", type=pathlib.Path, required=True)
    ap.add_argument("--seconds", type=int, default=20, help="virtual seconds of stress-ng")
    ap.add_argument("--out", type=pathlib.Path)
    ap.add_argument("--svg", type=pathlib.Path)
    ap.add_argument("--check", action="store_true", help="fail on a missed deadline")
    ap.add_argument("--system", default="soak", help="soak-probe: with the path probe (gandalf/core/paths.hpp)")
    a = ap.parse_args()
    try:
        run = soak(a.build, a.build / f"{a.system}-work", a.seconds, a.system)
    except Failure as e:
        print(f"FAIL soak: {e}")
        return 1
    doc = summarize(run, a.seconds)
    brief = {k: v for k, v in doc.items() if k != "interval_histogram_us"}
    print(json.dumps(brief, indent=1))
    if a.out:
        a.out.write_text(json.dumps(doc, indent=2) + "\n")
    if a.svg:
        a.svg.write_text(svg(doc))
    if a.check and doc["missed_deadlines"] != 0:
        print(f"FAIL soak: {doc['missed_deadlines']} tick intervals beyond ±{DEADLINE_NS} ns of the period "
              f"(worst {doc['tick_interval']['worst_deviation']} ns)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
