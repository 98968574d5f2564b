"""Bochs with consoles that take input, as QEMU's do: every UART a TCP socket server (Bochs's
mode=socket-server), bridged to a Unix socket and a log file in the work directory. Used by
`tools/run-system --bochs` and by the tests that type into Linux or the monitor on Bochs."""
import socket
import threading
import time

from gandalf_harness import Bochs


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bridge(console, port: int, proc) -> None:
    """Connects to Bochs's TCP console (mode=socket-server: Bochs waits in its start-up until
    somebody does), logs what comes, and offers the console on a Unix socket as QEMU's are:
    `socat -,raw,echo=0 UNIX-CONNECT:...` types into it."""
    while True:
        try:
            tcp = socket.create_connection(("127.0.0.1", port))
            break
        except OSError:
            if proc.poll() is not None:
                return
            time.sleep(0.05)
    console.sock = tcp
    clients = []
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    console.sock_path.unlink(missing_ok=True)
    server.bind(str(console.sock_path))
    server.listen()

    def accept():
        while True:
            c, _ = server.accept()
            clients.append(c)
            threading.Thread(target=typed, args=(c,), daemon=True).start()

    def typed(c):
        try:
            while data := c.recv(4096):
                tcp.sendall(data)
        except OSError:
            pass
        clients.remove(c)

    threading.Thread(target=accept, daemon=True).start()
    with open(console.log, "ab") as out:
        try:
            while data := tcp.recv(65536):
                out.write(data)
                out.flush()
                for c in list(clients):
                    try:
                        c.sendall(data)
                    except OSError:
                        pass
        except OSError:
            pass


def interactive_bochs(system, work, iso=None):
    """Bochs with every UART a TCP socket server instead of a log file, bridged to Unix
    sockets: the same consoles as QEMU's. Bochs then runs in the host's network namespace
    (the bridge must reach it); the harness's start() retries a lost display-port race."""
    class Interactive(Bochs):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.ports = {com: free_port() for com in self.consoles}
            for com, c in self.consoles.items():
                c.sock_path = self.work / f"{com}.sock"

        def network_prefix(self) -> tuple[str, ...]:
            return ()  # the host's network: the bridge must reach Bochs's ports

        def serial_line(self, com: str) -> str:
            return f"{com}: enabled=1, mode=socket-server, dev=127.0.0.1:{self.ports[com]}"

    # Bochs wires the UARTs as a PC does (COM3 on IRQ 4): fine for an interactive session.
    m = Interactive(system, iso or system / "gandalf.iso", work, wiring_mismatch_ok=True)
    m.start()
    for com in sorted(m.consoles):  # Bochs accepts COM1, then COM2, ... in its start-up
        threading.Thread(target=bridge, args=(m.consoles[com], m.ports[com], m.proc), daemon=True).start()
    return m
