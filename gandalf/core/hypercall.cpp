// The three hypercalls of the para-virtual ABI (include/gandalf/abi.h, docs/abi.md).
#include "gandalf/abi.h"
#include "gandalf/core/console.hpp"
#include "gandalf/core/hypercall_args.hpp"
#include "gandalf/core/status.hpp"
#include "gandalf/core/paths.hpp"
#include "gandalf/core/vmm.hpp"

namespace gandalf::core {
namespace {

using ia32::Frame;

// A refused call: -error in EAX, logged with who and what (chatter of the partition: a guest
// can refuse itself in a loop), counted; with strict_hypercalls the partition is contained
// instead of just told.
[[gnu::cold, gnu::noinline]] Frame* refuse(Partition& p, Frame& f, Status why) {
  const std::uint32_t nr = f.eax;
  const std::int32_t result = to_abi(why);
  f.eax = static_cast<std::uint32_t>(result);
  ++p.counters.bad_hypercalls;
  console::chatter(p.index, "gandalf: [%s] hypercall %u (ebx=0x%x ecx=0x%x) at %04x:%08x refused: error %d\n",
                   p.cfg->name, nr, f.ebx, f.ecx, f.cs, f.eip, result);
  if (p.cfg->strict_hypercalls)
    contain(p, GANDALF_HYPERCALL_VECTOR, static_cast<std::uint32_t>(-result),
            "bad hypercall arguments (strict_hypercalls)");
  return p.state == State::ready ? resume_current(p) : resume();
}

[[gnu::cold, gnu::noinline]] Frame* beyond_limit(Partition& p) {
  check_return_address(p);
  return resume();
}

// Replaces lidt: the table must lie inside the caller's segment and RAM.
[[gnu::noinline]] Frame* set_vectors(Partition& p, Frame& f) {
  const std::uint32_t table = f.ebx, entries = f.ecx;
  if (const Status s = check_set_vectors(reach(p), table, entries); s != Status::ok) return refuse(p, f, s);
  p.vector_table = p.cfg->virt_base + table;
  p.vector_count = entries;
  f.eax = to_abi(Status::ok);
  return resume_current(p);
}

// Replaces sti/cli: returns the previous state; a pending interrupt is delivered on return.
[[gnu::noinline]] Frame* set_if(Partition& p, Frame& f) {
  const std::uint32_t mode = f.ebx;
  if (const Status s = check_set_if(mode); s != Status::ok) return refuse(p, f, s);
  f.eax = p.vif ? 1 : 0;
  if (mode != 2) set_guest_vif(p, mode == 1);
  return resume_current(p);
}

// Gives up the CPU (the rest of halt); wakes the benchmark partner if there is one.
// (set_state by hand: the ready mask is written once, whether a partner wakes or not.)
inline Frame* halt_now(Partition& p) {
  p.state = State::halted;
  std::uint32_t mask = ready_mask & p.prio_clear;
  // Benchmark instrumentation (as in the paper): halting hands the CPU to a partner.
  if (Partition* q = p.wake_partner; q != nullptr && q->state == State::halted) {
    q->state = State::ready;
    mask |= q->prio_bit;
  }
  ready_mask = mask;
  return resume();
}

// A request is latched: halt only if the virtual PIC would not present it now.
[[gnu::noinline]] Frame* halt_requested(Partition& p) {
  return interrupt_pending(p) ? resume_current(p) : halt_now(p);
}

// Replaces hlt (and sti;hlt with GANDALF_HALT_ENABLE). The switch benchmark's hot path: it
// makes no calls but tail calls, so it needs no stack frame.
inline Frame* halt(Partition& p, Frame& f) {
  const std::uint32_t flags = f.ebx;
  if (const Status s = check_halt(flags); s != Status::ok) [[unlikely]] return refuse(p, f, s);
  f.eax = to_abi(Status::ok);
  if constexpr (telemetry_built) {
    if (flags != 0 && !p.vif) [[unlikely]] vif_window(p, true);
  }
  p.vif = p.vif || flags != 0;
  if (p.vpic.requested()) return halt_requested(p);
  return halt_now(p);
}

}  // namespace
}  // namespace gandalf::core

// Entry from entry.S (hypercall gate, vector 0x82): EAX = frame in, frame to resume out.
// Each call returns straight into the scheduler's exit so the hot path keeps no frame.
namespace gandalf::core {
namespace {

[[gnu::always_inline]] inline ia32::Frame* hypercall_entry(ia32::Frame* f) {
  Partition& p = *current;
  ++p.recent_hypercalls;
  // `int $0x82` in the last two bytes of the segment returns to limit + 1 (see
  // check_return_address): fault it as the guest's, before doing anything for it.
  if (f->eip > p.code_limit) [[unlikely]] return beyond_limit(p);
  const std::uint32_t nr = f->eax;
  if (nr == GANDALF_HC_HALT) [[likely]] return halt(p, *f);
  switch (nr) {
    case GANDALF_HC_SET_IF: return set_if(p, *f);
    case GANDALF_HC_SET_VECTORS: return set_vectors(p, *f);
    default: return refuse(p, *f, gandalf::Status::no_such_call);
  }
}

[[maybe_unused]] paths::Path hypercall_path(std::uint32_t nr) {  // PROBE builds only
  switch (nr) {
    case GANDALF_HC_HALT: return paths::Path::hypercall_halt;
    case GANDALF_HC_SET_IF: return paths::Path::hypercall_set_if;
    case GANDALF_HC_SET_VECTORS: return paths::Path::hypercall_set_vectors;
    default: return paths::Path::hypercall_refused;
  }
}

}  // namespace
}  // namespace gandalf::core

extern "C" [[gnu::regparm(1)]] gandalf::ia32::Frame* gandalf_hypercall(gandalf::ia32::Frame* f) {
  using namespace gandalf::core;
  if constexpr (paths::built) return paths::timed(hypercall_path(f->eax), +[](gandalf::ia32::Frame* g) { return hypercall_entry(g); }, f);
  return hypercall_entry(f);
}
