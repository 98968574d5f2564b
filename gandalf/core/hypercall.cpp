// The three hypercalls of the para-virtual ABI (include/gandalf/abi.h, docs/abi.md).
#include "gandalf/abi.h"
#include "gandalf/core/console.hpp"
#include "gandalf/core/status.hpp"
#include "gandalf/core/vmm.hpp"

namespace gandalf::core {
namespace {

// Replaces lidt: the table must lie inside the caller's segment and RAM.
Status set_vectors(Partition& p, std::uint32_t table, std::uint32_t entries) {
  if (entries > GANDALF_VECTORS) return Status::invalid;
  if (entries != 0 && guest_ptr(p, table, entries * 4) == nullptr) return Status::fault;
  p.vector_table = table;
  p.vector_count = entries;
  return Status::ok;
}

// Replaces sti/cli: returns the previous state; a pending interrupt is delivered on return.
std::int32_t set_if(Partition& p, std::uint32_t mode) {
  if (mode > 2) return to_abi(Status::invalid);
  const bool previous = p.vif;
  if (mode != 2) p.vif = mode == 1;
  return previous ? 1 : 0;
}

// Replaces hlt (and sti;hlt with GANDALF_HALT_ENABLE).
Status halt(Partition& p, std::uint32_t flags, bool& reschedule) {
  if ((flags & ~GANDALF_HALT_ENABLE) != 0) return Status::invalid;
  if (flags & GANDALF_HALT_ENABLE) p.vif = true;
  if (p.vpic.requested() && p.vpic.pending()) return Status::ok;  // already there: no halt
  set_state(p, State::halted);
  reschedule = true;
  // Benchmark instrumentation (as in the paper): halting hands the CPU to a partner.
  if (p.cfg->wake_on_halt >= 0) {
    Partition& partner = partitions()[p.cfg->wake_on_halt];
    if (partner.state == State::halted) set_state(partner, State::ready);
  }
  return Status::ok;
}

[[gnu::cold, gnu::noinline]] void report_bad_call(Partition& p, std::uint32_t nr, const ia32::Frame& f,
                                                 std::int32_t result) {
  ++p.counters.bad_hypercalls;
  console::print("gandalf: [%s] hypercall %u (ebx=0x%x ecx=0x%x) at %04x:%08x refused: error %d\n",
                 p.cfg->name, nr, f.ebx, f.ecx, f.cs, f.eip, result);
  if (p.cfg->strict_hypercalls)
    contain(p, GANDALF_HYPERCALL_VECTOR, static_cast<std::uint32_t>(-result),
            "bad hypercall arguments (strict_hypercalls)");
}

// Dispatches one hypercall; the result goes to f.eax.
inline void hypercall(Partition& p, ia32::Frame& f, bool& reschedule) {
  ++p.counters.hypercalls;
  const std::uint32_t nr = f.eax;
  std::int32_t result;
  switch (nr) {
    case GANDALF_HC_SET_IF: result = set_if(p, f.ebx); break;
    case GANDALF_HC_HALT: result = to_abi(halt(p, f.ebx, reschedule)); break;
    case GANDALF_HC_SET_VECTORS: result = to_abi(set_vectors(p, f.ebx, f.ecx)); break;
    default: result = to_abi(Status::no_such_call); break;
  }
  f.eax = static_cast<std::uint32_t>(result);
  if (result < 0) {
    report_bad_call(p, nr, f, result);
    if (p.state != State::ready) reschedule = true;
  }
}

}  // namespace
}  // namespace gandalf::core

// Entry from entry.S (hypercall gate, vector 0x82): EAX = frame in, frame to resume out.
extern "C" [[gnu::regparm(1)]] gandalf::ia32::Frame* gandalf_hypercall(gandalf::ia32::Frame* f) {
  using namespace gandalf::core;
  Partition& p = *current;
  bool reschedule = false;
  hypercall(p, *f, reschedule);
  return reschedule ? resume() : resume_current(p);
}
