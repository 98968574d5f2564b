#!/usr/bin/env python3
"""`gandalf` (tools/gandalf, docs/cli.md) end to end, as a user drives it:

- check: a good configuration prints its proof; a broken one its file:line error.
- build: a configuration file of the user's (a copy of config/default.toml in a temporary
  directory) with --image for each module becomes BUILD/systems/cli-test/gandalf.iso; a missing
  image, an unknown module, a missing file and an unknown system name are refused clearly.
- run: boots it in QEMU; consoles.toml appears; a second `run` is refused.
- console: typing into rtos1 through `gandalf console rtos1` reaches sample2; a console name that
  does not exist is refused with the list of consoles.
- monitor: `p` answers, a malformed command and an unknown partition exit 1 with the monitor's
  message; dump: none before a fault, then sample2's privileged instruction is fetched to a file and printed
  with symbols from its ELF; telemetry: JSON with every partition, and a plot.
- after the run: console and monitor say that no system runs.
Fails on the first check that does not hold, with what was seen."""
import argparse
import json
import pathlib
import re
import shutil
import subprocess
import sys
import time

root = pathlib.Path(__file__).resolve().parents[2]


class Cli:
    def __init__(self, build: pathlib.Path):
        self.build = build
        self.exe = build / "tools/gandalf/gandalf"

    def __call__(self, *args: str, want: int = 0, out: str | None = None, err: str | None = None,
                 stdin: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
        r = subprocess.run([str(self.exe), "--build", str(self.build), *args], input=stdin, capture_output=True,
                           text=True, timeout=timeout)
        shown = f"gandalf {' '.join(args)}: exit {r.returncode}\n--- stdout ---\n{r.stdout[-3000:]}\n--- stderr ---\n{r.stderr[-3000:]}"
        if r.returncode != want:
            sys.exit(f"FAIL: want exit {want}; {shown}")
        if out is not None and not re.search(out, r.stdout):
            sys.exit(f"FAIL: stdout lacks /{out}/; {shown}")
        if err is not None and not re.search(err, r.stderr):
            sys.exit(f"FAIL: stderr lacks /{err}/; {shown}")
        print(f"ok: gandalf {' '.join(args)} -> {r.returncode}")
        return r


def wait_for(path: pathlib.Path, pattern: str, timeout: float, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and re.search(pattern, path.read_bytes().decode("latin-1")):
            return
        if proc.poll() is not None:
            sys.exit(f"FAIL: `gandalf run` ended (exit {proc.returncode}) before /{pattern}/ in {path.name}:\n"
                     + (proc.stdout.read() if proc.stdout else ""))
        time.sleep(0.2)
    tail = path.read_bytes().decode("latin-1")[-1500:] if path.exists() else "(missing)"
    sys.exit(f"FAIL: /{pattern}/ not in {path} within {timeout:.0f} s; it ends:\n{tail}")


def helps(g: Cli) -> None:
    g("--help", out=r"Usage: .*SUBCOMMAND[\s\S]*check[\s\S]*dump")
    for sub, says in (("check", "configuration"), ("build", "--image"), ("run", "--bochs"), ("console", "partition"),
                      ("monitor", "a monitor command"), ("telemetry", "--json"), ("dump", "--elf")):
        g(sub, "--help", out=rf"Usage: .*{sub}[\s\S]*{says}")
    g("frobnicate", want=2, err=r"unknown command .frobnicate. \(commands: check, build")


def check_and_build(g: Cli, tmp: pathlib.Path) -> None:
    g("check", str(root / "config/linux.toml"), out=r"(?i)isolation|proof|partition")
    bad = tmp / "bad.toml"
    bad.write_text((root / "config/default.toml").read_text().replace('image_store = "8M"', 'image_store = "8Q"'))
    g("check", str(bad), want=1, err=r"bad\.toml:\d+:\d+: error")
    mine = tmp / "cli-test.toml"
    # config/default.toml with crash dumps that keep rtos1's console tail and 64 KiB of its memory.
    text = (root / "config/default.toml").read_text()
    text = text.replace("tick_us = 1000 ", 'dump_store = "1M"\ntick_us = 1000 ', 1)
    text = text.replace('name = "rtos1"\n', 'name = "rtos1"\nconsole_tail = "1K"\ndump_memory = "64K"\n', 1)
    if "dump_store" not in text or "console_tail" not in text:
        sys.exit("FAIL: config/default.toml changed shape; update tests/cli/run.py")
    odd = tmp / "odd-tail.toml"
    odd.write_text(text.replace('console_tail = "1K"', 'console_tail = 1000'))
    g("check", str(odd), want=1, err=r"odd-tail\.toml:\d+:\d+: error: rtos1\.console_tail \(1000\) must be a power of two")
    big = tmp / "big-dump.toml"
    big.write_text(text.replace('dump_memory = "64K"', 'dump_memory = "1M"'))
    g("check", str(big), want=1, err=r"big-dump\.toml:\d+:\d+: error: rtos1's console_tail and dump_memory overflow gandalf\.dump_store")
    mine.write_text(text)
    g("build", str(mine), "--image", "linux=testguest-linux", want=1, err=r"needs an image for modules rtos0, rtos1")
    g("build", str(mine), "--image", "linux=testguest-linux", "--image", "rtos0=itron:sample1", "--image",
      "rtos1=itron:sample2", "--image", "rtos9=itron:sample2", want=1, err=r"names no module 'rtos9'")
    g("build", str(mine), "--image", "linux=/nonexistent/guest.img", "--image", "rtos0=itron:sample1", "--image",
      "rtos1=itron:sample2", want=1, err=r"/nonexistent/guest\.img: no such file")
    g("build", "no-such-system", want=1, err=r"no system 'no-such-system'.*systems: .*default")
    g("build", str(tmp / "missing.toml"), want=1, err=r"no such configuration file")
    g("build", str(mine), "--image", "linux=testguest-linux", "--image", "rtos0=itron:sample1", "--image",
      "rtos1=itron:sample2", out=r"built .*systems/cli-test/gandalf\.iso")
    if not (g.build / "systems/cli-test/gandalf.iso").exists():
        sys.exit("FAIL: `gandalf build` said built, but there is no systems/cli-test/gandalf.iso")


def session(g: Cli, tmp: pathlib.Path) -> None:
    run_dir = g.build / "run"
    (run_dir / "consoles.toml").unlink(missing_ok=True)
    g("console", "rtos0", want=1, err=r"no system is running")
    proc = subprocess.Popen([str(g.exe), "--build", str(g.build), "run", "cli-test", "--no-build", "--seconds", "240"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(run_dir / "consoles.toml", r"\[\[console\]\]", 30, proc)
        wait_for(run_dir / "com3.log", r"sample2 starts", 60, proc)
        g("run", "cli-test", "--no-build", want=1, err=r"already running")
        g("console", "nosuch", want=1, err=r"no console 'nosuch'.*rtos0 \(com2\).*gandalf \(com4\)")
        g("console", "rtos1", "--for", "3", stdin="h", out=r"commands: p pause/resume")
        g("console", "rtos1", "--for", "20", "--until", "statistics", stdin="h", out=r"statistics")
        g("console", "rtos1", "--for", "1", "--until", "never said", stdin="", want=1, err=r"'never said' did not come")
        g("monitor", "p", out=r"partitions: rtos1 ")
        g("monitor", "frobnicate", want=1, err=r"monitor: unknown command 'frobnicate'")
        g("monitor", "restart", "nosuch", want=1, err=r"monitor: no partition 'nosuch'")
        g("dump", out=r"no partition has a dump")
        g("dump", "rtos1", want=1, err=r"monitor: no dump of 'rtos1'")
        g("dump", "nosuch", want=1, err=r"monitor: no partition 'nosuch'")
        # The refusals stopped nothing: every partition still runs (ready or halted in its idle).
        states = g("monitor", "p").stdout
        for name in ("linux", "rtos0", "rtos1"):
            if not re.search(rf"partitions: {name}\s+\S+\s+\S+\s+(ready|halted)\s", states):
                sys.exit(f"FAIL: after the refused commands {name} does not run:\n{states}")
        # `cli` at ring 1 (sample2's P): #GP on every emulator (QEMU does not enforce data limits).
        g("console", "rtos1", "--for", "3", stdin="P", out=r"fault: executing cli")
        wait_for(run_dir / "com4.log", r"\[rtos1\] (fault|restart)", 30, proc)
        g("dump", out=r"dumps: name=rtos1 seq=1")
        saved = tmp / "rtos1.dump"
        memory = tmp / "rtos1.mem"
        r = g("dump", "rtos1", "-o", str(saved), "--elf", str(g.build / "itron/sample2.elf"), "--memory", str(memory),
              out=r"privileged\+0x[\s\S]*last \d+ bytes of its console:[\s\S]*\| .*fault: executing cli[\s\S]*memory: 0x10000 bytes",
              err=r"65536 bytes of rtos1's memory")
        if "dump: name=rtos1 regs" not in saved.read_text():
            sys.exit(f"FAIL: the saved dump lacks its registers:\n{saved.read_text()}")
        image = (g.build / "itron/sample2.img").read_bytes()
        if memory.stat().st_size != 65536 or image[:256] not in memory.read_bytes():
            sys.exit(f"FAIL: {memory} ({memory.stat().st_size} bytes) does not hold sample2's image as loaded")
        g("dump", "rtos0", want=1, err=r"monitor: no dump of 'rtos0'")
        g("monitor", "dump", "rtos1", "memory", "zz", want=1, err=r"monitor: 'zz' is no hex offset")
        g("monitor", "dump", "rtos1", "memory", "10000", want=1, err=r"beyond the 10000 bytes copied")
        g("telemetry", "--json", str(tmp / "t.json"), "--plot", str(tmp / "t.svg"))
        t = json.loads((tmp / "t.json").read_text())
        if set(t["partitions"]) != {"linux", "rtos0", "rtos1"} or t["tsc_hz"] <= 0:
            sys.exit(f"FAIL: telemetry JSON: {t}")
        if "<svg" not in (tmp / "t.svg").read_text():
            sys.exit("FAIL: telemetry plot is no SVG")
        print("ok: telemetry JSON has every partition; " + r.stdout.splitlines()[0])
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
    if (run_dir / "consoles.toml").exists():
        sys.exit("FAIL: consoles.toml outlived the run")
    g("monitor", "p", want=1, err=r"no system is running")


def check_vanished(g: Cli, work: pathlib.Path) -> None:
    """A registered system whose file was deleted does not break the build: CMake warns and
    skips it, and the project's own systems still build."""
    gone = work / "gone.toml"
    shutil.copy(work / "cli-test.toml", gone)
    g("build", str(gone), "--image", "linux=testguest-linux", "--image", "rtos0=itron:sample1", "--image",
      "rtos1=itron:sample2", out=r"built .*systems/gone/gandalf\.iso")
    gone.unlink()
    g("build", "samples", out=r"built .*systems/samples/gandalf\.iso")
    r = subprocess.run(["cmake", str(g.build)], capture_output=True, text=True)
    if r.returncode != 0 or "user system gone" not in r.stderr:
        sys.exit(f"FAIL: reconfiguring with a vanished user system: exit {r.returncode}\n{r.stderr[-2000:]}")
    (g.build / "user-systems/gone.cmake").unlink()
    g("build", str(work / "cli-test.toml"), "--name", "samples", "--image", "linux=testguest-linux", "--image",
      "rtos0=itron:sample1", "--image", "rtos1=itron:sample2", want=1, err=r"'samples' is a system of the project")
    print("ok: a vanished configuration file is skipped with a warning; a project system's name is refused")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", type=pathlib.Path, required=True)
    a = ap.parse_args()
    g = Cli(a.build.resolve())
    # The configuration files stay in the build directory: the system `gandalf build` registers
    # refers to its file (a vanished file is skipped with a warning, tested below).
    work = g.build / "cli-test"
    work.mkdir(exist_ok=True)
    helps(g)
    check_and_build(g, work)
    session(g, work)
    check_vanished(g, work)
    print("PASS: gandalf check/build/run/console/monitor/dump/telemetry, and their refusals")
    return 0


if __name__ == "__main__":
    sys.exit(main())
