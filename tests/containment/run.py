#!/usr/bin/env python3
"""Containment tests (label `containment`): every misbehaviour of issue #3 item 9, on Bochs,
and the shared IRQ wiring of issue #10 item 3 (a UART's line and its ports go together).

Bochs enforces segment limits on every data access, stack access and near branch (QEMU TCG
does not), so each spatial claim is made there. The canary case fails if the emulator lets an
out-of-limit write through; `canary_tcg_does_not_enforce` shows the same canary catching
QEMU TCG, i.e. that the canary can fail.

Each case boots the `containment` system from its GRUB ISO with one partition told (module
arguments) to misbehave, then asserts on Gandalf's console (partition, vector, error code,
CS:EIP, reason), on the attacker's console (restarted, never "survived") and on an observer
partition's console (its 1 ms tick keeps coming, within tolerance).
"""
import pathlib
import re
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools/harness"))
from gandalf_harness import Bochs, Failure, Qemu, make_iso, parse_fields, run_cases  # noqa: E402

IPS = 50_000_000
PERIOD_TSC = 1193 / 1193182 * IPS  # Bochs' TSC counts instructions at `ips` per second
IDX = {"linux": 0, "rtos0": 1, "rtos1": 2}

# name: (attacker, kind, vector, error, reason regex, observer)
SPATIAL = {
    "canary_write_out": ("rtos0", "write_out", 13, 0x0000,
                         r"memory access at offset 0x00200000 beyond the segment limit 0x001fffff", "rtos1"),
    "write_into_gandalf": ("rtos1", "write_out", 13, 0x0000,
                           r"memory access at offset 0x00200000 beyond the segment limit 0x001fffff", "rtos0"),
    "read_out": ("rtos1", "read_out", 13, 0x0000,
                 r"memory access at offset 0x00200000 beyond the segment limit", "rtos0"),
    "write_wraparound": ("rtos1", "write_wrap", 13, 0x0000,
                         r"memory access at offset 0xfffffff0 beyond the segment limit", "rtos0"),
    "linux_write_into_rtos": ("linux", "write_out", 13, 0x0000,
                              r"memory access at offset 0xfc000000 beyond the segment limit 0xfbffffff", "rtos0"),
    "jump_out": ("rtos1", "jump_out", 13, 0x0000,
                 r"branch to 0x00200000 beyond the code segment limit 0x001fffff", "rtos0"),
    "stack_overflow": ("rtos1", "stack_overflow", 12, 0x0000,
                       r"stack access beyond the segment limit \(stack overflow\?\)", "rtos0"),
    "priv_cli": ("rtos1", "priv_cli", 13, 0x0000,
                 r"privileged instruction 'cli' is not emulated for a para-virtualized guest", "rtos0"),
    "priv_hlt": ("rtos1", "priv_hlt", 13, 0x0000, r"privileged instruction 'hlt'", "rtos0"),
    "priv_mov_cr3": ("rtos1", "priv_cr3", 13, 0x0000, r"privileged instruction 'mov (to )?cr", "rtos0"),
    "priv_lgdt": ("rtos1", "priv_lgdt", 13, 0x0000, r"privileged instruction 'lgdt'", "rtos0"),
    "priv_wrmsr": ("rtos1", "priv_wrmsr", 13, 0x0000, r"privileged instruction 'wrmsr'", "rtos0"),
    "port_of_another_partition": ("rtos1", "port_foreign", 13, 0x0000,
                                  r"port 0x000003f8 is neither owned by the partition nor emulated", "rtos0"),
    "port_unowned_device": ("rtos1", "port_cmos", 13, 0x0000, r"port 0x00000071 is neither owned", "rtos0"),
    "selector_ring0": ("rtos1", "sel_ring0", 13, 0x0108,
                       r"selector 0x00000108 is not one of the guest's own descriptors", "rtos0"),
    "selector_foreign": ("rtos1", "sel_foreign", 13, 0x0018,
                         r"selector 0x00000018 is not one of the guest's own descriptors", "rtos0"),
    "far_jump_into_gandalf": ("rtos1", "far_vmm", 13, 0x0100, r"selector 0x00000100", "rtos0"),
    "int_through_gandalf_gate": ("rtos1", "int_vmm", 13, 0x0102,
                                 r"software interrupt 0x00000020 through a gate only Gandalf may use", "rtos0"),
    "divide_error": ("rtos1", "divide", 0, 0x0000, r"exception without a registered guest handler", "rtos0"),
    "invalid_opcode": ("rtos1", "ud2", 6, 0x0000, r"exception without a registered guest handler", "rtos0"),
    "bad_hypercall_strict": ("rtos1", "bad_hypercall", 130, 0x0003,
                             r"bad hypercall arguments \(strict_hypercalls\)", "rtos0"),
}
# Issue #10: probes that must find nothing (name: (prober, kind, console line regex, observer)).
PROBES = {
    # Item 1: the LDT. The Linux slot plants a 4 GiB DPL-1 descriptor where the reset LDTR
    # points (linear 0); an RTOS tries what firmware and GRUB left there. Every one of the
    # 8192 LDT selectors must fault #GP(selector), and so must a far call through an LDT gate.
    "ldt_from_linux": ("linux", "ldt_scan", r"ldt_scan: 0 of 8192 LDT selectors loadable \(first 0x0\), "
                       r"0 wrong faults, call gate vector 13 error 0xc\n", "rtos0"),
    "ldt_from_rtos": ("rtos1", "ldt_scan", r"ldt_scan: 0 of 8192 LDT selectors loadable \(first 0x0\), "
                      r"0 wrong faults, call gate vector 13 error 0xc\n", "rtos0"),
    # Item 7: the processor state a guest can see is Gandalf's, not the boot loader's. MSW:
    # PE MP ET NE, and TS (0x8): this partition does not own the FPU (lazy switching).
    "cpu_state_from_guest": ("rtos1", "cpu_state", r"cpu_state ldtr=0x0 tr=0x110 msw=0x3b iopl=0 rdpmc=13 "
                             r"sysenter=13 movdr7=13 rdmsr=13 own_fs=255\n", "rtos0"),
}
# Item 2: Gandalf's exit path meets a selector whose descriptor went bad while the guest held
# it (fault injection: Gandalf marks an entry of rtos1's GDT not present at tick 300).
EXIT_FAULTS = {
    "exit_fault_data_segment": (2, 11, 0x0010, r"a data segment register held selector 0x00000010 whose "
                                r"descriptor is no longer valid"),
    "exit_fault_code_segment": (1, 11, 0x0008, r"Gandalf cannot return to the guest: CS 0x00000009 / "
                                r"SS 0x00000011 no longer valid"),
}
CASES = sorted(SPATIAL) + sorted(PROBES) + sorted(EXIT_FAULTS) + [
    "linux_cli_forever", "canary_tcg_does_not_enforce", "itron_wild_pointer", "cpu_state_on_qemu",
    "v86_on_qemu", "log_flood_keeps_fault_reports", "fpu_state_is_per_partition",
    "fpu_state_is_per_partition_on_qemu", "restart_large_image_keeps_rtos_tick", "uart_irq_wiring_refused", "uart_irq_storm_masked",
    "uart_cannot_raise_linux_irq"]


