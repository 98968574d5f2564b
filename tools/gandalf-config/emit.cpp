// Generators for the files a build derives from a checked configuration. Every output is a
// pure function of the model (no time stamps, no absolute paths beyond what the caller gave)
// so that two runs give identical bytes.
#include "emit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

namespace gandalf::tool {
namespace {

std::string_view kind_name(config::Kind kind) {
  return kind == config::Kind::linux_slot ? "linux_slot" : "rtos";
}

std::string_view virt_name(config::Virtualization virt) {
  return virt == config::Virtualization::para ? "para" : "full";
}

std::string_view fault_name(config::OnFault on_fault) {
  return on_fault == config::OnFault::stop ? "stop" : "restart";
}

std::string_view bool_text(bool value) { return value ? "true" : "false"; }

// A C++ string literal; the checker allows printable ASCII only, so escaping `"` and `\`
// is all it takes.
std::string cpp_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += fmt::format("\\{}", c);
    else if (static_cast<unsigned char>(c) < 0x20)
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
    else
      out += c;
  }
  return out + "\"";
}

std::string hex32(std::uint32_t value) { return fmt::format("{:#010x}", value); }

// ---- gandalf_config.hpp ------------------------------------------------------------------

std::string header_system(const config::System& s) {
  std::string out = "inline constexpr config::System system{\n";
  out += fmt::format("    .ram_bytes = {},\n", hex32(s.ram_bytes));
  out += fmt::format("    .gandalf_phys = {},\n", hex32(s.gandalf_phys));
  out += fmt::format("    .gandalf_memory = {},\n", hex32(s.gandalf_memory));
  out += fmt::format("    .gandalf_virt = {},\n", hex32(s.gandalf_virt));
  out += fmt::format("    .rtos_window_base = {},\n", hex32(s.rtos_window_base));
  out += fmt::format("    .rtos_window_size = {},\n", hex32(s.rtos_window_size));
  out += fmt::format("    .linux_limit = {},\n", hex32(s.linux_limit));
  out += fmt::format("    .image_store_bytes = {},\n", hex32(s.image_store_bytes));
  out += fmt::format("    .dump_store_bytes = {},\n", hex32(s.dump_store_bytes));
  out += fmt::format("    .tick_us = {},\n", s.tick_us);
  out += fmt::format("    .pit_reload = {},\n", s.pit_reload);
  out += fmt::format("    .console = config::Com::{},\n", com_name(s.console));
  out += fmt::format("    .partition_count = {},\n", s.partition_count);
  out += fmt::format("    .channel_count = {},\n", s.channel_count);
  return out + "};\n";
}

std::string header_ports(const config::Partition& p) {
  std::string out;
  for (std::size_t i = 0; i < p.port_range_count; ++i)
    out += fmt::format("{}{{.first = {:#06x}, .last = {:#06x}}}", i == 0 ? "" : ", ",
                       p.ports[i].first, p.ports[i].last);
  return "{" + out + "}";
}

std::string header_policy(const config::Partition& p) {
  std::string out;
  out += fmt::format("        .kind = config::Kind::{},\n", kind_name(p.kind));
  out += fmt::format("        .virt = config::Virtualization::{},\n", virt_name(p.virt));
  out += fmt::format("        .on_fault = config::OnFault::{},\n", fault_name(p.on_fault));
  out += fmt::format("        .console = config::Com::{},\n", com_name(p.console));
  out += fmt::format("        .max_restarts = {},\n", p.max_restarts);
  out += fmt::format("        .strict_hypercalls = {},\n", bool_text(p.strict_hypercalls));
  out += fmt::format("        .emulate_pic = {},\n", bool_text(p.emulate_pic));
  out += fmt::format("        .emulate_pit = {},\n", bool_text(p.emulate_pit));
  out += fmt::format("        .wake_on_halt = {},\n", p.wake_on_halt);
  return out;
}

std::string header_partition(const config::Partition& p) {
  std::string out = fmt::format("    {{  // {}: physical {}..{}\n", p.name, hex32(p.phys_base),
                                hex32(p.phys_base + p.memory - 1));
  out += fmt::format("        .name = {},\n", cpp_string(p.name));
  out += fmt::format("        .image = {},\n", cpp_string(p.image));
  out += fmt::format("        .initrd = {},\n", cpp_string(p.initrd));
  out += header_policy(p);
  out += fmt::format("        .port_range_count = {},\n", p.port_range_count);
  out += fmt::format("        .irq_mask = {:#06x},\n", p.irq_mask);
  out += fmt::format("        .console_irq = {:#04x},\n", p.console_irq);
  out += fmt::format("        .phys_base = {},\n", hex32(p.phys_base));
  out += fmt::format("        .memory = {},\n", hex32(p.memory));
  out += fmt::format("        .virt_base = {},\n", hex32(p.virt_base));
  out += fmt::format("        .seg_limit = {},\n", hex32(p.seg_limit));
  out += fmt::format("        .dump_offset = {},\n", hex32(p.dump_offset));
  out += fmt::format("        .console_tail = {},\n", hex32(p.console_tail));
  out += fmt::format("        .dump_memory = {},\n", hex32(p.dump_memory));
  out += fmt::format("        .budget_pit = {}, .budget_us = {}, .period_ticks = {}, .on_budget = "
                       "config::OnBudget::{},\n", p.budget_pit, p.budget_us, p.period_ticks,
                       config::on_budget_name(p.on_budget));
  out += fmt::format("        .ports = {},\n", header_ports(p));
  out += fmt::format("        .args = {},\n", cpp_string(p.args));
  return out + "    },\n";
}

