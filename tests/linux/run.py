#!/usr/bin/env python3
"""Linux tests (label `linux`). The kernel that linux/build makes from Debian's
linux-source-6.1 (i386, no PAE, tinyconfig + linux/gandalf.config, the patch series) with an
initramfs of unmodified Debian i386 binaries: natively in QEMU and Bochs (the baseline), and
at ring 1 on Gandalf beside the two μITRON sample applications (issue #11), where a scripted
session on COM1 checks what Linux does and the RTOS consoles show they kept running."""
import json
import pathlib
import re
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools/harness"))
from gandalf_harness import LINUX_PROMPT, Bochs, Failure, Qemu, linux_command, make_iso, run_cases  # noqa: E402
from headless import exit_status, qemu_problems  # noqa: E402
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools"))
import telemetry  # noqa: E402  (tools/telemetry.py)


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


PROMPT = LINUX_PROMPT
command = linux_command


def settle_line(m) -> None:
    """Ends whatever half line is in the shell's input with a newline and waits for the prompt
    after it, so the next command starts on a line of its own."""
    start = len(m.console("linux").text())
    m.send("linux", "\n")
    m.wait_for("linux", PROMPT, 60, start)


def expect(out: str, pattern: str, what: str, m) -> re.Match:
    found = re.search(pattern, out, re.M)
    if not found:
        raise Failure(m._report(f"{what}: expected /{pattern}/ in {out!r}"))
    return found


def interrupt_counts(out: str) -> dict[str, int]:
    return {name: int(count) for count, name in re.findall(r"^\s*\d+:\s+(\d+)\s+XT-PIC\s+(\S+)", out, re.M)}


def rtos_time_ms(m, timeout: float = 30) -> int:
    """sample1's get_tim on rtos0's console (its command 'T')."""
    start = len(m.console("rtos0").text())
    m.send("rtos0", "T")
    return int(m.wait_for("rtos0", r"get_tim: (\d+) ms", timeout, start).group(1))


def insmod_when_all_run(m, module: str) -> tuple[int, int, int, int]:
    """Once Linux is at its prompt and sample1 runs: rtos0's clock and where the rtos1, Gandalf
    and Linux consoles stand, then `insmod` of one of Linux's test modules."""
    m.wait_for("linux", PROMPT, 120)
    m.wait_for("rtos0", r"worker \d is running", 60)
    before, rtos1_at = rtos_time_ms(m), len(m.console("rtos1").text())
    reports_at, linux_at = len(m.console("gandalf").text()), len(m.console("linux").text())
    m.send("linux", f"insmod /lib/gandalf/{module}\n")
    return before, rtos1_at, reports_at, linux_at


