// Crash dumps: what a partition looked like when Gandalf contained its fault, kept while the
// other partitions run and the faulty one restarts (or stays stopped). One dump per partition,
// the latest; the monitor lists them (`dumps`) and prints one (`dump NAME`), tools/dump.py makes
// it readable with the partition's symbols.
#pragma once

#include <cstdint>

#include "gandalf/arch/ia32/frame.hpp"
#include "gandalf/core/config_types.hpp"
#include "gandalf/core/partition.hpp"

namespace gandalf::core::dump {

inline constexpr std::uint32_t stack_bytes = 256;  // from ESP up, as far as the partition can read
inline constexpr std::uint32_t code_bytes = 16;    // at EIP
inline constexpr std::uint32_t what_max = 160;

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
};

// From contain() (fault.cpp), before the partition is restarted or stopped.
void take(const Partition& p, unsigned vector, std::uint32_t error, const char* what);
// The partition's latest dump, or nullptr when it has none.
const Dump* of(const Partition& p);

}  // namespace gandalf::core::dump
