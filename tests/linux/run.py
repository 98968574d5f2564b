#!/usr/bin/env python3
"""Linux tests (label `linux`). Today: the baseline. The kernel that tools/linux-build makes
from Debian's linux-source-6.1 (i386, no PAE, tinyconfig + linux/gandalf.config, the patch
series) boots natively in QEMU TCG with the initramfs of Debian's i386 busybox-static to a
shell on COM1, and the shell runs commands typed on that console. Issue #11 runs the same
kernel at ring 1 on Gandalf; issue #12 compares against this native run."""
import json
import pathlib
import re
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools/harness"))
from gandalf_harness import Bochs, Failure, run_cases  # noqa: E402
from headless import exit_status, qemu_problems  # noqa: E402


class NativeLinux:
    """QEMU TCG with the kernel and initramfs, COM1 on a Unix socket the test reads and writes."""

    def __init__(self, linux_dir: pathlib.Path, work: pathlib.Path, append: str):
        self.work, self.text = work, b""
        self.sock_path = work / "com1.sock"
        self.cmd = ["qemu-system-i386", "-accel", "tcg", "-machine", "pc", "-nodefaults",
                    "-display", "none", "-no-reboot", "-m", "128",
                    "-kernel", str(linux_dir / "bzImage"), "-initrd", str(linux_dir / "initramfs.cpio.gz"),
                    "-append", append,
                    "-chardev", f"socket,id=com1,path={self.sock_path},server=on,wait=on",
                    "-device", "isa-serial,chardev=com1,iobase=0x3f8,irq=4"]
        if problems := qemu_problems(self.cmd):
            raise Failure("the QEMU command needs host hardware:\n  " + "\n  ".join(problems))

    def __enter__(self):
        self.out = open(self.work / "qemu.out", "w")
        self.proc = subprocess.Popen(self.cmd, stdout=self.out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(str(self.sock_path))
                break
            except OSError:
                self.sock.close()
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise Failure(self.report(f"cannot connect to COM1 ({self.sock_path})"))
                time.sleep(0.05)
        self.sock.settimeout(0.2)
        return self

    def __exit__(self, *exc):
        self.sock.close()
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.out.close()
        (self.work / "com1.log").write_bytes(self.text)

    def report(self, msg: str) -> str:
        status = "is still running" if self.proc.poll() is None else exit_status(self.proc.returncode)
        qemu = (self.work / "qemu.out").read_text(errors="replace")[-2000:]
        console = self.text.decode("latin-1").replace("\r", "")[-3000:]
        return f"{msg}\n--- COM1, last {len(console)} chars ---\n{console}\n--- qemu ({status}) ---\n{qemu}"

    def wait_for(self, pattern: str, timeout: float, start: int = 0) -> re.Match:
        rx = re.compile(pattern.encode(), re.M)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.text, start)
            if m:
                return m
            if self.proc.poll() is not None:
                raise Failure(self.report(f"qemu {exit_status(self.proc.returncode)} before /{pattern}/ on COM1"))
            if time.monotonic() > deadline:
                raise Failure(self.report(f"expected /{pattern}/ on COM1 within {timeout:.0f} s"))
            try:
                data = self.sock.recv(65536)
                if data:
                    self.text += data
            except socket.timeout:
                pass

    def send(self, line: str) -> int:
        start = len(self.text)
        self.sock.sendall(line.encode())
        return start


def native_boot_to_shell(build, work):
    linux = build / "linux"
    with NativeLinux(linux, work, "console=ttyS0 panic=-1") as m:
        m.wait_for(r"Linux version 6\.1\.", 60)
        m.wait_for(r"gandalf-initramfs: up, kernel 6\.1\.", 60)
        start = m.send("uname -m; echo sum=$((6*7)); cat /proc/cmdline\n")
        m.wait_for(r"^sum=42\r?$", 30, start)
        m.wait_for(r"^i686\r?$", 5, start)
        m.wait_for(r"console=ttyS0 panic=-1", 5, start)


def native_boot_on_bochs(build, work):
    """The same kernel and initramfs through GRUB on Bochs, the faithful IA-32 model that
    Gandalf's protection tests run on: the baseline there. (Bochs' consoles take no input, so
    the check ends at /init's line.)"""
    linux = build / "linux"
    root = work / "iso"
    (root / "boot/grub").mkdir(parents=True)
    for name in ("bzImage", "initramfs.cpio.gz"):
        (root / "boot" / name).write_bytes((linux / name).read_bytes())
    (root / "boot/grub/grub.cfg").write_text(
        "set timeout=0\nset default=0\nmenuentry \"Linux (native)\" {\n"
        "  linux /boot/bzImage console=ttyS0 quiet panic=-1\n  initrd /boot/initramfs.cpio.gz\n}\n")
    iso = work / "linux.iso"
    r = subprocess.run(["grub-mkrescue", "-o", str(iso), str(root)], capture_output=True, text=True)
    if r.returncode != 0:
        raise Failure(f"grub-mkrescue failed:\n{r.stdout}{r.stderr}")
    # The harness's view of this machine: COM1 is Linux's console, nothing else runs.
    system = work / "system"
    system.mkdir()
    (system / "system.json").write_text(json.dumps({
        "ram_mib": 128, "gandalf": {"console": "com4"},
        "partitions": [{"name": "linux", "console": "com1"}]}))
    with Bochs(system, iso, work / "bochs").start() as m:
        m.wait_for("linux", r"gandalf-initramfs: up, kernel 6\.1\.", 300)


CASES = {"native_boot_to_shell": native_boot_to_shell, "native_boot_on_bochs": native_boot_on_bochs}

if __name__ == "__main__":
    sys.exit(run_cases(CASES, __doc__))
