"""Boots Gandalf systems in QEMU (TCG) or Bochs and talks to each serial console separately.

Every console is logged to its own file (QEMU: chardev logfile; Bochs: com file mode);
QEMU consoles also accept input through a Unix socket. Used by the system, containment
and benchmark tests and by tools/run-system.
"""
from __future__ import annotations

import json
import os
import pathlib
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

from headless import (bochsrc_problems, die_with_parent, exit_status, private_network_prefix,
                      qemu_problems)

# Four 16550s. Bochs (like a real PC/AT) wires them to two lines; QEMU lets the harness
# choose each UART's line, and wires them as the system's configuration declares
# ([platform] in config/*.toml, "platform" in system.json; docs/config.md).
PC_WIRING = {"com1": (0x3F8, 4), "com2": (0x2F8, 3), "com3": (0x3E8, 4), "com4": (0x2E8, 3)}
# What QEMU gets for a system.json without a "platform" (built before it had one).
COM_PORTS = {"com1": (0x3F8, 4), "com2": (0x2F8, 3), "com3": (0x3E8, 5), "com4": (0x2E8, 7)}


def declared_wiring(system: dict) -> dict[str, tuple[int, int]] | None:
    """COM port -> (I/O base, IRQ line) as the system's platform declares it; None when the
    system.json has no platform. A COM port the platform leaves out is nobody's: PC wiring."""
    platform = system.get("platform")
    if not platform:
        return None
    wiring = dict(PC_WIRING)
    for d in platform.get("devices", []):
        if d["name"] in wiring:
            wiring[d["name"]] = (d["ports"][0], d["irq"])
    return wiring


def wiring_mismatches(system: dict, wiring: dict[str, tuple[int, int]]) -> list[str]:
    """The UARTs whose line the system's platform declares differently from `wiring`."""
    declared = declared_wiring(system)
    if declared is None:
        return []
    return [f"{com} on IRQ {declared[com][1]} (the emulator wires it to IRQ {irq})"
            for com, (_, irq) in wiring.items() if declared[com][1] != irq]


class Failure(AssertionError):
    """A test expectation that did not hold; the message says what, where and what came."""


class Console:
    def __init__(self, name: str, log: pathlib.Path, role: str):
        self.name, self.log, self.role = name, log, role
        self.sock: socket.socket | None = None
        self.sock_path: pathlib.Path | None = None

    def text(self) -> str:
        try:
            return self.log.read_bytes().decode("latin-1").replace("\r", "")
        except FileNotFoundError:
            return ""

    def send(self, data: str) -> None:
        if self.sock is None:
            raise Failure(f"console {self.name} ({self.role}) takes no input on this platform")
        self.sock.sendall(data.encode())

    def capture(self, proc: subprocess.Popen, timeout: float = 20.0) -> None:
        """Connects to the emulator's socket for this console and copies everything it sends
        into the log file. (QEMU's own chardev logfile records a byte twice when the socket
        pushes back and the UART retries it, so the tests read what really arrived.)"""
        deadline = time.monotonic() + timeout
        while True:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(str(self.sock_path))
                break
            except OSError:
                s.close()
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise Failure(f"cannot connect to {self.sock_path} for console {self.name}")
                time.sleep(0.02)
        self.sock = s
        threading.Thread(target=self._copy, args=(s,), daemon=True).start()

    def _copy(self, s: socket.socket) -> None:
        with open(self.log, "ab") as out:
            try:
                while data := s.recv(65536):
                    out.write(data)
                    out.flush()
            except OSError:
                pass