def ticks_after(m, role, start, reports=3, tolerance=0.10):
    """The observer keeps its tick after the attack: `reports` more tick reports, each counting
    on by the report period, with an average interval near 1 ms. (Bochs' rdtsc does not keep
    exact pace with its PIT across HLT, so tight interval bounds are asserted on QEMU with
    -icount in the system tests, not here.)"""
    m.wait_for(role, rf"(?:.*tick n=.*\n){{{reports + 1}}}", 240, start=start)
    text = m.console(role).text()[start:]
    rs = [{k: int(v) for k, v in parse_fields(l).items()} for l in re.findall(r"tick (n=.*)", text)]
    for prev, r in zip(rs[1:reports], rs[2:reports + 1]):
        if r["n"] - prev["n"] != 100 or abs(r["avg"] - PERIOD_TSC) > PERIOD_TSC * tolerance:
            raise Failure(m._report(f"{role}: tick reports {prev} -> {r}: want +100 ticks and an "
                                    f"average interval of {PERIOD_TSC:.0f} TSC ± {tolerance:.0%}"))


def boot(build, work, args):
    system = build / "systems/containment"
    iso = make_iso(system, work / "case.iso", args)
    m = Bochs(system, iso, work, ips=IPS).start()  # refuses a system not wired like Bochs
    m.wait_for("gandalf", r"gandalf: starting guests", 300)
    return m


