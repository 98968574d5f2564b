// Crash dumps (dump.hpp). Taken on the containment path with interrupts masked: a copy of the
// frame and of at most 272 bytes the partition itself could read, nothing that can fault.
#include "gandalf/core/dump.hpp"

#include <cstring>

#include "gandalf/core/config.hpp"
#include "gandalf/core/vmm.hpp"
#include "gandalf/linux/linux_guest.hpp"
#include "gandalf/platform/pc/io.hpp"
#include "gandalf/platform/pc/uart_16550.hpp"

namespace gandalf::core::dump {
namespace {

constinit Dump dumps[config::max_partitions]{};
constinit std::uint32_t tail_written[config::max_partitions]{};  // bytes ever put in the live ring

// The partition's part of the dump store: [live ring][kept tail][memory copy].
std::uint8_t* live_ring(const Partition& p) { return dump_store + p.cfg->dump_offset; }
std::uint8_t* kept_tail(const Partition& p) { return live_ring(p) + p.cfg->console_tail; }
std::uint8_t* memory_copy(const Partition& p) { return kept_tail(p) + p.cfg->console_tail; }

// The ring's last bytes, oldest first, into the dump (console_tail is a power of two).
void keep_tail(const Partition& p, Dump& d) {
  const std::uint32_t size = p.cfg->console_tail, written = tail_written[p.index];
  d.tail_len = written < size ? written : size;
  const std::uint8_t* ring = live_ring(p);
  for (std::uint32_t i = 0; i < d.tail_len; ++i) kept_tail(p)[i] = ring[(written - d.tail_len + i) & (size - 1)];
}

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
  if (p.cfg->console_tail != 0) keep_tail(p, d);
  d.memory_copied = 0;  // copy_step() from the next tick, before anything rewrites it
}

std::uint16_t tapped_port(const Partition& p) {
  return p.cfg->console_tail != 0 ? pc::uart::com_base(static_cast<unsigned>(p.cfg->console)) : 0;
}

void tap(const Partition& p, std::uint8_t value) {
  const std::uint16_t port = tapped_port(p);
  constexpr std::uint8_t lcr = 3, dlab = 0x80;  // line control register, divisor latch access
  const bool divisor = (pc::inb(static_cast<std::uint16_t>(port + lcr)) & dlab) != 0;
  pc::outb(port, value);
  if (divisor) return;
  live_ring(p)[tail_written[p.index] & (p.cfg->console_tail - 1)] = value;
  ++tail_written[p.index];
}

std::uint8_t tapped_read(const Partition& p) { return pc::inb(tapped_port(p)); }

const std::uint8_t* console_tail(const Partition& p) { return kept_tail(p); }
const std::uint8_t* memory(const Partition& p) { return memory_copy(p); }

bool copying(const Partition& p) {
  const Dump& d = dumps[p.index];
  return d.sequence != 0 && d.memory_copied < p.cfg->dump_memory;
}

// RTOS memory through Gandalf's mapping of its slice; Linux's by physical page (its own page
// tables may be gone or hostile).
void copy_step(const Partition& p) {
  Dump& d = dumps[p.index];
  const std::uint32_t left = p.cfg->dump_memory - d.memory_copied;
  const std::uint32_t len = left < copy_chunk ? left : copy_chunk;
  std::uint8_t* to = memory_copy(p) + d.memory_copied;
  if (linux_guest::is_linux(p)) {
    linux_guest::read_physical(p.cfg->phys_base + d.memory_copied, to, len);
  } else if (const std::uint8_t* from = guest_ptr(p, d.memory_copied, len)) {
    std::memcpy(to, from, len);
  }
  d.memory_copied += len;
}

const Dump* of(const Partition& p) {
  const Dump& d = dumps[p.index];
  return d.sequence == 0 ? nullptr : &d;
}

}  // namespace gandalf::core::dump
