// Gandalf's core: partitions, scheduling, virtual interrupt delivery, containment.
#pragma once

#include <cstddef>
#include <cstdint>

#include "gandalf/arch/ia32/cpu.hpp"
#include "gandalf/arch/ia32/cpu_state.hpp"
#include "gandalf/arch/ia32/eflags.hpp"
#include "gandalf/core/hypercall_args.hpp"
#include "gandalf/core/partition.hpp"

namespace gandalf::x86 {
struct Insn;
}

namespace gandalf::core {

inline constexpr std::uint32_t boot_info_reserve = 256;  // at the top of each partition's memory

// Scheduler state: bit n set when the partition at priority position n is ready to run.
// Picking the next partition is one bit scan; every state change goes through set_state.
extern std::uint32_t ready_mask;

inline void set_state(Partition& p, State s) {
  p.state = s;
  if (s == State::ready) ready_mask |= p.prio_bit;
  else ready_mask &= p.prio_clear;
}

extern Partition* current;
// Whose x87/SSE state is in the FPU's registers (nullptr: nobody's). CR0.TS is clear only
// while fpu_owner runs: any other partition's first FPU instruction traps #NM (fpu_trap).
extern Partition* fpu_owner;
extern Partition* by_priority[];  // ready-mask bit n -> partition
// The TSC when Gandalf took the real interrupt being handled (entry.S writes it first).
extern "C" std::uint64_t irq_taken_tsc;

// The general scheduler exit (vmm.cpp): idles until somebody is ready and delivers a pending
// virtual interrupt on the way.
ia32::Frame* resume_slow();
ia32::Frame* deliver_and_resume(Partition& p);
// The virtual PIC's full priority resolution, out of line so that the hot paths which only
// test `vpic.requested()` need no stack frame.
bool interrupt_pending(const Partition& p);

// The virtual interrupt flag: Gandalf's `vif` for a para-virtual guest; for Linux, the word its
// own cli and sti write (partition.hpp, vif_words).
inline bool vif_on(const Partition& p) {
  return p.vif_words == nullptr ? p.vif : (p.vif_words[0] & ia32::eflags::If::mask) == 0;
}

// Something is due on the way back to `p`: a virtual interrupt it takes now, or (Linux) one
// its own virtual IF may hold back, decided out of line by deliver_pending. Call-free, so
// that resume() needs no stack frame: it is the switch path.
inline bool wants_interrupt(const Partition& p) {
  return p.vpic.requested() && (p.vif || p.vif_words != nullptr || (p.frame.cs & 2) != 0);  // CPL 3
}

// Linux's user mode (CPL 3) always takes interrupts: its virtual IF is the kernel's, which
// was clear when it returned to user mode by its own iret, unseen by Gandalf.
inline bool takes_interrupt(const Partition& p) { return vif_on(p) || (p.frame.cs & 2) != 0; }

// Telemetry: the low half of the TSC when the running partition was switched in (or Gandalf
// woke from idling), and the TSC ticks Gandalf idled with nobody ready.
extern std::uint32_t switched_in_tsc;
extern std::uint64_t idle_tsc;
// Timer ticks that came more than half a period late (an IRQ 0 edge lost while masked).
extern std::uint64_t late_ticks;
// The TSC's rate measured against the 8254 since the first timer tick (0 before it).
std::uint64_t tsc_hz();

// Makes `p` the running partition: its GDT, its frame for the next trap, its I/O bitmap. With
// telemetry, the time the previous one ran is charged to it (32-bit: folded every tick).
// `now`: the low half of the TSC, when the caller has just read it.
inline void switch_to(Partition& p, std::uint32_t now) {
  if (&p == current) return;
  if (current == fpu_owner) [[unlikely]] ia32::fpu::set_ts();  // leaving the FPU's owner
  ia32::activate(p.gdtr, reinterpret_cast<std::uint32_t>(&p.frame + 1), p.iomap_offset);
  if constexpr (telemetry_built) {
    current->recent_tsc += now - switched_in_tsc;
    switched_in_tsc = now;
  }
  current = &p;
  ++p.recent_switches;
}

inline void switch_to(Partition& p) {
  if (&p == current) return;
  switch_to(p, telemetry_built ? static_cast<std::uint32_t>(ia32::cpu::rdtsc()) : 0u);
}

// Telemetry of a para-virtualized guest's virtual IF, out of line (vmm.cpp): called only when
// it changes (delivery, SET_IF, a halt that enables), before `vif` is written.
void vif_window(Partition& p, bool on);

inline void set_guest_vif(Partition& p, bool on) {
  if constexpr (telemetry_built)
    if (on != p.vif) [[unlikely]] vif_window(p, on);
  p.vif = on;
}

// Chooses the partition to run next and prepares its frame. The common case (somebody is
// ready with nothing to deliver) is inline and needs no stack frame: it is the switch path.
inline ia32::Frame* resume() {
  const std::uint32_t mask = ready_mask;
  if (mask == 0) [[unlikely]] return resume_slow();
  Partition* p = by_priority[__builtin_ctz(mask)];
  if (wants_interrupt(*p)) return resume_slow();
  switch_to(*p);
  return &p->frame;
}

// Back to the partition that trapped, when nothing it did can have changed who runs.
inline ia32::Frame* resume_current(Partition& p) {
  if (wants_interrupt(p)) return deliver_and_resume(p);
  return &p.frame;
}

// The configured partitions, in configuration order (0 = Linux slot).
Partition* partitions();
std::size_t partition_count();
Partition* find_partition(const char* name);

// Guest memory through the guest's own segment: nullptr unless [offset, offset+len) lies
// inside both the segment limit and the RAM behind it (in_reach).
inline Reach reach(const Partition& p) { return {p.cfg->memory, p.cfg->seg_limit}; }
std::uint8_t* guest_ptr(const Partition& p, std::uint32_t offset, std::uint32_t len);

// Raises the guest's #GP when its EIP lies beyond its code segment (vmm.cpp); true if so.
bool check_return_address(Partition& p);

// #NM: give the FPU to `p`, saving the owner's state and loading p's (vmm.cpp).
ia32::Frame* fpu_trap(Partition& p);
// A restarted partition's FPU state is the initial one (vmm.cpp).
void fpu_reset(Partition& p);

// Exception reflection into the guest's own handler (vmm.cpp).
enum class Delivery { delivered, no_handler, bad_stack };
Delivery deliver_exception(Partition& p, unsigned vector, std::uint32_t error);

// 8254 input ticks now, between timer interrupts too (reads the real counter).
std::uint64_t precise_now();

// #GP trap-and-emulate (emulate.cpp): true if the instruction was emulated.
bool emulate(Partition& p);
// in/out on the partition's virtual 8259/8254 (emulate.cpp): true if emulated.
bool emulate_port_io(Partition& p, const x86::Insn& insn);
// int3/into (and `int 3`/`int 4`) refused by Gandalf's gates: delivered to the guest as the
// trap-class #BP/#OF they ask for (emulate.cpp); false if not one of them or no guest handler.
bool software_exception(Partition& p, std::uint32_t error);
// Decodes the instruction at the guest's CS:EIP (false if unreadable or invalid).
bool fetch_instruction(const Partition& p, x86::Insn& insn);

// Faults the guest cannot handle: reflect to its handler or stop/restart it (fault.cpp).
void guest_exception(Partition& p, unsigned vector, std::uint32_t error);
void contain(Partition& p, unsigned vector, std::uint32_t error, const char* what);
void restart_or_stop(Partition& p, const char* stopped_why);  // as on_fault says
void restart_or_stop(Partition& p, bool restart, const char* stopped_why);  // within max_restarts
// A guest asked for a machine reset (Linux: the 8042's pulse-reset command, the reset control
// register): restarted or stopped as its on_fault says.
void reset_requested(Partition& p, const char* how);
// Faults on Gandalf's way back into a guest, and traps from virtual-8086 mode (fault.cpp).
ia32::Frame* exit_segment_fault(Partition& p, ia32::Frame& resumed, unsigned vector, std::uint32_t error);
ia32::Frame* exit_iret_fault(Partition& p, ia32::Frame& resumed);
ia32::Frame* v86_trap(Partition& p, const ia32::Frame& shifted);

// Lifecycle (loader.cpp).
void load_partition(Partition& p);   // boot: load the pristine image, reset the virtual CPU
void begin_reload(Partition& p);     // restart: the same, a chunk per timer tick
void continue_reload(Partition& p);  // timer tick: the next chunk; ready when done
void stop_partition(Partition& p, const char* why);

// Gandalf's own command line from the boot loader (loader.cpp), for fault injection.
extern char gandalf_cmdline[128];

// Fault injection (fault_inject.cpp), linked only into systems built with FAULT_INJECTION:
// the weak references are null everywhere else.
extern "C" [[gnu::weak]] void gandalf_fault_inject_init();
extern "C" [[gnu::weak]] void gandalf_fault_inject_tick();

// An edge on line `irq` of p's virtual 8259 (a real interrupt routed to p, its virtual 8254,
// a channel's doorbell); a halted p that can take it becomes ready.
// `since`: the TSC its latency counts from (the real interrupt's, or now).
inline void raise_virq(Partition& p, unsigned irq, std::uint64_t since) {
  p.vpic.raise(irq);
  if (p.raise_tsc == 0) p.raise_tsc = since;
  // A halted guest wakes when an unmasked interrupt is pending, whatever its virtual IF
  // (its halt hypercall then returns EAX = 0, set when it halted).
  if (p.state == State::halted && p.vpic.pending()) set_state(p, State::ready);
}
inline void raise_virq(Partition& p, unsigned irq) { raise_virq(p, irq, ia32::cpu::rdtsc()); }

// Time: 8254 input ticks since boot.
std::uint64_t pit_now();

// Monitor (monitor.cpp): called from the timer tick.
void monitor_poll();
void print_partitions();
void print_counters();

}  // namespace gandalf::core
