#!/usr/bin/env python3
"""μITRON kernel benchmark (issue #4 item 6): boots the default system with the benchmark
application (itron/bench/itron_bench) as RTOS instance 0 and collects, per platform and
scenario, SAMPLES rdtsc differences of: null hypercall (the baseline), a few service calls,
the sig_sem/wai_sem task switch, and the latency from the real timer interrupt to the
kernel's DEF_INH handler (with histograms). Then, under -icount with the Linux slot idle,
itron/bench/line_bench in the μITRON and the ASP flavour: an application line's handler
entry and exit (the ASP flavour's handlers nest by priority, docs/itron-compat.md).

Platforms: QEMU TCG with -icount shift=0 (rdtsc = guest instructions) and plain QEMU TCG
(rdtsc = host cycles). Scenarios: the Linux slot idle, and the Linux slot busy-looping with
its virtual interrupts disabled (test guest `misbehave=cli_forever`): the latency must not
move. Writes bench/results/itron.json's format.
"""
import argparse
import datetime
import json
import pathlib
import platform
import re
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools/harness"))
from gandalf_harness import Failure, Qemu, modules_of, parse_fields  # noqa: E402

SCENARIOS = {"linux_idle": {}, "linux_cli_busy_loop": {"linux": "misbehave=cli_forever at=1"}}


def collect(m, timeout):
    m.wait_for("rtos0", r"bench: done", timeout)
    text = m.console("rtos0").text()
    out = {}
    for name, rest in re.findall(r"bench: (\w+) (n=.*)", text):
        out[name] = {k: int(v) for k, v in parse_fields(rest).items()}
    for name, rest in re.findall(r"hist: (\w+) (.*)", text):
        out[name].setdefault("histogram", []).extend(
            [int(a), int(b)] for a, b in (p.split(":") for p in rest.split()))
    return out


LINE_FLAVOURS = {"itron": "line_bench", "asp": "line_bench_asp"}
LINE_FIGURES = ("line_entry", "line_exit")