std::string header_channel(const config::Channel& c) {
  std::string out = fmt::format("    {{  // physical {}..{}\n", hex32(c.phys), hex32(c.phys + c.size - 1));
  out += fmt::format("        .name = {},\n", cpp_string(c.name));
  out += fmt::format("        .ends = {{{}, {}}},\n", c.ends[0], c.ends[1]);
  out += fmt::format("        .irqs = {{{}, {}}},\n", c.irqs[0], c.irqs[1]);
  out += fmt::format("        .interval_us = {{{}, {}}},\n", c.interval_us[0], c.interval_us[1]);
  out += fmt::format("        .phys = {},\n", hex32(c.phys));
  out += fmt::format("        .size = {},\n", hex32(c.size));
  out += fmt::format("        .record_size = {},\n", c.record_size);
  return out + "    },\n";
}

// ---- system.json -------------------------------------------------------------------------

std::string json_console(config::Com com, std::string_view irq) {
  if (com == config::Com::none)
    return R"("console": null, "console_port": null, "console_irq": null)";
  return fmt::format(R"("console": "{}", "console_port": {}, "console_irq": {})", com_name(com),
                     com_base(com), irq);
}

// The line the partition's console interrupts it on, or null when it polls its console.
std::string console_irq(const config::Partition& p) {
  return p.console_irq == no_irq ? "null" : std::to_string(p.console_irq);
}

std::string json_irqs(std::uint16_t mask) {
  std::string out;
  for (int irq = 0; irq < 16; ++irq)
    if ((mask >> irq) & 1) out += fmt::format("{}{}", out.empty() ? "" : ", ", irq);
  return "[" + out + "]";
}

std::string json_ports(const config::Partition& p) {
  std::string out;
  for (std::size_t i = 0; i < p.port_range_count; ++i)
    out += fmt::format("{}[{}, {}]", i == 0 ? "" : ", ", p.ports[i].first, p.ports[i].last);
  return "[" + out + "]";
}

std::string json_emulate(const config::Partition& p) {
  if (p.emulate_pic && p.emulate_pit) return R"(["pic", "pit"])";
  if (p.emulate_pic) return R"(["pic"])";
  return p.emulate_pit ? R"(["pit"])" : "[]";
}

std::string json_wake(const Model& model, const config::Partition& p) {
  if (p.wake_on_halt < 0) return "null";
  return json_string(model.partitions[static_cast<std::size_t>(p.wake_on_halt)].name);
}

std::string module_args_of(const ModuleArgs& module_args, std::string_view name) {
  const auto found = module_args.find(name);
  return found == module_args.end() ? std::string{} : found->second;
}

std::string json_partition(const Model& model, std::size_t index, const ModuleArgs& module_args) {
  const config::Partition& p = model.partitions[index];
  std::string out =
      fmt::format(R"(    {{"index": {}, "name": {}, "image": {}, "initrd": {}, "kind": "{}", )",
                  index, json_string(p.name), json_string(p.image), json_string(p.initrd),
                  p.kind == config::Kind::linux_slot ? "linux" : "rtos");
  out += fmt::format(R"("virtualization": "{}",)", virt_name(p.virt)) + "\n     ";
  out += json_console(p.console, console_irq(p)) + ",\n     ";
  out += fmt::format(R"("irqs": {}, "io_ports": {}, "emulate": {},)", json_irqs(p.irq_mask),
                     json_ports(p), json_emulate(p)) +
         "\n     ";
  out += fmt::format(R"("memory": {}, "phys_base": {}, "virt_base": {}, "seg_limit": {},)",
                     p.memory, p.phys_base, p.virt_base, p.seg_limit) +
         "\n     ";
  out += fmt::format(R"("on_fault": "{}", "max_restarts": {}, "strict_hypercalls": {}, )",
                     fault_name(p.on_fault), p.max_restarts, bool_text(p.strict_hypercalls));
  out += fmt::format(R"("wake_on_halt": {}, "console_tail": {}, "dump_memory": {},)", json_wake(model, p),
                     p.console_tail, p.dump_memory) + "\n     ";
  if (p.period_ticks != 0)
    out += fmt::format(R"("budget": {{"budget_us": {}, "period_us": {}, "on_budget": "{}"}},)", p.budget_us,
                       std::uint64_t{p.period_ticks} * model.system.tick_us, config::on_budget_name(p.on_budget)) +
           "\n     ";
  out += fmt::format(R"("args": {}, "module_args": {}}})", json_string(p.args),
                     json_string(module_args_of(module_args, p.name)));
  return out;
}

