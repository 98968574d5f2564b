// Linux's privileged instructions, emulated on #GP, and the delivery of exceptions and
// interrupts through Linux's own IDT. Linux believes it runs at ring 0; it runs at ring 1,
// where these instructions trap (SDM Vol. 3A §5.9) and Gandalf does what ring 0 would have
// done to Linux's virtual CPU (Vcpu), never to the real one unchecked.
#include <cstring>

#include "gandalf/arch/ia32/cpu.hpp"
#include "gandalf/arch/ia32/cpu_state.hpp"
#include "gandalf/arch/ia32/eflags.hpp"
#include "gandalf/arch/ia32/idt.hpp"
#include "gandalf/arch/ia32/paging.hpp"
#include "gandalf/core/channel.hpp"
#include "gandalf/core/config.hpp"
#include "gandalf/core/console.hpp"
#include "gandalf/core/x86_decoder.hpp"
#include "gandalf/linux/irq_sites.hpp"
#include "gandalf/linux/linux_guest.hpp"
#include "gandalf/linux/segments.hpp"

namespace gandalf::linux_guest {

namespace {

using core::Delivery;
using core::Partition;
using core::State;
using ia32::Descriptor;
using ia32::Frame;
using x86::Insn;
using x86::Op;
namespace fl = ia32::eflags;
namespace c0 = ia32::cpu::cr0_bits;

constexpr std::uint32_t if_bit = fl::If::mask;
enum : std::uint8_t { type_interrupt_gate = 0xe, type_trap_gate = 0xf };

bool user_mode(const Frame& f) { return (f.cs & 3) == 3; }

// ---- What each exit costs (the monitor's `exits`) -------------------------------------------

constinit ExitKind exit_kind = ExitKind::other_exception;
// An instruction Gandalf refuses on purpose (and has said why): #GP to Linux, without the
// "not emulated" report.
constinit bool refusal_reported = false;
constinit ExitStat exit_stats[exit_kind_count]{};

ExitKind kind_of(const Insn& insn) {
  switch (insn.op) {
    case Op::mov_to_cr: return insn.reg == 3 ? ExitKind::cr3_load : ExitKind::control_register;
    case Op::mov_from_cr: case Op::clts: case Op::lmsw: return ExitKind::control_register;
    case Op::lgdt: return ExitKind::lgdt;
    case Op::iret: return ExitKind::iret;
    case Op::cli: case Op::sti: return ExitKind::cli_sti;
    case Op::hlt: return ExitKind::hlt;
    case Op::in: case Op::out: return ExitKind::port_io;
    case Op::invlpg: return ExitKind::invlpg;
    default: return ExitKind::other_instruction;
  }
}

// ---- Descriptors -------------------------------------------------------------------------

Descriptor* window(const Partition& p) { return ia32::guest_gdt_window(p.index); }

// The descriptor a GDT selector names in Gandalf's copy, nullptr for LDT or out-of-window.
const Descriptor* descriptor(const Partition& p, std::uint32_t sel) {
  const std::uint32_t index = (sel & 0xffffu) >> 3;
  if ((sel & 4) != 0 || index == 0 || index >= gdt_entries) return nullptr;
  return &window(p)[index];
}

bool is_code(const Descriptor& d) {
  return d.present() && Descriptor::S::decode(d.raw) && (Descriptor::Type::decode(d.raw) & 8);
}
bool is_writable_data(const Descriptor& d) {
  const auto type = Descriptor::Type::decode(d.raw);
  return d.present() && Descriptor::S::decode(d.raw) && (type & 8) == 0 && (type & 2) != 0;
}

// Linux's kernel code segment as Gandalf holds it: present code, DPL 1.
bool kernel_code(const Partition& p, std::uint32_t sel) {
  const Descriptor* d = descriptor(p, sel);
  return d != nullptr && is_code(*d) && d->dpl() == 1;
}
bool kernel_stack(const Partition& p, std::uint32_t sel) {
  const Descriptor* d = descriptor(p, sel);
  return d != nullptr && is_writable_data(*d) && d->dpl() == 1 && d->base() == 0;
}

// ---- Operands ----------------------------------------------------------------------------

std::uint32_t sreg_selector(const Frame& f, int sreg) {
  switch (sreg) {
    case x86::kEs: return f.es;
    case x86::kCs: return f.cs;
    case x86::kSs: return f.ss;
    case x86::kFs: return f.fs;
    case x86::kGs: return f.gs;
    default: return f.ds;
  }
}

std::uint32_t memory_operand(const Partition& p, const Insn& insn) {
  const Frame& f = p.frame;
  const std::uint32_t regs[8] = {f.eax, f.ecx, f.edx, f.ebx, f.esp, f.ebp, f.esi, f.edi};
  const Descriptor* seg = descriptor(p, sreg_selector(f, x86::effective_segment(insn)));
  return (seg ? seg->base() : 0) + x86::effective_address(insn, regs);
}

// A 16-bit operand (lldt, ltr, mov to a segment register): a register or memory.
bool word_operand(const Partition& p, const Insn& insn, std::uint32_t& value) {
  if (insn.mod == 3) {
    value = ia32::gpr(const_cast<Frame&>(p.frame), insn.rm) & 0xffffu;
    return true;
  }
  std::uint16_t w;
  if (!read_linear(p, memory_operand(p, insn), &w, 2)) return false;
  value = w;
  return true;
}

// ---- Control registers, descriptor tables --------------------------------------------------

// A page directory outside Linux's memory: the processor would load it and then fault on
// every walk; Gandalf refuses the load (#GP to Linux) and says so.
[[gnu::noinline]] bool foreign_directory(const Partition& p, std::uint32_t value) {
  console::chatter(p.index, "gandalf: [%s] cr3 %08x is outside Linux's memory: not loaded, #GP to Linux\n",
                   p.cfg->name, value);
  refusal_reported = true;
  return false;
}

bool write_cr(Partition& p, unsigned n, std::uint32_t value) {
  const bool paging = (vcpu.cr0 & c0::pg) != 0;
  switch (n) {
    case 0: {
      const bool on = (value & c0::pg) != 0;
      if (on && !paging && !own_frame(p, vcpu.cr3 & ~0xfffu)) return foreign_directory(p, vcpu.cr3);
      const bool wp_changed = ((value ^ vcpu.cr0) & c0::wp) != 0;
      vcpu.cr0 = value | c0::et;
      if (on && !paging) shadow::activate();
      else if (!on && paging) leave_paging(p);
      else if (on && wp_changed) shadow::flush_all();  // the rights of every shadow entry
      return true;
    }
    case 2: vcpu.cr2 = value; return true;
    case 3: {
      if (paging && !own_frame(p, value & ~0xfffu)) return foreign_directory(p, value);
      const bool same = ((vcpu.cr3 ^ value) & ~0xfffu) == 0;
      vcpu.cr3 = value;
      if (paging) same ? shadow::flush_all() : shadow::new_address_space();
      return true;
    }
    case 4:
      vcpu.cr4 = value;  // PSE changes what a PDE means; PGE toggles flush everything
      if (paging) shadow::flush_all();
      return true;
    default: return false;
  }
}

bool read_cr(unsigned n, std::uint32_t& value) {
  switch (n) {
    case 0: value = vcpu.cr0; return true;
    case 2: value = vcpu.cr2; return true;
    case 3: value = vcpu.cr3; return true;
    case 4: value = vcpu.cr4; return true;
    default: return false;
  }
}

bool load_gdt(Partition& p, const Insn& insn) {
  ia32::PseudoDescriptor d;
  if (!read_linear(p, memory_operand(p, insn), &d, sizeof d)) return false;
  std::uint64_t raw[gdt_entries]{};
  const std::uint32_t count = (d.limit + 1u) / 8 < gdt_entries ? (d.limit + 1u) / 8 : gdt_entries;
  if (!read_linear(p, d.base, raw, count * 8)) return false;
  vcpu.gdt_base = d.base;
  vcpu.gdt_limit = d.limit;
  Descriptor* w = window(p);
  const std::uint32_t live = segments::live_entries(p.frame);
  for (unsigned i = 1; i < gdt_entries; ++i) {
    vcpu.gdt[i] = raw[i];
    const std::uint64_t now = segments::validated(raw[i], p.cfg->seg_limit);
    // A segment register keeps the descriptor it loaded until it is loaded again (SDM Vol. 3A
    // §3.4.3): Linux switches from its boot GDT to its own and reloads the registers a few
    // instructions later. Gandalf's exit path reloads them from the table, so an entry a live
    // register still names keeps its old descriptor while the new table leaves it empty.
    if (now != 0 || (live & (1u << i)) == 0) w[i].raw = now;
  }
  return true;
}

bool load_idt(Partition& p, const Insn& insn) {
  ia32::PseudoDescriptor d;
  if (!read_linear(p, memory_operand(p, insn), &d, sizeof d)) return false;
  vcpu.idt_base = d.base;
  vcpu.idt_limit = d.limit;
  refresh_direct_paths(p);
  return true;
}

// Linux 6.1 built without modify_ldt only ever loads the null LDT: Gandalf's LDTR stays null.
bool load_ldt(Partition& p, const Insn& insn) {
  std::uint32_t sel;
  return word_operand(p, insn, sel) && (sel & ~3u) == 0;
}

// ltr names Linux's TSS; Gandalf reads sp0 from it when a trap from user mode enters Linux.
bool load_tr(Partition& p, const Insn& insn) {
  std::uint32_t sel;
  if (!word_operand(p, insn, sel)) return false;
  const std::uint32_t index = sel >> 3;
  if ((sel & 4) || index == 0 || index >= gdt_entries || index * 8 + 7 > vcpu.gdt_limit) return false;
  // Linux writes its TSS descriptor after loading its GDT (set_tss_desc, then ltr): read it now.
  if (!read_linear(p, vcpu.gdt_base + index * 8, &vcpu.gdt[index], 8)) return false;
  const Descriptor d{vcpu.gdt[index]};
  const auto type = Descriptor::Type::decode(d.raw);
  if (!d.present() || Descriptor::S::decode(d.raw) || (type != 0x9 && type != 0xb)) return false;
  vcpu.tr = static_cast<std::uint16_t>(sel);
  vcpu.tss_base = d.base();
  refresh_direct_paths(p);
  return true;
}

// A stack segment load needs RPL = CPL (SDM Vol. 2B, MOV: #GP(selector) otherwise): Linux's
// head_32.S loads SS with RPL-0 selectors twice; Gandalf loads the same descriptor with RPL 1.
bool load_sreg(Partition& p, const Insn& insn) {
  Frame& f = p.frame;
  std::uint32_t sel, new_esp = f.esp;
  if (insn.op == Op::mov_to_sreg) {
    if (!word_operand(p, insn, sel)) return false;
  } else if (insn.op == Op::pop_sreg) {
    if (!read_linear(p, f.esp, &sel, 4)) return false;
    sel &= 0xffffu;
    new_esp = f.esp + 4;
  } else {  // lss m16:32
    std::uint32_t far[2];
    if (insn.opcode != 0xb2 || !read_linear(p, memory_operand(p, insn), far, 6)) return false;
    new_esp = far[0];
    sel = far[1] & 0xffffu;
  }
  if (insn.sreg != x86::kSs || (sel & 3) > 1) return false;
  sel |= 1;
  if (!kernel_stack(p, sel)) return false;
  f.ss = sel;
  f.esp = new_esp;
  return true;
}

// ---- Interrupt flag, halt, iret --------------------------------------------------------------

void halt(Partition& p) {
  if (!p.vpic.pending()) set_state(p, State::halted);
}

// iret to kernel code (RPL 0 or 1 in the popped CS): what the processor would do at ring 0,
// with the virtual IF taken from the popped EFLAGS. Returns to user mode are the processor's.
bool emulate_iret(Partition& p) {
  Frame& f = p.frame;
  std::uint32_t w[3];
  if (!kernel_stack(p, f.ss) || !read_linear(p, f.esp, w, sizeof w)) return false;
  const std::uint32_t cs = w[1] & 0xffffu;
  if ((cs & 3) > 1 || !kernel_code(p, cs) || w[0] > descriptor(p, cs)->limit()) return false;
  f.eip = w[0];
  f.cs = cs | 1;
  f.eflags = fl::sanitize_for_guest(w[2]) & ~fl::Rf::mask;
  f.esp += sizeof w;
  set_vif(p, (w[2] & if_bit) != 0);
  return true;
}

// sti; hlt (the idle loop) and sti; iret (patch 0002) are one step, as sti's interrupt shadow
// makes them on hardware: no interrupt slips in between to be lost or to nest.
void sti(Partition& p) {
  set_vif(p, true);
  std::uint8_t next;
  if (!read_linear(p, p.frame.eip, &next, 1)) return;
  if (next == 0xf4) {
    p.frame.eip += 1;
    exit_kind = ExitKind::sti_hlt;
    halt(p);
  } else if (next == 0xcf) {
    emulate_iret(p);
  }
}

// A cli or sti of Linux's C code (patch 0001) is rewritten on its first trap so that it never
// traps again (irq_sites.hpp); the instruction's own effect is still Gandalf's to do.
// Returns the length of the site rewritten, 0 when this one is not such a site.
unsigned patch_irq_site(Partition& p, std::uint8_t opcode) {
  namespace is = irq_sites;
  const unsigned size = opcode == is::op_cli ? is::cli_size : is::sti_size;
  std::uint8_t site[is::sti_size];
  if (vcpu.vif_linear == 0 || user_mode(p.frame) || !read_linear(p, p.frame.eip, site, size) ||
      !is::is_site(site, size, opcode))
    return 0;
  const bool written = opcode == is::op_cli ? write_code(p, p.frame.eip, is::encode_cli(vcpu.vif_linear).data(), size)
                                            : write_code(p, p.frame.eip, is::encode_sti(vcpu.vif_linear).data(), size);
  if (!written) return 0;
  ++vcpu.irq_sites_patched;
  return size;
}

// ---- Port I/O ------------------------------------------------------------------------------

// Ports Linux does not own and Gandalf does not emulate behave as an empty ISA bus: reads
// float high, writes vanish. The CMOS data port reads 0 so that the RTC never looks busy, the
// keyboard controller's status 0 so that Linux's reboot does not wait for it, and its reset
// command restarts Linux.
bool port_io(Partition& p, const Insn& insn) {
  if (core::emulate_port_io(p, insn)) return true;
  Frame& f = p.frame;
  const std::uint32_t port = insn.port_in_dx ? (f.edx & 0xffffu) : insn.imm;
  if (insn.op == Op::out) {
    // Linux's reboot (and its last step after a panic with panic=-1): the keyboard controller's
    // pulse-reset command, or a reset through the reset control register. Linux alone restarts.
    const std::uint8_t value = static_cast<std::uint8_t>(f.eax);
    if ((port == 0x64 && value == 0xfe) || (port == 0xcf9 && (value & 0x04) != 0))
      core::reset_requested(p, port == 0x64 ? "out 0x64, 0xfe: the keyboard controller's reset" : "out 0xcf9: reset control");
    return true;
  }
  const std::uint32_t ones = insn.width == 4 ? 0xffffffffu : (1u << (8 * insn.width)) - 1;
  const std::uint32_t value = port == 0x71 || port == 0x64 ? 0 : ones;
  f.eax = (f.eax & ~ones) | (value & ones);
  return true;
}

bool emulate_privileged(Partition& p) {
  Insn insn;
  if (!fetch(p, insn)) return false;
  exit_kind = kind_of(insn);
  Frame& f = p.frame;
  std::uint32_t value;
  bool done = false;
  switch (insn.op) {
    case Op::in: case Op::out: done = port_io(p, insn); break;
    case Op::cli: {
      set_vif(p, false);
      const unsigned site = patch_irq_site(p, irq_sites::op_cli);
      f.eip += site != 0 ? site : insn.length;
      return true;
    }
    case Op::sti:
      if (const unsigned site = patch_irq_site(p, irq_sites::op_sti)) {
        f.eip += site;
        set_vif(p, true);
      } else {
        f.eip += insn.length;
        sti(p);
      }
      return true;
    case Op::hlt: halt(p); done = true; break;
    case Op::iret:
      return emulate_iret(p);
    case Op::mov_to_cr: done = write_cr(p, insn.reg, ia32::gpr(f, insn.rm)); break;
    case Op::mov_from_cr:
      done = read_cr(insn.reg, value);
      if (done) ia32::gpr(f, insn.rm) = value;
      break;
    case Op::mov_to_dr: vcpu.dr[insn.reg & 7] = ia32::gpr(f, insn.rm); done = true; break;
    case Op::mov_from_dr: ia32::gpr(f, insn.rm) = vcpu.dr[insn.reg & 7]; done = true; break;
    case Op::clts: vcpu.cr0 &= ~c0::ts; done = true; break;
    case Op::lmsw:
      done = word_operand(p, insn, value);
      if (done) vcpu.cr0 = (vcpu.cr0 & ~0xeu) | (value & 0xfu) | c0::pe;
      break;
    case Op::wbinvd: case Op::invd: done = true; break;  // no device of Linux's snoops less
    case Op::invlpg: {
      const std::uint32_t linear = memory_operand(p, insn);
      if ((vcpu.cr0 & c0::pg) != 0 && linear <= p.cfg->seg_limit) shadow::invalidate(linear);
      done = true;
      break;
    }
    // Linux finds no model-specific register worth having: reads are 0, writes vanish.
    case Op::rdmsr: f.eax = f.edx = 0; done = true; break;
    case Op::wrmsr: done = true; break;
    case Op::lgdt: done = load_gdt(p, insn); break;
    case Op::lidt: done = load_idt(p, insn); break;
    case Op::lldt: done = load_ldt(p, insn); break;
    case Op::ltr: done = load_tr(p, insn); break;
    case Op::mov_to_sreg: case Op::pop_sreg: case Op::lds_les_lfs_lgs_lss: done = load_sreg(p, insn); break;
    default: break;
  }
  if (done) f.eip += insn.length;
  return done;
}

// ---- Delivery ------------------------------------------------------------------------------

struct Gate {
  std::uint32_t offset;
  std::uint16_t selector;
  std::uint8_t type, dpl;
};

bool read_gate(const Partition& p, unsigned vector, Gate& g) {
  std::uint64_t raw;
  if (vector * 8 + 7 > vcpu.idt_limit || !read_linear(p, vcpu.idt_base + vector * 8, &raw, 8)) return false;
  const Descriptor d{raw};
  g.type = static_cast<std::uint8_t>(Descriptor::Type::decode(raw));
  g.dpl = static_cast<std::uint8_t>(d.dpl());
  g.selector = static_cast<std::uint16_t>(Descriptor::GateSelector::decode(raw));
  g.offset = static_cast<std::uint32_t>(Descriptor::OffsetLow::decode(raw) | Descriptor::OffsetHigh::decode(raw) << 16);
  return d.present() && !Descriptor::S::decode(raw) && (g.type == type_interrupt_gate || g.type == type_trap_gate);
}

// int n / int3 / into raise #GP(vector·8+2) at Gandalf's DPL-0 gates; Linux's own gate
// decides, as the processor would have with Linux's IDT (its int3 self-test runs at CPL 1).
bool soft_interrupt(Partition& p, unsigned vector) {
  Gate g;
  Insn insn;
  if (!read_gate(p, vector, g) || g.dpl < (p.frame.cs & 3) || !fetch(p, insn)) return false;
  if (insn.op != Op::int_n && insn.op != Op::int3 && insn.op != Op::into) return false;
  p.frame.eip += insn.length;
  if (deliver(p, vector, false, 0) == Delivery::delivered) return true;
  p.frame.eip -= insn.length;
  return false;
}

// Linux's kernel did something Gandalf does not do for it: said on COM4 (rate-limited with
// the rest of Linux's chatter), then Linux gets the #GP as its own, as on hardware.
[[gnu::noinline]] void not_emulated(const Partition& p, std::uint32_t error) {
  Insn insn;
  const char* what = fetch(p, insn) ? x86::mnemonic(insn.op) : "(unreadable)";
  console::chatter(p.index, "gandalf: [%s] #GP(0x%x) at %04x:%08x on '%s', not emulated: reflected to Linux\n",
                   p.cfg->name, error, p.frame.cs, p.frame.eip, what);
}

ia32::Frame* resume_after(Partition& p) {
  core::check_return_address(p);
  const bool again = core::channel::take_reschedule();  // a doorbell woke an RTOS instance
  return p.state == State::ready && !again ? core::resume_current(p) : core::resume();
}

}  // namespace

void set_vif(Partition& p, bool on) {
  p.vif = on;
  if (p.vif_words == nullptr) return;
  p.vif_words[0] = on ? 0 : if_bit;
  p.vif_words[1] = 0;  // resume_current delivers what is held, or holds it again
}

void refresh_direct_paths(Partition& p) {
  Gate g;
  const bool gate = read_gate(p, ia32::linux_syscall_vector, g) && g.dpl == 3 && kernel_code(p, g.selector) &&
                    g.offset <= descriptor(p, g.selector)->limit();
  ia32::set_syscall_gate(gate ? static_cast<std::uint16_t>(g.selector & 0xfffcu) : 0, g.offset);
  std::uint32_t tss[3];
  if (vcpu.tss_base != 0 && read_linear(p, vcpu.tss_base, tss, sizeof tss) && kernel_stack(p, (tss[2] & 0xfffcu) | 1))
    ia32::set_ring1_stack(static_cast<std::uint16_t>((tss[2] & 0xfffcu) | 1), tss[1]);
}

namespace {

// Linux traps from few places (its CR2 read, the PIT reads, invlpg, the CR3 load, the TLS
// lgdt ...): their decoded instructions are kept, by linear address, and used again after
// checking that the bytes at the same physical address are still the same (Gandalf's own
// cli/sti patches, modules loaded and unloaded). The cache forgets what the shadow forgets
// (shadow.cpp calls forget_fetches), so a cached translation is never staler than the
// processor's TLB could be.
struct CachedInsn {
  std::uint32_t eip, phys;
  Insn insn;
  std::uint8_t bytes[x86::kMaxInsnLength];
  bool valid;
};
constexpr unsigned fetch_slots = 32;
constinit CachedInsn fetch_cache[fetch_slots]{};

CachedInsn& fetch_slot(std::uint32_t eip) { return fetch_cache[(eip ^ (eip >> 5)) % fetch_slots]; }

bool fetch_uncached(const Partition& p, std::uint32_t eip, std::uint8_t* code, Insn& insn) {
  std::uint32_t n = 0;
  while (n < x86::kMaxInsnLength) {
    const std::uint32_t in_page = ia32::page_size - ((eip + n) & 0xfffu);
    const std::uint32_t want = x86::kMaxInsnLength - n < in_page ? x86::kMaxInsnLength - n : in_page;
    if (!read_linear(p, eip + n, code + n, want)) break;
    n += want;
  }
  return n != 0 && x86::decode(code, n, insn);
}

}  // namespace

void forget_fetches(std::uint32_t first, std::uint32_t last) {
  for (CachedInsn& c : fetch_cache)
    if (c.eip >= first && c.eip <= last) c.valid = false;
}

bool fetch(const Partition& p, Insn& insn) {
  const std::uint32_t eip = p.frame.eip;
  const bool paging = (vcpu.cr0 & c0::pg) != 0;
  CachedInsn& c = fetch_slot(eip);
  if (paging && c.valid && c.eip == eip &&
      std::memcmp(code_bytes(c.phys), c.bytes, c.insn.length) == 0) {
    insn = c.insn;
    return true;
  }
  std::uint8_t code[x86::kMaxInsnLength];
  if (!fetch_uncached(p, eip, code, insn)) return false;
  const std::uint32_t phys = paging && (eip & 0xfffu) + insn.length <= ia32::page_size ? physical_of(p, eip) : ~0u;
  if (phys != ~0u) {
    c = CachedInsn{eip, phys, insn, {}, true};
    std::memcpy(c.bytes, code, insn.length);
  }
  return true;
}

Delivery deliver(Partition& p, unsigned vector, bool has_error, std::uint32_t error) {
  Gate g;
  if (!read_gate(p, vector, g) || !kernel_code(p, g.selector)) return Delivery::no_handler;
  Frame& f = p.frame;
  const bool from_user = user_mode(f);
  std::uint32_t sp = f.esp, ss = f.ss;
  if (from_user) {  // the stack Linux's TSS names for ring 0 (its sp0, ss0)
    std::uint32_t tss[3];
    if (vcpu.tss_base == 0 || !read_linear(p, vcpu.tss_base, tss, sizeof tss)) return Delivery::bad_stack;
    sp = tss[1];
    ss = (tss[2] & 0xfffcu) | 1;
  }
  if (!kernel_stack(p, ss)) return Delivery::bad_stack;
  const bool vif = core::takes_interrupt(p);
  std::uint32_t words[6];
  unsigned n = 0;
  if (has_error) words[n++] = error;
  words[n++] = f.eip;
  words[n++] = f.cs;
  words[n++] = (f.eflags & ~if_bit) | (vif ? if_bit : 0);
  if (from_user) {
    words[n++] = f.esp;
    words[n++] = f.ss;
  }
  if (sp < n * 4 || !write_linear(p, sp - n * 4, words, n * 4)) return Delivery::bad_stack;
  f.esp = sp - n * 4;
  f.ss = ss;
  f.cs = (g.selector & 0xfffcu) | 1;
  f.eip = g.offset;
  f.eflags &= ~(fl::Tf::mask | fl::Nt::mask | fl::Rf::mask | fl::Vm::mask);
  set_vif(p, g.type == type_trap_gate && vif);
  return Delivery::delivered;
}

namespace {

ia32::Frame* handle(Partition& p, unsigned vector, std::uint32_t error) {
  // Linux's user mode (CPL 3) is emulated nothing: its privileged instructions and port I/O
  // fault to Linux as on hardware (SIGSEGV), never act as its kernel's.
  if (vector == ia32::idt::gp && (error & 2) == 0 && !user_mode(p.frame)) {
    refusal_reported = false;
    if (emulate_privileged(p)) {
      ++p.counters.traps_emulated;
      return resume_after(p);
    }
    if (!refusal_reported) not_emulated(p, error);
  }
  exit_kind = ExitKind::other_exception;
  if (vector == ia32::idt::gp && (error & 3) == 2) {
    exit_kind = ExitKind::soft_interrupt;
    if (soft_interrupt(p, error >> 3)) return resume_after(p);
  }
  if (vector == ia32::idt::pf) {
    exit_kind = ExitKind::page_fault_to_linux;
    const std::uint32_t linear = ia32::cpu::cr2();
    if ((vcpu.cr0 & c0::pg) != 0) {
      if (shadow::fill(p, linear, error, error) == shadow::Fill::filled) {
        ++p.counters.shadow_fills;
        exit_kind = ExitKind::shadow_fill;
        return core::resume_current(p);
      }
    }
    vcpu.cr2 = linear;
  }
  core::guest_exception(p, vector, error);
  return core::resume();
}

}  // namespace

// The start of an exit still being handled (0: none). A `hlt` or `sti; hlt` exit can end in
// Gandalf's idle wait, which an interrupt may leave for another partition without returning
// here (core's deliver_at_once): close_abandoned_exit() then counts it.
constinit std::uint64_t open_exit_t0 = 0;

namespace {

void count_exit(std::uint64_t t0) {
  ExitStat& s = exit_stats[static_cast<unsigned>(exit_kind)];
  const std::uint64_t took = ia32::cpu::rdtsc() - t0;
  ++s.count;
  s.tsc += took;
  if (took > s.worst) s.worst = took;
}

}  // namespace

// Every exit is timed with the time-stamp counter (instructions under QEMU -icount): count,
// total and worst per kind, for the monitor's `exits` and bench/run_linux.py.
ia32::Frame* exception(Partition& p, unsigned vector, std::uint32_t error) {
  const std::uint64_t t0 = ia32::cpu::rdtsc();
  open_exit_t0 = t0;
  ia32::Frame* next = handle(p, vector, error);
  open_exit_t0 = 0;
  count_exit(t0);
  return next;
}

void close_abandoned_exit_slow() {
  const std::uint64_t t0 = open_exit_t0;
  open_exit_t0 = 0;
  count_exit(t0);
}

const ExitStat& exit_stat(ExitKind k) { return exit_stats[static_cast<unsigned>(k)]; }
ExitKind last_exit_kind() { return exit_kind; }

const char* exit_kind_name(ExitKind k) {
  constexpr const char* names[exit_kind_count] = {
      "shadow_fill", "page_fault_to_linux", "cr3_load", "control_register", "lgdt", "iret", "cli_sti", "sti_hlt",
      "hlt", "port_io", "invlpg", "other_instruction", "soft_interrupt", "other_exception"};
  return names[static_cast<unsigned>(k)];
}

void reset_exit_stats() {
  for (auto& s : exit_stats) s = ExitStat{};
}

}  // namespace gandalf::linux_guest
