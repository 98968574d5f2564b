#!/usr/bin/env python3
"""Boots a built Gandalf system for a person at the keyboard: QEMU (TCG) or Bochs, every
console a Unix socket and a log file in the work directory, described in WORK/consoles.toml
for `gandalf console NAME` and `gandalf monitor`. Follows some consoles' logs on standard
output until Ctrl-C or --seconds. `gandalf run` starts it (tools/gandalf, docs/cli.md); the
tests' harness (gandalf_harness) is the same code without a person."""
import argparse
import os
import pathlib
import signal
import sys
import time

from gandalf_harness import Failure, Machine, Qemu


def start(system: pathlib.Path, work: pathlib.Path, bochs: bool, iso: bool) -> Machine:
    if bochs:
        from bochs_sockets import interactive_bochs
        return interactive_bochs(system, work)
    return Qemu(system, work, icount=False, iso=(system / "gandalf.iso") if iso else None, interactive=True).start()


def toml_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def describe(m: Machine, emulator: str) -> pathlib.Path:
    """WORK/consoles.toml: which socket is whose console, read by `gandalf console`."""
    lines = ["# Written by tools/harness/interactive.py while a system runs; removed when it stops.",
             f"system = {toml_string(str(m.system_dir))}", f"emulator = {toml_string(emulator)}",
             f"pid = {os.getpid()}", ""]
    for c in m.consoles.values():
        lines += ["[[console]]", f"com = {toml_string(c.name)}", f"role = {toml_string(c.role)}",
                  f"socket = {toml_string(str(c.sock_path))}", f"log = {toml_string(str(c.log))}", ""]
    path = m.work / "consoles.toml"
    path.write_text("\n".join(lines))
    return path


def follow(m: Machine, logs: list[pathlib.Path], seconds: float) -> None:
    """Prints what the logs gain, each read from where it was left (not again from its start)."""
    files = {}
    begin = time.monotonic()
    try:
        while m.proc.poll() is None and (seconds == 0 or time.monotonic() - begin < seconds):
            for log in logs:
                if log not in files and log.exists():
                    files[log] = log.open("rb")
                if log in files and (data := files[log].read()):
                    sys.stdout.write(data.decode("latin-1").replace("\r", ""))
                    sys.stdout.flush()
            time.sleep(0.2)
    finally:
        for f in files.values():
            f.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--system-dir", type=pathlib.Path, required=True, help="BUILD/systems/NAME")
    ap.add_argument("--work", type=pathlib.Path, required=True, help="where sockets, logs and consoles.toml go")
    ap.add_argument("--bochs", action="store_true", help="Bochs (segment limits enforced) instead of QEMU")
    ap.add_argument("--iso", action="store_true", help="QEMU boots through GRUB from the ISO")
    ap.add_argument("--seconds", type=float, default=0, help="stop after this long (0: until Ctrl-C)")
    ap.add_argument("--follow", action="append", default=[],
                    help="role whose console to print (repeatable; default: gandalf, and linux on Bochs)")
    a = ap.parse_args()
    system = a.system_dir.resolve()
    if not (system / "system.json").exists() or not (system / "gandalf.elf").exists():
        print(f"gandalf run: {system} is not a built system (no system.json / gandalf.elf)", file=sys.stderr)
        return 1
    a.work.mkdir(parents=True, exist_ok=True)
    emulator = "Bochs" if a.bochs else "QEMU"
    try:
        m = start(system, a.work.resolve(), a.bochs, a.iso)
    except Failure as e:
        print(f"gandalf run: {emulator} did not start: {e}", file=sys.stderr)
        return 1
    described = describe(m, emulator)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # kill(1) stops it as Ctrl-C does: cleaned up
    try:
        print(f"Gandalf ({system.name}) is booting in {emulator}"
              + (" (headless, segment limits enforced)" if a.bochs else "") + "; consoles:")
        for c in m.consoles.values():
            print(f"  {c.role:8} {c.name}: gandalf console {c.role if c.role != 'unused' else c.name}"
                  f"   (or socat -,raw,echo=0 UNIX-CONNECT:{c.sock_path}; log: {c.log})")
        print("Gandalf's monitor: gandalf monitor [COMMAND]; commands: c (counters), p (partitions), "
              "t (telemetry), dumps, channels, pic, restart NAME, stop NAME")
        roles = a.follow or (["gandalf", "linux"] if a.bochs else ["gandalf"])
        logs = []
        for role in roles:
            try:
                logs.append(m.console(role).log)
            except Failure:
                if a.follow:  # asked for by name; the default roles may be absent
                    print(f"gandalf run: no console of role {role!r} to follow", file=sys.stderr)
        print("--- " + " and ".join(f.name for f in logs) + " ---")
        follow(m, logs, a.seconds)
    except KeyboardInterrupt:
        pass
    finally:
        described.unlink(missing_ok=True)
        m.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
