// The checked model of a Gandalf system configuration: what the TOML file says (with the
// position of every value, for error messages), the computed layout, and the isolation proof.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.hpp"
#include "gandalf/core/config_types.hpp"
#include "proof.hpp"

namespace gandalf::tool {

// One configuration value: what the file says, or the default when `given` is false. `at`
// is the value's position, or its table's when defaulted, so every error can cite a line.
template <class T>
struct Field {
  T value{};
  Position at{};
  bool given = false;
};

struct PortSpec {
  std::int64_t first = 0;
  std::int64_t last = 0;  // inclusive
  Position at{};
  bool from_console = false;  // the console UART's default range, not written in the file
};

struct IrqSpec {
  std::int64_t line = 0;
  Position at{};
};

// A device of the platform and the interrupt line it is wired to (docs/config.md, [platform]).
// Devices are matched to partitions by their ports: whoever owns any of a device's ports
// can program it, and so can make it interrupt.
struct DeviceSpec {
  std::string name;
  std::int64_t first = 0;
  std::int64_t last = 0;  // inclusive
  std::int64_t irq = 0;
  Position at{};  // the entry in [platform] devices, or the platform's position for the PC's
};

// How the machine wires its devices to the 8259's lines. Without a [platform] table the PC/AT
// wiring ("pc": what real PCs and Bochs have); a file may declare another one (QEMU lets the
// harness choose each UART's line).
struct PlatformSpec {
  Field<std::string> name{"pc"};
  Field<std::vector<DeviceSpec>> devices;
};

struct PartitionSpec {
  std::string label;  // name for messages: the name, or "rtos[i]" while the name is unusable
  Position at{};      // the table header
  config::Kind kind = config::Kind::rtos;
  Field<std::string> name;
  Field<std::int64_t> memory;
  Field<std::string> image;
  Field<std::string> initrd;  // [linux] only; not given: no initramfs
  Field<config::Virtualization> virt{config::Virtualization::para};
  Field<config::Com> console{config::Com::none};
  Field<std::vector<PortSpec>> io_ports;
  Field<std::vector<IrqSpec>> irqs;
  Field<config::OnFault> on_fault{config::OnFault::stop};
  Field<std::int64_t> max_restarts{3};
  bool unlimited_restarts = false;  // max_restarts = "unlimited" (max_restarts.value 0)
  Field<bool> strict_hypercalls{false};
  Field<bool> emulate_pic{true};
  Field<bool> emulate_pit{true};
  Field<std::string> wake_on_halt;  // not given: no partition is woken
  Field<std::string> args;
  Field<std::int64_t> console_tail{0};  // bytes of its console output kept for its crash dump
  Field<std::int64_t> dump_memory{0};   // bytes of its memory (from its start) copied into its dump
  Field<std::int64_t> budget_us{0};     // CPU time per period (docs/budgets.md); not given: no budget
  Field<std::int64_t> period_us{0};
  Field<config::OnBudget> on_budget{config::OnBudget::throttle};
};

// A partition's part of the dump store: its console tail twice (the live ring and the copy
// its dump keeps) and its memory copy.
constexpr std::int64_t dump_bytes(const PartitionSpec& p) {
  return 2 * p.console_tail.value + p.dump_memory.value;
}

// A [[channel]] table: a shared region between an RTOS instance and Linux (docs/channel.md).
// Lists are kept with each entry's position; ends[i] owns irqs[i] and interval_us[i].
struct NamedSpec {
  std::string name;
  Position at{};
};

struct ChannelSpec {
  std::string label;  // the name, or "channel[i]" while the name is unusable
  Position at{};      // the table header
  Field<std::string> name;
  Field<std::vector<NamedSpec>> ends;      // ends[0] writes the first half
  Field<std::int64_t> address;             // in the RTOS end's slice (the one address space)
  Field<std::int64_t> size;
  Field<std::int64_t> record_size{64};
  Field<std::vector<IrqSpec>> doorbell_irqs;
  Field<std::vector<IrqSpec>> interval_us; // not given: 0 for an RTOS end, 1000 for Linux
};

struct SystemSpec {
  Field<std::int64_t> machine_memory;
  Field<std::int64_t> linux_limit{0xfbffffff};
  Field<std::int64_t> window_first{0xfc000000};
  Field<std::int64_t> window_last{0xfc3fffff};
  Field<std::int64_t> gandalf_virt{0xfc400000};
  Field<std::int64_t> gandalf_memory;
  Field<std::int64_t> image_store;
  Field<std::int64_t> dump_store{0};  // crash dumps' console tails and memory copies
  Field<config::Com> console{config::Com::com4};
  Field<std::int64_t> tick_us{1000};
};

// Everything the file says; partitions[0] is Linux (when the file has a [linux] table).
struct Spec {
  SystemSpec system;
  PlatformSpec platform;
  std::vector<PartitionSpec> partitions;
  std::vector<ChannelSpec> channels;
  bool has_linux = false;
};

// Where each partition lands, in 64-bit arithmetic so that an oversized configuration is
// reported instead of wrapping around.
struct Placement {
  std::uint64_t phys_base = 0;
  std::uint64_t memory = 0;
  std::uint64_t virt_base = 0;
  std::uint64_t seg_limit = 0;
};

struct Layout {
  std::vector<Placement> partitions;
  std::uint64_t rtos_phys_end = 0;  // end of the last RTOS slice (or of Linux)
  std::uint64_t gandalf_phys = 0;
  std::uint64_t gandalf_end = 0;  // gandalf_phys + gandalf memory: the RAM the system needs
};

struct Model {
  std::string file;  // as given, cited in diagnostics and generated files
  Spec spec;
  Layout layout;
  Diagnostics diagnostics;
  // The generated tables; complete only when ok().
  config::System system{};
  std::vector<config::Partition> partitions;
  std::vector<config::Channel> channels;
  Proof proof;  // run only on a configuration that passed every check

