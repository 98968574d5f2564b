// The configuration pipeline: parse, lay out, check, build the tables, prove isolation.
#include "config_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace gandalf::tool {
namespace {

constexpr std::uint64_t four_mib = 4u << 20;

std::uint64_t align_up(std::uint64_t value, std::uint64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

// Negative sizes are reported by the checker; the layout treats them as empty.
std::uint64_t bytes(const Field<std::int64_t>& size) {
  return static_cast<std::uint64_t>(std::max<std::int64_t>(size.value, 0));
}

template <std::size_t N>
void copy_string(char (&destination)[N], std::string_view source) {
  // The checker bounds every string below N, so the NUL always fits.
  const std::size_t length = std::min(source.size(), N - 1);
  std::copy_n(source.data(), length, destination);
  destination[length] = '\0';
}

std::int8_t partition_index(const Spec& spec, const Field<std::string>& name) {
  if (!name.given) return -1;
  for (std::size_t i = 0; i < spec.partitions.size(); ++i)
    if (spec.partitions[i].name.value == name.value) return static_cast<std::int8_t>(i);
  return -1;
}

void copy_ports(const PartitionSpec& spec, config::Partition& out) {
  out.port_range_count = static_cast<std::uint8_t>(spec.io_ports.value.size());
  for (std::size_t i = 0; i < spec.io_ports.value.size(); ++i) {
    const PortSpec& range = spec.io_ports.value[i];
    out.ports[i] = {static_cast<std::uint16_t>(range.first),
                    static_cast<std::uint16_t>(range.last)};
  }
}

std::uint16_t irq_mask(const PartitionSpec& spec) {
  unsigned mask = 0;
  for (const IrqSpec& irq : spec.irqs.value) mask |= 1u << irq.line;
  return static_cast<std::uint16_t>(mask);
}

void copy_policy(const PartitionSpec& spec, config::Partition& out) {
  out.kind = spec.kind;
  out.virt = spec.virt.value;
  out.on_fault = spec.on_fault.value;
  out.console = spec.console.value;
  out.max_restarts = static_cast<std::uint8_t>(spec.max_restarts.value);
  out.strict_hypercalls = spec.strict_hypercalls.value;
  out.emulate_pic = spec.emulate_pic.value;
  out.emulate_pit = spec.emulate_pit.value;
}

void copy_placement(const Placement& place, config::Partition& out) {
  out.phys_base = static_cast<std::uint32_t>(place.phys_base);
  out.memory = static_cast<std::uint32_t>(place.memory);
  out.virt_base = static_cast<std::uint32_t>(place.virt_base);
  out.seg_limit = static_cast<std::uint32_t>(place.seg_limit);
}

// The console UART's line (platform wiring), when it is routed to the partition; otherwise
// the partition polls its console.
std::uint8_t console_irq(const Spec& spec, const PartitionSpec& p, std::uint16_t mask) {
  if (p.console.value == config::Com::none) return no_irq;
  const DeviceSpec* device = device_at(spec.platform, com_base(p.console.value));
  if (device == nullptr || device->irq < 0 || device->irq > 15) return no_irq;
  if ((mask & (1u << device->irq)) == 0) return no_irq;
  return static_cast<std::uint8_t>(device->irq);
}

config::Partition make_partition(const Spec& spec, std::size_t index) {
  const PartitionSpec& p = spec.partitions[index];
  config::Partition out{};
  copy_string(out.name, p.name.value);
  copy_string(out.image, p.image.value);
  copy_string(out.initrd, p.initrd.value);
  copy_policy(p, out);
  out.wake_on_halt = partition_index(spec, p.wake_on_halt);
  out.irq_mask = irq_mask(p);
  out.console_irq = console_irq(spec, p, out.irq_mask);
  copy_ports(p, out);
  copy_string(out.args, p.args.value);
  // Each partition's part of the dump store follows the previous one's (config.md).
  for (std::size_t i = 0; i < index; ++i) out.dump_offset += static_cast<std::uint32_t>(dump_bytes(spec.partitions[i]));
  out.console_tail = static_cast<std::uint32_t>(p.console_tail.value);
  out.dump_memory = static_cast<std::uint32_t>(p.dump_memory.value);
  if (p.budget_us.given && p.period_us.given && spec.system.tick_us.value > 0) {
    out.budget_us = static_cast<std::uint32_t>(p.budget_us.value);
    out.budget_pit = static_cast<std::uint32_t>(pit_ticks_for(static_cast<std::uint64_t>(p.budget_us.value)));
    out.period_ticks = static_cast<std::uint32_t>(p.period_us.value / spec.system.tick_us.value);
    out.on_budget = p.on_budget.value;
  }
  return out;
}

config::System make_system(const Spec& spec, const Layout& layout) {
  const SystemSpec& sys = spec.system;
  config::System out{};
  out.ram_bytes = static_cast<std::uint32_t>(sys.machine_memory.value);
  out.gandalf_phys = static_cast<std::uint32_t>(layout.gandalf_phys);
  out.gandalf_memory = static_cast<std::uint32_t>(sys.gandalf_memory.value);
  out.gandalf_virt = static_cast<std::uint32_t>(sys.gandalf_virt.value);
  out.rtos_window_base = static_cast<std::uint32_t>(sys.window_first.value);
  out.rtos_window_size =
      static_cast<std::uint32_t>(sys.window_last.value - sys.window_first.value + 1);
  out.linux_limit = static_cast<std::uint32_t>(sys.linux_limit.value);
  out.image_store_bytes = static_cast<std::uint32_t>(sys.image_store.value);
  out.dump_store_bytes = static_cast<std::uint32_t>(sys.dump_store.value);
  out.tick_us = static_cast<std::uint32_t>(sys.tick_us.value);
  out.pit_reload = static_cast<std::uint16_t>(pit_reload_for(out.tick_us));
  out.console = sys.console.value;
  out.partition_count = static_cast<std::uint8_t>(spec.partitions.size());
  return out;
}

// The proof re-derives isolation from the tables; a failure is a checker bug or a rule the
// checks miss, and it stops the build all the same.
void prove(Model& model) {
  model.proof = prove_isolation(model.system, model.partitions);
  for (const ProofFailure& failure : model.proof.failures) {
    const Position at = failure.partition == ProofFailure::system
                            ? model.spec.system.machine_memory.at
                            : model.spec.partitions[failure.partition].at;
    model.diagnostics.error(at, failure.message);
  }
}

}  // namespace

std::uint16_t com_base(config::Com com) {
  switch (com) {
    case config::Com::com1:
      return 0x3f8;
    case config::Com::com2:
      return 0x2f8;
    case config::Com::com3:
      return 0x3e8;
    case config::Com::com4:
      return 0x2e8;
    case config::Com::none:
      break;
  }
  return 0;
}

std::string_view com_name(config::Com com) {
  switch (com) {
    case config::Com::com1:
      return "com1";
    case config::Com::com2:
      return "com2";
    case config::Com::com3:
      return "com3";
    case config::Com::com4:
      return "com4";
    case config::Com::none:
      break;
  }
  return "none";
}

std::vector<DeviceSpec> pc_wiring(Position at) {
  return {{"com1", 0x3f8, 0x3ff, 4, at},
          {"com2", 0x2f8, 0x2ff, 3, at},
          {"com3", 0x3e8, 0x3ef, 4, at},
          {"com4", 0x2e8, 0x2ef, 3, at}};
}

const DeviceSpec* device_at(const PlatformSpec& platform, std::uint16_t base) {
  for (const DeviceSpec& device : platform.devices.value)
    if (device.first <= base && base <= device.last) return &device;
  return nullptr;
}

std::string device_owner(const Model& model, const DeviceSpec& device) {
  const std::int64_t console = com_base(model.system.console);
  if (device.first <= console + 7 && console <= device.last) return "gandalf";
  for (const config::Partition& p : model.partitions)
    for (std::size_t i = 0; i < p.port_range_count; ++i)
      if (device.first <= p.ports[i].last && p.ports[i].first <= device.last) return p.name;
  return {};
}

std::string line_owner(const Model& model, std::int64_t line) {
  if (line < 0 || line > 15) return {};
  for (const config::Partition& p : model.partitions)
    if (p.irq_mask & (1u << line)) return p.name;
  return {};
}

std::uint64_t pit_reload_for(std::uint64_t tick_us) { return pit_ticks_for(tick_us); }

std::uint64_t pit_ticks_for(std::uint64_t us) {
  return (pit_clock_hz * us + 500'000) / 1'000'000;  // rounded to nearest
}

std::string size_text(std::uint64_t bytes) {
  constexpr std::uint64_t kib = 1024;
  if (bytes != 0 && bytes % (kib * kib) == 0) return fmt::format("{} MiB", bytes / (kib * kib));
  if (bytes != 0 && bytes % kib == 0) return fmt::format("{} KiB", bytes / kib);
  return fmt::format("{} byte{}", bytes, bytes == 1 ? "" : "s");
}

std::string hex_address(std::uint64_t address) { return fmt::format("{:#010x}", address); }

std::string port_text(std::int64_t first, std::int64_t last) {
  if (first == last) return fmt::format("{:#x}", first);
  return fmt::format("{:#x}-{:#x}", first, last);
}

// Linux from 0 (virtual and physical); each RTOS next in physical memory and next in the
// RTOS window; Gandalf at the next 4 MiB boundary, because it maps itself with 4 MiB pages.
Layout place(const Spec& spec) {
  Layout layout;
  std::uint64_t phys = 0;
  auto virt = static_cast<std::uint64_t>(std::max<std::int64_t>(spec.system.window_first.value, 0));
  for (const PartitionSpec& p : spec.partitions) {
    const std::uint64_t memory = bytes(p.memory);
    if (p.kind == config::Kind::linux_slot) {
      layout.partitions.push_back({0, memory, 0, bytes(spec.system.linux_limit)});
      phys = memory;
      continue;
    }
    layout.partitions.push_back({phys, memory, virt, memory == 0 ? 0 : memory - 1});
    phys += memory;
    virt += memory;
  }
  layout.rtos_phys_end = phys;
  layout.gandalf_phys = align_up(phys, four_mib);
  layout.gandalf_end = layout.gandalf_phys + bytes(spec.system.gandalf_memory);
  return layout;
}

void build_tables(Model& model) {
  model.system = make_system(model.spec, model.layout);
  model.partitions.clear();
  for (std::size_t i = 0; i < model.spec.partitions.size(); ++i) {
    config::Partition partition = make_partition(model.spec, i);
    copy_placement(model.layout.partitions[i], partition);
    model.partitions.push_back(partition);
  }
  model.channels = make_channels(model.spec, model.layout);
  model.system.channel_count = static_cast<std::uint8_t>(model.channels.size());
}

Model load_text(std::string_view text, std::string file_name) {
  Model model;
  model.file = file_name;
  model.diagnostics = Diagnostics(std::move(file_name));
  // A file that does not parse (or lacks a required table) has no shape to check further.
  const bool parsed = parse_spec(text, model.spec, model.diagnostics);
  if (!parsed && !model.spec.has_linux) return model;
  model.layout = place(model.spec);
  check_spec(model.spec, model.layout, model.diagnostics);
  if (!model.ok()) return model;
  build_tables(model);
  prove(model);
  return model;
}

Model load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in) {
    Model model;
    model.file = path;
    model.diagnostics = Diagnostics(path);
    model.diagnostics.error({}, fmt::format("cannot read the file: {}", std::strerror(errno)));
    return model;
  }
  return load_text(text.str(), path);
}

}  // namespace gandalf::tool