def gandalf_boot_to_shell(build, work):
    """Linux at ring 1 in the default system: boot to the prompt, then a scripted session."""
    with Qemu(build / "systems/default", work).start() as m:
        m.wait_for("gandalf", r"gandalf: starting guests", 30)
        m.wait_for("linux", r"Linux version 6\.1\.", 60)
        m.wait_for("linux", r"gandalf-initramfs: bash 5\.\S+ \(dynamic\) says 42", 120)
        m.wait_for("linux", PROMPT, 60)
        rtos0_at, rtos1_at = len(m.console("rtos0").text()), len(m.console("rtos1").text())
        expect(command(m, "uname -a"), r"^Linux \S+ 6\.1\.\d+ .* i686 GNU/Linux", "uname -a", m)
        first = interrupt_counts(command(m, "cat /proc/interrupts"))
        expect(command(m, "ls /"), r"\bbin\b.*\binit\b", "ls /", m)
        command(m, "sleep 1")
        second = interrupt_counts(command(m, "cat /proc/interrupts"))
        for line in ("timer", "ttyS0"):
            if second.get(line, 0) <= first.get(line, 0):
                raise Failure(m._report(f"/proc/interrupts: {line} did not advance ({first} then {second})"))
        expect(command(m, "gandalf-selftest forkexec 1000", 300), r"forkexec 1000 ok", "1000 fork+exec", m)
        expect(command(m, "gandalf-selftest pipe 10", 300), r"pipe 10 MiB checksum 0x[0-9a-f]{8} ok", "pipe", m)
        expect(command(m, "gandalf-selftest signal"), r"signal SIGUSR1 SIGUSR2 caught ok", "signals", m)
        expect(command(m, "gandalf-selftest priv"), r"priv \d+ privileged instructions from user mode all SIGSEGV ok",
               "privileged instructions at CPL 3", m)
        # The FPU check runs while the RTOS instances keep preempting Linux.
        during = len(m.console("rtos1").text())
        expect(command(m, "gandalf-selftest fpu 2", 300), r"fpu \d+ terms sum 1\.6449\d+ ok", "FPU", m)
        if len(m.console("rtos1").text()) <= during:
            raise Failure(m._report("rtos1 printed nothing while Linux computed"))
        expect(command(m, "bash -c 'echo dyn $((7*6))'"), r"^dyn 42", "bash (dynamic)", m)
        # Linux's timer against the RTOS's. The TSC counts virtual time under -icount shift=0
        # (1 GHz), the clock whose 8254 gives rtos0 its tick: Linux's 2 s sleep must last 2 s of
        # it and of Linux's own clock, and rtos0's clock, read before and after, must cover it.
        # (rtos0's reading includes the harness's latency, which sleep=off turns into idle
        # virtual time of any length on a loaded host: it is a lower bound only.)
        before = rtos_time_ms(m)
        out = command(m, "gandalf-selftest sleep 2000")
        slept = rtos_time_ms(m) - before
        found = expect(out, r"sleep 2000 ms took (\d+) ms (\d+) tsc ok", "nanosleep", m)
        took, virtual = int(found.group(1)), int(found.group(2)) // 1_000_000
        if not 2000 <= took <= 2100 or not 2000 <= virtual <= 2100 or slept < virtual - 2:
            raise Failure(m._report(f"a 2 s sleep took {took} ms of Linux's clock, {virtual} ms of virtual "
                                    f"time and {slept} ms of rtos0's clock around it (want 2000..2100, "
                                    "2000..2100 and at least the virtual time)"))
        for name, at in (("rtos0", rtos0_at), ("rtos1", rtos1_at)):
            if len(m.console(name).text()) <= at:
                raise Failure(m._report(f"{name} printed nothing during Linux's session"))
        m.expect_absent("gandalf", r"fault|PANIC|not emulated")
        print(f"2 s sleep = {took} ms of Linux's clock, {virtual} ms of virtual time, {slept} ms of rtos0's "
              f"clock around it; interrupts {first} -> {second}")


def monitor_telemetry(m, reset: bool = False) -> dict:
    """The monitor's `telemetry`, parsed by tools/telemetry.py."""
    start = len(m.console("gandalf").text())
    m.send("gandalf", "telemetry reset\n" if reset else "telemetry\n")
    m.wait_for("gandalf", r"telemetry: end", 60, start)
    return telemetry.parse(m.console("gandalf").text()[start:])


def gandalf_telemetry(build, work):
    """The monitor's per-partition telemetry (docs/debugging.md) over a Linux session: every
    partition's virtual interrupts show in its latency histogram, the RTOS instances' virtual-IF
    windows are short, the shares of the CPU add up with idle time, switches in and out agree,
    and `telemetry reset` starts the figures again; tools/telemetry.py's JSON and plot."""
    with Qemu(build / "systems/default", work).start() as m:
        m.wait_for("linux", PROMPT, 120)
        m.wait_for("rtos0", r"worker \d is running", 60)
        monitor_telemetry(m, reset=True)
        expect(command(m, "gandalf-selftest forkexec 200", 300), r"forkexec 200 ok", "fork+exec", m)
        command(m, "sleep 1")
        t = monitor_telemetry(m)
        parts = t["partitions"]
        if not 0 < t["tsc_hz"] or set(parts) != {"linux", "rtos0", "rtos1"}:
            raise Failure(m._report(f"telemetry: {t}"))
        share = sum(p["used_share"] for p in parts.values()) + t["idle_share"]
        if abs(share - 1) > 0.01:
            raise Failure(m._report(f"telemetry: shares add up to {share}"))
        for name, p in parts.items():
            delivered = sum(p["latency_log2_tsc"].values())
            if delivered == 0 or delivered > p["traps"]["virqs"] or abs(p["switches_in"] - p["switches_out"]) > 1:
                raise Failure(m._report(f"telemetry of {name}: {p}"))
        for name in ("rtos0", "rtos1"):
            if not 0 < parts[name]["vif_off_worst_us"] < 1000:
                raise Failure(m._report(f"telemetry: {name}'s longest IF-off window {parts[name]['vif_off_worst_us']} us"))
        again = monitor_telemetry(m, reset=True)
        after = monitor_telemetry(m)
        for name in parts:
            if after["partitions"][name]["switches_in"] > again["partitions"][name]["switches_in"]:
                raise Failure(m._report(f"telemetry reset did not clear {name}'s figures"))
        (work / "telemetry.svg").write_text(telemetry.svg(t))
        print(json.dumps({n: {k: p[k] for k in ("used_share", "latency_worst_us", "vif_off_worst_us")}
                          for n, p in parts.items()}))