class Machine:
    """Common console handling for both emulators."""

    def __init__(self, system_dir: pathlib.Path, workdir: pathlib.Path | None):
        self.system_dir = pathlib.Path(system_dir)
        self.system = json.loads((self.system_dir / "system.json").read_text())
        self.work = pathlib.Path(workdir or tempfile.mkdtemp(prefix="gandalf-"))
        self.work.mkdir(parents=True, exist_ok=True)
        self.proc: subprocess.Popen | None = None
        self.consoles: dict[str, Console] = {}
        roles = {p["console"]: p["name"] for p in self.system["partitions"]}
        roles[self.system["gandalf"]["console"]] = "gandalf"
        for com in COM_PORTS:
            self.consoles[com] = Console(com, self.work / f"{com}.log", roles.get(com, "unused"))

    def console(self, role: str) -> Console:
        for c in self.consoles.values():
            if c.role == role:
                return c
        raise Failure(f"no console for '{role}' in {self.system_dir}")

    def wait_for(self, role: str, pattern: str, timeout: float = 30.0, start: int = 0) -> re.Match:
        """Waits until `pattern` (a regex) appears on `role`'s console after offset `start`."""
        c = self.console(role)
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern, re.M)
        while True:
            m = rx.search(c.text(), start)
            if m:
                return m
            if self.proc and self.proc.poll() is not None and not rx.search(c.text(), start):
                raise Failure(self._report(f"{self.emulator_name()} {exit_status(self.proc.returncode)} "
                                           f"before /{pattern}/ appeared on {c.name} ({role})"))
            if time.monotonic() > deadline:
                raise Failure(self._report(f"expected /{pattern}/ on {c.name} ({role}) within "
                                           f"{timeout:.0f} s"))
            time.sleep(0.05)

    def expect_absent(self, role: str, pattern: str) -> None:
        c = self.console(role)
        m = re.search(pattern, c.text(), re.M)
        if m:
            raise Failure(self._report(f"/{pattern}/ must not appear on {c.name} ({role}), "
                                       f"but it did: {m.group(0)!r}"))

    def send(self, role: str, text: str) -> None:
        self.console(role).send(text)

    def _report(self, msg: str) -> str:
        parts = [msg]
        silent = []
        for c in self.consoles.values():
            tail = c.text()[-1500:]
            if tail:
                parts.append(f"--- {c.name} ({c.role}), last {len(tail)} chars ---\n{tail}")
            else:
                silent.append(f"{c.name} ({c.role})")
        if silent:
            parts.append(f"--- nothing arrived on {', '.join(silent)}")
        parts.append(self.emulator_output())
        extra = self.extra_report()
        if extra:
            parts.append(extra)
        return "\n".join(parts)

    # The emulator's own stdout and stderr go to this file (see start()).
    def output_path(self) -> pathlib.Path:
        raise NotImplementedError

    def emulator_name(self) -> str:
        return type(self).__name__.lower()

    def emulator_output(self, lines: int = 25) -> str:
        """The emulator's last lines of output (its stderr included), with how it ended."""
        status = "still running" if self.proc is None or self.proc.poll() is None \
            else exit_status(self.proc.returncode)
        head = f"--- {self.emulator_name()} ({status}): last {lines} lines of its stdout/stderr ---"
        try:
            text = self.output_path().read_text(errors="replace")
        except (FileNotFoundError, NotImplementedError):
            return f"{head}\n(no output file)"
        tail = text.splitlines()[-lines:]
        return "\n".join([head] + (tail or ["(it printed nothing)"]))

    def extra_report(self) -> str:
        return ""

    def stop(self) -> None:
        for c in self.consoles.values():
            if c.sock:
                sock, c.sock = c.sock, None
                sock.close()
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def modules_of(system_dir: pathlib.Path) -> list[tuple[str, str]]:
    """(module name, image path) in configuration order, from modules.txt."""
    out = []
    for line in (system_dir / "modules.txt").read_text().split():
        name, path = line.split("=", 1)
        out.append((name, path))
    return out


