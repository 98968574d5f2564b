#!/usr/bin/env python3
"""Unit tests of the test harness itself (label `unit`, issue #9).

1. The bochsrc the harness generates and the QEMU command it runs need no host hardware: no
   sound, display, input, host drive or line, no /dev/kvm (tools/harness/headless.py).
2. Those checks can fail: each known way of needing host hardware is caught.
3. When an emulator dies before the guest prints, the failure carries the emulator's own last
   lines of stderr and its exit status or signal by name.
4. QEMU's UARTs are wired as the system's platform declares (system.json), and Bochs, whose
   wiring is the PC's, refuses a system checked against another one (issue #10 item 3).
5. Bochs starts even when every port its RFB display could bind (5900..5949) is taken, as on
   the CI run of 2026-12-04 that failed with "RFB could not bind any port".
6. Every module of modules.txt reaches Gandalf on QEMU as "path name", in order: also one that
   is no partition's image (the Linux initramfs, module `initrd`, issue #11).
"""
import pathlib
import sys
import tempfile
import unittest
import json

HARNESS = pathlib.Path(__file__).resolve().parents[2] / "tools/harness"
sys.path.insert(0, str(HARNESS))
from gandalf_harness import (PC_WIRING, RFB_PORT_PANIC, Bochs, Failure, Machine, Qemu,  # noqa: E402
                             declared_wiring, modules_of)
from headless import bochsrc_problems, exit_status, private_network_prefix, qemu_problems  # noqa: E402


def fake_system(root: pathlib.Path) -> pathlib.Path:
    """The smallest system directory the harness accepts (no image is booted)."""
    d = root / "system"
    d.mkdir()
    (d / "system.json").write_text(json.dumps({
        "ram_mib": 64, "gandalf": {"console": "com4"},
        "partitions": [{"name": "linux", "console": "com1"}, {"name": "rtos0", "console": "com2"}]}))
    (d / "modules.txt").write_text("linux=/nonexistent/linux.img\n")
    return d


