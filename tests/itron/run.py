#!/usr/bin/env python3
"""μITRON system tests on QEMU: check-point programs, the sample applications, containment.

Usage: run.py --build BUILD_DIR CASE
  checkpoints:APP   boots the default system with itron/tests/apps/APP as RTOS instance 0
                    and requires every check point 1..N in order, the pass line and no
                    FAIL line on its console (and sample2 still running on instance 1).
Runs under -icount shift=0, so virtual time is deterministic.
"""
import pathlib
import re
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools/harness"))
from gandalf_harness import Bochs, Failure, Qemu, modules_of, run_cases  # noqa: E402
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools"))
import dump as crash_dump  # noqa: E402  (tools/dump.py)

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def default_system(build):
    return build / "systems/samples"


def boot(build, work, replace=None, **kw):
    mods = modules_of(default_system(build))
    if replace:
        mods = [(name, replace.get(name, path)) for name, path in mods]
    return Qemu(default_system(build), work, modules=mods, **kw).start()


def check_console(app, m, text):
    """Pass = no FAIL line, a pass line for N points, and the points 1..N in order."""
    fails = re.findall(r"\[check\] FAIL.*", text)
    if fails:
        raise Failure(m._report(f"{app}: failure on rtos0 (COM2): {fails[0]}"))
    done = re.search(r"\[check\] all (\d+) points passed", text)
    if not done:
        raise Failure(m._report(f"{app}: no pass line on rtos0 (COM2)"))
    n = int(done.group(1))
    points = [int(p) for p in re.findall(r"\[check\] point (\d+)", text)]
    if points != list(range(1, n + 1)):
        raise Failure(m._report(f"{app}: check points {points} are not 1..{n} in order"))


def checkpoints(app):
    def run(build, work):
        image = build / "itron" / f"{app}.img"
        if not image.exists():
            raise Failure(f"no image {image}: build the itron-{app} target")
        with boot(build, work, replace={"rtos0": str(image)}) as m:
            # The same program in another flavour is <program>_<flavour> (itron/CMakeLists.txt).
            apps_dir = pathlib.Path(__file__).resolve().parents[2] / "itron/tests/apps"
            program = app if (apps_dir / app).is_dir() else re.sub(r"_(asp|jsp)$", "", app)
            start = m.wait_for("rtos0", rf"\[check\] ({program}\.c starts)", 30)
            if app == "test_compat" and not re.search(r"Gandalf uITRON kernel \d+\.\d+",
                                                      m.console("rtos0").text()[:start.start()]):
                raise Failure(m._report("test_compat: the banner of syssvc/banner.cfg did not come first"))
            m.wait_for("rtos0", r"\[check\] (all \d+ points passed|FAIL.*)", 120)
            check_console(app, m, m.console("rtos0").text())
            # The other instance was never disturbed: sample2 keeps reporting its loop.
            m.wait_for("rtos1", r"loop: cycle \d+", 30)
            m.expect_absent("gandalf", r"fault|PANIC|stopped after")
    return run


def wait_samples_up(m):
    m.wait_for("gandalf", r"gandalf: starting guests")
    m.wait_for("rtos0", r"sample1 starts")
    m.wait_for("rtos1", r"sample2 starts")


@case
def checkpoints_on_bochs(build, work):
    """Every check-point program once more on Bochs, the faithful IA-32 emulator: the port's
    entry, exit and dispatch code on a CPU model that QEMU TCG's shortcuts do not hide.
    (Timing is not what is checked here: Bochs' virtual time runs unpaced.)"""
    system = default_system(build)
    mods = modules_of(system)
    # The μITRON flavour's images: the ASP flavour's run the same port code.
    apps = sorted(p.stem for p in (build / "itron").glob("test_*.img") if not re.search(r"_(asp|jsp)$", p.stem))
    if len(apps) < 14:
        raise Failure(f"only {len(apps)} check-point images in {build / 'itron'}")
    for app in apps:
        iso = work / f"{app}.iso"
        images = [f"{n}={build / 'itron' / (app + '.img')}" if n == "rtos0" else f"{n}={p}" for n, p in mods]
        subprocess.run([sys.executable, str(pathlib.Path(__file__).resolve().parents[2] / "tools/mkiso.py"),
                        "--dir", str(system), "--out", str(iso), *images], check=True)
        sub = work / app
        sub.mkdir()
        # The default system is wired for QEMU (COM3 on IRQ 5); on Bochs COM3 shares IRQ 4.
        # Only rtos0's COM2 interrupts here (test_int), on IRQ 3 in both wirings.
        with Bochs(system, iso, sub, wiring_mismatch_ok=True).start() as m:
            m.wait_for("rtos0", r"\[check\] (all \d+ points passed|FAIL.*)", 300)
            check_console(app, m, m.console("rtos0").text())
        print(f"  {app}: passed on Bochs")


