// Containment: a guest's fault is reflected to its own handler, or the partition is stopped
// or restarted, with a report on Gandalf's console that says who, what and where.
#include "gandalf/arch/ia32/cpu.hpp"
#include "gandalf/arch/ia32/idt.hpp"
#include "gandalf/core/console.hpp"
#include "gandalf/core/dump.hpp"
#include "gandalf/core/vmm.hpp"
#include "gandalf/core/x86_decoder.hpp"
#include "gandalf/linux/linux_guest.hpp"

namespace gandalf::core {
namespace {

using x86::Op;

struct Text {
  char* buf;
  std::size_t size;
  std::size_t len = 0;
  void add(const char* s) {
    while (*s && len + 1 < size) buf[len++] = *s++;
    buf[len] = '\0';
  }
  void hex(std::uint32_t v) {
    char tmp[11] = "0x";
    for (int i = 0; i < 8; ++i) tmp[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xf];
    tmp[10] = '\0';
    add(tmp);
  }
};

// The instruction at the guest's EIP: its mnemonic, and its bytes where the decoder has no
// name for it (an ordinary instruction). Nothing when it cannot be read.
void add_instruction(const Partition& p, Text& t) {
  x86::Insn insn;
  if (p.frame.eip > p.cfg->seg_limit || !fetch_instruction(p, insn)) return;
  t.add(", by '");
  t.add(x86::mnemonic(insn.op));
  t.add("'");
  if (insn.op != Op::other || linux_guest::is_linux(p)) return;  // (Linux's EIP is a virtual address)
  const std::uint8_t* bytes = guest_ptr(p, p.frame.eip, insn.length);
  if (bytes == nullptr) return;
  t.add(" (");
  for (unsigned i = 0; i < insn.length; ++i) {
    const char digits[4] = {"0123456789abcdef"[bytes[i] >> 4], "0123456789abcdef"[bytes[i] & 15],
                            i + 1 < insn.length ? ' ' : ')', '\0'};
    t.add(digits);
  }
}

bool privileged(Op op) {
  switch (op) {
    case Op::cli: case Op::sti: case Op::hlt: case Op::lgdt: case Op::lidt: case Op::lldt:
    case Op::ltr: case Op::lmsw: case Op::mov_to_cr: case Op::mov_from_cr: case Op::mov_to_dr:
    case Op::mov_from_dr: case Op::clts: case Op::invd: case Op::wbinvd: case Op::invlpg:
    case Op::rdmsr: case Op::wrmsr: case Op::rdpmc: case Op::sysexit: case Op::sysret:
      return true;
    default:
      return false;
  }
}

// The destination of a near call/jmp through a register or with a relative displacement
// (the processor raises #GP on the branch itself when the target is beyond CS.limit).
bool near_branch_target(const x86::Insn& insn, std::uint32_t eip, const std::uint32_t regs[8],
                        std::uint32_t& target) {
  if (insn.opcode_map != 0) return false;
  const std::uint32_t next = eip + insn.length;
  switch (insn.opcode) {
    case 0xe8: case 0xe9: target = next + insn.imm; return true;
    case 0xeb: target = next + static_cast<std::uint32_t>(static_cast<std::int8_t>(insn.imm)); return true;
    case 0xff:
      if ((insn.reg != 2 && insn.reg != 4) || insn.mod != 3) return false;
      target = regs[insn.rm];
      return true;
    default: return false;
  }
}

// What a #GP(0) was about, from the faulting instruction.
void explain_gp0(const Partition& p, Text& t) {
  const ia32::Frame& f = p.frame;
  if (f.eip > p.cfg->seg_limit) {
    t.add("instruction fetch at ");
    t.hex(f.eip);
    t.add(" beyond the code segment limit ");
    return t.hex(p.cfg->seg_limit);
  }
  x86::Insn insn;
  if (!fetch_instruction(p, insn)) return t.add("general protection at an undecodable instruction");
  if (insn.op == Op::in || insn.op == Op::out || insn.op == Op::ins || insn.op == Op::outs) {
    t.add("port ");
    t.hex(insn.port_in_dx ? (f.edx & 0xffffu) : insn.imm);
    return t.add(" is neither owned by the partition nor emulated for it");
  }
  if (privileged(insn.op)) {
    t.add("privileged instruction '");
    t.add(x86::mnemonic(insn.op));
    return t.add(p.cfg->virt == config::Virtualization::para
                     ? "' is not emulated for a para-virtualized guest"
                     : "' is not emulated");
  }
  std::uint32_t regs[8] = {f.eax, f.ecx, f.edx, f.ebx, f.esp, f.ebp, f.esi, f.edi};
  std::uint32_t target;
  if (near_branch_target(insn, f.eip, regs, target) && target > p.cfg->seg_limit) {
    t.add("branch to ");
    t.hex(target);
    t.add(" beyond the code segment limit ");
    return t.hex(p.cfg->seg_limit);
  }
  const bool moffs = insn.opcode_map == 0 && insn.opcode >= 0xa0 && insn.opcode <= 0xa3;
  if (moffs || (insn.has_modrm && insn.mod != 3)) {
    const std::uint32_t ea = moffs ? insn.imm : x86::effective_address(insn, regs);
    if (ea <= p.cfg->seg_limit) {  // inside the limit: the segment register is what is wrong
      t.add("'");
      t.add(x86::mnemonic(insn.op));
      t.add("' at offset ");
      t.hex(ea);
      return t.add(insn.seg >= 0 ? " through a segment override that is null, read-only or not the guest's"
                                 : " through a segment register that is null, read-only or not the guest's");
    }
    t.add("memory access at offset ");
    t.hex(ea);
    t.add(" beyond the segment limit ");
    return t.hex(p.cfg->seg_limit);
  }
  t.add("general protection by '");
  t.add(x86::mnemonic(insn.op));
  t.add("'");
}

void explain(const Partition& p, unsigned vector, std::uint32_t error, Text& t) {
  if (vector == ia32::idt::gp && error == 0) return explain_gp0(p, t);
  if (vector == ia32::idt::gp && (error & 2) != 0) {
    t.add("software interrupt ");
    t.hex(error >> 3);
    return t.add(" through a gate only Gandalf may use");
  }
  if (vector == ia32::idt::gp || vector == ia32::idt::np || vector == ia32::idt::ts) {
    t.add("selector ");
    t.hex(error & 0xfff8u);
    t.add(" is not one of the guest's own descriptors (ring 0, foreign or empty)");
    return add_instruction(p, t);
  }
  if (vector == ia32::idt::ss) {
    t.add("stack access beyond the segment limit (stack overflow?), esp=");
    t.hex(p.frame.esp);
    return add_instruction(p, t);
  }
  if (vector == ia32::idt::pf) {
    t.add("page fault at linear address ");
    t.hex(ia32::cpu::cr2());
    t.add(" outside the partition's memory");
    return add_instruction(p, t);
  }
  t.add("exception without a registered guest handler");
  add_instruction(p, t);
}

}  // namespace

void guest_exception(Partition& p, unsigned vector, std::uint32_t error) {
  const Delivery d = deliver_exception(p, vector, error);
  if (d == Delivery::delivered) return;
  char buf[160];
  Text t{buf, sizeof buf};
  if (d == Delivery::bad_stack) {
    t.add("cannot reflect the exception: guest stack outside its segment, esp=");
    t.hex(p.frame.esp);
    add_instruction(p, t);
  } else {
    explain(p, vector, error, t);
  }
  contain(p, vector, error, buf);
}

void contain(Partition& p, unsigned vector, std::uint32_t error, const char* what) {
  ++p.counters.faults;
  dump::take(p, vector, error, what);  // before the restart rewrites it
  const ia32::Frame& f = p.frame;
  const char* name = vector < 32 ? ia32::idt::exception_name(vector)
                                 : (vector == 0x82 ? "hypercall" : "interrupt");
  console::report("gandalf: [%s] fault: vector %u %s (error 0x%04x) at %04x:%08x: %s\n",
                  p.cfg->name, vector, name, error, f.cs, f.eip, what);
  restart_or_stop(p, "stopped after a fault");
}

// on_fault decides, and max_restarts bounds a crash (or reboot) loop.
void restart_or_stop(Partition& p, const char* stopped_why) {
  restart_or_stop(p, p.cfg->on_fault == config::OnFault::restart, stopped_why);
}

void restart_or_stop(Partition& p, bool restart, const char* stopped_why) {
  const unsigned bound = p.cfg->max_restarts;  // 1..255, 0 for "unlimited" (gandalf-config)
  const bool may_restart = restart && (bound == 0 || p.restarts < bound);
  if (!may_restart) return stop_partition(p, stopped_why);
  ++p.restarts;
  if (bound == 0) console::report("gandalf: [%s] restarting (%u, unlimited)\n", p.cfg->name, p.restarts);
  else console::report("gandalf: [%s] restarting (%u of %u)\n", p.cfg->name, p.restarts, bound);
  begin_reload(p);
}

// The guest reset its machine (Linux's reboot, and its last step after a panic): not a fault,
// but it ends the partition's run the same way, as on_fault says.
void reset_requested(Partition& p, const char* how) {
  dump::take(p, dump::reset_vector, 0, how);  // a panic's last words are in its console tail
  console::report("gandalf: [%s] reset requested (%s) at %04x:%08x; its dump has vector %u\n", p.cfg->name, how,
                  p.frame.cs, p.frame.eip, dump::reset_vector);
  restart_or_stop(p, "stopped: it reset itself and on_fault is stop (or its restarts are used up)");
}

// EXIT could not load one of the guest's data segment registers: its descriptor went bad
// while the guest held the selector. The register is nulled (always loadable) and the guest
// gets the fault as its own, at its own EIP, as if its next use of the register had faulted.
ia32::Frame* exit_segment_fault(Partition& p, ia32::Frame& resumed, unsigned vector, std::uint32_t error) {
  const std::uint32_t sel = error & 0xfffcu;
  std::uint32_t* regs[4] = {&resumed.gs, &resumed.fs, &resumed.es, &resumed.ds};
  bool found = false;
  for (std::uint32_t* r : regs)
    if (sel != 0 && (*r & 0xfffcu) == sel) { *r = 0; found = true; }
  if (!found)
    for (std::uint32_t* r : regs) *r = 0;  // the error code does not say which: null them all
  if (deliver_exception(p, vector, error) != Delivery::delivered) {
    char buf[160];
    Text t{buf, sizeof buf};
    t.add("a data segment register held selector ");
    t.hex(sel);
    t.add(" whose descriptor is no longer valid (Gandalf's exit path nulled it)");
    contain(p, vector, error, buf);
  }
  return resume();
}

// EXIT's iret faulted: the frame's CS, SS or EIP no longer holds. Reflecting the fault would
// iret through the same frame again, so the partition is contained.
ia32::Frame* exit_iret_fault(Partition& p, ia32::Frame& resumed) {
  char buf[160];
  Text t{buf, sizeof buf};
  t.add("Gandalf cannot return to the guest: CS ");
  t.hex(resumed.cs);
  t.add(" / SS ");
  t.hex(resumed.ss);
  t.add(" no longer valid");
  contain(p, resumed.vector, resumed.error, buf);
  return resume();
}

// A trap from virtual-8086 mode: the processor pushed 16 bytes more than a Frame, so the
// frame is `shifted` 16 bytes below the partition's, over its guard. Only QEMU TCG enters
// V86 mode from CPL 1 (an iret with EFLAGS.VM=1 there); hardware and Bochs ignore VM above
// CPL 0. Nothing in the frame can be trusted to resume: the partition is contained.
ia32::Frame* v86_trap(Partition& p, const ia32::Frame& shifted) {
  p.frame.eip = shifted.eip;
  p.frame.cs = shifted.cs;
  contain(p, shifted.vector, shifted.error,
          "trap from virtual-8086 mode (an iret with EFLAGS.VM=1 at CPL 1 entered it on this emulator)");
  return resume();
}

void stop_partition(Partition& p, const char* why) {
  set_state(p, State::stopped);
  console::report("gandalf: [%s] %s; the other partitions keep running\n", p.cfg->name, why);
}

}  // namespace gandalf::core