def spatial(build, work, name):
    attacker, kind, vector, error, reason, observer = SPATIAL[name]
    # The attacker stays quiet: its polled UART output at Bochs' real baud rate would starve a
    # lower-priority observer for milliseconds (fixed priority), which is not what is tested.
    args = {attacker: f"misbehave={kind} at=30 report_every=0", observer: "report_every=100"}
    with boot(build, work, args) as m:
        m.wait_for(attacker, rf"\[{attacker}\] misbehave {kind}\n", 240)
        line = m.wait_for("gandalf", rf"\[{attacker}\] fault: vector (\d+) .*\n", 120).group(0).strip()
        want = rf"\[{attacker}\] fault: vector {vector} .*\(error 0x{error:04x}\) at 0009:[0-9a-f]{{8}}: {reason}"
        if not re.search(want, line):
            raise Failure(m._report(f"fault report\n  {line}\ndoes not match\n  {want}"))
        m.wait_for("gandalf", rf"\[{attacker}\] restarting \(1 of 3\)")
        start = len(m.console(observer).text())
        m.wait_for(attacker, rf"\[{attacker}\] up partition={IDX[attacker]} restarts=1", 120)
        m.expect_absent(attacker, r"survived")
        ticks_after(m, observer, start)


def probe_case(build, work, name):
    prober, kind, want, observer = PROBES[name]
    args = {prober: f"misbehave={kind} at=30 report_every=0", observer: "report_every=100"}
    with boot(build, work, args) as m:
        line = m.wait_for(prober, rf"\[{prober}\] {kind}[:].*\n|\[{prober}\] cpu_state .*\n", 600)
        if not re.search(want, line.group(0)):
            raise Failure(m._report(f"{prober} reported\n  {line.group(0).strip()}\nwant\n  {want}"))
        ticks_after(m, observer, len(m.console(observer).text()))
        m.expect_absent("gandalf", r"fault|PANIC")


def exit_fault(build, work, name):
    entry, vector, error, reason = EXIT_FAULTS[name]
    args = {"gandalf": f"inject=gdt_np,rtos1,{entry},300", "rtos1": "report_every=0",
            "rtos0": "report_every=100"}
    with boot(build, work, args) as m:
        m.wait_for("gandalf", rf"inject: rtos1 GDT entry {entry} is now not present", 240)
        line = m.wait_for("gandalf", r"\[rtos1\] fault: .*\n", 120).group(0).strip()
        want = rf"\[rtos1\] fault: vector {vector} .*\(error 0x{error:04x}\) at 0009:[0-9a-f]{{8}}: {reason}"
        if not re.search(want, line):
            raise Failure(m._report(f"fault report\n  {line}\ndoes not match\n  {want}"))
        m.wait_for("gandalf", r"\[rtos1\] restarting \(1 of 3\)")
        start = len(m.console("rtos0").text())
        m.wait_for("rtos1", r"\[rtos1\] up partition=2 restarts=1", 120)  # its GDT is whole again
        ticks_after(m, "rtos0", start)
        m.expect_absent("gandalf", r"PANIC|\[rtos0\] fault|\[linux\] fault")


