// The rules of [[channel]] tables (docs/channel.md): two ends, an RTOS instance and Linux; a
// region inside the RTOS end's memory, away from its boot information, from Gandalf, from a
// third partition and from other channels; a doorbell line per end that nothing else uses on
// that end's virtual 8259 or on the platform; Linux's rings rate limited.
#include <fmt/format.h>

#include <algorithm>

#include "config_model.hpp"
#include "gandalf/abi.h"
#include "gandalf/channel.h"

namespace gandalf::tool {
namespace {

constexpr std::int64_t kib = 1024;
constexpr std::int64_t page = 4 * kib;
constexpr std::int64_t max_interval_us = 1'000'000;

struct Context {
  const Spec& spec;
  const Layout& layout;
  Diagnostics& diags;
};

// The partitions a channel names, by index into spec.partitions (-1: not found or unusable).
struct Ends {
  int rtos = -1;
  int linux_end = -1;
  bool valid() const { return rtos >= 0 && linux_end >= 0; }
};

int partition_index(const Spec& spec, std::string_view name) {
  for (std::size_t i = 0; i < spec.partitions.size(); ++i)
    if (spec.partitions[i].name.value == name) return static_cast<int>(i);
  return -1;
}

bool valid_channel_name(std::string_view name) {
  if (name.empty() || name.size() >= config::name_max) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

void check_name(const Context& cx, const ChannelSpec& c) {
  if (!c.name.given) return;  // reported by the parser
  if (!valid_channel_name(c.name.value))
    cx.diags.error(c.name.at, fmt::format("channel name \"{}\" must be 1-{} letters, digits, '_' or '-' (it "
                                          "names /dev/gandalf-NAME on Linux)",
                                          c.name.value, config::name_max - 1));
}

Ends check_ends(const Context& cx, const ChannelSpec& c) {
  Ends ends;
  if (!c.ends.given) return ends;
  if (c.ends.value.size() != 2) {
    cx.diags.error(c.ends.at, fmt::format("{}.ends must name two partitions, an RTOS instance and \"linux\" "
                                          "(the first writes the first half), not {}",
                                          c.label, c.ends.value.size()));
    return ends;
  }
  for (const NamedSpec& end : c.ends.value) {
    const int i = partition_index(cx.spec, end.name);
    if (i < 0) {
      cx.diags.error(end.at, fmt::format("{}.ends names \"{}\", which is no partition of this system", c.label,
                                         end.name));
      continue;
    }
    const bool is_linux = cx.spec.partitions[static_cast<std::size_t>(i)].kind == config::Kind::linux_slot;
    int& slot = is_linux ? ends.linux_end : ends.rtos;
    if (slot >= 0) {
      cx.diags.error(end.at, fmt::format("{}.ends must name one RTOS instance and \"linux\", not two {}", c.label,
                                         is_linux ? "Linux ends" : "RTOS instances"));
      return Ends{};
    }
    slot = i;
  }
  return ends;
}

std::string range_text(std::int64_t first, std::int64_t bytes) {
  return fmt::format("{}-{}", hex_address(static_cast<std::uint64_t>(first)),
                     hex_address(static_cast<std::uint64_t>(first + bytes - 1)));
}

bool overlap(std::int64_t a, std::int64_t a_bytes, std::int64_t b, std::int64_t b_bytes) {
  return a < b + b_bytes && b < a + a_bytes;
}

// Where a region outside its RTOS end's slice lies instead, for the message.
std::string whose_memory(const Context& cx, const ChannelSpec& c, int rtos) {
  const std::int64_t a = c.address.value, n = c.size.value;
  if (a + n > cx.spec.system.gandalf_virt.value) return "reaches into Gandalf's memory";
  for (std::size_t i = 0; i < cx.spec.partitions.size(); ++i) {
    const PartitionSpec& p = cx.spec.partitions[i];
    const Placement& at = cx.layout.partitions[i];
    if (static_cast<int>(i) == rtos || p.kind == config::Kind::linux_slot) continue;
    if (overlap(a, n, static_cast<std::int64_t>(at.virt_base), static_cast<std::int64_t>(at.memory)))
      return fmt::format("lies in {}'s memory, a partition that is not an end of this channel", p.label);
  }
  if (a <= cx.spec.system.linux_limit.value) return "lies in Linux's address range";
  return "lies outside every partition";
}

void check_region(const Context& cx, const ChannelSpec& c, const Ends& ends) {
  if (!c.address.given || !c.size.given) return;
  const std::int64_t a = c.address.value, n = c.size.value;
  if (n < 2 * page || n % (2 * page) != 0) {
    cx.diags.error(c.size.at, fmt::format("{}.size must be a multiple of 8 KiB (two halves of whole pages, so "
                                          "that each end's half is protected on its own), not {}",
                                          c.label, size_text(static_cast<std::uint64_t>(std::max<std::int64_t>(n, 0)))));
    return;
  }
  if (a < 0 || a % page != 0 || a + n > (std::int64_t{1} << 32)) {
    cx.diags.error(c.address.at, fmt::format("{}.address must be a 4 KiB aligned address below 4 GiB, not {:#x}",
                                             c.label, a));
    return;
  }
  if (ends.rtos < 0) return;
  const Placement& r = cx.layout.partitions[static_cast<std::size_t>(ends.rtos)];
  const std::string& rname = cx.spec.partitions[static_cast<std::size_t>(ends.rtos)].label;
  const auto base = static_cast<std::int64_t>(r.virt_base), memory = static_cast<std::int64_t>(r.memory);
  if (a < base || a + n > base + memory) {
    cx.diags.error(c.address.at, fmt::format("{}'s region {} {}: a channel lies in its RTOS end's memory ({}: {})",
                                             c.label, range_text(a, n), whose_memory(cx, c, ends.rtos), rname,
                                             range_text(base, memory)));
    return;
  }
  if (a + n > base + memory - page)
    cx.diags.error(c.address.at, fmt::format("{}'s region {} covers the top page of {}'s memory, where Gandalf "
                                             "writes its boot information ({})",
                                             c.label, range_text(a, n), rname, range_text(base + memory - page, page)));
}

void check_record(const Context& cx, const ChannelSpec& c) {
  const std::int64_t r = c.record_size.value;
  if (r < GANDALF_CHANNEL_MIN_RECORD || r > GANDALF_CHANNEL_MAX_RECORD || r % 4 != 0) {
    cx.diags.error(c.record_size.at, fmt::format("{}.record_size must be a multiple of 4 from {} to {} bytes (a "
                                                 "4-byte length and the message), not {}",
                                                 c.label, GANDALF_CHANNEL_MIN_RECORD, GANDALF_CHANNEL_MAX_RECORD, r));
    return;
  }
  if (c.size.given && c.size.value >= 2 * page && c.size.value / 2 < GANDALF_CHANNEL_HEADER + r)
    cx.diags.error(c.record_size.at, fmt::format("{}.record_size {} leaves no room for one record in a half of {}",
                                                 c.label, r, size_text(static_cast<std::uint64_t>(c.size.value / 2))));
}

// What else uses `line` on partition `end`'s virtual 8259 or on the platform, or "".
std::string line_user(const Context& cx, const ChannelSpec& self, int end, std::int64_t line) {
  if (line == 0) return "the virtual 8254's timer interrupt";
  if (line == 2) return "the cascade of the two 8259s";
  const PartitionSpec& p = cx.spec.partitions[static_cast<std::size_t>(end)];
  for (const IrqSpec& irq : p.irqs.value)
    if (irq.line == line) return fmt::format("{}'s irqs ({})", p.label, cx.diags.cite(irq.at));
  for (const DeviceSpec& d : cx.spec.platform.devices.value)
    if (d.irq == line) return fmt::format("{} on the {} platform", d.name, cx.spec.platform.name.value);
  for (const ChannelSpec& other : cx.spec.channels) {
    if (&other == &self) break;  // each pair once: the later channel is the one reported
    for (std::size_t k = 0; k < other.ends.value.size() && k < other.doorbell_irqs.value.size(); ++k)
      if (partition_index(cx.spec, other.ends.value[k].name) == end && other.doorbell_irqs.value[k].line == line)
        return fmt::format("the doorbell of channel {} ({})", other.label, cx.diags.cite(other.doorbell_irqs.value[k].at));
  }
  return {};
}

void check_doorbells(const Context& cx, const ChannelSpec& c) {
  if (!c.doorbell_irqs.given) return;
  if (c.doorbell_irqs.value.size() != 2) {
    cx.diags.error(c.doorbell_irqs.at, fmt::format("{}.doorbell_irqs must give two lines, one per end (in the "
                                                   "order of ends), not {}",
                                                   c.label, c.doorbell_irqs.value.size()));
    return;
  }
  for (std::size_t k = 0; k < 2 && k < c.ends.value.size(); ++k) {
    const IrqSpec& irq = c.doorbell_irqs.value[k];
    const int end = partition_index(cx.spec, c.ends.value[k].name);
    if (irq.line < 0 || irq.line > 15) {
      cx.diags.error(irq.at, fmt::format("{}.doorbell_irqs: {} is no line of an 8259 pair (0-15)", c.label, irq.line));
      continue;
    }
    if (end < 0) continue;
    const std::string user = line_user(cx, c, end, irq.line);
    if (!user.empty())
      cx.diags.error(irq.at, fmt::format("{}'s doorbell for {} on IRQ {} would share the line with {}", c.label,
                                         c.ends.value[k].name, irq.line, user));
  }
}

std::int64_t default_interval(const Spec& spec, int end) {
  return end >= 0 && spec.partitions[static_cast<std::size_t>(end)].kind == config::Kind::linux_slot
             ? linux_default_interval_us
             : 0;
}

void check_intervals(const Context& cx, const ChannelSpec& c, const Ends& ends) {
  if (!c.interval_us.given) return;
  if (c.interval_us.value.size() != 2) {
    cx.diags.error(c.interval_us.at, fmt::format("{}.interval_us must give two values, one per end (in the order "
                                                 "of ends), not {}",
                                                 c.label, c.interval_us.value.size()));
    return;
  }
  for (std::size_t k = 0; k < 2 && k < c.ends.value.size(); ++k) {
    const IrqSpec& v = c.interval_us.value[k];
    const bool from_linux = partition_index(cx.spec, c.ends.value[k].name) == ends.linux_end && ends.linux_end >= 0;
    if (v.line < 0 || v.line > max_interval_us)
      cx.diags.error(v.at, fmt::format("{}.interval_us: {} is outside 0-{} microseconds", c.label, v.line,
                                       max_interval_us));
    else if (from_linux && v.line < linux_min_interval_us)
      cx.diags.error(v.at, fmt::format("{}.interval_us: Linux's doorbell must be rate limited to at most one ring "
                                       "per {} us (it could otherwise keep {} in its doorbell handler), not {} us",
                                       c.label, linux_min_interval_us,
                                       ends.rtos >= 0 ? cx.spec.partitions[static_cast<std::size_t>(ends.rtos)].label
                                                      : "the RTOS end",
                                       v.line));
  }
}

void check_overlaps(const Context& cx) {
  const auto& all = cx.spec.channels;
  for (std::size_t i = 0; i < all.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (all[i].name.given && all[j].name.given && all[i].name.value == all[j].name.value)
        cx.diags.error(all[i].name.at, fmt::format("a second channel is named \"{}\" (the first: {})",
                                                   all[i].name.value, cx.diags.cite(all[j].name.at)));
      if (!all[i].address.given || !all[j].address.given || !all[i].size.given || !all[j].size.given) continue;
      if (overlap(all[i].address.value, all[i].size.value, all[j].address.value, all[j].size.value))
        cx.diags.error(all[i].address.at, fmt::format("{}'s region {} overlaps channel {}'s {} ({})", all[i].label,
                                                      range_text(all[i].address.value, all[i].size.value),
                                                      all[j].label, range_text(all[j].address.value, all[j].size.value),
                                                      cx.diags.cite(all[j].address.at)));
    }
  }
}

}  // namespace

void check_channels(const Spec& spec, const Layout& layout, Diagnostics& diags) {
  const Context cx{spec, layout, diags};
  if (spec.channels.size() > config::max_channels)
    diags.error(spec.channels[config::max_channels].at,
                fmt::format("at most {} channels, not {}", config::max_channels, spec.channels.size()));
  for (const ChannelSpec& c : spec.channels) {
    check_name(cx, c);
    const Ends ends = check_ends(cx, c);
    if (c.ends.given && c.ends.value.size() == 2 && !ends.valid()) continue;  // nothing to place it in
    check_region(cx, c, ends);
    check_record(cx, c);
    check_doorbells(cx, c);
    check_intervals(cx, c, ends);
  }
  check_overlaps(cx);
}

std::vector<config::Channel> make_channels(const Spec& spec, const Layout& layout) {
  std::vector<config::Channel> out;
  for (const ChannelSpec& c : spec.channels) {
    config::Channel ch{};
    std::copy_n(c.name.value.c_str(), std::min(c.name.value.size() + 1, config::name_max), ch.name);
    int rtos = -1;
    for (std::size_t k = 0; k < 2; ++k) {
      const int end = partition_index(spec, c.ends.value[k].name);
      if (spec.partitions[static_cast<std::size_t>(end)].kind == config::Kind::rtos) rtos = end;
      ch.ends[k] = static_cast<std::uint8_t>(end);
      ch.irqs[k] = static_cast<std::uint8_t>(c.doorbell_irqs.value[k].line);
      ch.interval_us[k] = static_cast<std::uint32_t>(c.interval_us.given ? c.interval_us.value[k].line
                                                                         : default_interval(spec, end));
    }
    const Placement& r = layout.partitions[static_cast<std::size_t>(rtos)];
    ch.phys = static_cast<std::uint32_t>(r.phys_base + (static_cast<std::uint64_t>(c.address.value) - r.virt_base));
    ch.size = static_cast<std::uint32_t>(c.size.value);
    ch.record_size = static_cast<std::uint32_t>(c.record_size.value);
    out.push_back(ch);
  }
  return out;
}

}  // namespace gandalf::tool
