#!/usr/bin/env python3
"""Builds a GRUB (multiboot) ISO for one Gandalf system: boot/gandalf.elf, boot/<module>.img
and boot/grub/grub.cfg, via grub-mkrescue. Also writes modules.txt (module=path lines) that
the test harness uses for QEMU's own multiboot loader."""
import argparse
import pathlib
import shutil
import subprocess
import sys
import tempfile


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dir", required=True, help="system directory (gandalf.elf, grub.cfg)")
    ap.add_argument("--grub-cfg", help="grub.cfg to use instead of DIR/grub.cfg")
    ap.add_argument("--out", help="ISO path (default DIR/gandalf.iso)")
    ap.add_argument("images", nargs="*", help="module=path of each guest image")
    a = ap.parse_args()
    d = pathlib.Path(a.dir)
    out = pathlib.Path(a.out) if a.out else d / "gandalf.iso"
    modules = [img.split("=", 1) for img in a.images]
    if a.images and not a.out:
        (d / "modules.txt").write_text("".join(f"{m}={p}\n" for m, p in modules))
    if not modules:
        modules = [l.split("=", 1) for l in (d / "modules.txt").read_text().split()]
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        (root / "boot/grub").mkdir(parents=True)
        shutil.copy(d / "gandalf.elf", root / "boot/gandalf.elf")
        for module, path in modules:
            shutil.copy(path, root / f"boot/{module}.img")
        shutil.copy(a.grub_cfg or d / "grub.cfg", root / "boot/grub/grub.cfg")
        r = subprocess.run(["grub-mkrescue", "-o", str(out), str(root)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            sys.stderr.write(r.stdout + r.stderr)
            return r.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