def v86_on_qemu(build, work):
    """Item 5: QEMU TCG enters virtual-8086 mode on an iret with VM=1 at CPL 1; the next trap
    pushes a longer frame. Gandalf recognises it, contains rtos1 alone, and rtos0's partition
    data (right below rtos1's frame) is untouched: rtos0 is neither faulted nor stalled."""
    args = {"rtos1": "misbehave=v86 at=30 report_every=0", "rtos0": "report_every=100"}
    with Qemu(build / "systems/containment", work, module_args=args).start() as m:
        m.wait_for("rtos1", r"misbehave v86\n", 60)
        line = m.wait_for("gandalf", r"\[rtos1\] fault: .*\n", 60).group(0).strip()
        if "trap from virtual-8086 mode" not in line:
            raise Failure(m._report(f"fault report {line!r}: want 'trap from virtual-8086 mode'"))
        m.wait_for("rtos1", r"\[rtos1\] up partition=2 restarts=1", 60)
        seen = m.wait_for("rtos0", r"tick n=\d+", 60, len(m.console("rtos0").text()))
        m.wait_for("rtos0", r"tick n=\d+", 60, seen.end())
        m.expect_absent("rtos1", r"survived")
        m.expect_absent("gandalf", r"PANIC|\[rtos0\] fault|\[linux\] fault")


def fpu_check(m):
    """Item 6: rtos1 keeps values in st(0) and xmm0 for 300 ms while rtos0 loads its own
    into the same registers every tick: with lazy switching neither ever reads the other's."""
    for role, kind in (("rtos1", "fpu_busy"), ("rtos0", "fpu_tick")):
        line = m.wait_for(role, rf"\[{role}\] {kind}: .*\n", 600).group(0).strip()
        got = re.search(r": (\d+) checks, (\d+) wrong \(sse=(\d)\)", line)
        if not got or int(got.group(1)) == 0 or int(got.group(2)) != 0:
            raise Failure(m._report(f"{role}: {line!r}: want checks > 0 and 0 wrong"))
    m.expect_absent("gandalf", r"fault|PANIC")


FPU_ARGS = {"rtos1": "misbehave=fpu_busy at=30 report_every=0", "rtos0": "misbehave=fpu_tick at=30 report_every=0"}


def fpu_state_is_per_partition(build, work):
    with boot(build, work, FPU_ARGS) as m:
        fpu_check(m)


def fpu_state_is_per_partition_on_qemu(build, work):
    with Qemu(build / "systems/containment", work, module_args=FPU_ARGS).start() as m:
        fpu_check(m)


def restart_large_image_keeps_rtos_tick(build, work):
    """Item 7: the Linux slot's image says image_end = 49 MiB (48 MiB of bss). Its restart
    rewrites that memory 64 KiB per tick instead of all at once with interrupts off, so rtos0
    keeps its 1 ms tick through the whole restart (without the bound, one restart stalls every
    partition for about a second of Bochs time)."""
    system = build / "systems/containment-big"
    iso = make_iso(system, work / "case.iso", {"linux": "misbehave=ud2 at=30 report_every=0",
                                               "rtos0": "report_every=100"})
    with Bochs(system, iso, work, ips=IPS).start() as m:
        m.wait_for("gandalf", r"gandalf: starting guests", 300)
        m.wait_for("linux", r"\[linux\] misbehave ud2\n", 240)
        start = len(m.console("rtos0").text())
        m.wait_for("gandalf", r"\[linux\] restarting \(1 of 3\)", 120)
        m.wait_for("linux", r"\[linux\] up partition=0 restarts=1", 240)  # ~770 ticks later
        # Every tick report from the fault on, the first one included: no interval of 20 ms or
        # more, and the average within 10 % of 1 ms (the unbounded restart showed 250 ms).
        m.wait_for("rtos0", r"(?:.*tick n=.*\n){9}", 240, start=start)
        text = m.console("rtos0").text()[start:]
        for line in re.findall(r"tick (n=.*)", text)[:9]:
            r = {k: int(v) for k, v in parse_fields(line).items()}
            if r["max"] >= 20 * PERIOD_TSC or abs(r["avg"] - PERIOD_TSC) > PERIOD_TSC * 0.10:
                raise Failure(m._report(f"rtos0 tick report {r} during the restart: want max < "
                                        f"{20 * PERIOD_TSC:.0f} TSC and avg {PERIOD_TSC:.0f} ± 10 %"))
        m.expect_absent("gandalf", r"\[rtos0\] fault|PANIC")


