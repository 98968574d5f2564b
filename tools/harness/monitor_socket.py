"""Gandalf's monitor over its console socket (COM4 of a running system, tools/run-system):
one command, its reply up to a closing line. Used by tools/telemetry.py and tools/dump.py."""
import pathlib
import re
import socket
import sys
import time


def request(sock_path: pathlib.Path, command: str, end: str, timeout: float = 10) -> str:
    """Sends `command` and returns the reply from its first line to the line matching `end`
    (a regular expression); raises TimeoutError when no such line comes within `timeout`,
    FileNotFoundError when no system is running there."""
    if not pathlib.Path(sock_path).exists():
        raise FileNotFoundError(f"{sock_path} does not exist: is a system running (tools/run-system)?")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(str(sock_path))
        s.settimeout(0.5)
        s.sendall(command.encode() + b"\n")
        data, deadline = b"", time.monotonic() + timeout
        while not re.search(end, data.decode("latin-1")):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no reply to '{command}' ending in /{end}/ from {sock_path} within {timeout} s")
            try:
                data += s.recv(4096)
            except socket.timeout:
                pass
    return data.decode("latin-1").replace("\r", "")


def reply_or_exit(tool: str, sock_path: pathlib.Path, command: str, end: str) -> str:
    """request(), for a command-line tool: a missing socket or no reply ends it with one line."""
    try:
        return request(sock_path, command, end)
    except (FileNotFoundError, TimeoutError, ConnectionError) as e:
        print(f"{tool}: {e}", file=sys.stderr)
        raise SystemExit(1)
