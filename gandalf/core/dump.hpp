// Crash dumps: what a partition looked like when Gandalf contained its fault, kept while the
// other partitions run and the faulty one restarts (or stays stopped). One dump per partition,
// the latest; the monitor lists them (`dumps`) and prints one (`dump NAME`), tools/dump.py makes
// it readable with the partition's symbols.
//
// With `console_tail` in its configuration, a partition's console output also passes through
// Gandalf (its UART's transmit register traps) into a ring in the dump store, and a dump keeps
// the ring's last bytes. With `dump_memory`, a dump copies that much of the partition's memory
// into the dump store, a chunk per timer tick, before its restart rewrites it (docs/debugging.md).
#pragma once

#include <cstdint>

#include "gandalf/arch/ia32/frame.hpp"
#include "gandalf/core/config_types.hpp"
#include "gandalf/core/partition.hpp"

namespace gandalf::core::dump {

inline constexpr std::uint32_t stack_bytes = 256;  // from ESP up, as far as the partition can read
inline constexpr std::uint32_t code_bytes = 16;    // at EIP
inline constexpr std::uint32_t what_max = 160;
inline constexpr unsigned reset_vector = 256;  // Dump::vector of a guest that reset its machine

struct Dump {
  std::uint32_t sequence;       // dumps of this partition since Gandalf started (0: none)
  std::uint32_t restarts;       // the partition's restarts when it faulted
  std::uint64_t pit_ticks;      // Gandalf's clock (8254 input ticks) at the fault
  std::uint32_t vector, error;
  ia32::Frame frame;            // every register as the fault left them
  std::uint32_t cr0, cr2, cr3, cr4;  // Linux's (virtual) control registers; 0 for an RTOS
  std::uint32_t code_len, stack_len;
  std::uint8_t code[code_bytes];
  std::uint8_t stack[stack_bytes];
  char what[what_max];
  std::uint32_t tail_len;       // console bytes kept (console_tail()), oldest first
  std::uint32_t memory_copied;  // of cfg->dump_memory bytes; the copy runs while < that
};

// From contain() (fault.cpp), before the partition is restarted or stopped, and when a guest
// resets its machine (reset_vector: Linux's last step after a panic).
void take(const Partition& p, unsigned vector, std::uint32_t error, const char* what);
// The partition's latest dump, or nullptr when it has none.
const Dump* of(const Partition& p);

// The partition's console port, when its output is tapped (console_tail): 0 otherwise.
std::uint16_t tapped_port(const Partition& p);
// Its guest wrote `value` to that port: passed on to the UART, and kept unless the divisor
// latch is open (then it is the baud rate divisor, not a character).
void tap(const Partition& p, std::uint8_t value);
// Its guest read that port (the receive buffer, or the divisor latch): from the UART.
std::uint8_t tapped_read(const Partition& p);
// The console bytes a dump kept, and the memory copied so far (from the partition's start).
const std::uint8_t* console_tail(const Partition& p);
const std::uint8_t* memory(const Partition& p);
// Whether the latest dump's memory copy still runs; copy_step() advances it by one chunk
// (the timer tick, while the partition is stopped or waits to be reloaded).
bool copying(const Partition& p);
void copy_step(const Partition& p);
inline constexpr std::uint32_t copy_chunk = 64 * 1024;

}  // namespace gandalf::core::dump
