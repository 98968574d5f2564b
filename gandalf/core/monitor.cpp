// Gandalf's monitor on its own console: partition table, counters, restart and stop. Its
// replies are reports: never lost to a partition's chatter.
#include <cstring>

#include "gandalf/abi.h"
#include "gandalf/arch/ia32/cpu_state.hpp"
#include "gandalf/core/channel.hpp"
#include "gandalf/core/config.hpp"
#include "gandalf/core/console.hpp"
#include "gandalf/core/console_log.hpp"
#include "gandalf/core/dump.hpp"
#include "gandalf/core/paths.hpp"
#include "gandalf/core/x86_decoder.hpp"
#include "gandalf/platform/pc/pit_8254.hpp"
#include "gandalf/core/vmm.hpp"
#include "gandalf/linux/linux_guest.hpp"
#include "gandalf/platform/pc/pic_8259.hpp"

extern "C" char __text_start[], __text_bytes_end[], __text_end[], __rodata_bytes_end[];

namespace gandalf::core {
namespace {

constinit char line[64]{};
constinit std::size_t line_len = 0;

const char* state_name(const Partition& p) {
  switch (p.state) {
    case State::ready: return p.prio_bit == 0 ? "throttled" : "ready";
    case State::halted: return "halted";
    case State::stopped: return "stopped";
    case State::loading: return "loading";
  }
  return "?";
}

const char* kind_name(const Partition& p) {
  return p.cfg->kind == config::Kind::linux_slot ? "linux" : "rtos";
}

// FNV-1a over 32-bit words (`len` rounded down to a multiple of 4), continuing from `h`.
std::uint32_t fnv1a(const void* data, std::uint32_t len, std::uint32_t h = 2166136261u) {
  const auto* w = static_cast<const std::uint32_t*>(data);
  for (std::uint32_t i = 0; i < len / 4; ++i) h = (h ^ w[i]) * 16777619u;
  return h;
}

// Checksums of what no guest may change, with their physical addresses: Gandalf's code and
// read-only data, the first 64 KiB of the image store, the first page of each RTOS instance's
// image. The isolation tests compare them before and after an attack (tests/linux/run.py).
void print_sums() {
  // Gandalf's code and read-only data as the image holds them (not the loader's padding).
  const auto text = static_cast<std::uint32_t>(__text_bytes_end - __text_start);
  const auto rodata = static_cast<std::uint32_t>(__rodata_bytes_end - __text_end);
  const std::uint32_t store = system_config.image_store_bytes < 0x10000 ? system_config.image_store_bytes : 0x10000;
  console::report("sums: gandalf %08x+%x fnv=%08x\n", ia32::gandalf_phys_of(__text_start),
                  static_cast<std::uint32_t>(__rodata_bytes_end - __text_start),
                  fnv1a(__text_end, rodata, fnv1a(__text_start, text)));
  console::report("sums: store %08x+%x fnv=%08x\n", ia32::gandalf_phys_of(image_store), store,
                  fnv1a(image_store, store));
  for (std::size_t i = 0; i < partition_count(); ++i) {
    const Partition& p = partitions()[i];
    if (p.cfg->kind != config::Kind::rtos || p.image_size < sizeof(gandalf_image_header)) continue;
    gandalf_image_header h;
    std::memcpy(&h, p.image, sizeof h);
    const std::uint32_t page = h.load_offset & ~0xfffu;
    const std::uint8_t* at = guest_ptr(p, page, 4096);
    if (at != nullptr)
      console::report("sums: %s %08x+1000 fnv=%08x\n", p.cfg->name, p.cfg->phys_base + page, fnv1a(at, 4096));
  }
  console::report("sums: end\n");
}

// Linux's exits by kind (linux_guest::exception): `exits` shows them, `exits reset` clears.
void print_exits(bool reset) {
  for (unsigned k = 0; k < linux_guest::exit_kind_count; ++k) {
    const auto kind = static_cast<linux_guest::ExitKind>(k);
    const linux_guest::ExitStat& s = linux_guest::exit_stat(kind);
    console::report("exits: kind=%s count=%llu tsc=%llu worst=%llu\n", linux_guest::exit_kind_name(kind), s.count,
                    s.tsc, s.worst);
  }
  console::report("exits: end\n");
  if (reset) linux_guest::reset_exit_stats();
}

// Per partition (docs/debugging.md): time used, switches, traps by kind, the virtual-interrupt
// latency histogram and the longest virtual-IF-off window; TSC ticks with the TSC's rate.
// tools/telemetry.py turns the lines into JSON and a plot.
void print_telemetry_of(Partition& p, bool reset) {
  fold_counters(p);
  const Counters& k = p.counters;
  Telemetry& t = p.telemetry;
  const Counters& b = t.base;
  console::report("telemetry: name=%s used_tsc=%llu switches_in=%llu switches_out=%llu vif_off_worst_tsc=%llu "
                  "latency_worst_tsc=%llu\n",
                  p.cfg->name, t.tsc_used, k.switches - b.switches,
                  k.switches - b.switches - (current == &p && k.switches > b.switches ? 1 : 0), t.vif_off_worst,
                  k.worst_latency);
  console::report("telemetry: name=%s traps hypercalls=%llu emulated=%llu virqs=%llu reflected=%llu faults=%llu "
                  "bad_hypercalls=%llu shadow_fills=%llu fpu_loads=%llu restarts=%u\n",
                  p.cfg->name, k.hypercalls - b.hypercalls, k.traps_emulated - b.traps_emulated,
                  k.virqs_delivered - b.virqs_delivered, k.exceptions_reflected - b.exceptions_reflected,
                  k.faults - b.faults, k.bad_hypercalls - b.bad_hypercalls, k.shadow_fills - b.shadow_fills,
                  p.fpu_switches - t.fpu_base, p.restarts);
  char hist[Telemetry::buckets * 14 + 1];
  std::size_t n = 0;
  for (unsigned i = 0; i < Telemetry::buckets; ++i)
    if (t.latency[i] != 0 && n + 14 < sizeof hist) n += console::format(hist + n, sizeof hist - n, " %u:%u", i, t.latency[i]);
  hist[n] = '\0';
  console::report("telemetry: name=%s latency_log2_tsc%s\n", p.cfg->name, hist);
  if (!reset) return;
  const bool off = t.vif_off_since != 0;
  t = Telemetry{};
  if (off) t.vif_off_since = ia32::cpu::rdtsc();  // a window still open goes on from now
  t.base = k;
  t.fpu_base = p.fpu_switches;
  p.counters.worst_latency = 0;
}

void print_telemetry_all(bool reset) {
  if constexpr (!telemetry_built) return console::report("telemetry: not built into this Gandalf (a lean build)\n");
  console::report("telemetry: tsc_hz=%llu pit_ticks=%llu idle_tsc=%llu late_ticks=%llu\n", tsc_hz(), precise_now(),
                  idle_tsc, late_ticks);
  for (std::size_t i = 0; i < partition_count(); ++i) print_telemetry_of(partitions()[i], reset);
  if (reset) idle_tsc = 0;
  console::report("telemetry: end\n");
}

// `dumps`: one line per partition that has a crash dump.
void print_dumps() {
  for (std::size_t i = 0; i < partition_count(); ++i) {
    const Partition& p = partitions()[i];
    if (const dump::Dump* d = dump::of(p))
      console::report("dumps: name=%s seq=%u restarts=%u time_ms=%llu vector=%u error=0x%x at=%04x:%08x\n",
                      p.cfg->name, d->sequence, d->restarts, d->pit_ticks / 1193u, d->vector, d->error,
                      d->frame.cs, d->frame.eip);
  }
  console::report("dumps: end\n");
}

void print_bytes(const char* name, const char* what, std::uint32_t at, const std::uint8_t* bytes, std::uint32_t len) {
  for (std::uint32_t i = 0; i < len; i += 32) {
    char hex[32 * 2 + 1];
    std::size_t n = 0;
    for (std::uint32_t j = i; j < len && j < i + 32; ++j) n += console::format(hex + n, sizeof hex - n, "%02x", bytes[j]);
    hex[n] = '\0';
    console::report("dump: name=%s %s at=%08x %s\n", name, what, at + i, hex);
  }
}

// `dump NAME`: the partition's latest crash dump (tools/dump.py reads these lines).
void print_dump(const char* name) {
  const Partition* p = find_partition(name);
  if (p == nullptr) return console::report("monitor: no partition '%s'\n", name);
  const dump::Dump* d = dump::of(*p);
  if (d == nullptr) return console::report("monitor: no dump of '%s': it has not faulted since Gandalf started\n", name);
  const ia32::Frame& f = d->frame;
  console::report("dump: name=%s seq=%u restarts=%u time_ms=%llu vector=%u error=0x%x\n", name, d->sequence,
                  d->restarts, d->pit_ticks / 1193u, d->vector, d->error);
  console::report("dump: name=%s what=%s\n", name, d->what);
  console::report("dump: name=%s regs eax=%08x ebx=%08x ecx=%08x edx=%08x esi=%08x edi=%08x ebp=%08x esp=%08x\n",
                  name, f.eax, f.ebx, f.ecx, f.edx, f.esi, f.edi, f.ebp, f.esp);
  console::report("dump: name=%s regs eip=%08x eflags=%08x cs=%04x ss=%04x ds=%04x es=%04x fs=%04x gs=%04x\n", name,
                  f.eip, f.eflags, f.cs & 0xffff, f.ss & 0xffff, f.ds & 0xffff, f.es & 0xffff, f.fs & 0xffff,
                  f.gs & 0xffff);
  if (p->cfg->virt == config::Virtualization::full)
    console::report("dump: name=%s regs cr0=%08x cr2=%08x cr3=%08x cr4=%08x\n", name, d->cr0, d->cr2, d->cr3, d->cr4);
  x86::Insn insn;
  const bool decoded = d->code_len != 0 && x86::decode(d->code, d->code_len, insn);
  console::report("dump: name=%s insn %s\n", name, decoded ? x86::mnemonic(insn.op) : "(undecodable)");
  print_bytes(name, "code", f.eip, d->code, d->code_len);
  print_bytes(name, "stack", f.esp, d->stack, d->stack_len);
  if (p->cfg->console_tail != 0) print_bytes(name, "console", 0, dump::console_tail(*p), d->tail_len);
  if (p->cfg->dump_memory != 0)
    console::report("dump: name=%s memory bytes=%x copied=%x (dump %s memory OFFSET: 1 KiB of it)\n", name,
                    p->cfg->dump_memory, d->memory_copied, name);
  console::report("dump: end\n");
}

// `dump NAME memory OFFSET`: 1 KiB of the memory copy of NAME's dump (hex OFFSET).
void print_dump_memory(const char* name, const char* offset_text) {
  const Partition* p = find_partition(name);
  if (p == nullptr) return console::report("monitor: no partition '%s'\n", name);
  const dump::Dump* d = dump::of(*p);
  if (d == nullptr || p->cfg->dump_memory == 0)
    return console::report("monitor: no memory dump of '%s' (%s)\n", name,
                           d == nullptr ? "it has not faulted" : "its configuration has no dump_memory");
  std::uint32_t offset = 0;
  const char* c = offset_text;
  if (c[0] == '0' && (c[1] == 'x' || c[1] == 'X')) c += 2;
  for (; *c != '\0'; ++c) {
    const int digit = *c >= '0' && *c <= '9' ? *c - '0' : (*c | 0x20) >= 'a' && (*c | 0x20) <= 'f' ? (*c | 0x20) - 'a' + 10 : -1;
    if (digit < 0 || offset > 0x0fffffffu) return console::report("monitor: '%s' is no hex offset\n", offset_text);
    offset = offset * 16 + static_cast<std::uint32_t>(digit);
  }
  if (offset >= d->memory_copied)
    return console::report("monitor: offset %x is beyond the %x bytes copied of '%s'\n", offset, d->memory_copied, name);
  const std::uint32_t left = d->memory_copied - offset;
  print_bytes(name, "memory", offset, dump::memory(*p) + offset, left < 1024 ? left : 1024);
  console::report("dump: end\n");
}

// "NAME" or "NAME memory OFFSET" after `dump `.
void dump_command(char* args) {
  char* space = args;
  while (*space != '\0' && *space != ' ') ++space;
  if (*space == '\0') return print_dump(args);
  *space = '\0';
  if (std::strncmp(space + 1, "memory ", 7) != 0) return console::report("monitor: dump NAME [memory OFFSET]\n");
  print_dump_memory(args, space + 8);
}

// `paths`: the path probe's rows (paths.hpp), in TSC ticks (instructions under QEMU -icount).
void print_paths(bool reset) {
  if constexpr (!paths::built)
    return console::report("paths: not built into this Gandalf (gandalf_system(... PROBE) builds the probe in)\n");
  for (unsigned i = 0; i < static_cast<unsigned>(paths::Path::rows); ++i) {
    const paths::Row& r = paths::row(i);
    if (r.count == 0) continue;
    const bool linux_row = i >= static_cast<unsigned>(paths::Path::linux_exit) && i < static_cast<unsigned>(paths::Path::count);
    console::report("paths: kind=%s%s count=%llu worst=%llu total=%llu\n", linux_row ? "linux_" : "", paths::name(i),
                    r.count, r.worst, r.total);
  }
  if (reset) paths::reset();
  console::report("paths: end\n");
}

// `budgets`: each partition's CPU budget (docs/budgets.md) and how often it ran out.
void print_budgets(bool reset) {
  for (std::size_t i = 0; i < partition_count(); ++i) {
    Partition& p = partitions()[i];
    const config::Partition& c = *p.cfg;
    if (!p.budget.enabled()) {
      console::report("budgets: name=%s none\n", c.name);
      continue;
    }
    console::report("budgets: name=%s budget_us=%u period_us=%u on_budget=%s used_us=%llu ticks_left=%u "
                    "throttled=%u exhausted=%llu\n",
                    c.name, c.budget_us, c.period_ticks * system_config.tick_us,
                    config::on_budget_name(c.on_budget), p.budget.used() * 1000000u / pc::pit::input_hz,
                    p.budget.ticks_left(), p.budget.throttled() ? 1u : 0u, p.budget.exhaustions());
    if (reset) p.budget.clear_exhaustions();
  }
  console::report("budgets: end\n");
}

// The real 8259 pair and every partition's virtual one: where an interrupt waits or is stuck.
void print_pics() {
  console::report("pic: real irr=%04x isr=%04x imr=%04x\n", pc::pic::read_register(pc::pic::read_irr),
                  pc::pic::read_register(pc::pic::read_isr), pc::pic::imr());
  for (std::size_t i = 0; i < partition_count(); ++i) {
    const Partition& p = partitions()[i];
    console::report("pic: name=%s virr=%04x visr=%04x vimr=%04x vif=%u pending=%u\n", p.cfg->name, p.vpic.irr(),
                    p.vpic.isr(), p.vpic.imr(), p.vif ? 1u : 0u, p.vpic.pending() ? 1u : 0u);
  }
  console::report("pic: end\n");
}

void command(char* cmd) {
  if (std::strcmp(cmd, "pic") == 0) return print_pics();
  if (std::strcmp(cmd, "c") == 0 || std::strcmp(cmd, "counters") == 0) return print_counters();
  if (std::strcmp(cmd, "exits") == 0 || std::strcmp(cmd, "exits reset") == 0) return print_exits(cmd[5] != '\0');
  if (std::strcmp(cmd, "sums") == 0) return print_sums();
  if (std::strcmp(cmd, "dumps") == 0) return print_dumps();
  if (std::strncmp(cmd, "dump ", 5) == 0) return dump_command(cmd + 5);
  if (std::strcmp(cmd, "t") == 0 || std::strcmp(cmd, "telemetry") == 0) return print_telemetry_all(false);
  if (std::strcmp(cmd, "telemetry reset") == 0) return print_telemetry_all(true);
  if (std::strcmp(cmd, "channels") == 0 || std::strcmp(cmd, "channels reset") == 0)
    return channel::print(cmd[8] != '\0');
  if (std::strcmp(cmd, "p") == 0 || std::strcmp(cmd, "partitions") == 0) return print_partitions();
  if (std::strcmp(cmd, "paths") == 0 || std::strcmp(cmd, "paths reset") == 0) return print_paths(cmd[5] != '\0');
  if (std::strcmp(cmd, "budgets") == 0 || std::strcmp(cmd, "budgets reset") == 0) return print_budgets(cmd[7] != '\0');
  const bool restart = std::strncmp(cmd, "restart ", 8) == 0;
  if (restart || std::strncmp(cmd, "stop ", 5) == 0) {
    Partition* p = find_partition(cmd + (restart ? 8 : 5));
    if (p == nullptr) return console::report("monitor: no partition '%s'\n", cmd + (restart ? 8 : 5));
    if (!restart) return stop_partition(*p, "stopped from the monitor");
    console::report("gandalf: [%s] restarted from the monitor\n", p->cfg->name);
    ++p->restarts;
    return begin_reload(*p);
  }
  console::report("monitor: unknown command '%s'; commands: c|counters, p|partitions, t|telemetry [reset], dumps, "
                  "dump NAME [memory OFFSET], exits [reset], sums, pic, channels [reset], budgets [reset], paths [reset], "
                  "restart NAME, "
                  "stop NAME\n", cmd);
}

}  // namespace

void print_partitions() {
  console::report("partitions: %-8s %-5s %-4s %-10s %-21s %-21s %s\n", "name", "kind", "virt", "state",
                  "segment", "physical", "irqs");
  for (std::size_t i = 0; i < partition_count(); ++i) {
    const Partition& p = partitions()[i];
    const config::Partition& c = *p.cfg;
    console::report("partitions: %-8s %-5s %-4s %-10s %08x-%08x %08x-%08x 0x%04x\n", c.name, kind_name(p),
                    c.virt == config::Virtualization::para ? "para" : "full", state_name(p), c.virt_base,
                    c.virt_base + c.seg_limit, c.phys_base, c.phys_base + c.memory - 1, c.irq_mask);
  }
}

void print_counters() {
  console::report("counters: begin\n");
  for (std::size_t i = 0; i < partition_count(); ++i) {
    Partition& p = partitions()[i];
    fold_counters(p);
    const Counters& k = p.counters;
    console::report("counters: name=%s state=%s switches=%llu traps=%llu hypercalls=%llu virqs=%llu "
                    "reflected=%llu faults=%llu restarts=%u bad_hypercalls=%llu worst_latency_tsc=%llu "
                    "shadow_fills=%llu\n",
                    p.cfg->name, state_name(p), k.switches, k.traps_emulated, k.hypercalls, k.virqs_delivered,
                    k.exceptions_reflected, k.faults, p.restarts, k.bad_hypercalls, k.worst_latency, k.shadow_fills);
  }
  console::report("counters: end\n");
}

void monitor_poll() {
  for (int c = console::poll_input(); c >= 0; c = console::poll_input()) {
    if (c == '\r' || c == '\n') {
      line[line_len] = '\0';
      if (line_len == sizeof line - 1) {
        console::report("monitor: command too long (at most %u characters)\n", static_cast<unsigned>(sizeof line - 2));
      } else if (line_len != 0) {
        const std::uint64_t t0 = ia32::cpu::rdtsc();
        command(line);
        if constexpr (paths::built) {  // the operator's time, not the tick's
          const std::uint64_t took = ia32::cpu::rdtsc() - t0;
          paths::exclude(took);
          paths::record(paths::Path::monitor_command, took);
        }
      }
      // Every reply ends here: `gandalf monitor COMMAND` reads up to this line (docs/cli.md).
      if (line_len != 0) console::report("monitor: done\n");
      line_len = 0;
    } else if (line_len + 1 < sizeof line) {
      line[line_len++] = static_cast<char>(c);
    } else {
      line_len = sizeof line - 1;  // too long: refused at its end, not run cut short
    }
  }
}

}  // namespace gandalf::core