def gandalf_irqoff_spin_contained(build, work):
    """Temporal protection: a kernel module (linux/modules/gandalf-irqoff-spin.c) turns Linux's
    interrupts off and spins for ever. Only Linux's virtual IF goes off: rtos0's clock keeps
    pace and rtos1 keeps printing while Linux answers nothing; `restart linux` on Gandalf's
    monitor brings Linux back to its prompt."""
    with Qemu(build / "systems/default", work).start() as m:
        m.wait_for("linux", PROMPT, 120)
        m.wait_for("rtos0", r"worker \d is running", 60)
        start = len(m.console("linux").text())
        m.send("linux", "insmod /lib/gandalf/gandalf-irqoff-spin.ko\n")
        m.wait_for("linux", r"gandalf-irqoff-spin: interrupts off, spinning for ever", 60, start)
        before, rtos1_at = rtos_time_ms(m), len(m.console("rtos1").text())
        silent_from = len(m.console("linux").text())
        m.send("linux", "echo still-here\n")
        # rtos0's clock against Gandalf's own: both keep going while Linux spins.
        t = before
        while t - before < 1000:  # QEMU runs a pause loop slowly: 1 s of virtual time is ~2 min
            time.sleep(0.5)
            t = rtos_time_ms(m)
        if len(m.console("rtos1").text()) <= rtos1_at:
            raise Failure(m._report("rtos1 printed nothing while Linux spun with its interrupts off"))
        if "still-here" in m.console("linux").text()[silent_from:]:
            raise Failure(m._report("Linux echoed a command while its interrupts were off"))
        # The monitor's telemetry saw the window: Linux's virtual IF off for the whole spin.
        tel = monitor_telemetry(m)
        off_ms = tel["partitions"]["linux"]["vif_off_worst_us"] / 1000
        if off_ms < 0.8 * (t - before):
            raise Failure(m._report(f"telemetry: Linux's longest IF-off window {off_ms:.0f} ms, but it spun "
                                    f"{t - before} ms with its interrupts off"))
        start = len(m.console("gandalf").text())
        m.send("gandalf", "restart linux\n")
        m.wait_for("gandalf", r"\[linux\] restarted from the monitor", 30, start)
        start = len(m.console("linux").text())
        m.wait_for("linux", r"Linux version 6\.1\.", 120, start)
        m.wait_for("linux", PROMPT, 120, start)
        # Gandalf clears the UART on the restart, but QEMU never overruns a FIFO: what was typed
        # to the spinning Linux waits in the socket and reaches the new shell. An empty line ends it.
        settle_line(m)
        expect(command(m, "echo back $((6*7))"), r"^back 42", "Linux after the restart", m)
        after = rtos_time_ms(m)
        if after <= t:
            raise Failure(m._report(f"rtos0's clock stood still across Linux's restart ({t} then {after} ms)"))
        m.expect_absent("gandalf", r"PANIC|not emulated")
        print(f"rtos0's clock ran {t - before} ms while Linux spun with interrupts off; Linux restarted")


def gandalf_boot_on_bochs(build, work):
    """The same system through GRUB on Bochs, where segment limits are enforced: Linux boots to
    its prompt and /init runs the short command set that the kernel command line asks for
    (Bochs' consoles take no input). The system is wired for QEMU; this case needs no UART
    interrupt of the RTOS instances, only their output."""
    system = build / "systems/default"
    iso = make_iso(system, work / "linux.iso", {"linux": "gandalf_selftest quiet"})
    with Bochs(system, iso, work / "bochs", wiring_mismatch_ok=True).start() as m:
        m.wait_for("gandalf", r"gandalf: starting guests", 300)
        m.wait_for("linux", r"gandalf-initramfs: bash 5\.\S+ \(dynamic\) says 42", 600)
        m.wait_for("linux", r"gandalf-initramfs: selftest passed", 600)
        m.wait_for("linux", PROMPT, 60)
        m.wait_for("rtos0", r"worker \d is running", 60)
        m.expect_absent("gandalf", r"fault|PANIC|not emulated")


