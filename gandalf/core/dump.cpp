// Crash dumps (dump.hpp). Taken on the containment path with interrupts masked: a copy of the
// frame and of at most 272 bytes the partition itself could read, nothing that can fault.
#include "gandalf/core/dump.hpp"

#include <cstring>

#include "gandalf/core/vmm.hpp"
#include "gandalf/linux/linux_guest.hpp"

namespace gandalf::core::dump {
namespace {

constinit Dump dumps[config::max_partitions]{};

// As much of [offset, offset + len) as the partition can read through its own view (its
// segment for an RTOS, its page tables and segment for Linux); the byte count.
std::uint32_t read_guest(const Partition& p, std::uint32_t offset, std::uint8_t* to, std::uint32_t len) {
  std::uint32_t n = 0;
  for (; n < len; n += 4) {  // word by word: a stack ends at a page or the segment's end
    const std::uint32_t want = len - n < 4 ? len - n : 4;
    if (linux_guest::is_linux(p)) {
      if (!linux_guest::read_linear(p, offset + n, to + n, want)) break;
    } else {
      const std::uint8_t* at = guest_ptr(p, offset + n, want);
      if (at == nullptr) break;
      std::memcpy(to + n, at, want);
    }
  }
  return n < len ? n : len;
}

}  // namespace

void take(const Partition& p, unsigned vector, std::uint32_t error, const char* what) {
  Dump& d = dumps[p.index];
  const std::uint32_t sequence = d.sequence + 1;
  d = Dump{};
  d.sequence = sequence;
  d.restarts = p.restarts;
  d.pit_ticks = pit_now();
  d.vector = vector;
  d.error = error;
  d.frame = p.frame;
  if (linux_guest::is_linux(p)) {
    d.cr0 = linux_guest::vcpu.cr0;
    d.cr2 = linux_guest::vcpu.cr2;
    d.cr3 = linux_guest::vcpu.cr3;
    d.cr4 = linux_guest::vcpu.cr4;
  }
  // Guests run at ring 1 and 3, so every trap frame holds the guest's own SS:ESP.
  d.code_len = read_guest(p, p.frame.eip, d.code, code_bytes);
  d.stack_len = read_guest(p, p.frame.esp, d.stack, stack_bytes);
  std::strncpy(d.what, what, what_max - 1);
}

const Dump* of(const Partition& p) {
  const Dump& d = dumps[p.index];
  return d.sequence == 0 ? nullptr : &d;
}

}  // namespace gandalf::core::dump
