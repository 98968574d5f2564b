#!/usr/bin/env python3
"""The Linux kernel build is cached (issue #11): linux/build run again, as a second test-all
runs it, reuses the kernel that this build made (same key, "is cached", no "building Linux")
and still leaves a complete output. Only the modules and the initramfs are made again."""
import argparse
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", type=pathlib.Path, required=True)
    a = ap.parse_args()
    key = (a.build / "linux/key").read_text().strip()
    with tempfile.TemporaryDirectory(prefix="gandalf-linux-cached-") as out:
        r = subprocess.run([ROOT / "linux/build", out], capture_output=True, text=True)
        said = r.stdout + r.stderr
        problems = []
        if r.returncode != 0:
            problems.append(f"linux/build failed ({r.returncode})")
        if "building Linux" in said or f"(key {key}) is cached" not in said:
            problems.append(f"the kernel of key {key} was not reused")
        for f in ("bzImage", "vmlinux", "initramfs.cpio.gz", "initramfs-soak.cpio.gz", "key"):
            if not (pathlib.Path(out) / f).is_file():
                problems.append(f"no {f} in the output")
        if problems:
            print("FAIL: " + "; ".join(problems) + "\n" + said, file=sys.stderr)
            return 1
    print(f"PASS: the kernel of key {key} was reused; modules and initramfs made again")
    return 0


if __name__ == "__main__":
    sys.exit(main())
