"""What keeps every emulator the tests start headless: no sound, display, input, host drive,
host serial line or /dev/kvm. Gandalf's tests must run on any Debian machine, including a
fresh VM without a sound card, where Bochs 2.7's default ALSA mixer thread aborts the whole
emulator before the guest runs (issue #9).

`bochsrc_problems` and `qemu_problems` return one readable line per device that would need
host hardware; the harness refuses to start an emulator when either is non-empty, and the
unit test tests/unit/test_harness.py checks the generated configurations and that the
checks can fail.
"""
from __future__ import annotations

import ctypes
import functools
import os
import shutil
import signal
import subprocess

# Bochs display libraries that need no host display: rfb only listens on a TCP port (with
# timeout=0 it never waits for a client; see private_network_prefix for the port); nogui draws
# nothing (Debian's Bochs has only rfb and wx).
HEADLESS_DISPLAYS = {"rfb", "nogui"}
# Serial port modes that talk to files or sockets only (raw and term use a host tty).
HEADLESS_COM_MODES = {"null", "file", "pipe", "pipe-server", "pipe-client",
                      "socket-server", "socket-client"}
SOUND_CARDS = ("sb16", "es1370")
USB_CONTROLLERS = ("usb_uhci", "usb_ohci", "usb_ehci", "usb_xhci")
NICS = ("ne2k", "e1000", "pnic")


def parse_bochsrc(text: str) -> dict[str, dict[str, str]]:
    """`key: a=1, b="x"` lines as {key: {a: '1', b: 'x'}}; a bare value is stored as ''."""
    out: dict[str, dict[str, str]] = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or ":" not in line:
            continue
        key, rest = line.split(":", 1)
        opts: dict[str, str] = {}
        for part in rest.split(","):
            part = part.strip()
            if not part:
                continue
            name, _, value = part.partition("=")
            opts[name.strip()] = value.strip().strip('"')
        out.setdefault(key.strip(), {}).update(opts)
    return out


def _enabled(opts: dict[str, str] | None, default: bool) -> bool:
    if opts is None:
        return default
    return opts.get("enabled", "1" if default else "0") not in ("0", "false")


def _host_path(path: str) -> bool:
    return path.startswith("/dev/") or path.startswith("/proc/")


def bochsrc_problems(text: str) -> list[str]:
    rc = parse_bochsrc(text)
    problems: list[str] = []
    sound = rc.get("sound")
    # Bochs 2.7 opens its sound driver (ALSA by default) whenever the speaker or a sound card
    # is configured, and the speaker is on by default: both must be said explicitly.
    if sound is None or sound.get("driver") != "dummy":
        problems.append("sound: must say driver=dummy (the default, ALSA, aborts without a sound card)")
    for drv in ("waveoutdrv", "waveindrv", "midioutdrv"):
        if sound and drv in sound and sound[drv] != "dummy":
            problems.append(f"sound: {drv}={sound[drv]} needs host audio")
    if _enabled(rc.get("speaker"), default=True):
        problems.append("speaker: must say enabled=0 (it beeps through the host's sound or console)")
    if _enabled(rc.get("mouse"), default=False):
        problems.append("mouse: must be disabled (no host input)")
    display = rc.get("display_library")
    lib = next(iter(display), "") if display else ""
    if lib not in HEADLESS_DISPLAYS:
        problems.append(f"display_library: '{lib or '(default)'}' needs a host display; use rfb or nogui")
    elif lib == "rfb" and display.get("options", "").replace(" ", "").find("timeout=0") < 0:
        problems.append('display_library: rfb must say options="timeout=0" (else it waits for a VNC client)')
    for key in SOUND_CARDS + USB_CONTROLLERS:
        if _enabled(rc.get(key), default=False):
            problems.append(f"{key}: enabled, needs host audio or USB devices")
    for key in NICS:
        opts = rc.get(key)
        if opts is not None and _enabled(opts, default=True) and opts.get("ethmod", "null") != "null":
            problems.append(f"{key}: ethmod={opts['ethmod']} reaches a host network device")
    if "pcidev" in rc:
        problems.append("pcidev: passes a host PCI device through")
    for key, opts in rc.items():
        if key.startswith("com") and key[3:].isdigit() and _enabled(opts, default=key == "com1"):
            mode = opts.get("mode", "null")
            if mode not in HEADLESS_COM_MODES or _host_path(opts.get("dev", "")):
                problems.append(f"{key}: mode={mode} dev={opts.get('dev', '')} uses a host terminal or line")
        if key.startswith("parallel") and _enabled(opts, default=key == "parallel1") \
                and _host_path(opts.get("file", "")):
            problems.append(f"{key}: writes to the host device {opts['file']}")
        if (key.startswith("ata") and ("-master" in key or "-slave" in key)) or key.startswith("floppy"):
            path = opts.get("path", next(iter(opts), "") if key.startswith("floppy") else "")
            if _host_path(path):
                problems.append(f"{key}: path={path} is a host drive")
    return problems


def qemu_problems(cmd: list[str]) -> list[str]:
    problems: list[str] = []
    args = cmd[1:]
    pairs = list(zip(args, args[1:] + [""]))
    def values(flag):
        return [v for f, v in pairs if f == flag]
    if "none" not in values("-display"):
        problems.append("-display none is missing (QEMU would open a window)")
    if "-nodefaults" not in args:
        problems.append("-nodefaults is missing (QEMU would add default devices)")
    accels = values("-accel")
    if accels != ["tcg"] or "-enable-kvm" in args:
        problems.append(f"accelerator {accels or '(default)'}: only TCG; /dev/kvm here cannot run ring 1")
    for flag in ("-audiodev", "-soundhw", "-usb", "-usbdevice"):
        if flag in args:
            problems.append(f"{flag}: needs host audio or USB")
    for value in values("-chardev") + values("-serial"):
        kind = value.split(",", 1)[0]
        if kind in ("tty", "serial", "parallel", "stdio", "vc", "console") or "/dev/" in value:
            problems.append(f"character device '{value}' uses a host terminal or line")
    return problems


def exit_status(returncode: int | None) -> str:
    """How a process ended, in words: 'killed by SIGABRT (signal 6)' or 'exited with status 1'."""
    if returncode is None:
        return "is still running"
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"was killed by {name} (signal {-returncode})"
    return f"exited with status {returncode}"


# Debian's Bochs offers no display without a host resource: its RFB display binds the first
# free TCP port of 5900..5949 and panics ("RFB could not bind any port") when another program,
# a concurrent test or a leaked emulator holds all fifty. A CI run on 2026-12-04 failed that
# way. Each Bochs therefore runs in a network namespace of its own, where the ports are its
# own and nothing outside can reach its listener.
PRIVATE_NET_CANDIDATES = (["unshare", "--net", "--"],
                          ["unshare", "--user", "--map-root-user", "--net", "--"])


@functools.cache
def private_network_prefix() -> tuple[str, ...]:
    """A command prefix that runs a program in a fresh network namespace, or () when this host
    allows none (then the caller must cope with port collisions itself)."""
    if shutil.which("unshare") is None:
        return ()
    for prefix in PRIVATE_NET_CANDIDATES:
        if os.geteuid() != 0 and "--user" not in prefix:
            continue
        probe = subprocess.run(prefix + ["true"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        if probe.returncode == 0:
            return tuple(prefix)
    return ()


PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """preexec_fn: the emulator gets SIGKILL when the harness dies (a ctest timeout kills the
    harness, and an orphaned emulator would run on, holding CPU and, for Bochs, a port)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