def run(build, platform_name, scenario, work, app="itron_bench"):
    system = build / "systems/samples"
    image = build / f"itron/{app}.img"
    mods = [(n, str(image) if n == "rtos0" else p) for n, p in modules_of(system)]
    m = Qemu(system, work, icount=(platform_name == "qemu-icount"), modules=mods,
             module_args=SCENARIOS[scenario])
    with m.start():
        if scenario != "linux_idle":
            m.wait_for("linux", r"cli_forever: disabling", 60)
        return collect(m, 900)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True, type=pathlib.Path)
    ap.add_argument("--out", type=pathlib.Path, help="JSON result file")
    ap.add_argument("--platforms", default="qemu-icount,qemu-tcg")
    ap.add_argument("--scenarios", default=",".join(SCENARIOS))
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if, under -icount, the busy Linux slot moves the RTOS's interrupt "
                         "latency by more than 5%% (median or worst case), or if the median latency "
                         "grew by more than 5%% over the committed bench/results/itron.json")
    ap.add_argument("--committed", type=pathlib.Path, default=ROOT / "bench/results/itron.json")
    a = ap.parse_args()
    results = []
    for p in a.platforms.split(","):
        for s in a.scenarios.split(","):
            raw = run(a.build.resolve(), p, s, pathlib.Path(tempfile.mkdtemp(prefix=f"gandalf-itron-{p}-")))
            unit = "host_cycles" if p == "qemu-tcg" else "guest_instructions"
            base = raw["null_hypercall"]["p50"]
            results.append({"platform": p, "scenario": s, "unit": unit, "figures": raw,
                            "ratio_to_null_hypercall_p50": {k: round(v["p50"] / base, 2) for k, v in raw.items()}})
            print(json.dumps({k: results[-1][k] for k in ("platform", "scenario", "unit")}),
                  {k: (v["p50"], v["max"]) for k, v in raw.items()})
    line = {}
    if "qemu-icount" in a.platforms.split(","):
        for flavour, app in LINE_FLAVOURS.items():
            work = pathlib.Path(tempfile.mkdtemp(prefix=f"gandalf-itron-{app}-"))
            line[flavour] = run(a.build.resolve(), "qemu-icount", "linux_idle", work, app)
            print(json.dumps({"line_interrupt": flavour}), {k: (v["p50"], v["max"]) for k, v in line[flavour].items()})
    doc = {"benchmark": "itron", "date": datetime.date.today().isoformat(),
           "host": platform.processor() or platform.machine(), "samples": 10000, "results": results}
    if line:
        doc["line_interrupt"] = {"date": doc["date"], "platform": "qemu-icount", "scenario": "linux_idle", "unit": "guest_instructions",
                                 "flavours": line}
    if a.out:
        a.out.write_text(json.dumps(doc, indent=1) + "\n")
    # Sanity: every figure present on every run, and the irq latency histogram sums to n.
    for r in results:
        for name in ("null_hypercall", "switch_one_way", "switch_round_trip", "irq_latency"):
            f = r["figures"].get(name)
            if f is None or sum(c for _, c in f["histogram"]) != f["n"]:
                print(f"missing or inconsistent figure {name} on {r['platform']}/{r['scenario']}")
                return 1
    for flavour, figures in line.items():
        for name in LINE_FIGURES:
            f = figures.get(name)
            if f is None or sum(c for _, c in f["histogram"]) != f["n"]:
                print(f"missing or inconsistent figure {name} of line_bench, {flavour} flavour")
                return 1
    if a.check:
        ic = {r["scenario"]: r["figures"]["irq_latency"] for r in results if r["platform"] == "qemu-icount"}
        idle, busy = ic.get("linux_idle"), ic.get("linux_cli_busy_loop")
        if idle is None or busy is None:
            print("--check needs both scenarios on qemu-icount")
            return 1
        for key in ("p50", "max"):
            moved = abs(busy[key] - idle[key]) / idle[key]
            print(f"irq latency {key}: Linux idle {idle[key]}, Linux busy with interrupts off {busy[key]} "
                  f"instructions ({moved:.1%}): {'ok' if moved <= 0.05 else 'MOVED'}")
            if moved > 0.05:
                return 1
        # Issue #15 item 4: the interrupt path's figure is guarded, not only its steadiness.
        committed = json.loads(a.committed.read_text())
        for r in committed["results"]:
            if r["platform"] != "qemu-icount" or r["scenario"] not in ic:
                continue
            was, now = r["figures"]["irq_latency"]["p50"], ic[r["scenario"]]["p50"]
            grew = now / was - 1
            print(f"irq latency p50, {r['scenario']}: committed {was}, now {now} instructions ({grew:+.1%}): "
                  f"{'ok' if grew <= 0.05 else 'GREW'}")
            if grew > 0.05:
                return 1
        # An application line's entry and exit, in each flavour; the ASP flavour's handler runs
        # interruptible, one SET_IF hypercall each way more: if its entry is not dearer, its
        # handlers stopped nesting.
        if "line_interrupt" not in committed or set(line) != set(LINE_FLAVOURS):
            print("--check needs line_interrupt in the committed results and both flavours on qemu-icount")
            return 1
        extra = line["asp"]["line_entry"]["p50"] - line["itron"]["line_entry"]["p50"]
        print(f"line_entry p50, ASP flavour over μITRON: {extra:+} instructions: {'ok' if extra >= 30 else 'NOT NESTING?'}")
        if extra < 30:
            return 1
        for flavour, figures in committed["line_interrupt"]["flavours"].items():
            if flavour not in line:
                print(f"--check needs line_bench's {flavour} flavour on qemu-icount")
                return 1
            for name in LINE_FIGURES:
                was, now = figures[name]["p50"], line[flavour][name]["p50"]
                grew = now / was - 1
                print(f"{name} p50, {flavour} flavour: committed {was}, now {now} instructions ({grew:+.1%}): "
                      f"{'ok' if grew <= 0.05 else 'GREW'}")
                if grew > 0.05:
                    return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