std::string json_gandalf(const config::System& s) {
  std::string out = "  \"gandalf\": {" + json_console(s.console, "null") + ",\n";
  out += fmt::format(R"(              "phys": {}, "memory": {}, "virt": {}, "image_store": {}, "dump_store": {},)",
                     s.gandalf_phys, s.gandalf_memory, s.gandalf_virt, s.image_store_bytes, s.dump_store_bytes) +
         "\n";
  out +=
      fmt::format(R"(              "tick_us": {}, "pit_reload": {}}},)", s.tick_us, s.pit_reload);
  return out + "\n";
}

// The line the platform wires a COM port to (how QEMU must wire it), or null if unknown.
std::string wired_irq(const Model& model, config::Com com) {
  const DeviceSpec* device = device_at(model.spec.platform, com_base(com));
  return device == nullptr ? "null" : std::to_string(device->irq);
}

// Every UART the machine needs, by COM number, with its owner and the IRQ it is wired to.
std::string json_consoles(const Model& model) {
  std::vector<std::string> entries;
  for (int com = 1; com <= 4; ++com) {
    const auto c = static_cast<config::Com>(com);
    for (const config::Partition& p : model.partitions)
      if (p.console == c)
        entries.push_back(fmt::format(R"({{"com": "{}", "port": {}, "irq": {}, "owner": {}}})",
                                      com_name(c), com_base(c), wired_irq(model, c),
                                      json_string(p.name)));
    if (model.system.console == c)
      entries.push_back(fmt::format(R"({{"com": "{}", "port": {}, "irq": {}, "owner": "gandalf"}})",
                                    com_name(c), com_base(c), wired_irq(model, c)));
  }
  std::string out;
  for (const std::string& entry : entries) out += (out.empty() ? "\n    " : ",\n    ") + entry;
  return "  \"consoles\": [" + out + "],\n";
}

std::string json_name_or_null(const std::string& name) {
  return name.empty() ? "null" : json_string(name);
}

// The wiring the system was checked against: the harness wires an emulator to match it.
std::string json_platform(const Model& model) {
  std::string out;
  for (const DeviceSpec& d : model.spec.platform.devices.value)
    out += fmt::format(
        R"({}{{"name": {}, "ports": [{}, {}], "irq": {}, "owner": {}, "irq_owner": {}}})",
        out.empty() ? "\n    " : ",\n    ", json_string(d.name), d.first, d.last, d.irq,
        json_name_or_null(device_owner(model, d)), json_name_or_null(line_owner(model, d.irq)));
  return fmt::format(R"(  "platform": {{"name": {}, "devices": [{}]}},)",
                     json_string(model.spec.platform.name.value), out) +
         "\n";
}

}  // namespace

std::string config_name(const Model& model) {
  return std::filesystem::path(model.file).stem().string();
}

namespace {

// The partition `key` names, by partition name or by image name (build scripts key module
// arguments by the module, the test harness by the partition; they usually agree).
const config::Partition* find_partition(const Model& model, std::string_view key) {
  for (const config::Partition& p : model.partitions)
    if (key == p.name || key == p.image) return &p;
  return nullptr;
}

}  // namespace

std::optional<ModuleArgs> parse_module_args(const Model& model,
                                            const std::vector<std::string>& items,
                                            std::string& error) {
  ModuleArgs result;
  for (const std::string& item : items) {
    const std::size_t equals = item.find('=');
    const config::Partition* p = find_partition(model, item.substr(0, equals));
    if (equals == std::string::npos || p == nullptr || item.find('\n') != std::string::npos) {
      error = fmt::format(
          "--module-args \"{}\": expected NAME=STRING with NAME a partition (or image) of {}", item,
          model.file);
      return std::nullopt;
    }
    std::string& args = result[p->name];
    args += (args.empty() ? "" : " ") + item.substr(equals + 1);
  }
  return result;
}