def cpu_state_on_qemu(build, work):
    """The same state dump on QEMU TCG, where users run Gandalf."""
    _, kind, want, _ = PROBES["cpu_state_from_guest"]
    with Qemu(build / "systems/containment", work, module_args={"rtos1": f"misbehave={kind} at=30"}).start() as m:
        line = m.wait_for("rtos1", r"\[rtos1\] cpu_state .*\n", 60).group(0)
        if not re.search(want, line):
            raise Failure(m._report(f"rtos1 reported\n  {line.strip()}\nwant\n  {want}"))
        m.expect_absent("gandalf", r"fault|PANIC")


def linux_cli_forever(build, work):
    with boot(build, work, {"linux": "misbehave=cli_forever at=30", "rtos0": "report_every=100",
                            "rtos1": "report_every=100"}) as m:
        m.wait_for("linux", r"cli_forever: disabling", 240)
        ticks_after(m, "rtos0", len(m.console("rtos0").text()))
        ticks_after(m, "rtos1", len(m.console("rtos1").text()))


def canary_tcg_does_not_enforce(build, work):
    """The same out-of-limit write on QEMU TCG goes through: the canary catches that platform."""
    with Qemu(build / "systems/containment", work, module_args={"rtos0": "misbehave=write_out at=30"}).start() as m:
        m.wait_for("rtos0", r"misbehave write_out: survived", 60)


def itron_wild_pointer(build, work):
    """The μITRON sample application of instance 1 writes beyond its slice: Gandalf stops the
    write at the segment limit, reports it and restarts the instance, while instance 0's
    sample keeps running."""
    system = build / "systems/samples"
    iso = make_iso(system, work / "case.iso", {"rtos1": "fault=wild_write"})
    # The default system is wired for QEMU (COM3 on IRQ 5); on Bochs COM3 shares IRQ 4 with
    # COM1. This case waits for no UART interrupt: only the segment limit is tested.
    with Bochs(system, iso, work, ips=IPS, wiring_mismatch_ok=True).start() as m:
        m.wait_for("gandalf", r"gandalf: starting guests", 300)
        m.wait_for("rtos1", r"fault: writing at offset 0x400000", 240)
        line = m.wait_for("gandalf", r"\[rtos1\] fault: vector (\d+) .*\n", 120).group(0).strip()
        if not re.search(r"vector 13 #GP .*at 0009:[0-9a-f]{8}", line):
            raise Failure(m._report(f"fault report {line!r}: want a #GP at the wild write"))
        m.wait_for("gandalf", r"\[rtos1\] restarting \(1 of 3\)")
        m.expect_absent("rtos1", r"the write went through")
        start = len(m.console("rtos0").text())
        first = m.wait_for("rtos1", r"sample2 starts", 240)
        m.wait_for("rtos1", r"sample2 starts", 240, first.end())  # the restarted instance
        seen = m.wait_for("rtos0", r"worker \d is running", 240, start)
        m.wait_for("rtos0", r"worker \d is running", 240, seen.end())
        m.expect_absent("gandalf", r"\[rtos0\] fault|PANIC")


# Every line Gandalf writes once the guests run, in this case: whole messages only.
FLOOD_LINE = re.compile(
    r"gandalf: \[(?:linux|rtos0|rtos1)\] (?:"
    r"hypercall \d+ \(ebx=0x[0-9a-f]+ ecx=0x[0-9a-f]+\) at [0-9a-f]{4}:[0-9a-f]{8} refused: error -\d+"
    r"|\d+ messages? suppressed"
    r"|fault: vector \d+ .* \(error 0x[0-9a-f]{4}\) at [0-9a-f]{4}:[0-9a-f]{8}: .+"
    r"|restarting \(\d+ of \d+\))")