  [[nodiscard]] bool ok() const { return !diagnostics.has_errors(); }
};

// Parses, checks, lays out and proves a configuration given as text; `file_name` is what
// diagnostics cite. Never throws for bad input: every problem is a diagnostic.
Model load_text(std::string_view text, std::string file_name);
// The same for a file on disk (an unreadable file is a diagnostic at 1:1).
Model load_file(const std::string& path);

// Who can program a platform device in a built model: a partition's name, "gandalf" (its
// console), or "" for nobody; and the partition a line is routed to, or "" for nobody.
std::string device_owner(const Model& model, const DeviceSpec& device);
std::string line_owner(const Model& model, std::int64_t line);

// I/O ports of a PC/AT COM port (8 registers from its base); 0 for Com::none.
std::uint16_t com_base(config::Com com);
std::string_view com_name(config::Com com);

// The PC/AT wiring: COM1 0x3f8 and COM3 0x3e8 on IRQ 4, COM2 0x2f8 and COM4 0x2e8 on IRQ 3
// (real PCs and Bochs). Its platform name is "pc".
std::vector<DeviceSpec> pc_wiring(Position at);
inline constexpr std::string_view pc_platform = "pc";
inline constexpr std::uint8_t no_irq = 0xff;

// The platform device at a COM port's I/O base, or nullptr when the platform has none there.
const DeviceSpec* device_at(const PlatformSpec& platform, std::uint16_t base);

// The 8254's input clock; the reload value for a tick is round(clock * tick_us / 1e6).
inline constexpr std::uint64_t pit_clock_hz = 1193182;
std::uint64_t pit_reload_for(std::uint64_t tick_us);
// 8254 input ticks (1.193182 MHz) in `us` microseconds, rounded to the nearest.
std::uint64_t pit_ticks_for(std::uint64_t us);

// A size string: "96M", "2MiB", "64K", "64KiB" (binary units); nullopt if malformed.
std::optional<std::int64_t> parse_size(std::string_view text);

// "96 MiB", "100 KiB" or "4097 bytes": sizes as a person writes them.
std::string size_text(std::uint64_t bytes);
// "0x06400000": addresses as the manuals write them.
std::string hex_address(std::uint64_t address);
// "0x3f8-0x3ff", or "0x61" for a single port.
std::string port_text(std::int64_t first, std::int64_t last);

// Internal steps of load_text, exposed for the unit tests.
bool parse_spec(std::string_view text, Spec& spec, Diagnostics& diags);
Layout place(const Spec& spec);
void check_spec(const Spec& spec, const Layout& layout, Diagnostics& diags);
// [[channel]] rules (config_channels.cpp), part of check_spec; and their tables.
void check_channels(const Spec& spec, const Layout& layout, Diagnostics& diags);
std::vector<config::Channel> make_channels(const Spec& spec, const Layout& layout);
// The default rate limit of an end's doorbell: Linux's rings reach an RTOS at most once a
// millisecond; an RTOS instance (which preempts Linux anyway) is not limited.
inline constexpr std::int64_t linux_default_interval_us = 1000;
inline constexpr std::int64_t linux_min_interval_us = 100;
void build_tables(Model& model);

}  // namespace gandalf::tool