std::string emit_header(const Model& model) {
  std::string out =
      fmt::format("// Generated by gandalf-config from {}: do not edit.\n", model.file);
  out += "#pragma once\n\n#include <cstddef>\n\n#include \"gandalf/core/config_types.hpp\"\n\n";
  out += "namespace gandalf::cfg {\n\n" + header_system(model.system) + "\n";
  out += "inline constexpr config::Partition partitions[] = {\n";
  for (const config::Partition& p : model.partitions) out += header_partition(p);
  out += "};\n\n";
  out +=
      fmt::format("inline constexpr std::size_t partition_count = {};\n", model.partitions.size());
  out += "static_assert(partition_count == system.partition_count);\n\n";
  out += "// RTOS<->Linux channels; entries past channel_count are unused.\n";
  out += "inline constexpr config::Channel channels[config::max_channels] = {\n";
  for (const config::Channel& c : model.channels) out += header_channel(c);
  out += "};\n";
  out += fmt::format("inline constexpr std::size_t channel_count = {};\n\n", model.channels.size());
  return out + "}  // namespace gandalf::cfg\n";
}

std::string emit_linker_script(const Model& model) {
  const config::System& s = model.system;
  std::string out =
      fmt::format("/* Generated by gandalf-config from {}: do not edit. */\n", model.file);
  out += fmt::format("GANDALF_PHYS = {};\n", hex32(s.gandalf_phys));
  out += fmt::format("GANDALF_VIRT = {};\n", hex32(s.gandalf_virt));
  out += fmt::format("GANDALF_MEMORY = {};\n", hex32(s.gandalf_memory));
  out += fmt::format("GANDALF_IMAGE_STORE = {};\n", hex32(s.image_store_bytes));
  out += fmt::format("GANDALF_RTOS_WINDOW = {};\n", hex32(s.rtos_window_base));
  return out;
}

std::string emit_grub_cfg(const Model& model, const ModuleArgs& module_args) {
  std::string out =
      fmt::format("# Generated by gandalf-config from {}: do not edit.\n", model.file);
  out += "set timeout=0\nset default=0\n\n";
  out += fmt::format("menuentry \"Gandalf ({})\" {{\n", config_name(model));
  out += "  multiboot /boot/gandalf.elf\n";
  for (const config::Partition& p : model.partitions) {
    const std::string extra = module_args_of(module_args, p.name);
    // The module's command line starts with its image name: that is how Gandalf finds it.
    out +=
        fmt::format("  module /boot/{0}.img {0}{1}{2}\n", p.image, extra.empty() ? "" : " ", extra);
    // The kernel's initramfs follows it, found the same way (by the word after the path).
    if (p.initrd[0] != '\0') out += fmt::format("  module /boot/{0}.img {0}\n", p.initrd);
  }
  return out + "  boot\n}\n";
}

std::string emit_system_json(const Model& model, const ModuleArgs& module_args) {
  std::string out = "{\n";
  out += fmt::format("  \"config\": {},\n  \"name\": {},\n", json_string(model.file),
                     json_string(config_name(model)));
  out += fmt::format("  \"ram_mib\": {},\n", model.system.ram_bytes >> 20);
  out += json_gandalf(model.system) + json_platform(model) + json_consoles(model);
  out += "  \"partitions\": [\n";
  for (std::size_t i = 0; i < model.partitions.size(); ++i)
    out += json_partition(model, i, module_args) + (i + 1 < model.partitions.size() ? ",\n" : "\n");
  out += "  ],\n  \"channels\": [";
  for (std::size_t i = 0; i < model.channels.size(); ++i) {
    const config::Channel& c = model.channels[i];
    out += fmt::format(R"({}{{"name": {}, "ends": [{}, {}], "doorbell_irqs": [{}, {}], "interval_us": [{}, {}], )",
                       i == 0 ? "\n    " : ",\n    ", json_string(c.name),
                       json_string(model.partitions[c.ends[0]].name), json_string(model.partitions[c.ends[1]].name),
                       c.irqs[0], c.irqs[1], c.interval_us[0], c.interval_us[1]);
    out += fmt::format(R"("phys": {}, "size": {}, "record_size": {}}})", c.phys, c.size, c.record_size);
  }
  return out + (model.channels.empty() ? "]\n}\n" : "\n  ]\n}\n");
}

std::vector<GeneratedFile> generate_all(const Model& model, const ModuleArgs& module_args) {
  return {{"gandalf_config.hpp", emit_header(model)},
          {"gandalf_layout.ld", emit_linker_script(model)},
          {"grub.cfg", emit_grub_cfg(model, module_args)},
          {"system.json", emit_system_json(model, module_args)}};
}

bool write_if_changed(const std::filesystem::path& path, std::string_view content,
                      std::string& error) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream existing;
  if (in && existing << in.rdbuf() && existing.str() == content) return false;
  // Write beside and rename, so that an interrupted run never leaves half a header.
  const std::filesystem::path temporary = path.string() + ".tmp";
  std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  std::error_code ec;
  if (out) std::filesystem::rename(temporary, path, ec);
  if (!out || ec) {
    error = fmt::format("cannot write {}: {}", path.string(), ec ? ec.message() : "write failed");
    return false;
  }
  return true;
}

}  // namespace gandalf::tool
