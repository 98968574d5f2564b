#!/usr/bin/env python3
"""The README's Bochs command as a user runs it: `tools/run-system --bochs` boots the default
system on Bochs (segment limits enforced); Linux reaches its prompt on COM1; a command typed
into COM1's socket runs; Gandalf's monitor on COM4 answers `p`. Fails on any fault report."""
import argparse
import pathlib
import re
import signal
import socket
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


def type_into(sock: pathlib.Path, text: str) -> None:
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(sock))
        s.sendall(text.encode())
        time.sleep(0.5)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", type=pathlib.Path, required=True)
    a = ap.parse_args()
    run = a.build.resolve() / "run"
    proc = subprocess.Popen([sys.executable, str(root / "tools/run-system"), "--bochs", "--no-build",
                             "--build", str(a.build), "--seconds", "900"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        com1, com4 = run / "com1.log", run / "com4.log"
        time.sleep(2)  # run-system removes the previous run's logs first
        at = wait_for(com1, r"/ # ", 500, proc)
        type_into(run / "com1.sock", "uname -m; echo typed-$((6*7))\n")
        wait_for(com1, r"i686\s+typed-42", 120, proc, at)
        type_into(run / "com4.sock", "p\n")
        wait_for(com4, r"(partitions: name[\s\S]*){2}partitions: linux ", 60, proc)
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