def log_flood_keeps_fault_reports(build, work):
    """Issue #10 item 4: the Linux slot loops forever on refused hypercalls (each one a line of
    chatter on Gandalf's console) while rtos1 executes ud2. rtos1's whole fault and restart
    reports must reach the console, the flood must be cut down to a rate with a
    "N messages suppressed" line, every line must be a whole message, and rtos0 keeps its tick."""
    args = {"linux": "misbehave=hypercall_flood at=30 report_every=0",
            "rtos1": "misbehave=ud2 at=1500 report_every=0", "rtos0": "report_every=100"}
    with boot(build, work, args) as m:
        m.wait_for("linux", r"\[linux\] hypercall_flood: bad hypercalls forever\n", 240)
        m.wait_for("rtos1", r"\[rtos1\] misbehave ud2\n", 240)
        m.wait_for("rtos1", r"\[rtos1\] up partition=2 restarts=1", 120)
        start = len(m.console("rtos0").text())
        report = (r"^gandalf: \[rtos1\] fault: vector 6 #UD invalid opcode \(error 0x0000\) at "
                  r"0009:[0-9a-f]{8}: exception without a registered guest handler, by 'ud2'\n")
        m.wait_for("gandalf", report, 120)
        m.wait_for("gandalf", r"^gandalf: \[rtos1\] restarting \(1 of 3\)\n", 60)
        m.wait_for("gandalf", r"^gandalf: \[linux\] \d+ messages suppressed\n", 60)
        ticks_after(m, "rtos0", start)
        text = m.console("gandalf").text()
        guests = text[text.index("gandalf: starting guests\n") + len("gandalf: starting guests\n"):]
        broken = [l for l in guests.split("\n")[:-1] if not FLOOD_LINE.fullmatch(l)]
        if broken:
            raise Failure(m._report(f"{len(broken)} lines on Gandalf's console are not whole "
                                    f"messages, e.g. {broken[:3]}"))
        m.expect_absent("gandalf", r"\[(?:linux|rtos0)\] fault|PANIC")
# ---- issue #10 item 3: a UART's interrupt line is not bound to the partition owning its ports

def uart_irq_wiring_refused(build, work):
    """The checker's half: the containment system as it was before the fix (Linux owns IRQ 4,
    which on the PC and on Bochs COM1 shares with rtos1's COM3) is refused, at rtos1's console
    and citing Linux's IRQ; the shipped configuration passes and leaves IRQ 4 masked."""
    tool = build / "tools/gandalf-config/gandalf-config"
    shipped = pathlib.Path(__file__).resolve().parents[2] / "config/containment.toml"
    text = shipped.read_text()
    linux = re.search(r"^\[linux\]\n(?:(?!^\[).*\n)*?^irqs = \[\]", text, re.M)
    if not linux:
        raise Failure(f"{shipped}: no 'irqs = []' in [linux] to turn back into IRQ 4")
    irqs_at = linux.end() - len("irqs = []")
    old = text[:irqs_at] + "irqs = [4]" + text[linux.end():]
    bad = work / "containment-before-issue-10.toml"
    bad.write_text(old)

    def line(offset):
        return old.count("\n", 0, offset) + 1

    console = line(old.index('console = "com3"'))
    r = subprocess.run([str(tool), "check", str(bad)], capture_output=True, text=True)
    want = (rf"{re.escape(str(bad))}:{console}:\d+: error: com3 \(0x3e8-0x3ef\) of rtos1 interrupts on "
            rf"IRQ 4 \(platform \"pc\"\), which is routed to linux \({re.escape(str(bad))}:{line(irqs_at)}:9\) "
            rf"for its com1: rtos1 could raise linux's interrupts")
    if r.returncode != 1 or not re.search(want, r.stderr):
        raise Failure(f"gandalf-config check {bad}: exit {r.returncode}, want 1 and\n  /{want}/\n"
                      f"stderr:\n{r.stderr}stdout:\n{r.stdout}")
    ok = subprocess.run([str(tool), "check", str(shipped)], capture_output=True, text=True)
    masked = r"wiring \(pc\): com3 0x3e8-0x3ef on IRQ 4: device rtos1, line nobody's \(masked\)"
    if ok.returncode != 0 or not re.search(masked, ok.stdout):
        raise Failure(f"gandalf-config check {shipped}: exit {ok.returncode}, want 0 and /{masked}/\n"
                      f"{ok.stderr}{ok.stdout}")


