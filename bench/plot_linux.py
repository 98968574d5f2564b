#!/usr/bin/env python3
"""Linux on Gandalf against native, as ratio bars: bench/results/linux.json -> an SVG.

    bench/plot_linux.py bench/results/linux.json docs/linux-ratios.svg

One bar per row of the table in docs/results.md; a bar reaching the dashed line at 1.0 costs
what native Linux costs; a tick on a bar marks issue #12's target for that row (green: met,
red: missed). Plain SVG, written by hand: no plotting library needed."""
import json
import pathlib
import sys

LABELS = {
    "boot_to_prompt_s": "boot to prompt",
    "null_syscall": "null system call",
    "fork_exit": "fork + exit",
    "fork_exec": "fork + exec",
    "pipe_round_trip": "pipe round trip",
    "context_switch": "context switch",
    "context_switch_16k": "ctx switch, 16 KiB",
    "sh_c": "/bin/sh -c",
    "page_fault": "page fault",
    "mmap_munmap_1m": "mmap+munmap 1 MiB",
}
ROW_H, LEFT, WIDTH, TOP = 26, 150, 620, 40


def svg(result: dict) -> str:
    targets = result.get("target", {})
    ratios = [(LABELS.get(k, k), v, targets.get(k)) for k, v in result["ratio"].items()]
    top = max(2.0, max(v for _, v, _ in ratios) * 1.1)
    scale = (WIDTH - LEFT - 60) / top
    height = TOP + ROW_H * len(ratios) + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<text x="{WIDTH / 2}" y="20" text-anchor="middle" font-size="14">Linux 6.1 on Gandalf / '
           f'native, {result["platform"]}, {result["date"]} (lower is better)</text>']
    for i, (label, v, target) in enumerate(ratios):
        y = TOP + i * ROW_H
        met = target is None or v <= target
        colour = "#4a7" if met else "#c44"
        out.append(f'<text x="{LEFT - 8}" y="{y + 15}" text-anchor="end">{label}</text>')
        out.append(f'<rect x="{LEFT}" y="{y + 3}" width="{v * scale:.1f}" height="{ROW_H - 8}" fill="{colour}"/>')
        out.append(f'<text x="{LEFT + v * scale + 5:.1f}" y="{y + 15}">{v:.2f}×</text>')
        if target is not None:
            x = LEFT + target * scale
            out.append(f'<line x1="{x:.1f}" y1="{y + 1}" x2="{x:.1f}" y2="{y + ROW_H - 3}" stroke="#000" stroke-width="2"/>')
    one = LEFT + scale
    bottom = TOP + ROW_H * len(ratios)
    out.append(f'<line x1="{one:.1f}" y1="{TOP - 4}" x2="{one:.1f}" y2="{bottom}" stroke="#333" stroke-dasharray="4 3"/>')
    out.append(f'<text x="{one:.1f}" y="{bottom + 16}" text-anchor="middle">1.0 = native</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    result = json.loads(pathlib.Path(sys.argv[1]).read_text())
    pathlib.Path(sys.argv[2]).write_text(svg(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
