// #GP trap-and-emulate: decode the guest's instruction and emulate what it may do.
//
// Para-virtualized guests get port I/O to their virtual 8259/8254 only; everything else
// that traps is theirs to answer for (fault.cpp). The fully virtualized Linux partition has
// its own, larger set (gandalf/linux/vcpu.cpp), which uses the port I/O here.
#include "gandalf/arch/ia32/frame.hpp"
#include "gandalf/arch/ia32/idt.hpp"
#include "gandalf/channel.h"
#include "gandalf/core/channel.hpp"
#include "gandalf/core/dump.hpp"
#include "gandalf/core/vmm.hpp"
#include "gandalf/core/x86_decoder.hpp"
#include "gandalf/linux/linux_guest.hpp"

namespace gandalf::core {
namespace {

using x86::Insn;
using x86::Op;

bool pic_port(std::uint32_t port) { return port == 0x20 || port == 0x21 || port == 0xa0 || port == 0xa1; }
bool pit_port(std::uint32_t port) { return port >= 0x40 && port <= 0x43; }

std::uint8_t read_port(Partition& p, std::uint32_t port) {
  if (pic_port(port)) return p.vpic.read(static_cast<std::uint16_t>(port));
  return p.vpit.read(static_cast<std::uint16_t>(port), precise_now());
}

void write_port(Partition& p, std::uint32_t port, std::uint8_t value) {
  if (pic_port(port)) return p.vpic.write(static_cast<std::uint16_t>(port), value);
  p.vpit.write(static_cast<std::uint16_t>(port), value, precise_now());
}

}  // namespace

// Byte-wide in/out on an emulated device port, and the channel ports (any width); other
// widths and ports are not emulated.
bool emulate_port_io(Partition& p, const Insn& insn) {
  ia32::Frame& f = p.frame;
  const std::uint32_t port = insn.port_in_dx ? (f.edx & 0xffffu) : insn.imm;
  if (port - GANDALF_CHANNEL_PORT < 8) [[unlikely]] return channel::port_io(p, insn);
  if (port == dump::tapped_port(p) && insn.width == 1) [[unlikely]] {  // its own console's data port
    if (insn.op == Op::out) dump::tap(p, static_cast<std::uint8_t>(f.eax));  // kept for its dumps
    else f.eax = (f.eax & ~0xffu) | dump::tapped_read(p);                    // what it received
    return true;
  }
  const bool emulated = (pic_port(port) && p.cfg->emulate_pic) || (pit_port(port) && p.cfg->emulate_pit);
  if (!emulated || insn.width != 1) return false;
  if (insn.op == Op::in) f.eax = (f.eax & ~0xffu) | read_port(p, port);
  else write_port(p, port, static_cast<std::uint8_t>(f.eax));
  return true;
}

bool fetch_instruction(const Partition& p, Insn& insn) {
  if (linux_guest::is_linux(p)) return linux_guest::fetch(p, insn);
  const ia32::Frame& f = p.frame;
  std::uint32_t avail = 15;
  while (avail > 0 && guest_ptr(p, f.eip, avail) == nullptr) --avail;
  if (avail == 0) return false;
  return x86::decode(guest_ptr(p, f.eip, avail), avail, insn);
}

// The one-byte forms of in/out without prefixes (E4-E7 port imm8, EC-EF port DX) are what
// guests use to reach the virtual PIC/PIT: decode them here instead of through the general
// decoder, which costs ten times as much.
bool decode_port_io_fast(const Partition& p, Insn& insn) {
  const std::uint8_t* code = guest_ptr(p, p.frame.eip, 2);
  if (code == nullptr || (code[0] & 0xf4) != 0xe4) return false;
  insn = Insn{};
  insn.op = (code[0] & 0x02) ? Op::out : Op::in;
  insn.width = (code[0] & 0x01) ? 4 : 1;
  insn.port_in_dx = (code[0] & 0x08) != 0;
  insn.imm = insn.port_in_dx ? 0 : code[1];
  insn.length = insn.port_in_dx ? 1 : 2;
  return true;
}

bool emulate(Partition& p) {
  Insn insn;
  if (!decode_port_io_fast(p, insn) && !fetch_instruction(p, insn)) return false;
  const bool done = (insn.op == Op::in || insn.op == Op::out) && emulate_port_io(p, insn);
  if (done) p.frame.eip += insn.length;
  return done;
}

// int3, `int 3` and into are the software forms of #BP and #OF: trap-class, the handler's return
// address is past the instruction. Gandalf's gates for them are its own (DPL 0), so the guest's
// instruction raised #GP(vector * 8 + 2); the guest gets the exception it asked for, as on a
// machine whose gate it may use (a debugger's breakpoint, a test's returnable CPU exception).
// Any other vector, or no handler of the guest's for it: false, and the #GP is the guest's.
bool software_exception(Partition& p, std::uint32_t error) {
  const unsigned vector = error >> 3;
  if ((error & 7u) != 2u || (vector != ia32::idt::bp && vector != ia32::idt::of)) return false;
  Insn insn;
  if (!fetch_instruction(p, insn)) return false;
  const Op short_form = vector == ia32::idt::bp ? Op::int3 : Op::into;
  if (insn.op != short_form && !(insn.op == Op::int_n && insn.imm == vector)) return false;
  p.frame.eip += insn.length;
  if (deliver_exception(p, vector, 0) == Delivery::delivered) return true;
  p.frame.eip -= insn.length;
  return false;
}

}  // namespace gandalf::core
