// Binds the generated configuration tables of one system to Gandalf, with build-time checks.
#include "gandalf/core/config.hpp"

#include "gandalf/arch/ia32/descriptor.hpp"
#include "gandalf/arch/ia32/paging.hpp"
#include "gandalf/core/partition.hpp"
#include "gandalf_config.hpp"

namespace gandalf::core {
namespace {

constexpr bool segments_encodable() {
  for (const auto& p : cfg::partitions)
    if (!ia32::Descriptor::limit_encodable(p.seg_limit)) return false;
  return true;
}

constexpr bool below_gandalf() {
  for (const auto& p : cfg::partitions)
    if (std::uint64_t{p.virt_base} + p.seg_limit >= cfg::system.gandalf_virt) return false;
  return true;
}

static_assert(cfg::partition_count >= 1 && cfg::partition_count <= config::max_partitions);
static_assert(cfg::partitions[0].kind == config::Kind::linux_slot, "partition 0 is the Linux slot");
static_assert(cfg::system.gandalf_phys % ia32::large_page_size == 0);
static_assert(cfg::system.gandalf_virt % ia32::large_page_size == 0);
static_assert(cfg::system.rtos_window_base % ia32::large_page_size == 0);
static_assert(cfg::system.rtos_window_base + cfg::system.rtos_window_size <= cfg::system.gandalf_virt);
static_assert(segments_encodable(), "a segment limit cannot be expressed in a descriptor");
static_assert(below_gandalf(), "a guest segment reaches Gandalf's virtual range");

// The console's line is one the partition owns (or none): loader.cpp tells the guest.
constexpr bool console_irqs_owned() {
  for (const auto& p : cfg::partitions)
    if (p.console_irq != 0xff && (p.console_irq > 15 || !(p.irq_mask & (1u << p.console_irq))))
      return false;
  return true;
}

static_assert(console_irqs_owned(), "a console's IRQ line is not routed to its partition");

// Budgets are charged from the time accounting that telemetry adds to the switch path.
constexpr bool budgets_given() {
  for (const auto& p : cfg::partitions)
    if (p.period_ticks != 0) return true;
  return false;
}

static_assert(telemetry_built || !budgets_given(), "CPU budgets need telemetry's time accounting: not in a LEAN system");

// Each channel joins an RTOS instance (ends its region lies in) and the Linux partition.
constexpr bool channels_well_formed() {
  for (std::size_t i = 0; i < cfg::channel_count; ++i) {
    const auto& c = cfg::channels[i];
    if (c.ends[0] >= cfg::partition_count || c.ends[1] >= cfg::partition_count || c.irqs[0] > 15 || c.irqs[1] > 15)
      return false;
    const auto& rtos = cfg::partitions[c.ends[1 - c.linux_side()]];
    if ((c.ends[0] == 0) == (c.ends[1] == 0) || c.size % 8192 != 0 || c.phys < rtos.phys_base ||
        std::uint64_t{c.phys} + c.size > std::uint64_t{rtos.phys_base} + rtos.memory)
      return false;
  }
  return true;
}

static_assert(cfg::channel_count <= config::max_channels);
static_assert(channels_well_formed(), "a channel is not between Linux and an RTOS instance's own memory");

// Every partition's console tail (twice: live and kept) and memory copy inside the dump store.
constexpr bool dump_parts_fit() {
  for (const auto& p : cfg::partitions) {
    const std::uint64_t end = std::uint64_t{p.dump_offset} + 2ull * p.console_tail + p.dump_memory;
    if (end > cfg::system.dump_store_bytes || p.dump_memory > p.memory) return false;
    if (p.console_tail != 0 && (p.console_tail & (p.console_tail - 1)) != 0) return false;
  }
  return true;
}
static_assert(dump_parts_fit(), "a partition's console tail or memory copy does not fit the dump store");

}  // namespace

const config::System& system_config = cfg::system;
const config::Partition* const partition_configs = cfg::partitions;
const std::size_t partition_config_count = cfg::partition_count;
const config::Channel* const channel_configs = cfg::channels;
const std::size_t channel_config_count = cfg::channel_count;
alignas(4096) std::uint8_t image_store[cfg::system.image_store_bytes];
const std::uint32_t image_store_size = cfg::system.image_store_bytes;
alignas(4096) std::uint8_t dump_store[cfg::system.dump_store_bytes != 0 ? cfg::system.dump_store_bytes : 4];
const std::uint32_t dump_store_size = cfg::system.dump_store_bytes;

}  // namespace gandalf::core