class Qemu(Machine):
    def __init__(self, system_dir, workdir=None, *, icount=True, iso=None, memory_mib=None,
                 modules: list[tuple[str, str]] | None = None, module_args: dict | None = None,
                 interactive=False):
        super().__init__(system_dir, workdir)
        self.icount, self.iso, self.interactive = icount, iso, interactive
        self.memory_mib = memory_mib or self.system["ram_mib"]
        self.modules = modules if modules is not None else modules_of(self.system_dir)
        self.module_args = module_args or {}

    def command(self) -> list[str]:
        cmd = ["qemu-system-i386", "-accel", "tcg", "-machine", "pc", "-nodefaults",
               "-display", "none", "-no-reboot", "-m", str(self.memory_mib)]
        if self.icount:
            cmd += ["-icount", "shift=0,sleep=off"]
        # For investigations only (docs/debugging.md), e.g. GANDALF_QEMU_ARGS="-trace pic_* -D pic.log".
        cmd += shlex.split(os.environ.get("GANDALF_QEMU_ARGS", ""))
        if self.iso:
            cmd += ["-cdrom", str(self.iso), "-boot", "d"]
        else:
            mods = ",".join(f"{path} {name} {self.module_args.get(name, '')}".strip().replace(",", ",,")
                            for name, path in self.modules)
            cmd += ["-kernel", str(self.system_dir / "gandalf.elf"), "-initrd", mods]
            if self.module_args.get("gandalf"):
                cmd += ["-append", self.module_args["gandalf"]]
        for com, (port, irq) in (declared_wiring(self.system) or COM_PORTS).items():
            c = self.consoles[com]
            c.sock_path = self.work / f"{com}.sock"
            # Tests (interactive=False): QEMU waits for the harness to connect every console
            # before the machine starts, so no byte is lost. Interactive runs: QEMU starts at
            # once, logs each console itself, and anybody may connect later.
            mode = f"wait=off,logfile={c.log}" if self.interactive else "wait=on"
            cmd += ["-chardev", f"socket,id={com},path={c.sock_path},server=on,{mode}",
                    "-device", f"isa-serial,chardev={com},iobase={port:#x},irq={irq}"]
        return cmd

    def start(self) -> "Qemu":
        cmd = self.command()
        for c in self.consoles.values():
            c.log.unlink(missing_ok=True)
            c.sock_path.unlink(missing_ok=True)
        if problems := qemu_problems(cmd):
            raise Failure("the QEMU command needs host hardware:\n  " + "\n  ".join(problems))
        with open(self.output_path(), "w") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
        if not self.interactive:
            for com in COM_PORTS:  # in command-line order: QEMU waits for each in turn
                self.consoles[com].capture(self.proc)
        return self

    def output_path(self) -> pathlib.Path:
        return self.work / "qemu.out"


BOCHSRC = """\
megs: {megs}
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=cdrom, path={iso}, status=inserted
boot: cdrom
cpu: count=1, ips={ips}, reset_on_triple_fault=0
clock: sync=none, time0=1
display_library: rfb, options="timeout=0"
config_interface: textconfig
{serial}
log: {work}/bochs.log
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
mouse: enabled=0
sound: driver=dummy
speaker: enabled=0
usb_uhci: enabled=0
"""
# Headless by construction (tools/harness/headless.py checks it before every start): no
# sound (Bochs 2.7's default ALSA mixer aborts on a machine without a sound card), no
# speaker, mouse or USB (this build has no parallel port); the display is an RFB listener that waits for no one.


RFB_PORT_PANIC = "RFB could not bind any port"
BOCHS_PORT_ATTEMPTS = 5


class Bochs(Machine):
    """Bochs enforces segment limits on every access: the platform for protection claims.

    Its UARTs have the PC/AT wiring (COM1 and COM3 on IRQ 4, COM2 and COM4 on IRQ 3), which
    cannot be changed. A system checked against another wiring is refused unless the caller
    says (wiring_mismatch_ok=True) that what it tests does not depend on those lines."""

    def __init__(self, system_dir, iso, workdir=None, *, ips=50_000_000, memory_mib=None,
                 wiring_mismatch_ok=False):
        super().__init__(system_dir, workdir)
        self.iso, self.ips = pathlib.Path(iso), ips
        self.memory_mib = memory_mib or self.system["ram_mib"]
        self.wiring_mismatch_ok = wiring_mismatch_ok

    def start(self) -> "Bochs":
        if shutil.which("bochs") is None:
            raise Failure("bochs is not installed: run tools/setup first")
        if (wrong := wiring_mismatches(self.system, PC_WIRING)) and not self.wiring_mismatch_ok:
            raise Failure(f"{self.system_dir} was checked against platform "
                          f"\"{self.system['platform']['name']}\", which Bochs is not: it declares "
                          + ", ".join(wrong) + "; boot it on QEMU, or pass wiring_mismatch_ok=True "
                          "when the test does not depend on those lines")
        rc = self.work / "bochsrc"
        rc.write_text(self.bochsrc_text())
        if problems := bochsrc_problems(rc.read_text()):
            raise Failure(f"{rc} needs host hardware:\n  " + "\n  ".join(problems))
        cmds = self.work / "commands"
        cmds.write_text("c\nq\n")
        for c in self.consoles.values():
            c.log.unlink(missing_ok=True)
        prefix = self.network_prefix()
        cmd = list(prefix) + ["bochs", "-q", "-f", str(rc), "-rc", str(cmds)]
        for attempt in range(1, BOCHS_PORT_ATTEMPTS + 1):
            with open(self.output_path(), "w") as out:
                self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL, cwd=self.work,
                                             preexec_fn=die_with_parent)
            if prefix or not self._lost_port_race():
                break
        return self

    def _lost_port_race(self, settle: float = 2.0) -> bool:
        """Without a private network namespace, Bochs may find all of 5900..5949 taken; it then
        dies within a second, before the guest runs, and is started again."""
        deadline = time.monotonic() + settle
        while time.monotonic() < deadline and self.proc.poll() is None:
            time.sleep(0.05)
        if self.proc.poll() is None:
            return False
        return RFB_PORT_PANIC in self.output_path().read_text(errors="replace")

    def network_prefix(self) -> tuple[str, ...]:
        """Bochs runs in a private network namespace when the host allows one (no port race)."""
        return private_network_prefix()

    def serial_line(self, com: str) -> str:
        """The bochsrc line of one UART: a log file (tests read consoles, type into none)."""
        return f"{com}: enabled=1, mode=file, dev={self.work}/{com}.log"

    def bochsrc_text(self) -> str:
        serial = "\n".join(self.serial_line(com) for com in ("com1", "com2", "com3", "com4"))
        return BOCHSRC.format(megs=self.memory_mib, iso=self.iso, ips=self.ips, work=self.work, serial=serial)

    def output_path(self) -> pathlib.Path:
        return self.work / "bochs.out"

    def extra_report(self) -> str:
        log = self.work / "bochs.log"
        if not log.exists():
            return ""
        lines = [l for l in log.read_text(errors="replace").splitlines()
                 if re.search(r"\b(exception|limit|fault|PANIC|ERROR)\b", l, re.I)]
        return "--- bochs.log (protection events) ---\n" + "\n".join(lines[-40:])


