#!/usr/bin/env python3
"""Gandalf's per-partition telemetry, fetched from its monitor (COM4), as JSON and as a plot.

    tools/telemetry.py [--socket build/run/com4.sock] [--reset] [--json FILE] [--plot FILE.svg]

Connects to the monitor console of a running system (tools/run-system prints its socket),
sends `telemetry` (or `telemetry reset`, which clears the figures after showing them) and turns
the reply into JSON: per partition the share of the CPU it used, switches in and out, traps by
kind, the virtual-interrupt latency histogram (hardware IRQ to the guest's handler) and the
longest window with its virtual interrupt flag off, in microseconds (from TSC ticks and the
TSC rate Gandalf measured against the 8254; under QEMU -icount a TSC tick is an instruction).
--plot draws the latency histograms, one row per partition (plain SVG, no library needed)."""
import argparse
import json
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(root / "tools/harness"))
import monitor_socket  # noqa: E402


def fields(line: str) -> dict[str, str]:
    return dict(kv.split("=", 1) for kv in line.split() if "=" in kv)


def parse(text: str) -> dict:
    """The monitor's `telemetry` lines -> a dict (see the module's doc)."""
    head = re.search(r"telemetry: (tsc_hz=.*)", text)
    if head is None:
        raise ValueError("no `telemetry: tsc_hz=` line")
    top = {k: int(v) for k, v in fields(head.group(1)).items()}
    hz = top["tsc_hz"] or 1
    us = lambda ticks: round(ticks * 1e6 / hz, 3)
    parts: dict[str, dict] = {}
    for line in re.findall(r"telemetry: name=(\S+ .*)", text):
        name, rest = line.split(" ", 1)
        p = parts.setdefault(name, {"traps": {}, "latency_log2_tsc": {}})
        if rest.startswith("traps "):
            p["traps"] = {k: int(v) for k, v in fields(rest).items()}
        elif rest.startswith("latency_log2_tsc"):
            p["latency_log2_tsc"] = {int(b): int(c) for b, c in re.findall(r"(\d+):(\d+)", rest)}
        else:
            p.update({k: int(v) for k, v in fields(rest).items()})
    total = sum(p.get("used_tsc", 0) for p in parts.values()) + top["idle_tsc"]
    for p in parts.values():
        p["used_share"] = round(p.get("used_tsc", 0) / total, 6) if total else 0.0
        p["vif_off_worst_us"] = us(p.get("vif_off_worst_tsc", 0))
        p["latency_worst_us"] = us(p.get("latency_worst_tsc", 0))
        p["latency_us"] = [[us(2 ** b if b else 0), us(2 ** (b + 1)), c] for b, c in sorted(p["latency_log2_tsc"].items())]
    return {"tsc_hz": top["tsc_hz"], "pit_ticks": top["pit_ticks"], "idle_share": round(top["idle_tsc"] / total, 6)
            if total else 0.0, "partitions": parts}


def svg(t: dict) -> str:
    """Latency histograms, one row per partition: bars per power-of-two bucket, in microseconds."""
    parts = [(n, p) for n, p in t["partitions"].items() if p["latency_us"]]
    buckets = sorted({b for _, p in parts for b in p["latency_log2_tsc"]})
    if not buckets:
        buckets = [0]
    lo, hi = buckets[0], buckets[-1]
    row_h, left, col_w, top = 90, 110, 46, 40
    width = left + col_w * (hi - lo + 1) + 20
    height = top + row_h * max(len(parts), 1) + 50
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
           f'<text x="10" y="20" font-size="13">virtual-interrupt latency (hardware IRQ to guest handler), '
           f'count per bucket; TSC {t["tsc_hz"] / 1e6:.0f} MHz</text>']
    for r, (name, p) in enumerate(parts):
        y0 = top + r * row_h
        peak = max(p["latency_log2_tsc"].values())
        out.append(f'<text x="10" y="{y0 + row_h / 2}">{name}</text>')
        for b, c in p["latency_log2_tsc"].items():
            h = (row_h - 25) * c / peak
            x = left + (b - lo) * col_w
            out.append(f'<rect x="{x}" y="{y0 + row_h - 20 - h:.1f}" width="{col_w - 6}" height="{h:.1f}" fill="#4a7ab5"/>')
            out.append(f'<text x="{x}" y="{y0 + row_h - 22 - h:.1f}" font-size="9">{c}</text>')
    for b in range(lo, hi + 1):
        x = left + (b - lo) * col_w
        label = 2 ** b * 1e6 / (t["tsc_hz"] or 1)
        out.append(f'<text x="{x}" y="{height - 25}" font-size="9">&lt;{2 * label:.3g}</text>')
    out.append(f'<text x="{left}" y="{height - 8}">upper bound of each bucket, microseconds</text>')
    return "\n".join(out + ["</svg>"]) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--socket", type=pathlib.Path, default=root / "build/run/com4.sock",
                    help="the monitor's console socket (default: build/run/com4.sock, as tools/run-system makes it)")
    ap.add_argument("--reset", action="store_true", help="clear the figures after reading them")
    ap.add_argument("--json", default="-", help="write the JSON here (default: standard output)")
    ap.add_argument("--plot", type=pathlib.Path, help="write the latency histograms as SVG here")
    ap.add_argument("--from-text", type=pathlib.Path, help="parse a saved monitor reply instead of connecting")
    a = ap.parse_args()
    if a.from_text:
        text = a.from_text.read_text()
    else:
        text = monitor_socket.reply_or_exit("telemetry", a.socket, "telemetry reset" if a.reset else "telemetry",
                                            r"telemetry: end\n|telemetry: not built.*\n")
    if "telemetry: not built" in text:
        print("telemetry: this Gandalf was built lean, without telemetry (gandalf_system ... LEAN)", file=sys.stderr)
        return 1
    t = parse(text)
    doc = json.dumps(t, indent=2) + "\n"
    if a.json == "-":
        sys.stdout.write(doc)
    else:
        pathlib.Path(a.json).write_text(doc)
    if a.plot:
        a.plot.write_text(svg(t))
    return 0


if __name__ == "__main__":
    sys.exit(main())
