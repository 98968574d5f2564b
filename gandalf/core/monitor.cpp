// Gandalf's monitor on its own console: partition table, counters, restart and stop. Its
// replies are reports: never lost to a partition's chatter.
#include <cstring>

#include "gandalf/core/console.hpp"
#include "gandalf/core/vmm.hpp"

namespace gandalf::core {
namespace {

constinit char line[64]{};
constinit std::size_t line_len = 0;

const char* state_name(const Partition& p) {
  switch (p.state) {
    case State::ready: return "ready";
    case State::halted: return "halted";
    case State::stopped: return "stopped";
    case State::loading: return "loading";
  }
  return "?";
}

const char* kind_name(const Partition& p) {
  return p.cfg->kind == config::Kind::linux_slot ? "linux" : "rtos";
}

void command(const char* cmd) {
  if (std::strcmp(cmd, "c") == 0 || std::strcmp(cmd, "counters") == 0) return print_counters();
  if (std::strcmp(cmd, "p") == 0 || std::strcmp(cmd, "partitions") == 0) return print_partitions();
  const bool restart = std::strncmp(cmd, "restart ", 8) == 0;
  if (restart || std::strncmp(cmd, "stop ", 5) == 0) {
    Partition* p = find_partition(cmd + (restart ? 8 : 5));
    if (p == nullptr) return console::report("monitor: no partition '%s'\n", cmd + (restart ? 8 : 5));
    if (!restart) return stop_partition(*p, "stopped from the monitor");
    console::report("gandalf: [%s] restarted from the monitor\n", p->cfg->name);
    ++p->restarts;
    return begin_reload(*p);
  }
  if (cmd[0] != '\0')
    console::report("monitor: commands: c|counters, p|partitions, restart NAME, stop NAME\n");
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
                    "reflected=%llu faults=%llu restarts=%u bad_hypercalls=%llu worst_latency_tsc=%llu\n",
                    p.cfg->name, state_name(p), k.switches, k.traps_emulated, k.hypercalls, k.virqs_delivered,
                    k.exceptions_reflected, k.faults, p.restarts, k.bad_hypercalls, k.worst_latency);
  }
  console::report("counters: end\n");
}

void monitor_poll() {
  for (int c = console::poll_input(); c >= 0; c = console::poll_input()) {
    if (c == '\r' || c == '\n') {
      line[line_len] = '\0';
      command(line);
      line_len = 0;
    } else if (line_len + 1 < sizeof line) {
      line[line_len++] = static_cast<char>(c);
    }
  }
}

}  // namespace gandalf::core
