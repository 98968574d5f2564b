// Path lengths through Gandalf (paths.hpp): the probe a PROBE system builds in.
#include "gandalf/core/paths.hpp"

#include "gandalf/arch/ia32/cpu.hpp"
#include "gandalf/core/vmm.hpp"
#include "gandalf/linux/linux_guest.hpp"

namespace gandalf::core::paths {
namespace {

static_assert(static_cast<unsigned>(Path::count) - static_cast<unsigned>(Path::linux_exit) ==
              linux_guest::exit_kind_count);
static_assert(!built || telemetry_built, "the probe excludes the idle wait with telemetry's accounting");

struct Open {
  std::uint64_t t0;
  std::uint64_t excluded;
  const Partition* from;
  Path kind;
  bool inside;  // enter_inside: excluded from the enclosing path
};

// A path, an IRQ taken in its idle wait, the rest of a timer tick inside either.
constexpr unsigned max_depth = 3;
constinit Open open[max_depth]{};
constinit unsigned depth = 0;
constinit Row rows_[static_cast<unsigned>(Path::rows)]{};

void add(Path kind, std::uint64_t took) {
  Row& r = rows_[static_cast<unsigned>(kind)];
  ++r.count;
  r.total += took;
  if (took > r.worst) r.worst = took;
}

}  // namespace

void enter(Path kind) {
  if (depth == max_depth) return;  // cannot happen: Gandalf nests only in the idle wait
  open[depth++] = {ia32::cpu::rdtsc(), 0, current, kind, false};
}

bool enter_inside(Path kind) {
  if (depth == 0 || depth == max_depth) return false;  // outside every path: nothing to time it in
  open[depth++] = {ia32::cpu::rdtsc(), 0, current, kind, true};
  return true;
}

void set_kind(Path kind) {
  if (depth != 0) open[depth - 1].kind = kind;
}

void exclude(std::uint64_t tsc) {
  if (depth != 0) open[depth - 1].excluded += tsc;
}

void leave() {
  if (depth == 0) return;
  const Open& o = open[--depth];
  const std::uint64_t spent = ia32::cpu::rdtsc() - o.t0;
  const std::uint64_t took = spent > o.excluded ? spent - o.excluded : 0;
  add(o.kind, took);
  if (o.inside && depth != 0) open[depth - 1].excluded += spent;
  else if (current != o.from) add(Path::switch_partition, took);
}

void record(Path kind, std::uint64_t tsc) { add(kind, tsc); }

const Row& row(unsigned i) { return rows_[i]; }

const char* name(unsigned i) {
  constexpr const char* names[] = {"timer_tick", "timer_tick_reload", "device_irq", "hypercall_halt",
                                   "hypercall_set_if", "hypercall_set_vectors", "hypercall_refused",
                                   "emulated_io", "fpu_switch", "exception", "exit_fault", "monitor_command",
                                   "timer_tick_rest"};
  static_assert(sizeof names / sizeof *names == static_cast<unsigned>(Path::linux_exit));
  if (i < static_cast<unsigned>(Path::linux_exit)) return names[i];
  if (i < static_cast<unsigned>(Path::count))
    return linux_guest::exit_kind_name(static_cast<linux_guest::ExitKind>(i - static_cast<unsigned>(Path::linux_exit)));
  return "switch_partition";
}

void reset() {
  for (Row& r : rows_) r = Row{};
}

}  // namespace gandalf::core::paths
