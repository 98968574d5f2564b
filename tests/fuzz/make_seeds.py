#!/usr/bin/env python3
"""Writes the binary seed inputs of the fuzz targets whose inputs are not text (decoder,
vdevices, channel, page_walk, hypercall) into corpus/NAME/. The text targets' seeds (config:
config/*.toml; itron_cfg: the applications' .cfg after `cc -E`, header text dropped) are
committed as they are. Run again only to change the seeds; libFuzzer grows its own corpus."""
import pathlib
import struct

HERE = pathlib.Path(__file__).resolve().parent / "corpus"

# Instructions Gandalf meets on #GP (hex), each tried as 32-bit and 16-bit code.
INSNS = """
fa fb f4 cf 9c 9d 0f06 0f09 0f08 0f30 0f32 0f31 0f33 0fa2 0f0b cc cd80 ce
0f0115 0f0118 0f0110 0f0108 0f0100d8 0f0118 0f00d0 0f00d8 0f01f0 0f01e0 0f017f00
0f22d8 0f20c0 0f22e0 0f23f8 0f21c0 8ed0 8ed8 8ee0 17 1f 07 0fa1 0fa9 c51e c41e0f00
0fb21e 0fb41e 0fb51e ea0000000010 9a0000000010 cb ca0800 e460 e680 ec ee ed ef 6c 6e
f36d f36f 66e5 66ef 2e0f0116 640f0110 650f011c24 0f0114d8 0f01948800100000 8b4424 04
893c24 c7050000000001000000 f00fb10a 0f340f35 0f05 0f07 6766e460 c4e27d18c0 c5f877 62f1 8fe8
"""


def write(name: str, items: list[bytes]) -> None:
    d = HERE / name
    d.mkdir(parents=True, exist_ok=True)
    for i, b in enumerate(items):
        (d / f"seed-{i:03d}").write_bytes(b)


def decoder() -> list[bytes]:
    regs = struct.pack("<8I", 0x1000, 0x20, 0xfffffffc, 0x7ffff000, 0xc0001000, 0x12345678, 0x800, 0xfff0)
    out = []
    for text in INSNS.split():
        insn = bytes.fromhex(text).ljust(15, b"\x00")[:15]
        out += [b"\x00" + insn + regs, b"\x01" + insn + regs]
    return out


def vdevices() -> list[bytes]:
    # op % 8: 0 pic write (port in bits 3-4), 1 pic read, 2 raise, 3 lower, 4 INTA,
    # 5 pit write, 6 pit read, 7 time step.
    def pw(port_index, value): return bytes([0 | port_index << 3, value])
    init = pw(0, 0x11) + pw(1, 0x20) + pw(1, 0x04) + pw(1, 0x01) + pw(2, 0x11) + pw(3, 0x28) + pw(3, 0x02) + pw(3, 0x01)
    pit = bytes([5 | 3 << 3, 0x34, 5 | 0 << 3, 0xa9, 5 | 0 << 3, 0x04])  # mode 2, 1193 ticks
    step = bytes([7, 0x00, 0x10, 0x00])
    ack = bytes([4])
    return [init + pw(1, 0x00) + pit + step + ack + step + ack,
            init + pw(1, 0xfb) + bytes([2 | 3 << 3, 2 | 9 << 3, 4, 0 | 0 << 3, 0x20, 4, 3 | 3 << 3]),
            init + bytes([0, 0x0b, 1, 0, 0x0a, 1, 0, 0x0c, 1]),  # OCW3: ISR, IRR, poll
            pit + bytes([5 | 3 << 3, 0xc2, 6, 6, 5 | 3 << 3, 0x36, 5, 0xff, 5, 0xff]) + step * 4,
            init + bytes([1 << 3 | 0, 0x02]) + bytes([2, 4, 2 | 1 << 3, 4, 0, 0x20])]  # AEOI


def channel() -> list[bytes]:
    sends = bytes([2, 10, 2, 60, 2, 200, 3, 64, 3, 8, 3, 0])
    peer = bytes([1 | 0 << 2, 0x47, 1 | 3 << 2, 2, 0, 64, 0, 5, 0, 0, 0]) + bytes([3, 64, 3, 64, 3, 2])
    return [bytes([15, 4]) + sends, bytes([15, 8]) + peer + sends, bytes([1, 1]) + sends, bytes([63, 16]) + peer * 3]


def page_walk() -> list[bytes]:
    mem = bytearray(16 * 4096)
    struct.pack_into("<I", mem, 0, 0x1000 | 0x3)               # PDE 0 -> table at 0x1000
    struct.pack_into("<I", mem, 0x1000 + 4 * 2, 0x2000 | 0x3)  # linear 0x2000 -> 0x2000
    struct.pack_into("<I", mem, 0x1000 + 4 * 3, 0x3000 | 0x1)  # read-only
    struct.pack_into("<I", mem, 4 * 0x300, 0x00000083)         # 4 MiB page at 0xc0000000 -> 0
    struct.pack_into("<I", mem, 4 * 0x301, 0x06000083)         # foreign 4 MiB page
    struct.pack_into("<I", mem, 0x1000 + 4 * 4, 0x06004003)    # foreign 4 KiB frame
    used = bytes(mem[:0x1000 + 4 * 8]).rstrip(b"\x00")
    heads = []
    for flags, cr3, linear in [(0x01, 0, 0x2010), (0x07, 0, 0x3000), (0x03, 0, 0xc0001234),
                               (0x01, 0, 0xc0400000), (0x01, 0, 0x4000), (0x00, 0, 0x8000), (0x81, 0x06004000, 0)]:
        heads.append(bytes([flags]) + struct.pack("<II", cr3, linear) + used)
    return heads


def hypercall() -> list[bytes]:
    mem, limit = 0x200000, 0x1fffff
    cases = [(0, 0x1000, 256), (0, 0x1ffc00, 256), (0, 0xfffffc00, 256), (0, 0x1000, 257), (1, 2, 0),
             (1, 3, 0), (2, 1, 0), (2, 2, 0), (3, 0x1ffff0, 0x10), (3, 0xffffffff, 2)]
    return [struct.pack("<5I", nr, b, c, mem, limit) for nr, b, c in cases]


if __name__ == "__main__":
    write("decoder", decoder())
    write("vdevices", vdevices())
    write("channel", channel())
    write("page_walk", page_walk())
    write("hypercall", hypercall())
