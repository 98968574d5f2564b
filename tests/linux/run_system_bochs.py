#!/usr/bin/env python3
"""The README's Bochs command as a user runs it: `tools/run-system --bochs` boots the default
system on Bochs (segment limits enforced); Linux reaches its prompt on COM1; a command typed
through `gandalf console linux` runs and its answer comes back through it; `gandalf monitor p`
answers. Fails on any fault report."""
import argparse
import pathlib
import re
import signal
import subprocess
import sys
import time

root = pathlib.Path(__file__).resolve().parents[2]


def wait_for(log: pathlib.Path, pattern: str, timeout: float, proc, start: int = 0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_bytes().decode("latin-1") if log.exists() else ""
        if (m := re.search(pattern, text[start:])):
            return start + m.end()
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    tail = log.read_bytes().decode("latin-1")[-1500:] if log.exists() else "(no log)"
    sys.exit(f"FAIL: /{pattern}/ not on {log.name} within {timeout:.0f} s; it ends:\n{tail}")


def gandalf(build: pathlib.Path, *args: str, stdin: str | None = None, want: str) -> str:
    """The `gandalf` command against the running system; its stdout, which must match `want`."""
    r = subprocess.run([str(build / "tools/gandalf/gandalf"), "--build", str(build), *args], input=stdin,
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0 or not re.search(want, r.stdout):
        sys.exit(f"FAIL: gandalf {' '.join(args)}: exit {r.returncode}, want /{want}/ in\n{r.stdout[-1500:]}\n"
                 f"stderr: {r.stderr[-1500:]}")
    return r.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", type=pathlib.Path, required=True)
    a = ap.parse_args()
    run = a.build.resolve() / "run"
    build = a.build.resolve()
    proc = subprocess.Popen([str(root / "tools/run-system"), "--bochs", "--no-build", "--build", str(build),
                             "--seconds", "900"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        com1, com4 = run / "com1.log", run / "com4.log"
        time.sleep(2)  # run-system removes the previous run's logs first
        wait_for(com1, r"/ # ", 500, proc)
        gandalf(build, "console", "linux", "--for", "120", "--until", "typed-42", stdin="uname -m; echo typed-$((6*7))\n",
                want=r"i686\s+typed-42")
        gandalf(build, "monitor", "p", want=r"partitions: linux\s+linux\s+full\s+(ready|halted|running)")
        text = com4.read_bytes().decode("latin-1")
        if re.search(r"\] fault:|PANIC|not emulated", text):
            sys.exit("FAIL: Gandalf reported a fault:\n" + text[-1500:])
        print("PASS: Linux on Bochs took a typed command; the monitor answered")
        return 0
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    sys.exit(main())
