// RTOS<->Linux channels at run time (include/gandalf/channel.h is the guests' side,
// docs/channel.md the design): discovery and doorbell ports, rate-limited doorbells as
// virtual interrupts, and which frames of a channel Linux may map, and how.
#pragma once

#include <cstdint>

#include "gandalf/core/partition.hpp"

namespace gandalf::x86 {
struct Insn;
}

namespace gandalf::core::channel {

// From init_partitions: each direction's rate limit in 8254 ticks. (The RTOS end's view of
// Linux's half is made read-only by setup_paging, arch/ia32/setup.cpp.)
void init();

// in/out on GANDALF_CHANNEL_PORT..+7 (every partition may ask; only ends ring): true if
// `insn` was one.
bool port_io(Partition& p, const x86::Insn& insn);

// Timer tick: rings held back by a rate limit whose interval has passed are delivered.
void tick(std::uint64_t now);

// A ring made another partition ready, which may outrank the one that rang: the trap must
// leave through the scheduler. Reading clears it (inline: the emulation paths test it).
extern bool reschedule;
inline bool take_reschedule() {
  if (!reschedule) [[likely]] return false;
  reschedule = false;
  return true;
}

// Linux wrote to a channel frame it may only read (gandalf/linux/shadow.cpp, which says each
// frame once in a row): said on the console; Linux gets the fault.
void report_refused_write(const Partition& p, std::uint32_t linear, std::uint32_t frame);

// An RTOS image must end below its channels' regions (loader.cpp, at boot): the name of the
// first channel [0, image_end) reaches, or nullptr.
const char* overlapped_by_image(const Partition& p, std::uint32_t image_end);

// The monitor's `channels [reset]`.
void print(bool reset);

}  // namespace gandalf::core::channel
