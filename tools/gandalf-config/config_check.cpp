// The semantic rules of a configuration: sizes, alignment, the virtual layout, and what each
// partition owns (console, ports, IRQs) with conflicts reported at both places.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "config_model.hpp"
#include "gandalf/abi.h"
#include "gandalf/channel.h"

namespace gandalf::tool {
namespace {

constexpr std::int64_t kib = 1024;
constexpr std::int64_t mib = 1024 * kib;
constexpr std::int64_t four_gib = std::int64_t{1} << 32;
constexpr std::int64_t max_rtos = config::max_partitions - 1;
// Gandalf's code, data and stacks need this much of its memory besides the image store.
constexpr std::int64_t gandalf_own_memory = 4 * mib;

struct Context {
  const Spec& spec;
  const Layout& layout;
  Diagnostics& diags;
};

// Sizes in messages, from the signed values the file gave.
std::string sized(std::int64_t bytes) { return size_text(static_cast<std::uint64_t>(bytes)); }

bool multiple_of(std::int64_t value, std::int64_t unit) { return value % unit == 0; }

bool overlaps(std::int64_t first_a, std::int64_t last_a, std::int64_t first_b,
              std::int64_t last_b) {
  return first_a <= last_b && first_b <= last_a;
}

// ---- sizes and addresses ----------------------------------------------------------------

// Sizes end up in 32-bit tables, and zero bytes of anything is a mistake.
bool check_size(const Context& cx, const Field<std::int64_t>& size, std::string_view name) {
  if (!size.given) return false;
  if (size.value <= 0) {
    cx.diags.error(size.at, fmt::format("{} must be greater than 0", name));
    return false;
  }
  if (size.value >= four_gib) {
    cx.diags.error(size.at, fmt::format("{} ({}) must be below 4 GiB", name, sized(size.value)));
    return false;
  }
  return true;
}

void check_multiple(const Context& cx, const Field<std::int64_t>& size, std::string_view name,
                    std::int64_t unit, std::string_view unit_name) {
  if (multiple_of(size.value, unit)) return;
  cx.diags.error(
      size.at, fmt::format("{} ({}) is not a multiple of {}", name, sized(size.value), unit_name));
}

bool check_address(const Context& cx, const Field<std::int64_t>& address, std::string_view name) {
  if (address.value >= 0 && address.value < four_gib) return true;
  cx.diags.error(address.at,
                 fmt::format("{} ({:#x}) is outside the 4 GiB address space", name, address.value));
  return false;
}

void check_machine(const Context& cx) {
  const auto& memory = cx.spec.system.machine_memory;
  // QEMU and Bochs take RAM in MiB; GRUB reports it in KiB.
  if (check_size(cx, memory, "machine.memory"))
    check_multiple(cx, memory, "machine.memory", mib, "1 MiB");
}

// Segments are page granular above 1 MiB: a limit must end a 4 KiB page.
void check_linux_limit(const Context& cx) {
  const auto& limit = cx.spec.system.linux_limit;
  if (!check_address(cx, limit, "layout.linux_limit")) return;
  if (multiple_of(limit.value + 1, 4 * kib)) return;
  cx.diags.error(limit.at, fmt::format("layout.linux_limit ({:#x}) must end a 4 KiB page "
                                       "(limit + 1 a multiple of 4 KiB)",
                                       limit.value));
}

void check_gandalf_virt(const Context& cx) {
  const auto& virt = cx.spec.system.gandalf_virt;
  if (!check_address(cx, virt, "layout.gandalf_virt")) return;
  // One page directory entry of 4 MiB pages maps Gandalf; it must start one.
  if (!multiple_of(virt.value, 4 * mib))
    cx.diags.error(virt.at, fmt::format("layout.gandalf_virt ({}) is not 4 MiB aligned",
                                        hex_address(static_cast<std::uint64_t>(virt.value))));
  if (cx.spec.system.linux_limit.value >= virt.value)
    cx.diags.error(virt.at, fmt::format("layout.gandalf_virt ({:#x}) must lie above "
                                        "layout.linux_limit ({:#x})",
                                        virt.value, cx.spec.system.linux_limit.value));
}

void check_window_alignment(const Context& cx, std::int64_t first, std::int64_t last) {
  const Position at = cx.spec.system.window_first.at;
  // Gandalf maps the RTOS window and itself with the page tables of the top 64 MiB, and its
  // boot code identity-maps everything below the window in 4 MiB pages.
  if (!multiple_of(first, 4 * mib))
    cx.diags.error(at, fmt::format("layout.rtos_window starts at {:#x}, not 4 MiB aligned", first));
  else if (first < 0xfc000000)
    cx.diags.error(at, fmt::format("layout.rtos_window starts at {:#x}: the RTOS window and Gandalf "
                                   "must lie in the top 64 MiB (from 0xfc000000)", first));
  if (!multiple_of(last + 1, 4 * kib))
    cx.diags.error(at, fmt::format("layout.rtos_window ends at {:#x}, which does not end a 4 KiB "
                                   "page",
                                   last));
}

void check_window_neighbours(const Context& cx, std::int64_t first, std::int64_t last) {
  const SystemSpec& sys = cx.spec.system;
  const std::string window = fmt::format("layout.rtos_window [{:#x}, {:#x}]", first, last);
  if (first <= sys.linux_limit.value)
    cx.diags.error(sys.window_first.at,
                   fmt::format("{} overlaps the Linux segments [0, {:#x}] (layout.linux_limit)",
                               window, sys.linux_limit.value));
  if (last >= sys.gandalf_virt.value)
    cx.diags.error(sys.window_first.at,
                   fmt::format("{} overlaps Gandalf's range [{:#x}, 0xffffffff] "
                               "(layout.gandalf_virt)",
                               window, sys.gandalf_virt.value));
}

void check_window(const Context& cx) {
  const SystemSpec& sys = cx.spec.system;
  const std::int64_t first = sys.window_first.value;
  const std::int64_t last = sys.window_last.value;
  if (first < 0 || last >= four_gib) {
    cx.diags.error(
        sys.window_first.at,
        fmt::format("layout.rtos_window [{:#x}, {:#x}] is outside the 4 GiB address space", first,
                    last));
    return;
  }
  if (first > last) {
    cx.diags.error(
        sys.window_first.at,
        fmt::format("layout.rtos_window [{:#x}, {:#x}] ends before it starts", first, last));
    return;
  }
  check_window_alignment(cx, first, last);
  check_window_neighbours(cx, first, last);
}

void check_image_store(const Context& cx) {
  const SystemSpec& sys = cx.spec.system;
  if (!check_size(cx, sys.image_store, "gandalf.image_store")) return;
  check_multiple(cx, sys.image_store, "gandalf.image_store", 4 * kib, "4 KiB");
  const std::int64_t dumps = sys.dump_store.value > 0 ? sys.dump_store.value : 0;
  if (!sys.gandalf_memory.given ||
      sys.image_store.value + dumps + gandalf_own_memory <= sys.gandalf_memory.value)
    return;
  const std::string need = sized(sys.image_store.value + dumps + gandalf_own_memory);
  if (dumps == 0)
    return cx.diags.error(sys.image_store.at,
                          fmt::format("gandalf.image_store ({}) leaves Gandalf no room: image_store + 4 MiB for its "
                                      "code and data needs {}, gandalf.memory is {}",
                                      sized(sys.image_store.value), need, sized(sys.gandalf_memory.value)));
  cx.diags.error(sys.image_store.at,
                 fmt::format("gandalf.image_store ({}) and dump_store ({}) leave Gandalf no room: image_store + "
                             "dump_store + 4 MiB for its code and data need {}, gandalf.memory is {}",
                             sized(sys.image_store.value), sized(dumps), need, sized(sys.gandalf_memory.value)));
}

// The crash dumps' store ([gandalf] dump_store) holds every partition's console tail and
// memory copy (console_tail, dump_memory).
void check_dump_store(const Context& cx) {
  const Field<std::int64_t>& store = cx.spec.system.dump_store;
  if (store.given && store.value != 0 && check_size(cx, store, "gandalf.dump_store"))
    check_multiple(cx, store, "gandalf.dump_store", 4 * kib, "4 KiB");
  if (store.value < 0) return;
  std::int64_t used = 0;
  for (const PartitionSpec& p : cx.spec.partitions) {
    const std::int64_t need = dump_bytes(p);
    if (need <= 0 || p.console_tail.value < 0 || p.dump_memory.value < 0) continue;
    used += need;
    if (used > store.value)
      cx.diags.error(p.console_tail.given ? p.console_tail.at : p.dump_memory.at,
                     fmt::format("{}'s console_tail and dump_memory overflow gandalf.dump_store: the partitions "
                                 "up to it need {} (twice each console_tail, plus dump_memory), dump_store is {}",
                                 p.label, sized(used), sized(store.value)));
  }
}

void check_dump_of(const Context& cx, const PartitionSpec& p) {
  const auto& tail = p.console_tail;
  if (tail.given && (tail.value < 256 || tail.value > 64 * kib || (tail.value & (tail.value - 1)) != 0))
    cx.diags.error(tail.at, fmt::format("{}.console_tail ({}) must be a power of two in 256..64K", p.label,
                                        tail.value));
  else if (tail.given && p.console.value == config::Com::none)
    cx.diags.error(tail.at, fmt::format("{}.console_tail needs a console to keep", p.label));
  const auto& memory = p.dump_memory;
  if (!memory.given) return;
  if (memory.value < 0 || !multiple_of(memory.value, 4 * kib))
    cx.diags.error(memory.at, fmt::format("{}.dump_memory ({}) must be a multiple of 4 KiB", p.label,
                                          sized(memory.value)));
  else if (p.memory.given && memory.value > p.memory.value)
    cx.diags.error(memory.at, fmt::format("{}.dump_memory ({}) exceeds its memory ({})", p.label,
                                          sized(memory.value), sized(p.memory.value)));
}

void check_tick(const Context& cx) {
  const auto& tick = cx.spec.system.tick_us;
  if (tick.value < 100 || tick.value > 50000) {
    cx.diags.error(tick.at, fmt::format("gandalf.tick_us ({}) must be in 100..50000", tick.value));
    return;
  }
  const std::uint64_t reload = pit_reload_for(static_cast<std::uint64_t>(tick.value));
  if (reload < 1 || reload > 65535)  // the 8254 counts 16 bits
    cx.diags.error(tick.at, fmt::format("gandalf.tick_us ({}) needs an 8254 reload of {}, outside "
                                        "1..65535",
                                        tick.value, reload));
}

void check_gandalf(const Context& cx) {
  const auto& memory = cx.spec.system.gandalf_memory;
  // Gandalf maps its memory with 4 MiB pages.
  if (check_size(cx, memory, "gandalf.memory"))
    check_multiple(cx, memory, "gandalf.memory", 4 * mib, "4 MiB");
  check_image_store(cx);
  check_tick(cx);
}

void check_system(const Context& cx) {
  check_machine(cx);
  check_linux_limit(cx);
  check_window(cx);
  check_gandalf_virt(cx);
  check_gandalf(cx);
}

// ---- one partition -----------------------------------------------------------------------

// Names end up in 16-byte tables, on GRUB's module lines and in file names.
bool valid_name(std::string_view name) {
  if (name.empty() || name.size() >= config::name_max) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

void check_names(const Context& cx, const PartitionSpec& p) {
  if (p.kind == config::Kind::rtos && p.name.given && !valid_name(p.name.value))
    cx.diags.error(p.name.at, fmt::format("partition name \"{}\" must be 1..15 characters of "
                                          "[a-z0-9_-]",
                                          p.name.value));
  if (p.image.given && !valid_name(p.image.value))
    cx.diags.error(p.image.at, fmt::format("{}.image \"{}\" must be 1..15 characters of [a-z0-9_-]",
                                           p.label, p.image.value));
  if (p.initrd.given && !valid_name(p.initrd.value))
    cx.diags.error(p.initrd.at, fmt::format("{}.initrd \"{}\" must be 1..15 characters of "
                                            "[a-z0-9_-]",
                                            p.label, p.initrd.value));
}

// "full" is the Linux kernel's (its image an ELF32 vmlinux, its args the kernel command line,
// an optional initramfs); the μITRON instances are para-virtualized guest images.
void check_virtualization(const Context& cx, const PartitionSpec& p) {
  const bool full = p.virt.value == config::Virtualization::full;
  if (full && p.kind != config::Kind::linux_slot)
    cx.diags.error(p.virt.at, fmt::format("{}.virtualization = \"full\" is only for [linux] (a "
                                          "Linux kernel); an RTOS partition is \"para\"",
                                          p.label));
  if (!p.initrd.given || full) return;
  const std::string virt = p.virt.given ? fmt::format("is \"para\" ({})", cx.diags.cite(p.virt.at))
                                        : std::string{"defaults to \"para\""};
  cx.diags.error(p.initrd.at,
                 fmt::format("{}.initrd requires virtualization = \"full\" (only a "
                             "Linux kernel unpacks an initramfs); {}.virtualization {}",
                             p.label, p.label, virt));
}

void check_linux_memory(const Context& cx, const PartitionSpec& p) {
  // Linux's memory is mapped with 4 MiB pages and must fit its own segments.
  check_multiple(cx, p.memory, "linux.memory", 4 * mib, "4 MiB");
  const std::int64_t segment = cx.spec.system.linux_limit.value + 1;
  if (p.memory.value > segment)
    cx.diags.error(p.memory.at, fmt::format("linux.memory ({}) exceeds the Linux segments "
                                            "(layout.linux_limit + 1 = {})",
                                            sized(p.memory.value), sized(segment)));
}

void check_rtos_memory(const Context& cx, const PartitionSpec& p) {
  const std::string name = fmt::format("{}.memory", p.label);
  check_multiple(cx, p.memory, name, 4 * kib, "4 KiB");
  // Kernel, stacks and a useful heap: smaller slices are configuration mistakes.
  if (p.memory.value < 64 * kib)
    cx.diags.error(p.memory.at, fmt::format("{} ({}) is below the minimum of 64 KiB", name,
                                            sized(p.memory.value)));
}

void check_memory(const Context& cx, const PartitionSpec& p) {
  if (!check_size(cx, p.memory, fmt::format("{}.memory", p.label))) return;
  if (p.kind == config::Kind::linux_slot) return check_linux_memory(cx, p);
  check_rtos_memory(cx, p);
}

struct Reserved {
  std::int64_t first;
  std::int64_t last;
  std::string what;
};

// Ports Gandalf drives itself; handing one to a guest would let it break every partition.
std::vector<Reserved> gandalf_ports(const SystemSpec& sys) {
  const std::int64_t console = com_base(sys.console.value);
  return {{0x20, 0x21, "the master 8259 PIC"},
          {0xa0, 0xa1, "the slave 8259 PIC"},
          {0x40, 0x43, "the 8254 PIT"},
          {0x61, 0x61, "port B (8254 gate and speaker)"},
          {GANDALF_CHANNEL_PORT, GANDALF_CHANNEL_PORT + 7, "the channel ports (discovery and doorbells)"},
          {console, console + 7, fmt::format("Gandalf's console {}", com_name(sys.console.value))}};
}

// Ports of the PC that no partition may own, whoever else drives them: each reaches beyond a
// partition's own device (DMA into any frame, a machine reset, every PCI device, interrupt
// triggering, the NMI mask). Issue #10 item 7.
const std::vector<Reserved>& platform_ports() {
  static const std::vector<Reserved> ports = {
      {0x00, 0x0f, "the ISA DMA controller 1: DMA into any physical frame"},
      {0x64, 0x64, "the keyboard controller's command port: resets the machine"},
      {0x70, 0x71, "the RTC/CMOS index with the NMI mask bit"},
      {0x80, 0x8f, "the ISA DMA page registers"},
      {0x92, 0x92, "system control port A: fast reset and A20"},
      {0xc0, 0xdf, "the ISA DMA controller 2: DMA into any physical frame"},
      {0x4d0, 0x4d1, "the 8259 edge/level control registers (ELCR)"},
      {0xcf8, 0xcff, "PCI configuration space (and reset control 0xcf9): every device"},
  };
  return ports;
}

// A default console range on Gandalf's own console is the console conflict, reported there.
bool console_clash(const Context& cx, const PartitionSpec& p, const PortSpec& range) {
  return range.from_console && p.console.value == cx.spec.system.console.value;
}

void check_port_reserved(const Context& cx, const PartitionSpec& p, const PortSpec& range) {
  for (const Reserved& reserved : gandalf_ports(cx.spec.system)) {
    if (!overlaps(range.first, range.last, reserved.first, reserved.last)) continue;
    if (console_clash(cx, p, range)) continue;
    cx.diags.error(range.at, fmt::format("{}.io_ports {} include {}, owned by Gandalf ({})",
                                         p.label, port_text(range.first, range.last),
                                         port_text(reserved.first, reserved.last), reserved.what));
  }
  for (const Reserved& reserved : platform_ports()) {
    if (!overlaps(range.first, range.last, reserved.first, reserved.last)) continue;
    cx.diags.error(range.at, fmt::format("{}.io_ports {} include {}, which no partition may own ({})",
                                         p.label, port_text(range.first, range.last),
                                         port_text(reserved.first, reserved.last), reserved.what));
  }
}

bool check_port_shape(const Context& cx, const PartitionSpec& p, const PortSpec& range) {
  const std::string text = fmt::format("[{:#x}, {:#x}]", range.first, range.last);
  if (range.first < 0 || range.last > 0xffff) {
    cx.diags.error(range.at, fmt::format("{}.io_ports {} is outside 0..0xffff", p.label, text));
    return false;
  }
  if (range.first > range.last) {
    cx.diags.error(range.at, fmt::format("{}.io_ports {} ends before it starts", p.label, text));
    return false;
  }
  return true;
}

void check_ports_within(const Context& cx, const PartitionSpec& p) {
  const auto& ranges = p.io_ports.value;
  for (std::size_t i = 0; i < ranges.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (overlaps(ranges[i].first, ranges[i].last, ranges[j].first, ranges[j].last))
        cx.diags.error(
            ranges[i].at,
            fmt::format("{}.io_ports {} overlap its own range {} ({})", p.label,
                        port_text(ranges[i].first, ranges[i].last),
                        port_text(ranges[j].first, ranges[j].last), cx.diags.cite(ranges[j].at)));
}

void check_ports(const Context& cx, const PartitionSpec& p) {
  if (p.io_ports.value.size() > config::max_port_ranges)
    cx.diags.error(p.io_ports.at,
                   fmt::format("{}.io_ports has {} ranges; at most {} fit the "
                               "partition table",
                               p.label, p.io_ports.value.size(), config::max_port_ranges));
  bool shaped = true;
  for (const PortSpec& range : p.io_ports.value) {
    if (check_port_shape(cx, p, range))
      check_port_reserved(cx, p, range);
    else
      shaped = false;
  }
  if (shaped) check_ports_within(cx, p);
}

void check_irq(const Context& cx, const PartitionSpec& p, const IrqSpec& irq) {
  if (irq.line < 0 || irq.line > 15)
    cx.diags.error(irq.at, fmt::format("{}.irqs: IRQ {} is outside 0..15", p.label, irq.line));
  else if (irq.line == 0)
    cx.diags.error(irq.at, fmt::format("{}.irqs: IRQ 0 is reserved (the 8254 timer is "
                                       "Gandalf's)",
                                       p.label));
  else if (irq.line == 2)
    cx.diags.error(irq.at, fmt::format("{}.irqs: IRQ 2 is reserved (the cascade from the slave "
                                       "8259)",
                                       p.label));
}

void check_irqs(const Context& cx, const PartitionSpec& p) {
  const auto& irqs = p.irqs.value;
  for (std::size_t i = 0; i < irqs.size(); ++i) {
    check_irq(cx, p, irqs[i]);
    for (std::size_t j = 0; j < i; ++j)
      if (irqs[i].line == irqs[j].line)
        cx.diags.error(irqs[i].at, fmt::format("{}.irqs lists IRQ {} twice (also at {})", p.label,
                                               irqs[i].line, cx.diags.cite(irqs[j].at)));
  }
}

bool restarts_on_budget(const PartitionSpec& p) {
  return p.budget_us.given && p.on_budget.value == config::OnBudget::restart;
}

void check_restarts(const Context& cx, const PartitionSpec& p) {
  const auto& restarts = p.max_restarts;
  if (restarts.value < 0 || restarts.value > 255)
    cx.diags.error(restarts.at,
                   fmt::format("{}.max_restarts ({}) must be in 0..255", p.label, restarts.value));
  else if (restarts.value == 0 && !p.unlimited_restarts && p.on_fault.value == config::OnFault::restart)
    cx.diags.error(restarts.at, fmt::format("{}.max_restarts = 0 with on_fault = \"restart\" would "
                                            "never restart; give 1..255 or \"unlimited\", or on_fault = \"stop\"",
                                            p.label));
  else if (restarts.given && p.on_fault.value != config::OnFault::restart && !restarts_on_budget(p))
    cx.diags.warning(restarts.at, fmt::format("{}.max_restarts has no effect unless on_fault or on_budget = "
                                              "\"restart\"",
                                              p.label));
}

// A CPU budget (docs/budgets.md): budget_us of every period_us, enforced at Gandalf's timer
// ticks, so both are whole ticks' worth and the budget leaves the others part of each period.
void check_budget(const Context& cx, const PartitionSpec& p) {
  const auto& budget = p.budget_us;
  const auto& period = p.period_us;
  if (!budget.given && !period.given) {
    if (p.on_budget.given)
      cx.diags.error(p.on_budget.at, fmt::format("{}.on_budget needs a budget: give budget_us and period_us", p.label));
    return;
  }
  if (budget.given != period.given) {
    const auto& given = budget.given ? budget : period;
    cx.diags.error(given.at, fmt::format("{}.{} needs {} too: a budget is CPU time per period", p.label,
                                         budget.given ? "budget_us" : "period_us",
                                         budget.given ? "period_us" : "budget_us"));
    return;
  }
  const std::int64_t tick = cx.spec.system.tick_us.value;
  if (tick <= 0) return;  // reported by check_tick
  if (period.value < 2 * tick || period.value > 10'000'000 || period.value % tick != 0)
    cx.diags.error(period.at, fmt::format("{}.period_us ({}) must be a multiple of gandalf.tick_us ({}) "
                                          "from two ticks to 10 s: the budget is enforced at timer ticks",
                                          p.label, period.value, tick));
  else if (budget.value < tick || budget.value >= period.value)
    cx.diags.error(budget.at, fmt::format("{}.budget_us ({}) must be at least one tick ({} us) and less than "
                                          "period_us ({})", p.label, budget.value, tick, period.value));
}

// A Linux kernel gets args as its command line (the tables hold args_max - 1 bytes); a
// para-virtualized guest reads them from its boot information, which holds fewer.
void check_args(const Context& cx, const PartitionSpec& p) {
  const std::string& args = p.args.value;
  const bool full = p.virt.value == config::Virtualization::full;
  const std::size_t limit = (full ? config::args_max : GANDALF_ARGS_MAX) - 1;
  static_assert(GANDALF_ARGS_MAX <= config::args_max);
  if (args.size() > limit)
    cx.diags.error(
        p.args.at,
        fmt::format("{}.args is {} bytes long; at most {} fit ({})", p.label, args.size(), limit,
                    full ? "the limit of a kernel command line in the partition table"
                         : "the limit of a para-virtualized guest's boot information"));
  // The string is emitted into a C++ header; printable ASCII keeps that trivially safe.
  if (!std::all_of(args.begin(), args.end(), [](char c) { return c >= 0x20 && c <= 0x7e; }))
    cx.diags.error(p.args.at,
                   fmt::format("{}.args may only hold printable ASCII characters", p.label));
}

void check_wake(const Context& cx, const PartitionSpec& p) {
  if (!p.wake_on_halt.given) return;
  const std::string& target = p.wake_on_halt.value;
  if (target == p.name.value) {
    cx.diags.error(p.wake_on_halt.at,
                   fmt::format("{}.wake_on_halt names the partition itself", p.label));
    return;
  }
  const auto& all = cx.spec.partitions;
  if (std::none_of(all.begin(), all.end(),
                   [&](const PartitionSpec& q) { return q.name.value == target; }))
    cx.diags.error(p.wake_on_halt.at,
                   fmt::format("{}.wake_on_halt \"{}\" names no partition", p.label, target));
}

void check_partition(const Context& cx, const PartitionSpec& p) {
  check_names(cx, p);
  check_virtualization(cx, p);
  check_memory(cx, p);
  check_ports(cx, p);
  check_irqs(cx, p);
  check_restarts(cx, p);
  check_args(cx, p);
  check_wake(cx, p);
  check_dump_of(cx, p);
  check_budget(cx, p);
}

// ---- between partitions ------------------------------------------------------------------

void check_count(const Context& cx) {
  std::int64_t rtos = 0;
  for (const PartitionSpec& p : cx.spec.partitions) {
    if (p.kind != config::Kind::rtos || ++rtos <= max_rtos) continue;
    cx.diags.error(p.at, fmt::format("too many [[rtos]] tables: at most {} (with Linux, {} "
                                     "partitions, one TSS I/O bitmap each)",
                                     max_rtos, config::max_partitions));
  }
}

void check_unique_names(const Context& cx) {
  const auto& all = cx.spec.partitions;
  for (std::size_t i = 0; i < all.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) {
      if (all[i].name.given && all[i].name.value == all[j].name.value)
        cx.diags.error(all[i].name.at,
                       fmt::format("partition name \"{}\" is already used ({})", all[i].name.value,
                                   cx.diags.cite(all[j].name.at)));
      // Two defaulted images collide only when the names do, which is reported above.
      const bool image_written = all[i].image.given || all[j].image.given;
      if (image_written && all[i].image.value == all[j].image.value)
        cx.diags.error(all[i].image.at, fmt::format("image \"{}\" of {} is already used by {} ({})",
                                                    all[i].image.value, all[i].label, all[j].label,
                                                    cx.diags.cite(all[j].image.at)));
    }
  // The initramfs is one more boot module, found by its name like the images.
  for (const PartitionSpec& p : all) {
    if (!p.initrd.given) continue;
    for (const PartitionSpec& q : all)
      if (q.image.value == p.initrd.value)
        cx.diags.error(p.initrd.at,
                       fmt::format("initrd \"{}\" of {} is already the image of {} ({})",
                                   p.initrd.value, p.label, q.label, cx.diags.cite(q.image.at)));
  }
}

void check_console_vs_gandalf(const Context& cx, const PartitionSpec& p) {
  const auto& gandalf = cx.spec.system.console;
  if (p.console.value != gandalf.value) return;
  cx.diags.error(p.console.at,
                 fmt::format("console {} of {} is already Gandalf's console ({})",
                             com_name(p.console.value), p.label, cx.diags.cite(gandalf.at)));
}

void check_consoles(const Context& cx) {
  const auto& all = cx.spec.partitions;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].console.value == config::Com::none) continue;
    check_console_vs_gandalf(cx, all[i]);
    for (std::size_t j = 0; j < i; ++j)
      if (all[i].console.value == all[j].console.value)
        cx.diags.error(all[i].console.at,
                       fmt::format("console {} of {} is already used by {} ({})",
                                   com_name(all[i].console.value), all[i].label, all[j].label,
                                   cx.diags.cite(all[j].console.at)));
  }
}

void check_port_pair(const Context& cx, const PartitionSpec& a, const PartitionSpec& b) {
  for (const PortSpec& x : a.io_ports.value)
    for (const PortSpec& y : b.io_ports.value) {
      if (!overlaps(x.first, x.last, y.first, y.last)) continue;
      // Two partitions on one console: that conflict is reported once, at the console.
      if ((x.from_console || y.from_console) && a.console.value == b.console.value) continue;
      cx.diags.error(
          x.at, fmt::format("ports {} of {} are already owned by {} ({} at {})",
                            port_text(std::max(x.first, y.first), std::min(x.last, y.last)),
                            a.label, b.label, port_text(y.first, y.last), cx.diags.cite(y.at)));
    }
}

void check_irq_pair(const Context& cx, const PartitionSpec& a, const PartitionSpec& b) {
  for (const IrqSpec& x : a.irqs.value) {
    const auto& theirs = b.irqs.value;
    // The first listing is enough: a repeated IRQ in one list is its own error.
    const auto y = std::find_if(theirs.begin(), theirs.end(),
                                [&](const IrqSpec& irq) { return irq.line == x.line; });
    if (y != theirs.end())
      cx.diags.error(x.at, fmt::format("IRQ {} of {} is already routed to {} ({})", x.line, a.label,
                                       b.label, cx.diags.cite(y->at)));
  }
}

void check_ownership(const Context& cx) {
  const auto& all = cx.spec.partitions;
  for (std::size_t i = 0; i < all.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) {
      check_port_pair(cx, all[i], all[j]);
      check_irq_pair(cx, all[i], all[j]);
    }
}

// ---- the platform's wiring ---------------------------------------------------------------
//
// A device interrupts on the line the platform wires it to, whoever programs it: owning any
// of its ports is enough to make it interrupt (OUT2 and the interrupt enables). So a device
// and its line must belong to the same partition, or the line to nobody (then it stays
// masked at the real 8259 and the device is polled).

std::string platform_text(const Spec& spec) {
  return fmt::format("platform \"{}\"", spec.platform.name.value);
}

bool check_platform_name(const Context& cx) {
  const PlatformSpec& platform = cx.spec.platform;
  bool ok = true;
  if (platform.name.given && !valid_name(platform.name.value)) {
    cx.diags.error(platform.name.at,
                   fmt::format("platform.name \"{}\" must be 1..15 characters of [a-z0-9_-]",
                               platform.name.value));
    ok = false;
  }
  const bool pc = platform.name.value == pc_platform;
  if (pc && platform.devices.given) {
    cx.diags.error(platform.devices.at,
                   fmt::format("platform.devices declares a wiring of its own: name it "
                               "(platform.name other than \"{}\", the built-in PC/AT wiring)",
                               pc_platform));
    ok = false;
  } else if (!pc && !platform.devices.given && platform.name.given) {
    cx.diags.error(platform.name.at,
                   fmt::format("platform \"{}\" needs devices = [...]: only \"{}\" has a "
                               "built-in wiring",
                               platform.name.value, pc_platform));
    ok = false;
  }
  return ok;
}

bool check_device_irq(const Context& cx, const DeviceSpec& d) {
  std::string problem;
  if (d.irq < 0 || d.irq > 15)
    problem = fmt::format("IRQ {} is outside 0..15", d.irq);
  else if (d.irq == 0)
    problem = "IRQ 0 is the 8254 timer's";
  else if (d.irq == 2)
    problem = "IRQ 2 is the cascade from the slave 8259";
  if (problem.empty()) return true;
  cx.diags.error(d.at, fmt::format("platform device {}: {}", d.name, problem));
  return false;
}

bool check_device_ports(const Context& cx, const DeviceSpec& d) {
  const std::string text = fmt::format("[{:#x}, {:#x}]", d.first, d.last);
  if (d.first < 0 || d.last > 0xffff) {
    cx.diags.error(d.at,
                   fmt::format("platform device {}: ports {} are outside 0..0xffff", d.name, text));
    return false;
  }
  if (d.first > d.last) {
    cx.diags.error(d.at,
                   fmt::format("platform device {}: ports {} end before they start", d.name, text));
    return false;
  }
  // `console = "comN"` means the PC's comN ports; a device called comN must be that UART.
  for (const config::Com com :
       {config::Com::com1, config::Com::com2, config::Com::com3, config::Com::com4}) {
    const std::int64_t base = com_base(com);
    if (d.name != com_name(com) || (d.first == base && d.last == base + 7)) continue;
    cx.diags.error(d.at, fmt::format("platform device {} must be at {} (the PC's {} ports, "
                                     "which console = \"{}\" means), not {}",
                                     d.name, port_text(base, base + 7), d.name, d.name,
                                     port_text(d.first, d.last)));
    return false;
  }
  return true;
}

bool check_device(const Context& cx, std::size_t i) {
  const auto& devices = cx.spec.platform.devices.value;
  const DeviceSpec& d = devices[i];
  if (!valid_name(d.name)) {
    cx.diags.error(d.at, fmt::format("platform device name \"{}\" must be 1..15 characters of "
                                     "[a-z0-9_-]",
                                     d.name));
    return false;
  }
  bool ok = check_device_irq(cx, d);
  if (!check_device_ports(cx, d)) return false;
  for (std::size_t j = 0; j < i; ++j) {
    const DeviceSpec& e = devices[j];
    if (d.name == e.name) {
      cx.diags.error(d.at, fmt::format("platform device \"{}\" is already declared ({})", d.name,
                                       cx.diags.cite(e.at)));
      ok = false;
    } else if (overlaps(d.first, d.last, e.first, e.last)) {
      cx.diags.error(d.at, fmt::format("platform device {}: ports {} overlap {}'s {} ({})", d.name,
                                       port_text(d.first, d.last), e.name,
                                       port_text(e.first, e.last), cx.diags.cite(e.at)));
      ok = false;
    }
  }
  return ok;
}

// Every console must be a device of the platform: its interrupt line has to be known.
bool check_console_device(const Context& cx, config::Com com, Position at, std::string_view whose) {
  if (com == config::Com::none || device_at(cx.spec.platform, com_base(com)) != nullptr)
    return true;
  cx.diags.error(at, fmt::format("console {} of {} is not a device of {}: declare it in "
                                 "platform.devices with the IRQ line it is wired to",
                                 com_name(com), whose, platform_text(cx.spec)));
  return false;
}

bool check_platform(const Context& cx) {
  bool ok = check_platform_name(cx);
  if (cx.spec.platform.devices.given)
    for (std::size_t i = 0; i < cx.spec.platform.devices.value.size(); ++i)
      ok = check_device(cx, i) && ok;
  if (!ok) return false;
  ok = check_console_device(cx, cx.spec.system.console.value, cx.spec.system.console.at, "Gandalf");
  for (const PartitionSpec& p : cx.spec.partitions)
    ok = check_console_device(cx, p.console.value, p.console.at, p.label) && ok;
  return ok;
}

// Who can program a device: a partition through one of its port ranges, or Gandalf (its
// console; Gandalf never enables its UART's interrupts, so its devices never drive a line).
struct DeviceOwner {
  const PartitionSpec* partition;  // nullptr: Gandalf
  const PortSpec* range;           // the partition's range that reaches the device
};

std::vector<DeviceOwner> owners_of(const Context& cx, const DeviceSpec& d) {
  std::vector<DeviceOwner> owners;
  const std::int64_t console = com_base(cx.spec.system.console.value);
  if (overlaps(d.first, d.last, console, console + 7)) owners.push_back({nullptr, nullptr});
  for (const PartitionSpec& p : cx.spec.partitions)
    for (const PortSpec& range : p.io_ports.value)
      if (overlaps(d.first, d.last, range.first, range.last)) {
        owners.push_back({&p, &range});
        break;  // one range is enough to program it
      }
  return owners;
}

// The partition the line is routed to (and where its irqs list says so), if any.
const PartitionSpec* line_owner(const Context& cx, std::int64_t line, const IrqSpec** listed) {
  for (const PartitionSpec& p : cx.spec.partitions)
    for (const IrqSpec& irq : p.irqs.value)
      if (irq.line == line) {
        *listed = &irq;
        return &p;
      }
  return nullptr;
}

// A device of `p` that interrupts on `line`, or nullptr.
const DeviceSpec* device_of_on(const Context& cx, const PartitionSpec& p, std::int64_t line) {
  for (const DeviceSpec& d : cx.spec.platform.devices.value) {
    if (d.irq != line) continue;
    for (const DeviceOwner& owner : owners_of(cx, d))
      if (owner.partition == &p) return &d;
  }
  return nullptr;
}

std::string device_text(const DeviceSpec& d) {
  return fmt::format("{} ({})", d.name, port_text(d.first, d.last));
}

// A device split between partitions could be driven by either; it must have one owner.
void check_device_split(const Context& cx, const DeviceSpec& d,
                        const std::vector<DeviceOwner>& owners) {
  for (std::size_t i = 0; i < owners.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) {
      const DeviceOwner& a = owners[i];
      const DeviceOwner& b = owners[j];
      if (a.partition == nullptr || b.partition == nullptr) continue;  // Gandalf's: reserved
      // The same ports in both are the port conflict, reported as such.
      if (overlaps(a.range->first, a.range->last, b.range->first, b.range->last)) continue;
      cx.diags.error(a.range->at,
                     fmt::format("ports {} of {} are part of {}, whose ports {} are {}'s ({}): a "
                                 "device belongs to one partition",
                                 port_text(a.range->first, a.range->last), a.partition->label,
                                 device_text(d), port_text(b.range->first, b.range->last),
                                 b.partition->label, cx.diags.cite(b.range->at)));
    }
}

// A partition's device whose line is routed to another partition that has a device on it:
// it could raise that partition's interrupts at will (issue #10 item 3).
void check_device_line(const Context& cx, const DeviceSpec& d,
                       const std::vector<DeviceOwner>& owners) {
  const IrqSpec* listed = nullptr;
  const PartitionSpec* line = line_owner(cx, d.irq, &listed);
  if (line == nullptr) return;  // nobody's line: masked at the 8259, the device is polled
  const DeviceSpec* theirs = device_of_on(cx, *line, d.irq);
  if (theirs == nullptr) return;  // the line's owner has no device on it: reported at its irqs
  // A device the line's owner shares with others is reported as split.
  if (std::any_of(owners.begin(), owners.end(),
                  [&](const DeviceOwner& owner) { return owner.partition == line; }))
    return;
  for (const DeviceOwner& owner : owners) {
    if (owner.partition == nullptr || owner.partition == line) continue;
    cx.diags.error(
        owner.range->at,
        fmt::format("{} of {} interrupts on IRQ {} ({}), which is routed to {} ({}) for its {}: "
                    "{} could raise {}'s interrupts",
                    device_text(d), owner.partition->label, d.irq, platform_text(cx.spec),
                    line->label, cx.diags.cite(listed->at), theirs->name, owner.partition->label,
                    line->label));
  }
}

// A line routed to a partition that owns none of the devices wired to it, while another
// partition or Gandalf owns one: the interrupts would go to the wrong partition.
void check_irq_device(const Context& cx, const PartitionSpec& p, const IrqSpec& irq) {
  const IrqSpec* listed = nullptr;
  if (line_owner(cx, irq.line, &listed) != &p) return;  // routed twice: reported as such
  if (device_of_on(cx, p, irq.line) != nullptr) return;
  for (const DeviceSpec& d : cx.spec.platform.devices.value) {
    if (d.irq != irq.line) continue;
    const std::vector<DeviceOwner> owners = owners_of(cx, d);
    if (owners.empty()) continue;  // nobody can program it: it never interrupts
    const DeviceOwner& owner = owners.front();
    const std::string whose =
        owner.partition == nullptr
            ? fmt::format("Gandalf's console ({})", cx.diags.cite(cx.spec.system.console.at))
            : fmt::format("owned by {} ({})", owner.partition->label,
                          cx.diags.cite(owner.range->at));
    cx.diags.error(irq.at, fmt::format("IRQ {} of {} is the line of {} ({}, {}), {}; {} owns "
                                       "no device on it",
                                       irq.line, p.label, d.name, port_text(d.first, d.last),
                                       platform_text(cx.spec), whose, p.label));
    return;
  }
}

void check_wiring(const Context& cx) {
  if (!check_platform(cx)) return;
  for (const DeviceSpec& d : cx.spec.platform.devices.value) {
    const std::vector<DeviceOwner> owners = owners_of(cx, d);
    check_device_split(cx, d, owners);
    check_device_line(cx, d, owners);
  }
  for (const PartitionSpec& p : cx.spec.partitions)
    for (const IrqSpec& irq : p.irqs.value) check_irq_device(cx, p, irq);
}

// ---- the computed layout -----------------------------------------------------------------

// Only a file with every size present can be laid out meaningfully.
bool complete(const Spec& spec) {
  const SystemSpec& sys = spec.system;
  if (!spec.has_linux || !sys.machine_memory.given || !sys.gandalf_memory.given) return false;
  return std::all_of(spec.partitions.begin(), spec.partitions.end(),
                     [](const PartitionSpec& p) { return p.memory.given && p.memory.value > 0; });
}

void check_window_fit(const Context& cx) {
  const SystemSpec& sys = cx.spec.system;
  const auto window_end = static_cast<std::uint64_t>(sys.window_last.value) + 1;
  const std::uint64_t window_size = window_end - static_cast<std::uint64_t>(sys.window_first.value);
  const std::uint64_t needed = cx.layout.partitions.back().virt_base +
                               cx.layout.partitions.back().memory -
                               static_cast<std::uint64_t>(sys.window_first.value);
  for (std::size_t i = 1; i < cx.spec.partitions.size(); ++i) {
    const Placement& slice = cx.layout.partitions[i];
    if (slice.virt_base + slice.memory <= window_end) continue;
    cx.diags.error(
        cx.spec.partitions[i].memory.at,
        fmt::format("{} does not fit in layout.rtos_window [{:#x}, {:#x}]: the RTOS "
                    "slices need {}, the window holds {} ({} over)",
                    cx.spec.partitions[i].label, sys.window_first.value, sys.window_last.value,
                    size_text(needed), size_text(window_size), size_text(needed - window_size)));
    return;  // one report: the later slices only repeat it
  }
}

void check_overcommit(const Context& cx) {
  const auto& memory = cx.spec.system.machine_memory;
  const auto available = static_cast<std::uint64_t>(memory.value);
  const std::uint64_t needed = cx.layout.gandalf_end;
  if (needed <= available) return;
  cx.diags.error(
      memory.at,
      fmt::format("machine.memory ({}) is too small: the partitions end at {}, Gandalf's "
                  "{} at {} end at {}; the system needs {}, {} more than available",
                  size_text(available), hex_address(cx.layout.rtos_phys_end),
                  sized(cx.spec.system.gandalf_memory.value), hex_address(cx.layout.gandalf_phys),
                  hex_address(needed), size_text(needed), size_text(needed - available)));
}

bool window_valid(const SystemSpec& sys) {
  return sys.window_first.value >= 0 && sys.window_first.value <= sys.window_last.value &&
         sys.window_last.value < four_gib;
}

void check_layout(const Context& cx) {
  if (!complete(cx.spec)) return;
  if (cx.spec.partitions.size() > 1 && window_valid(cx.spec.system)) check_window_fit(cx);
  check_overcommit(cx);
}

}  // namespace

void check_spec(const Spec& spec, const Layout& layout, Diagnostics& diags) {
  const Context cx{spec, layout, diags};
  check_system(cx);
  for (const PartitionSpec& p : spec.partitions) check_partition(cx, p);
  check_count(cx);
  check_unique_names(cx);
  check_consoles(cx);
  check_ownership(cx);
  check_wiring(cx);
  check_layout(cx);
  check_channels(spec, layout, diags);
  check_dump_store(cx);
}

}  // namespace gandalf::tool