def gandalf_refuses_a_bad_kernel(build, work):
    """A Linux module that is not a kernel Gandalf can boot (here: an RTOS image) is refused at
    boot with a message naming the module; the RTOS instances still start."""
    system = build / "systems/default"
    from gandalf_harness import modules_of
    mods = [(n, str(build / "itron/sample1.img") if n == "linux" else p) for n, p in modules_of(system)]
    with Qemu(system, work, modules=mods).start() as m:
        m.wait_for("gandalf", r"partition 'linux': kernel 'linux' is not an ELF file.*stays stopped", 30)
        m.wait_for("rtos0", r"worker \d is running", 60)
        m.wait_for("rtos1", r"sample2 starts", 60)
        m.expect_absent("gandalf", r"PANIC")


def monitor_sums(m) -> dict[str, tuple[int, str]]:
    """Gandalf's monitor command `sums`: what no guest may change, by name: (physical address,
    checksum) of Gandalf's code and read-only data, the image store, each RTOS image's page."""
    start = len(m.console("gandalf").text())
    m.send("gandalf", "sums\n")
    m.wait_for("gandalf", r"sums: end", 60, start)
    text = m.console("gandalf").text()[start:]
    return {name: (int(addr, 16), fnv) for name, addr, fnv in re.findall(r"sums: (\S+) ([0-9a-f]{8})\+\S+ fnv=(\S+)", text)}


def foreign_mappings_refused(m, slow: float = 1.0) -> str:
    """Spatial protection against Linux's own page tables (issue #12): a kernel module
    (linux/modules/gandalf-map-foreign.c) maps a frame of rtos0, of Gandalf's code and of the
    image store through a PTE and through a 4 MiB PDE, and writes and reads through each, then
    loads rtos0's frame as its page directory (CR3). Every access and the load must fault in
    Linux (the module's exception-table fixups see it), Gandalf must name each frame on COM4, the checksums of those three regions must not move, the RTOS instances
    must keep running and Linux must still answer."""
    m.wait_for("linux", PROMPT, 300 * slow)
    m.wait_for("rtos0", r"worker \d is running", 60 * slow)
    before = monitor_sums(m)
    targets = [before[name][0] for name in ("rtos0", "gandalf", "store")]
    rtos0_before, rtos1_at = rtos_time_ms(m, 30 * slow), len(m.console("rtos1").text())
    reports_at = len(m.console("gandalf").text())
    arg = ",".join(f"0x{t:x}" for t in targets)
    command(m, "M=/lib/gandalf/gandalf-map-foreign.ko")  # the shell wraps its echo at 80 columns
    command(m, f"insmod $M targets={arg}", 120 * slow)
    done = m.wait_for("linux", r"gandalf-map-foreign: done: (\d+) refused, (\d+) went through", 60 * slow)
    text = m.console("linux").text()
    if int(done.group(2)) != 0 or int(done.group(1)) != 4 * len(targets) + 1:
        raise Failure(m._report(f"foreign mappings: {done.group(0)!r} (want {4 * len(targets) + 1} refused, none through)"))
    if not re.search(rf"gandalf-map-foreign: cr3 {targets[0] & ~0xfff:08x} refused", text):
        raise Failure(m._report("the module's CR3 load of a foreign page directory was not refused"))
    m.wait_for("gandalf", rf"cr3 {targets[0] & ~0xfff:08x} is outside Linux's memory", 30 * slow, reports_at)
    for t in targets:
        for how in ("pte", "pde"):
            for what in ("write", "read"):
                if not re.search(rf"gandalf-map-foreign: {how} {t:08x} {what} refused", text):
                    raise Failure(m._report(f"no '{how} {t:08x} {what} refused' from the module"))
        m.wait_for("gandalf", rf"page tables map linear [0-9a-f]{{8}} to physical {t & ~0xfff:08x}, outside Linux's memory",
                   30 * slow, reports_at)
    after = monitor_sums(m)
    for name in ("rtos0", "gandalf", "store"):
        if after[name] != before[name]:
            raise Failure(m._report(f"{name}'s checksum moved: {before[name]} then {after[name]}"))
    rtos0_after = rtos_time_ms(m, 30 * slow)
    if rtos0_after <= rtos0_before:
        raise Failure(m._report(f"rtos0's clock stood still across the attack ({rtos0_before} then {rtos0_after} ms)"))
    m.wait_for("rtos1", r"loop: cycle \d+", 60 * slow, rtos1_at)  # sample2 prints once a second
    expect(command(m, "echo alive $((6*7))", 120 * slow), r"^alive 42", "Linux after the attack", m)
    m.expect_absent("gandalf", r"\] fault:|PANIC|not emulated")
    return f"{done.group(0)}; sums unchanged {sorted(after.items())}"