class WithFakeSystem(unittest.TestCase):
    """A fresh temporary directory holding fake_system() for each test."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = pathlib.Path(self.tmp.name)
        self.system = fake_system(self.root)

    def tearDown(self):
        self.tmp.cleanup()


class GeneratedConfigurations(WithFakeSystem):
    def test_bochsrc_is_headless(self):
        text = Bochs(self.system, self.root / "x.iso", self.root / "w").bochsrc_text()
        self.assertEqual(bochsrc_problems(text), [])
        for line in ("sound: driver=dummy", "speaker: enabled=0", "mouse: enabled=0"):
            self.assertIn(line, text.splitlines())

    def test_qemu_command_is_headless(self):
        for icount in (True, False):
            cmd = Qemu(self.system, self.root / "w", icount=icount).command()
            self.assertEqual(qemu_problems(cmd), [], cmd)


class ChecksCanFail(unittest.TestCase):
    GOOD = Bochs.bochsrc_text.__globals__["BOCHSRC"].format(
        megs=64, iso="/tmp/x.iso", ips=1, work="/tmp/w", serial="com1: enabled=1, mode=file, dev=/tmp/w/com1.log")

    def variant(self, old: str, new: str) -> list[str]:
        text = self.GOOD.replace(old, new) if old else self.GOOD + new + "\n"
        self.assertNotEqual(text, self.GOOD)
        return bochsrc_problems(text)

    def test_each_host_device_is_caught(self):
        cases = {
            "no sound line (ALSA default)": ("sound: driver=dummy\n", ""),
            "ALSA driver": ("sound: driver=dummy", "sound: driver=alsa"),
            "speaker on by default": ("speaker: enabled=0\n", ""),
            "speaker on": ("speaker: enabled=0", "speaker: enabled=1, mode=sound"),
            "mouse": ("mouse: enabled=0", "mouse: enabled=1"),
            "X11 display": ('display_library: rfb, options="timeout=0"', "display_library: x"),
            "VNC waiting for a client": ('display_library: rfb, options="timeout=0"', "display_library: rfb"),
            "USB": ("", "usb_ohci: enabled=1"),
            "sound card": ("", "sb16: enabled=1"),
            "host serial line": ("", "com2: enabled=1, mode=raw, dev=/dev/ttyS0"),
            "host cdrom": ("", "ata1-master: type=cdrom, path=/dev/sr0, status=inserted"),
            "host network": ("", "ne2k: ioaddr=0x300, irq=9, ethmod=linux, ethdev=eth0"),
            "host PCI device": ("", "pcidev: vendor=0x8086, device=0x100e"),
        }
        for what, (old, new) in cases.items():
            with self.subTest(what):
                self.assertNotEqual(self.variant(old, new), [], what)

    def test_qemu_checks(self):
        good = ["qemu-system-i386", "-accel", "tcg", "-nodefaults", "-display", "none"]
        self.assertEqual(qemu_problems(good), [])
        self.assertNotEqual(qemu_problems(good[:5] + ["gtk"]), [])
        self.assertNotEqual(qemu_problems(["qemu-system-i386", "-accel", "kvm", "-nodefaults", "-display", "none"]), [])
        self.assertNotEqual(qemu_problems(good + ["-audiodev", "alsa,id=a"]), [])
        self.assertNotEqual(qemu_problems(good + ["-serial", "/dev/ttyS0"]), [])


QEMU_HARNESS = {"name": "qemu-harness", "devices": [
    {"name": "com1", "ports": [0x3F8, 0x3FF], "irq": 4}, {"name": "com2", "ports": [0x2F8, 0x2FF], "irq": 3},
    {"name": "com3", "ports": [0x3E8, 0x3EF], "irq": 5}, {"name": "com4", "ports": [0x2E8, 0x2EF], "irq": 7}]}


class Wiring(WithFakeSystem):
    def with_platform(self, platform):
        doc = json.loads((self.system / "system.json").read_text())
        doc["platform"] = platform
        (self.system / "system.json").write_text(json.dumps(doc))

    def serial_devices(self):
        cmd = Qemu(self.system, self.root / "w").command()
        return [cmd[i + 1] for i, word in enumerate(cmd) if word == "-device"]

    def test_qemu_wired_as_declared(self):
        self.with_platform(QEMU_HARNESS)
        self.assertIn("isa-serial,chardev=com3,iobase=0x3e8,irq=5", self.serial_devices())
        self.with_platform({"name": "pc", "devices": [
            {"name": n, "ports": [p, p + 7], "irq": i} for n, (p, i) in PC_WIRING.items()]})
        devices = self.serial_devices()
        self.assertIn("isa-serial,chardev=com3,iobase=0x3e8,irq=4", devices)
        self.assertIn("isa-serial,chardev=com4,iobase=0x2e8,irq=3", devices)

    def test_undeclared_platform_keeps_the_old_qemu_wiring(self):
        self.assertIsNone(declared_wiring({}))
        self.assertIn("isa-serial,chardev=com3,iobase=0x3e8,irq=5", self.serial_devices())

    def test_bochs_refuses_another_wiring(self):
        self.with_platform(QEMU_HARNESS)
        with self.assertRaises(Failure) as caught:
            Bochs(self.system, self.root / "x.iso", self.root / "w").start()
        self.assertIn('checked against platform "qemu-harness", which Bochs is not', str(caught.exception))
        self.assertIn("com3 on IRQ 5 (the emulator wires it to IRQ 4)", str(caught.exception))
        self.assertIn("com4 on IRQ 7 (the emulator wires it to IRQ 3)", str(caught.exception))


class Modules(WithFakeSystem):
    def initrd_argument(self, **kw) -> str:
        cmd = Qemu(self.system, self.root / "w", **kw).command()
        return cmd[cmd.index("-initrd") + 1]

    def test_every_module_reaches_qemu_as_path_then_name(self):
        (self.system / "modules.txt").write_text(
            "linux=/b/linux/vmlinux\ninitrd=/b/linux/initramfs.cpio.gz\nrtos0=/b/itron/sample1.img\n")
        self.assertEqual(modules_of(self.system), [("linux", "/b/linux/vmlinux"),
                                                   ("initrd", "/b/linux/initramfs.cpio.gz"),
                                                   ("rtos0", "/b/itron/sample1.img")])
        self.assertEqual(self.initrd_argument(),
                         "/b/linux/vmlinux linux,/b/linux/initramfs.cpio.gz initrd,/b/itron/sample1.img rtos0")
        # Module arguments go to the named module only; QEMU's list separator is escaped.
        self.assertEqual(self.initrd_argument(module_args={"linux": "console=ttyS0,115200"}),
                         "/b/linux/vmlinux linux console=ttyS0,,115200,/b/linux/initramfs.cpio.gz initrd,"
                         "/b/itron/sample1.img rtos0")


class DyingEmulator(Machine):
    """Stands for an emulator that aborts before the guest runs, as Bochs 2.7 did (issue #9)."""

    def start(self):
        import subprocess
        code = ("import os, signal, sys\n"
                "print('00000000000i[      ] reading configuration')\n"
                "sys.stderr.write('*** buffer overflow detected ***: terminated\\n')\n"
                "sys.stderr.flush(); sys.stdout.flush()\n"
                "os.kill(os.getpid(), signal.SIGABRT)\n")
        with open(self.output_path(), "w") as out:
            self.proc = subprocess.Popen([sys.executable, "-c", code], stdout=out, stderr=subprocess.STDOUT)
        return self

    def output_path(self):
        return self.work / "fake.out"


class EmulatorDeath(unittest.TestCase):
    def test_message_names_signal_and_shows_stderr(self):
        with tempfile.TemporaryDirectory() as tmp:
            root = pathlib.Path(tmp)
            with DyingEmulator(fake_system(root), root / "w").start() as m:
                with self.assertRaises(Failure) as caught:
                    m.wait_for("gandalf", r"gandalf: starting guests", 20)
            msg = str(caught.exception)
            self.assertIn("killed by SIGABRT (signal 6)", msg)
            self.assertIn("*** buffer overflow detected ***", msg)
            self.assertIn("nothing arrived on", msg)

    def test_exit_status_words(self):
        self.assertEqual(exit_status(-11), "was killed by SIGSEGV (signal 11)")
        self.assertEqual(exit_status(3), "exited with status 3")


class RfbPortsTaken(WithFakeSystem):
    """Holds all fifty RFB ports, then starts Bochs through the harness: it must get past the
    display (its RFB listener lives in a network namespace of its own)."""

    def test_bochs_starts_with_every_rfb_port_taken(self):
        import socket
        import time
        held = []
        try:
            for port in range(5900, 5950):
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                try:
                    s.bind(("0.0.0.0", port))
                    s.listen()
                    held.append(s)
                except OSError:
                    s.close()  # someone else holds it: taken either way
            self.assertTrue(private_network_prefix(), "this host offers no network namespace")
            m = Bochs(self.system, self.root / "none.iso", self.root / "w")
            with m.start():
                deadline = time.monotonic() + 20
                out = m.output_path()
                while time.monotonic() < deadline:
                    text = out.read_text(errors="replace") if out.exists() else ""
                    log = (m.work / "bochs.log")
                    text += log.read_text(errors="replace") if log.exists() else ""
                    if RFB_PORT_PANIC in text or "listening for connections" in text \
                            or m.proc.poll() is not None:
                        break
                    time.sleep(0.1)
            self.assertNotIn(RFB_PORT_PANIC, text)
            self.assertIn("listening for connections on port 5900", text)
        finally:
            for s in held:
                s.close()


if __name__ == "__main__":
    unittest.main()