def uart_irq_storm_masked(build, work):
    """The run-time half: rtos0 makes its own UART (COM2, IRQ 3: its line in the checked
    wiring) interrupt 100 times per tick, far above the budget of 500 per 10 ms. Gandalf masks
    IRQ 3 at the 8259 and says so, unmasks it after 100 ms, masks it for 200 ms when the storm
    resumes; rtos1 and Linux keep their tick all along."""
    args = {"rtos0": "misbehave=irq_storm storm_burst=100 at=30 report_every=0",
            "rtos1": "report_every=100", "linux": "report_every=100"}
    with boot(build, work, args) as m:
        m.wait_for("rtos0", r"\[rtos0\] irq_storm: 100 interrupt edges per tick on port 0x2f8's line", 240)
        storm = m.wait_for("gandalf", r"gandalf: \[rtos0\] IRQ 3 storm: more than 500 interrupts in "
                                      r"10 ms, masked for 100 ms\n", 120)
        starts = {role: len(m.console(role).text()) for role in ("rtos1", "linux")}
        back = m.wait_for("gandalf", r"gandalf: \[rtos0\] IRQ 3 unmasked after 100 ms\n", 120, storm.end())
        m.wait_for("gandalf", r"gandalf: \[rtos0\] IRQ 3 storm: more than 500 interrupts in 10 ms, "
                              r"masked for 200 ms \(storm 2 in a row\)\n", 120, back.end())
        for role, start in starts.items():
            ticks_after(m, role, start)
        m.expect_absent("gandalf", r"fault|PANIC|no owner|IRQ 4")


def uart_cannot_raise_linux_irq(build, work):
    """The attack of the issue itself, in the checked wiring: rtos1 makes COM3 interrupt as
    fast as it likes, on IRQ 4, which it shares with Linux's COM1. IRQ 4 now belongs to nobody
    and stays masked: Linux takes exactly its ticks and nothing else, Gandalf sees nothing.
    (Before the fix Linux owned IRQ 4 and took 1,990 foreign interrupts in one run.)"""
    args = {"rtos1": "misbehave=irq_storm storm_burst=100 at=30 report_every=0",
            "linux": "report_every=100 stop_after=600", "rtos0": "report_every=100"}
    with boot(build, work, args) as m:
        m.wait_for("rtos1", r"\[rtos1\] irq_storm: 100 interrupt edges per tick on port 0x3e8's line", 240)
        final = m.wait_for("linux", r"\[linux\] final ticks=(\d+) interrupts=(\d+) ", 240)
        ticks, interrupts = int(final.group(1)), int(final.group(2))
        if interrupts != ticks:
            raise Failure(m._report(f"linux took {interrupts} interrupts for {ticks} ticks: "
                                    f"{interrupts - ticks} came from elsewhere"))
        ticks_after(m, "rtos0", len(m.console("rtos0").text()))
        m.expect_absent("gandalf", r"fault|PANIC|IRQ \d")


def case_table():
    table = {name: (lambda build, work, n=name: spatial(build, work, n)) for name in SPATIAL}
    table.update({name: (lambda build, work, n=name: probe_case(build, work, n)) for name in PROBES})
    table.update({name: (lambda build, work, n=name: exit_fault(build, work, n)) for name in EXIT_FAULTS})
    table["cpu_state_on_qemu"] = cpu_state_on_qemu
    table["v86_on_qemu"] = v86_on_qemu
    table["restart_large_image_keeps_rtos_tick"] = restart_large_image_keeps_rtos_tick
    table["fpu_state_is_per_partition"] = fpu_state_is_per_partition
    table["fpu_state_is_per_partition_on_qemu"] = fpu_state_is_per_partition_on_qemu
    table["linux_cli_forever"] = linux_cli_forever
    table["canary_tcg_does_not_enforce"] = canary_tcg_does_not_enforce
    table["itron_wild_pointer"] = itron_wild_pointer
    table["log_flood_keeps_fault_reports"] = log_flood_keeps_fault_reports
    for case in (uart_irq_wiring_refused, uart_irq_storm_masked, uart_cannot_raise_linux_irq):
        table[case.__name__] = case
    return table


if __name__ == "__main__":
    sys.exit(run_cases(case_table(), __doc__))