def make_iso(system_dir: pathlib.Path, out: pathlib.Path, module_args: dict[str, str]) -> pathlib.Path:
    """An ISO of the system whose grub.cfg appends `module_args` to the named modules (and
    `module_args["gandalf"]` to Gandalf's own command line)."""
    cfg = (system_dir / "grub.cfg").read_text()
    lines = []
    for line in cfg.splitlines():
        words = line.split()
        if len(words) >= 3 and words[0] == "module" and words[2] in module_args:
            line = f"{line} {module_args[words[2]]}"
        elif len(words) >= 2 and words[0] == "multiboot" and "gandalf" in module_args:
            line = f"{line} {module_args['gandalf']}"  # Gandalf's own command line
        lines.append(line)
    grub = out.with_suffix(".cfg")
    grub.write_text("\n".join(lines) + "\n")
    here = pathlib.Path(__file__).resolve().parents[1]
    subprocess.run(["python3", str(here / "mkiso.py"), "--dir", str(system_dir), "--grub-cfg", str(grub),
                    "--out", str(out)], check=True)
    return out


def parse_fields(line: str) -> dict[str, str]:
    return dict(re.findall(r"(\w+)=(\S+)", line))


LINUX_PROMPT = r"/ # "  # busybox's shell in the project's initramfs


def linux_command(m: Machine, line: str, timeout: float = 120) -> str:
    """Types `line` on Linux's console and returns what it printed up to the next prompt."""
    start = len(m.console("linux").text())
    m.send("linux", line + "\n")
    echo = m.wait_for("linux", re.escape(line[-20:]), 30, start)
    end = m.wait_for("linux", LINUX_PROMPT, timeout, echo.end())
    return m.console("linux").text()[echo.end():end.start()]


def monitor_counters(m: Machine) -> dict[str, dict[str, str]]:
    """Gandalf's monitor command `c`: each partition's counters, by partition name."""
    start = len(m.console("gandalf").text())
    m.send("gandalf", "c\n")
    m.wait_for("gandalf", r"counters: end", start=start)
    text = m.console("gandalf").text()[start:]
    return {f["name"]: f for f in map(parse_fields, re.findall(r"counters: (name=.*)", text))}


def run_cases(cases: dict, description: str) -> int:
    """Command line for a test script: `--build DIR [--keep] CASE`; runs cases[CASE](build, work)
    in a fresh work directory, prints PASS/FAIL and keeps the directory on failure."""
    import argparse
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--build", required=True, type=pathlib.Path)
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("case", choices=sorted(cases))
    a = ap.parse_args()
    work = pathlib.Path(tempfile.mkdtemp(prefix=f"gandalf-{a.case}-"))
    try:
        cases[a.case](a.build.resolve(), work)
    except Failure as e:
        print(f"FAIL {a.case}: {e}\n(work directory kept: {work})")
        return 1
    print(f"PASS {a.case}")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0