def gandalf_foreign_mappings_refused(build, work):
    """foreign_mappings_refused on QEMU."""
    with Qemu(build / "systems/default", work).start() as m:
        print(foreign_mappings_refused(m))


def gandalf_foreign_mappings_refused_on_bochs(build, work):
    """foreign_mappings_refused on Bochs (segment limits enforced), its consoles bridged to
    sockets as `tools/run-system --bochs` does."""
    from bochs_sockets import interactive_bochs
    m = interactive_bochs(build / "systems/default", work)
    try:
        print(foreign_mappings_refused(m, slow=3.0))
    finally:
        m.stop()


def monitor_channels(m) -> dict[tuple[str, str], dict[str, int]]:
    """Gandalf's monitor command `channels`: per direction (from, to) its counters."""
    start = len(m.console("gandalf").text())
    m.send("gandalf", "channels\n")
    m.wait_for("gandalf", r"channels: end", 60, start)
    rows = {}
    for line in re.findall(r"channels: (name=.*)", m.console("gandalf").text()[start:]):
        f = dict(kv.split("=", 1) for kv in line.split())
        rows[(f["from"], f["to"])] = {k: int(v) for k, v in f.items() if v.isdigit()}
    return rows


def loop_jitter(text: str) -> list[int]:
    """sample2's worst release jitter of each second (its `loop:` lines), in microseconds."""
    return [int(w) for w in re.findall(r"loop: cycle \d+ output -?\d+, release jitter avg \d+ us worst (\d+) us", text)]


# What Linux can cost rtos1 through the channel (docs/channel.md): Gandalf delivers at most one
# doorbell per interval_us (1 ms) from Linux, sample2's doorbell handler only signals a
# semaphore, and its channel task runs below the control task. A flooding Linux may therefore
# move the control loop's release by one doorbell delivery at most: this many microseconds
# over the worst of the quiet seconds before.
FLOOD_JITTER_BOUND_US = 50


