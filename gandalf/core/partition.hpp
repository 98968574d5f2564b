// A partition: one guest's saved registers, virtual CPU state, virtual devices and counters.
#pragma once

#include <cstdint>

#include "gandalf/arch/ia32/descriptor.hpp"
#include "gandalf/arch/ia32/fpu.hpp"
#include "gandalf/arch/ia32/frame.hpp"
#include "gandalf/core/budget.hpp"
#include "gandalf/core/config_types.hpp"
#include "gandalf/core/vpic_8259.hpp"
#include "gandalf/core/vpit_8254.hpp"

namespace gandalf::core {

// loading: a restart is rewriting the partition's memory, a chunk per timer tick (loader.cpp).
enum class State : std::uint8_t { ready, halted, stopped, loading };

struct Counters {
  std::uint64_t switches;          // times this partition was switched in
  std::uint64_t traps_emulated;    // privileged instructions emulated (#GP trap-and-emulate)
  std::uint64_t hypercalls;
  std::uint64_t virqs_delivered;   // virtual interrupts injected into the guest
  std::uint64_t exceptions_reflected;
  std::uint64_t faults;            // contained faults (stop or restart)
  std::uint64_t bad_hypercalls;
  std::uint64_t worst_latency;     // TSC ticks from the real IRQ to the guest handler
  std::uint64_t shadow_fills;      // page faults that filled a shadow page-table entry (Linux)
};

// What the monitor's `telemetry` shows per partition (docs/debugging.md): time used, switches
// out, the virtual-interrupt latency histogram and the longest window with the virtual IF off.
// All in TSC ticks (instructions under QEMU -icount), converted by the reader with tsc_hz.
// Built in unless GANDALF_TELEMETRY is 0 (gandalf_system(... LEAN): the switch benchmark's
// paper comparison; docs/results.md gives the cost).
#ifndef GANDALF_TELEMETRY
#define GANDALF_TELEMETRY 1
#endif
inline constexpr bool telemetry_built = GANDALF_TELEMETRY != 0;

struct Telemetry {
  static constexpr unsigned buckets = 24;  // bucket b: latencies in [2^b, 2^(b+1)) ticks; the last: more
  std::uint32_t latency[buckets];
  std::uint64_t tsc_used;       // TSC ticks it ran, Gandalf's work on its behalf included
  std::uint64_t vif_off_since;  // TSC when its virtual IF went off; 0 while on
  std::uint64_t vif_off_worst;  // the longest window with its virtual IF off (Linux: seen at ticks)
  Counters base;                // the counters at the last `telemetry reset`: shown as differences
  std::uint64_t fpu_base;
};

struct alignas(64) Partition {
  // A trap from virtual-8086 mode (QEMU TCG enters it on an iret with EFLAGS.VM=1 at CPL 1)
  // pushes 16 bytes more than Gandalf's Frame: they land here, in this partition's own
  // guard, and Gandalf contains the partition (fault.cpp, v86_trap).
  std::uint32_t v86_guard[4];
  ia32::Frame frame;               // TSS.esp0 = &frame + 1 while this partition runs
  State state;
  bool vif;                        // the guest's virtual interrupt flag
  std::uint8_t index;
  std::uint16_t iomap_offset;      // this partition's I/O bitmap inside the TSS
  std::uint32_t prio_bit;          // 1 << priority position (0 = highest) in the ready mask;
                                   // 0 while its CPU budget throttles it (vmm.cpp)
  std::uint32_t prio_clear;        // ~prio_bit: leaving the ready mask costs one instruction less
  std::uint32_t code_limit;        // the segment limit, where the hot paths can reach it
  std::uint32_t last_byte;         // the last offset both its segment and its RAM reach (delivery)
  // Hot-path counts, 32-bit so that counting costs one instruction; folded into `counters`
  // every tick (far below 2^32 events per millisecond) and before they are printed.
  std::uint32_t recent_switches;
  std::uint32_t recent_hypercalls;
  std::uint32_t recent_virqs;      // virtual interrupts delivered
  std::uint32_t recent_tsc;        // telemetry: TSC ticks run since the last fold (< 2^32 per tick)
  std::uint32_t recent_worst_latency;  // the worst delivery latency since the last fold, below 2^32
  std::uint32_t vector_table;      // where Gandalf reads it: the guest's base + its offset; 0 entries = none
  std::uint32_t vector_count;
  std::uint32_t restarts;
  std::uint32_t reload_pos;        // State::loading: the next offset to rewrite
  std::uint64_t raise_tsc;         // when the oldest undelivered virtual IRQ was raised, 0 none
  std::uint64_t* guest_irq_tsc;    // gandalf_boot_info.irq_raise_tsc in the guest's memory
  const config::Partition* cfg;
  // Linux only (nullptr otherwise): gandalf_vif_xor, its virtual IF as its own code writes it
  // (EFLAGS.IF set there = interrupts off), and the word after it, set while Gandalf holds an
  // interrupt back for it (gandalf/linux/irq_sites.hpp).
  volatile std::uint32_t* vif_words;
  Partition* wake_partner;         // benchmark instrumentation (wake_on_halt), or nullptr
  ia32::PseudoDescriptor gdtr;
  const std::uint8_t* image;       // pristine copy in the image store
  std::uint32_t image_size;
  const char* unbootable;          // why its images cannot boot (it stays stopped), or nullptr
  const std::uint8_t* initrd;      // Linux: its initramfs in the image store, or nullptr
  std::uint32_t initrd_size;
  char module_args[config::args_max];
  vdev::VirtualPic vpic;
  vdev::VirtualPit vpit;
  Counters counters;
  Telemetry telemetry;
  Budget budget;                   // its CPU budget, if the configuration gives one
  std::uint64_t fpu_switches;      // times its FPU state was loaded (#NM, lazy switching)
  ia32::fpu::State fpu;            // saved x87/SSE state while another partition owns the FPU
};

inline void fold_counters(Partition& p) {
  p.counters.switches += p.recent_switches;
  p.counters.hypercalls += p.recent_hypercalls;
  p.counters.virqs_delivered += p.recent_virqs;
  p.telemetry.tsc_used += p.recent_tsc;
  if (p.recent_worst_latency > p.counters.worst_latency) p.counters.worst_latency = p.recent_worst_latency;
  p.recent_switches = p.recent_hypercalls = p.recent_virqs = p.recent_tsc = p.recent_worst_latency = 0;
}

}  // namespace gandalf::core
