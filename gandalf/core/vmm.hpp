// Gandalf's core: partitions, scheduling, virtual interrupt delivery, containment.
#pragma once

#include <cstddef>
#include <cstdint>

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
  else ready_mask &= ~p.prio_bit;
}

// Chooses the partition to run next and prepares its frame (vmm.cpp); resume_current is the
// shortcut for a trap that cannot have changed who runs.
ia32::Frame* resume();
ia32::Frame* deliver_and_resume(Partition& p);
// The virtual PIC's full priority resolution, out of line so that the hot paths which only
// test `vpic.requested()` need no stack frame.
bool interrupt_pending(const Partition& p);
extern Partition* current;

inline ia32::Frame* resume_current(Partition& p) {
  if (p.vif && p.vpic.requested()) return deliver_and_resume(p);
  return &p.frame;
}

// The configured partitions, in configuration order (0 = Linux slot).
Partition* partitions();
std::size_t partition_count();
Partition* find_partition(const char* name);

// Guest memory through the guest's own segment: nullptr unless [offset, offset+len) lies
// inside both the segment limit and the RAM behind it.
std::uint8_t* guest_ptr(const Partition& p, std::uint32_t offset, std::uint32_t len);

// Exception reflection into the guest's own handler (vmm.cpp).
enum class Delivery { delivered, no_handler, bad_stack };
Delivery deliver_exception(Partition& p, unsigned vector, std::uint32_t error);

// 8254 input ticks now, between timer interrupts too (reads the real counter).
std::uint64_t precise_now();

// #GP trap-and-emulate (emulate.cpp): true if the instruction was emulated.
bool emulate(Partition& p);
// Decodes the instruction at the guest's CS:EIP (false if unreadable or invalid).
bool fetch_instruction(const Partition& p, x86::Insn& insn);

// Faults the guest cannot handle: reflect to its handler or stop/restart it (fault.cpp).
void guest_exception(Partition& p, unsigned vector, std::uint32_t error);
void contain(Partition& p, unsigned vector, std::uint32_t error, const char* what);

// Lifecycle (loader.cpp).
void load_partition(Partition& p);   // (re)load the pristine image and reset the virtual CPU
void stop_partition(Partition& p, const char* why);

// Time: 8254 input ticks since boot.
std::uint64_t pit_now();

// Monitor (monitor.cpp): called from the timer tick.
void monitor_poll();
void print_partitions();
void print_counters();

}  // namespace gandalf::core