def gandalf_channel(build, work):
    """The RTOS<->Linux channel of config/linux.toml (docs/channel.md): sample2 on rtos1 and
    gandalf-ctl on Linux exchange set points and states with measured round trips; a message
    longer than a record is refused; Linux flooding the doorbell and the ring is held to one
    doorbell per millisecond and moves rtos1's control loop by less than a stated bound; a
    write from Linux into rtos1's half is refused by the shadow page tables and reported; a
    write from rtos1 into Linux's half faults, rtos1 restarts alone and the channel resumes."""
    with Qemu(build / "systems/default", work).start() as m:
        m.wait_for("linux", PROMPT, 120)
        m.wait_for("rtos1", r"channel ctl: open, 16384-byte region, records of 64 bytes", 60)
        expect(command(m, "ls -l /dev/gandalf-ctl"), r"^crw-rw-rw-.*gandalf-ctl", "the channel's device", m)
        out = command(m, "gandalf-ctl demo 10", 120)
        for i in range(1, 11):
            expect(out, rf"^ctl: ack seq={i} setpoint={1000 + 100 * i} rtt=\d+ us", f"ack {i}", m)
        states = [int(v) for v in re.findall(r"^ctl: state cycle=\d+ setpoint=(\d+)", out, re.M)]
        if states != [1000 + 100 * i for i in range(1, 11)]:
            raise Failure(m._report(f"the loop's states did not follow the set points: {states}"))
        rtt = expect(out, r"^ctl: rtt n=10 min=(\d+) avg=(\d+) max=(\d+) us", "round trips", m)
        expect(command(m, "gandalf-ctl long"), r"^ctl: a 512-byte message refused: Message too long", "long", m)
        # The μITRON side's refusals (sample2's A): each with channel.h's error code.
        api_at = len(m.console("rtos1").text())
        m.send("rtos1", "A")
        m.wait_for("rtos1", r"channel api: unknown name E_NOEXS, other line E_PAR, no name E_PAR, "
                            r"61-byte message E_PAR: refusals ok", 30, api_at)
        # A message that fits a record but not sample2's buffer: dropped, the channel goes on.
        expect(command(m, "gandalf-ctl odd"), r"^ctl: a 60-byte message that is no ctl_msg was sent", "odd", m)
        expect(command(m, "gandalf-ctl demo 2", 60), r"^ctl: rtt n=2 ", "the channel after an odd message", m)
        # Flood: the doorbell and the ring as fast as Linux can, timed on rtos0's clock.
        quiet_at = len(m.console("rtos1").text())
        pos = quiet_at
        for _ in range(3):  # three seconds of the loop with Linux quiet
            pos = m.wait_for("rtos1", r"loop: cycle \d+ .*worst \d+ us", 60, pos).end()
        quiet = loop_jitter(m.console("rtos1").text()[quiet_at:])
        start = len(m.console("gandalf").text())
        m.send("gandalf", "channels reset\n")
        m.wait_for("gandalf", r"channels: end", 30, start)
        t0, flood_at = rtos_time_ms(m), len(m.console("rtos1").text())
        out = command(m, "gandalf-ctl flood 3000", 120)
        t1 = rtos_time_ms(m)
        flooded = loop_jitter(m.console("rtos1").text()[flood_at:])
        rows = monitor_channels(m)
        up = rows[("linux", "rtos1")]
        written = int(expect(out, r"^ctl: flood 3000 ms: (\d+) rings, (\d+) records", "flood", m).group(1))
        if up["rings"] < written or up["delivered"] > (t1 - t0) + 2 or up["coalesced"] == 0:
            raise Failure(m._report(f"rate limit: {up} over {t1 - t0} ms of rtos0's clock (want at most one "
                                    "delivered per ms, the rest coalesced)"))
        if not flooded or max(flooded) > max(quiet) + FLOOD_JITTER_BOUND_US:
            raise Failure(m._report(f"rtos1's loop jitter under the flood {flooded} us against {quiet} us before "
                                    f"(bound: +{FLOOD_JITTER_BOUND_US} us)"))
        # Linux writing into rtos1's half: the shadow page tables map it read-only.
        half = int(expect(command(m, "dmesg | grep gandalf-channel:"), r"bytes at (0x[0-9a-f]+)", "dmesg", m).group(1), 16)
        reports_at = len(m.console("gandalf").text())
        command(m, "M=/lib/gandalf/gandalf-map-foreign.ko")
        command(m, f"insmod $M targets=0x{half:x}", 120)
        done = m.wait_for("linux", r"gandalf-map-foreign: done: (\d+) refused, (\d+) went through", 60)
        text = m.console("linux").text()
        for how in ("pte", "pde"):
            expect(text, rf"gandalf-map-foreign: {how} {half:08x} write refused", f"{how} write into rtos1's half", m)
            expect(text, rf"gandalf-map-foreign: {how} {half:08x} read went through \(48434e47\)",
                   f"{how} read of rtos1's half", m)
        m.wait_for("gandalf", r"\[linux\] wrote to channel ctl's half that rtos1 writes", 30, reports_at)
        out = command(m, "gandalf-ctl demo 2", 60)
        expect(out, r"^ctl: rtt n=2 ", "the channel after the attack", m)
        m.expect_absent("gandalf", r"\] fault:|PANIC|not emulated")
        # And the other way: rtos1 writing into Linux's half faults (read-only in the RTOS
        # window), is contained and restarts; the channel works again once it reattaches.
        reports_at, rtos1_at = len(m.console("gandalf").text()), len(m.console("rtos1").text())
        m.send("rtos1", "C")
        m.wait_for("gandalf", r"\[rtos1\] fault: vector 14 #PF", 30, reports_at)
        m.wait_for("gandalf", r"\[rtos1\] restarting", 30, reports_at)
        m.expect_absent("rtos1", r"NOT read-only")
        m.wait_for("rtos1", r"channel ctl: open", 60, rtos1_at)
        out = command(m, "gandalf-ctl demo 2", 60)
        expect(out, r"^ctl: rtt n=2 ", "the channel after rtos1's restart", m)
        print(f"round trip min/avg/max {rtt.group(1)}/{rtt.group(2)}/{rtt.group(3)} us; flood: {up} in "
              f"{t1 - t0} ms, loop jitter worst {max(flooded)} us (quiet {max(quiet)} us); {done.group(0)}")