@case
def two_instances_with_samples(build, work):
    """Both instances run their own application from the same kernel sources."""
    with boot(build, work) as m:
        wait_samples_up(m)
        m.wait_for("rtos0", r"worker 1 is running \(00[1-9]\)")
        m.wait_for("rtos1", r"loop: cycle 99 output \d+, release jitter avg \d+ us worst \d+ us", 30)
        m.wait_for("rtos0", r"cyclic handler|worker 3 is running \(002\)", 30)
        for role, other in (("rtos0", "sample2"), ("rtos1", "sample1 starts")):
            m.expect_absent(role, other)
        m.send("rtos1", "s")
        m.wait_for("rtos1", r"time \d+ ms, loop running, \d+ free sample blocks")
        m.expect_absent("gandalf", r"fault|PANIC")


@case
def sample1_commands(build, work):
    """Console commands reach the kernel: task management through sample1."""
    with boot(build, work) as m:
        wait_samples_up(m)
        start = len(m.console("rtos0").text())
        steps = [
            ("2", r"worker 2 selected"),
            ("R", r"task 3: tskstat 0x4 pri 10 wait 0x20 wobjid 2"),
            ("u", r"sus_tsk: 0"),
            ("R", r"task 3: tskstat 0x[8c] "),
            ("m", r"rsm_tsk: 0"),
            ("t", r"ter_tsk: 0"),
            ("R", r"task 3: tskstat 0x10"),
            ("G", r"get_pri: E_OBJ"),
            ("a", r"act_tsk: 0"),
            ("a", r"act_tsk: 0"),
            ("a", r"act_tsk: E_QOVR"),
            ("A", r"can_act: 1"),
            (">", r"chg_pri\(HIGH\): 0"),
            ("G", r"priority of worker 2: 9"),
            ("s", r"worker 2: slp_tsk"),
            ("w", r"worker 2: woken: E_OK"),
            ("z", r"CPU exception handler: vector 3 at eip 0x[0-9a-f]+, xsns_dpn=0"),
            ("Z", r"xsns_dpn=1"),
            ("x", r"worker 2: task exception 0x8000: exiting"),
            ("b", r"sta_alm\(3000\): 0"),
            ("1", r"worker 1 selected"),
        ]
        for key, expect in steps:
            m.send("rtos0", key)
            match = m.wait_for("rtos0", expect, 20, start)
            start = match.end()
        m.wait_for("rtos0", r"alarm handler: raising task exception", 20, start)
        m.wait_for("rtos0", r"worker 1: task exception 0x0001", 20, start)
        m.expect_absent("rtos0", r"unknown command")
        m.send("rtos0", "q")
        m.wait_for("rtos0", r"termination routine, the kernel stops", 20, start)
        m.wait_for("rtos1", r"loop: cycle", 20)


@case
def rtos_privileged_instruction_contained(build, work):
    """A privileged instruction in instance 1's application is stopped and reported by
    Gandalf, the instance restarts alone, and instance 0 keeps its tick meanwhile."""
    with boot(build, work) as m:
        wait_samples_up(m)
        m.send("rtos1", "P")
        m.wait_for("gandalf", r"\[rtos1\] fault: vector 13 #GP general protection", 20)
        m.wait_for("gandalf", r"\[rtos1\] restarting \(1 of 3\)", 20)
        m.expect_absent("rtos1", r"NOT contained")
        before = len(m.console("rtos1").text())
        m.wait_for("rtos1", r"sample2 starts", 30, before - 200 if before > 200 else 0)
        # Instance 0 went on: its workers keep printing after the fault.
        at = len(m.console("rtos0").text())
        m.wait_for("rtos0", r"worker \d is running", 20, at)
        m.expect_absent("gandalf", r"\[rtos0\] fault|PANIC")
        # The crash dump Gandalf kept (docs/debugging.md), read as tools/dump.py reads it.
        d = crash_dump.parse(monitor(m, "dump rtos1", r"dump: end"), "rtos1")
        symbols = crash_dump.Symbols(build / "itron/sample2.elf")
        where = symbols.name(d["regs"]["eip"]) or ""
        if d["vector"] != "13" or d.get("insn") != "cli" or not where.startswith("privileged+") or not d["stack"]:
            raise Failure(m._report(f"rtos1's dump: {d} at {where!r}"))
        print(crash_dump.render(d, "rtos1", symbols))
        for command, reply in (("dump rtos0", r"no dump of 'rtos0'"), ("dump nosuch", r"no partition 'nosuch'")):
            text = monitor(m, command, r"monitor: no [^\n]*\n")  # the whole line: it leaves in pieces
            if not re.search(reply, text):
                raise Failure(m._report(f"'{command}': expected /{reply}/, got {text!r}"))


def monitor(m, command: str, end: str, timeout: float = 30) -> str:
    """Gandalf's monitor: `command`, and its reply up to a line matching `end`."""
    start = len(m.console("gandalf").text())
    m.send("gandalf", command + "\n")
    m.wait_for("gandalf", end, timeout, start)
    return m.console("gandalf").text()[start:]


if __name__ == "__main__":
    name = sys.argv[-1]
    if name.startswith("checkpoints:"):
        CASES[name] = checkpoints(name.split(":", 1)[1])
    sys.exit(run_cases(CASES, __doc__))
