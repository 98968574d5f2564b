// Path lengths through Gandalf (issue #14 item 4, docs/results.md "Worst-case paths"): every
// entry (a real IRQ, a hypercall, an exception, a Linux exit) is timed from the C handler's
// first instruction to its return into the exit path, by kind, with its count, total and
// worst. Under QEMU -icount the TSC counts instructions, so the worst is the longest path in
// instructions. All of Gandalf runs with interrupts masked, so each worst is also how long
// Gandalf keeps interrupts off on that path.
//
// What is no path's: the idle wait (a halt that finds nobody ready waits with interrupts on;
// an IRQ taken there is a path of its own) and a monitor command the operator typed (its
// own row). The switch to another partition is a row too: the longest path that ended in
// one.
//
// Built only into PROBE systems (gandalf_system(... PROBE)): the probe's reads of the TSC
// would lengthen the switch path that the benchmark measures.
#pragma once

#include <cstdint>

#ifndef GANDALF_PATH_PROBE
#define GANDALF_PATH_PROBE 0
#endif

namespace gandalf::core {
struct Partition;
}

namespace gandalf::core::paths {

inline constexpr bool built = GANDALF_PATH_PROBE != 0;

enum class Path : std::uint8_t {
  timer_tick,         // IRQ 0, the part in the interrupt: the highest partition's virtual timer
  timer_tick_reload,  // the rest of a tick (timer_tick_rest) that also rewrote a chunk of a
                      // restarting partition (or copied one of its dump)
  device_irq,         // IRQ 1..15 routed to a partition
  hypercall_halt,
  hypercall_set_if,
  hypercall_set_vectors,
  hypercall_refused,  // no such hypercall (bad arguments of a known one count as that one)
  emulated_io,        // para-virtualized guest: #GP, port I/O to its virtual 8259/8254 emulated
  fpu_switch,         // #NM: lazy FPU state switch
  exception,          // reflected to the guest's handler, or contained (stop, restart begins)
  exit_fault,         // Gandalf's iret or segment loads back into a guest faulted
  monitor_command,    // typed on COM4: the operator's, not a guest's
  timer_tick_rest,    // the rest of a tick (other timers, storms, channels, console, monitor),
                      // after the highest partition halted (inside another path, excluded from it)
  linux_exit,         // + linux_guest::ExitKind: one row per kind of Linux exit
  count = linux_exit + 14,
  switch_partition = count,  // the longest path that ended in another partition
  rows,
};

struct Row {
  std::uint64_t count, total, worst;
};

// Entry: starts timing `kind` (nests once: an IRQ taken in the idle wait).
void enter(Path kind);
// The kind turned out to be another one (a Linux exit's kind is known at its end).
void set_kind(Path kind);
// Time inside the path that is no path's (the idle wait, a monitor command).
void exclude(std::uint64_t tsc);
// A path inside another one (the rest of a timer tick, run where the highest partition gave
// the CPU back): timed as `kind`, and its time is excluded from the enclosing path. False if
// it is not timed (no enclosing path): then no leave().
bool enter_inside(Path kind);
// Exit: records the path, and the switch if `current` changed since enter.
void leave();
// An operator's monitor command, timed by itself.
void record(Path kind, std::uint64_t tsc);

const Row& row(unsigned i);
const char* name(unsigned i);
void reset();

// Times `body(arg)` as `kind` when the probe is built; otherwise just calls it.
template <class R, class A>
inline R timed(Path kind, R (*body)(A), A arg) {
  if constexpr (!built) {
    return body(arg);
  } else {
    enter(kind);
    R r = body(arg);
    leave();
    return r;
  }
}

}  // namespace gandalf::core::paths