def gandalf_panic_restarts_linux(build, work):
    """Restart Linux alone when it crashes (on_fault = "restart" in config/linux.toml): a module
    panics the kernel (linux/modules/gandalf-panic.c); with panic=-1 Linux resets the machine at
    once through the keyboard controller, Gandalf restarts Linux alone, which boots to its prompt
    again while rtos0's clock and rtos1's loop keep going. The monitor's `restart linux` is
    gandalf_irqoff_spin_contained; Linux's own `reboot` takes the same path."""
    with Qemu(build / "systems/default", work).start() as m:
        before, rtos1_at, reports_at, linux_at = insmod_when_all_run(m, "gandalf-panic.ko")
        m.wait_for("linux", r"Kernel panic - not syncing: gandalf-panic: a crash on purpose", 60, linux_at)
        fault = m.wait_for("gandalf", r"gandalf: \[linux\] reset requested \(out 0x64, 0xfe.*", 60, reports_at)
        m.wait_for("gandalf", r"gandalf: \[linux\] restarting \(1 of 3\)", 30, reports_at)
        m.wait_for("linux", r"Linux version 6\.1\.", 120, linux_at)
        m.wait_for("linux", r"gandalf-initramfs: shell at uptime", 120, linux_at)
        settle_line(m)
        expect(command(m, "echo back $((6*7))"), r"^back 42", "Linux after its restart", m)
        after = rtos_time_ms(m)
        if after <= before:
            raise Failure(m._report(f"rtos0's clock stood still across Linux's crash ({before} then {after} ms)"))
        m.wait_for("rtos1", r"loop: cycle \d+", 60, rtos1_at)
        m.expect_absent("gandalf", r"PANIC")
        # Its crash dump keeps the panic message: Linux's console passes through Gandalf
        # (console_tail in config/linux.toml), and a reset takes a dump as a fault does.
        dump_at = len(m.console("gandalf").text())
        m.send("gandalf", "dump linux\n")
        m.wait_for("gandalf", r"dump: end", 30, dump_at)
        lines = re.findall(r"dump: name=linux console at=[0-9a-f]+ ([0-9a-f]+)", m.console("gandalf").text()[dump_at:])
        tail = bytes.fromhex("".join(lines)).decode("latin-1")
        if "gandalf-panic: a crash on purpose" not in tail or "vector=256" not in m.console("gandalf").text()[dump_at:]:
            raise Failure(m._report(f"Linux's dump lacks the reset or its panic message; its console tail:\n{tail[-800:]}"))
        print(f"Linux panicked, {fault.group(0)!r}, restarted; rtos0's clock {before} -> {after} ms; "
              f"its dump keeps {len(tail)} console bytes with the panic")


def gandalf_unemulated_instruction_reported(build, work):
    """An instruction Linux's kernel executes that Gandalf does not emulate (rdpmc, from the
    module linux/modules/gandalf-unemulated.c) is reported on COM4 with the partition, the
    vector, CS:EIP and the decoded instruction, and reflected to Linux as the #GP a processor
    would raise: Linux's own handler decides (an oops that kills insmod). Linux's shell, rtos0's
    clock and rtos1's loop go on; Gandalf neither panics nor restarts anything."""
    with Qemu(build / "systems/default", work).start() as m:
        before, rtos1_at, reports_at, linux_at = insmod_when_all_run(m, "gandalf-unemulated.ko")
        report = m.wait_for("gandalf", r"gandalf: \[linux\] #GP\(0x0\) at 006[01]:([0-9a-f]{8}) on 'rdpmc', "
                            r"not emulated: reflected to Linux", 60, reports_at)
        m.wait_for("linux", r"general protection fault", 60, linux_at)
        eip = m.wait_for("linux", r"EIP: (?:\S+:)?(?:\[<)?(?:0x)?([0-9a-f]{8})", 60, linux_at)
        if eip.group(1) != report.group(1):
            raise Failure(m._report(f"Linux's oops names EIP {eip.group(1)}, Gandalf's report {report.group(1)}"))
        oops_end = m.wait_for("linux", r"Segmentation fault", 60, linux_at)
        m.wait_for("linux", PROMPT, 60, oops_end.end())
        settle_line(m)
        expect(command(m, "echo still $((6*7))"), r"^still 42", "Linux after the oops", m)
        if "not trapped" in m.console("linux").text()[linux_at:]:
            raise Failure(m._report("rdpmc ran at CPL 1 without a #GP"))
        after = rtos_time_ms(m)
        if after <= before:
            raise Failure(m._report(f"rtos0's clock stood still ({before} then {after} ms)"))
        m.wait_for("rtos1", r"loop: cycle \d+", 60, rtos1_at)
        m.expect_absent("gandalf", r"PANIC|restarting|stopped")
        print(f"reported {report.group(0)!r}; Linux oopsed and went on; rtos0's clock {before} -> {after} ms")


