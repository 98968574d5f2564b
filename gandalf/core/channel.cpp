// RTOS<->Linux channels at run time (docs/channel.md).
//
// Gandalf owns no part of a channel's contents: the region is the RTOS end's memory, each end
// writes its own half and parses the peer's (include/gandalf/channel.h). What Gandalf does:
// tells each end where its channels are (the select port), turns a doorbell port write into a
// virtual interrupt of the other end, and rate-limits the rings of each end as configured, so
// that Linux ringing in a loop costs an RTOS instance at most one doorbell interrupt per
// interval. A ring held back is delivered by the first timer tick after the interval: rings
// coalesce, none is lost.
#include "gandalf/core/channel.hpp"

#include "gandalf/channel.h"
#include "gandalf/core/config.hpp"
#include "gandalf/core/console.hpp"
#include "gandalf/core/vmm.hpp"
#include "gandalf/core/x86_decoder.hpp"

namespace gandalf::core::channel {
namespace {

// Rings from ends[k] to ends[1 - k].
struct Direction {
  std::uint64_t interval;   // 8254 input ticks between two delivered rings (0: no limit)
  std::uint64_t last;       // when the last ring was delivered
  bool held;                // a ring waits for the interval to pass
  std::uint64_t rings;      // doorbell writes
  std::uint64_t delivered;  // virtual interrupts raised on the other end
  std::uint64_t coalesced;  // rings merged into a held or pending one
  std::uint64_t dropped;    // rings while the other end was stopped or reloading
};

struct Runtime {
  Direction dir[2];
};

constinit Runtime runtime[config::max_channels]{};
constinit std::uint32_t selected[config::max_partitions]{};
constinit std::uint64_t bad_rings[config::max_partitions]{};

const config::Channel& cfg(std::size_t i) { return channel_configs[i]; }

bool is_end(const config::Channel& c, const Partition& p) { return c.ends[0] == p.index || c.ends[1] == p.index; }

// The global index of partition p's channel number `n`, or -1.
int global_index(const Partition& p, std::uint32_t n) {
  for (std::size_t i = 0; i < channel_config_count; ++i) {
    if (!is_end(cfg(i), p)) continue;
    if (n-- == 0) return static_cast<int>(i);
  }
  return -1;
}

std::uint32_t count_of(const Partition& p) {
  std::uint32_t n = 0;
  for (std::size_t i = 0; i < channel_config_count; ++i) n += is_end(cfg(i), p);
  return n;
}

unsigned side_of(const config::Channel& c, const Partition& p) { return c.ends[0] == p.index ? 0 : 1; }

std::uint32_t name_word(const config::Channel& c, unsigned word) {
  std::uint32_t v = 0;
  for (unsigned b = 0; b < 4; ++b) v |= std::uint32_t{static_cast<std::uint8_t>(c.name[word * 4 + b])} << (8 * b);
  return v;
}

// GANDALF_CHANNEL_SELECT's answer for `p` (channel numbers are p's own).
std::uint32_t field(const Partition& p, std::uint32_t selection) {
  const std::uint32_t f = selection & 0xffu;
  if (f == GANDALF_CHF_COUNT) return count_of(p);
  const int i = global_index(p, selection >> 8);
  if (i < 0) return GANDALF_CHF_NONE;
  const config::Channel& c = cfg(static_cast<std::size_t>(i));
  const unsigned side = side_of(c, p);
  switch (f) {
    case GANDALF_CHF_ADDRESS: return p.cfg->kind == config::Kind::rtos ? c.phys - p.cfg->phys_base : c.phys;
    case GANDALF_CHF_SIZE: return c.size;
    case GANDALF_CHF_RECORD: return c.record_size;
    case GANDALF_CHF_IRQ: return c.irqs[side];
    case GANDALF_CHF_HALF: return side;
    case GANDALF_CHF_INTERVAL_US: return c.interval_us[side];
    default: break;
  }
  if (f >= GANDALF_CHF_NAME && f < GANDALF_CHF_NAME + config::name_max / 4) return name_word(c, f - GANDALF_CHF_NAME);
  return GANDALF_CHF_NONE;
}

void deliver(std::size_t i, unsigned k, std::uint64_t now) {
  Direction& d = runtime[i].dir[k];
  Partition& to = partitions()[cfg(i).ends[1 - k]];
  d.held = false;
  d.last = now;
  if (to.state == State::stopped || to.state == State::loading) {
    ++d.dropped;
    return;
  }
  if ((to.vpic.irr() >> cfg(i).irqs[1 - k]) & 1u) ++d.coalesced;  // not yet taken: one interrupt for both
  else ++d.delivered;
  raise_virq(to, cfg(i).irqs[1 - k]);
  reschedule = true;
}

void ring(Partition& p, std::uint32_t n) {
  const int i = global_index(p, n);
  if (i < 0) {
    ++bad_rings[p.index];
    return;
  }
  const unsigned k = side_of(cfg(static_cast<std::size_t>(i)), p);
  Direction& d = runtime[i].dir[k];
  ++d.rings;
  const std::uint64_t now = precise_now();
  if (d.held) {
    ++d.coalesced;
    return;
  }
  if (d.interval == 0 || now - d.last >= d.interval)
    return deliver(static_cast<std::size_t>(i), k, now);
  d.held = true;
}

}  // namespace

constinit bool reschedule = false;

void init() {
  for (std::size_t i = 0; i < channel_config_count; ++i)
    for (unsigned k = 0; k < 2; ++k)
      // Rounded down: a held ring is then due exactly one tick of the default 1 ms later.
      runtime[i].dir[k].interval = std::uint64_t{cfg(i).interval_us[k]} * 1193182u / 1'000'000u;
}

bool port_io(Partition& p, const x86::Insn& insn) {
  const std::uint32_t port = insn.port_in_dx ? (p.frame.edx & 0xffffu) : insn.imm;
  if (port < GANDALF_CHANNEL_PORT || port > GANDALF_CHANNEL_PORT + 7) return false;
  const std::uint32_t mask = insn.width == 4 ? 0xffffffffu : (1u << (8 * insn.width)) - 1;
  if (insn.op == x86::Op::out) {
    if (port == GANDALF_CHANNEL_DOORBELL) ring(p, p.frame.eax & mask & 0xffu);
    if (port == GANDALF_CHANNEL_SELECT) selected[p.index] = p.frame.eax & mask;
    return true;
  }
  const std::uint32_t value = port == GANDALF_CHANNEL_SELECT ? field(p, selected[p.index]) : GANDALF_CHF_NONE;
  p.frame.eax = (p.frame.eax & ~mask) | (value & mask);
  return true;
}

void tick(std::uint64_t now) {
  for (std::size_t i = 0; i < channel_config_count; ++i)
    for (unsigned k = 0; k < 2; ++k) {
      const Direction& d = runtime[i].dir[k];
      if (d.held && now - d.last >= d.interval) deliver(i, k, now);
    }
}

void report_refused_write(const Partition& p, std::uint32_t linear, std::uint32_t frame) {
  for (std::size_t i = 0; i < channel_config_count; ++i) {
    const config::Channel& c = cfg(i);
    if (frame < c.phys || frame - c.phys >= c.size) continue;
    console::chatter(p.index,
                     "gandalf: [%s] wrote to channel %s's half that %s writes (linear %08x, physical %08x): "
                     "read-only to Linux, reserved-bit #PF to Linux\n",
                     p.cfg->name, c.name, partitions()[c.ends[1 - c.linux_side()]].cfg->name, linear, frame);
    return;
  }
}

const char* overlapped_by_image(const Partition& p, std::uint32_t image_end) {
  for (std::size_t i = 0; i < channel_config_count; ++i) {
    const config::Channel& c = cfg(i);
    if (is_end(c, p) && p.cfg->phys_base + image_end > c.phys) return c.name;
  }
  return nullptr;
}

void print(bool reset) {
  for (std::size_t i = 0; i < channel_config_count; ++i) {
    const config::Channel& c = cfg(i);
    for (unsigned k = 0; k < 2; ++k) {
      Direction& d = runtime[i].dir[k];
      console::report("channels: name=%s from=%s to=%s irq=%u interval_us=%u rings=%llu delivered=%llu "
                      "coalesced=%llu dropped=%llu held=%u\n",
                      c.name, partitions()[c.ends[k]].cfg->name, partitions()[c.ends[1 - k]].cfg->name,
                      c.irqs[1 - k], c.interval_us[k], d.rings, d.delivered, d.coalesced, d.dropped,
                      d.held ? 1u : 0u);
      if (reset) d.rings = d.delivered = d.coalesced = d.dropped = 0;
    }
  }
  for (std::size_t i = 0; i < partition_count(); ++i)
    if (bad_rings[i] != 0) console::report("channels: bad_rings %s=%llu\n", partitions()[i].cfg->name, bad_rings[i]);
  console::report("channels: end\n");
}

}  // namespace gandalf::core::channel