def gandalf_rtos_input_on_bochs_shared_line(build, work):
    """On Bochs (PC wiring) Gandalf's console UART, COM4, shares IRQ 3 with rtos0's COM2, and
    Bochs lowers a shared line whenever either UART's status is read: Gandalf's console poll at
    its tick could withdraw COM2's receive interrupt before the processor took it, and COM2 then
    never raised it again (it reads no more input while a byte waits): rtos0's console went
    deaf for good (found by linux.gandalf_foreign_mappings_refused_on_bochs). Gandalf now
    delivers a partition's request that vanished while it read its console, and, after a
    spurious IRQ 7 (the 8259's answer to a request withdrawn before the processor took it), the
    line shared with it, for a request that rose and fell inside an access. Here rtos0 answers
    every one of many 'T' commands, until the withdrawal was met (and reported) and
    WITHDRAWN_AFTER more were answered; never meeting it in MAX_T commands fails too: the case
    would then prove nothing."""
    from bochs_sockets import interactive_bochs
    m = interactive_bochs(build / "systems/default", work)
    try:
        m.wait_for("rtos0", r"worker \d is running", 180)
        answered, met_at = 0, None
        for answered in range(1, MAX_T + 1):
            rtos_time_ms(m, 30)  # fails the case if rtos0 does not answer
            if met_at is None and re.search(r"\[rtos0\] IRQ 3 request withdrawn while", m.console("gandalf").text()):
                met_at = answered
            if met_at is not None and answered >= met_at + WITHDRAWN_AFTER:
                break
        if met_at is None:
            raise Failure(m._report(f"no withdrawn request in {MAX_T} commands: the case proves nothing"))
        m.expect_absent("gandalf", r"\] fault:|PANIC|not emulated")
        unseen = "spurious IRQ 7" in m.console("gandalf").text()
        print(f"rtos0 answered all {answered} 'T' commands on Bochs; a withdrawn IRQ 3 request was delivered "
              f"by command {met_at}" + ("; a request withdrawn unseen was delivered after a spurious IRQ 7"
                                        if unseen else ""))
    finally:
        m.stop()


MAX_T, WITHDRAWN_AFTER = 200, 20

CASES = {"native_boot_to_shell": native_boot_to_shell, "native_boot_on_bochs": native_boot_on_bochs,
         "gandalf_boot_to_shell": gandalf_boot_to_shell, "gandalf_boot_on_bochs": gandalf_boot_on_bochs,
         "gandalf_refuses_a_bad_kernel": gandalf_refuses_a_bad_kernel,
         "gandalf_irqoff_spin_contained": gandalf_irqoff_spin_contained,
         "gandalf_foreign_mappings_refused": gandalf_foreign_mappings_refused,
         "gandalf_channel": gandalf_channel,
         "gandalf_panic_restarts_linux": gandalf_panic_restarts_linux,
         "gandalf_unemulated_instruction_reported": gandalf_unemulated_instruction_reported,
         "gandalf_telemetry": gandalf_telemetry,
         "gandalf_foreign_mappings_refused_on_bochs": gandalf_foreign_mappings_refused_on_bochs,
         "gandalf_rtos_input_on_bochs_shared_line": gandalf_rtos_input_on_bochs_shared_line}

if __name__ == "__main__":
    sys.exit(run_cases(CASES, __doc__))
