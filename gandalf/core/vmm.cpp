// Gandalf's core: entry points from entry.S, scheduling and virtual interrupt delivery.
#include "gandalf/core/vmm.hpp"

#include <cstring>

#include "gandalf/arch/ia32/cpu.hpp"
#include "gandalf/arch/ia32/cpu_state.hpp"
#include "gandalf/arch/ia32/eflags.hpp"
#include "gandalf/arch/ia32/gdt.hpp"
#include "gandalf/arch/ia32/idt.hpp"
#include "gandalf/core/channel.hpp"
#include "gandalf/core/dump.hpp"
#include "gandalf/core/config.hpp"
#include "gandalf/core/console.hpp"
#include "gandalf/core/irq_guard.hpp"
#include "gandalf/core/paths.hpp"
#include "gandalf/linux/linux_guest.hpp"
#include "gandalf/platform/pc/pic_8259.hpp"
#include "gandalf/platform/pc/pit_8254.hpp"

namespace gandalf::core {

using ia32::Frame;

namespace {

constinit Partition table[config::max_partitions]{};
constinit Partition* irq_owner[16]{};
constinit std::uint32_t withdrawn[8]{};  // requests deliver_withdrawn restored, per master line
constinit std::uint32_t unseen[8]{};     // requests a spurious IRQ 7 made it deliver, per line
constinit std::uint64_t now_ticks = 0;
constinit IrqGuard irq_guard{};

// Reads the guest's handler for `vector` from the table it registered. set_vectors checked
// the whole table against reach(p) (check_set_vectors), and nothing else sets it, so an entry
// needs no check of its own; the handler must lie in the guest's code segment.
bool handler_for(const Partition& p, unsigned vector, std::uint32_t& handler) {
  if (vector >= p.vector_count) return false;
  __builtin_memcpy(&handler, reinterpret_cast<const void*>(p.vector_table + vector * 4), 4);
  return handler != 0 && handler <= p.code_limit;
}

// Builds the frame the processor would push for a same-privilege interrupt (EFLAGS, CS,
// EIP, optional error code) on the guest's stack and enters its handler with the virtual
// interrupt flag clear, as an interrupt gate would (SDM Vol. 3A §6.12.1). `now`: the TSC, for
// the virtual-IF window the delivery opens (telemetry).
[[gnu::always_inline]] inline Delivery deliver(Partition& p, unsigned vector, bool has_error, std::uint32_t error,
                                               std::uint64_t now) {
  if (linux_guest::is_linux(p)) return linux_guest::deliver(p, vector, has_error, error);
  std::uint32_t handler;
  if (!handler_for(p, vector, handler)) return Delivery::no_handler;
  Frame& f = p.frame;
  const std::uint32_t size = has_error ? 16 : 12;
  // [esp - size, esp) in reach (in_reach's test, with the bound precomputed: last_byte).
  if (f.esp < size || f.esp - 1 > p.last_byte) return Delivery::bad_stack;
  auto* slot = reinterpret_cast<std::uint32_t*>(p.cfg->virt_base + f.esp - size);
  namespace fl = ia32::eflags;
  const std::uint32_t flags = fl::If::replace(f.eflags, p.vif);
  unsigned i = 0;
  if (has_error) slot[i++] = error;
  slot[i++] = f.eip;
  slot[i++] = f.cs;
  slot[i] = flags;
  f.esp -= size;
  f.eip = handler;
  f.eflags &= ~(fl::Tf::mask | fl::Nt::mask | fl::Rf::mask);
  if constexpr (telemetry_built)
    if (p.vif) p.telemetry.vif_off_since = now;  // the window opens (vif_window's, without its rdtsc)
  p.vif = false;
  return Delivery::delivered;
}

// A latency of 2^32 TSC ticks or more (seconds): kept exactly, out of the hot path.
[[gnu::cold, gnu::noinline]] void count_long_latency(Partition& p, std::uint64_t latency) {
  if (latency > p.counters.worst_latency) p.counters.worst_latency = latency;
  if constexpr (telemetry_built) ++p.telemetry.latency[Telemetry::buckets - 1];
}

// Telemetry of one delivery: the latency from the real interrupt (or the raise) to now, in
// 32 bits on the hot path (a latency is far below 2^32 TSC ticks unless a guest kept its
// virtual IF off for seconds: count_long_latency).
[[gnu::always_inline]] inline void count_delivery(Partition& p, std::uint64_t now) {
  ++p.recent_virqs;
  const std::uint64_t raised = p.raise_tsc;
  if (raised == 0) return;
  p.raise_tsc = 0;
  if (p.guest_irq_tsc != nullptr) *p.guest_irq_tsc = raised;
  const std::uint64_t latency = now - raised;
  if ((latency >> 32) != 0) [[unlikely]]
    return count_long_latency(p, latency);
  const auto low = static_cast<std::uint32_t>(latency);
  if (low > p.recent_worst_latency) p.recent_worst_latency = low;
  if constexpr (telemetry_built) {
    const unsigned bucket = 31u - static_cast<unsigned>(__builtin_clz(low | 1u));  // 0 and 1: bucket 0
    ++p.telemetry.latency[bucket < Telemetry::buckets ? bucket : Telemetry::buckets - 1];
  }
}

// A virtual interrupt the virtual PIC answered with `vector`: delivered, or contained.
[[gnu::always_inline]] inline void deliver_vector(Partition& p, unsigned vector, std::uint64_t now) {
  switch (deliver(p, vector, false, 0, now)) {
    case Delivery::delivered:
      return count_delivery(p, now);
    case Delivery::no_handler:
      return contain(p, vector, 0, "virtual interrupt unmasked but no handler registered for its vector");
    case Delivery::bad_stack:
      return contain(p, vector, 0, "cannot deliver a virtual interrupt: guest stack outside its segment");
  }
}

// The virtual PIC's interrupt, if it presents one; `now`: the TSC (telemetry, latency).
void deliver_virq(Partition& p, std::uint64_t now) {
  const int taken = p.vpic.take();
  if (taken >= 0) deliver_vector(p, static_cast<unsigned>(taken), now);
}

// A real interrupt's virtual one that the virtual PIC answered at once (raise_and_take) and
// that is delivered before Gandalf returns from the interrupt (deliver_direct), or else
// settled as an ordinary raise (settle_direct). At most one per real interrupt; it lives in
// the interrupt handler's locals, never beyond it.
struct DirectVirq {
  Partition* p;        // nullptr: none
  std::uint32_t irq;
  std::uint32_t vector;
};

// The raise as the vPIC would have had it: the edge latched.
[[gnu::noinline]] void settle_direct(const DirectVirq& d) { d.p->vpic.raise(d.irq); }

// raise_virq for the real interrupt being handled: when the partition will take the edge at
// once (nothing else requested, the simple state of its vPIC, its virtual IF on), the vPIC
// answers it now and the IRR is never written; a halted partition becomes ready as with
// any pending interrupt.
[[gnu::always_inline]] inline DirectVirq raise_from_irq(Partition& p, unsigned irq, std::uint64_t since) {
  int vector = -1;
  if (p.state <= State::halted && takes_interrupt(p)) vector = p.vpic.raise_and_take(irq);
  if (vector < 0) {
    raise_virq(p, irq, since);
    return {};
  }
  if (p.raise_tsc == 0) p.raise_tsc = since;
  if (p.state == State::halted) set_state(p, State::ready);
  return {&p, irq, static_cast<std::uint32_t>(vector)};
}

// Linux resumes in its kernel with its virtual IF off while its virtual PIC requests an
// interrupt: the word after its vIF word, which its patched sti tests, says whether one is held.
void hold_interrupt(const Partition& p) { p.vif_words[1] = p.vpic.pending() ? 1 : 0; }

// Delivers the pending interrupt, if the virtual PIC presents one and the partition takes it,
// or holds it for Linux's next sti; out of line so that resume() needs no stack frame on its
// common path.
[[gnu::noinline]] State deliver_pending(Partition& p) {
  if (!takes_interrupt(p)) hold_interrupt(p);  // Linux's kernel with its interrupts off
  else deliver_virq(p, ia32::cpu::rdtsc());
  return p.state;
}

}  // namespace

constinit std::uint32_t ready_mask = 0;
// Nobody's: who runs before the first switch, so that switch_to always has someone to charge.
constinit Partition nobody{};
constinit Partition* current = &nobody;
constinit Partition* fpu_owner = nullptr;
constinit std::uint32_t switched_in_tsc = 0;
constinit std::uint64_t idle_tsc = 0;
constinit bool idling = false;  // in resume_slow's wait: the time is nobody's
constinit std::uint64_t late_ticks = 0;
constinit std::uint64_t tsc_origin = 0;  // the TSC at the first timer tick, for tsc_hz()
constinit std::uint64_t tick_origin = 0;

std::uint64_t tsc_hz() {
  const std::uint64_t ticks = precise_now() - tick_origin;
  if (tsc_origin == 0 || ticks == 0) return 0;
  return (ia32::cpu::rdtsc() - tsc_origin) * 1193182u / ticks;
}
// Highest first; the entry after the highest partition is the rest of the timer tick (below).
constinit Partition* by_priority[config::max_partitions + 1]{};
constinit std::uint64_t irq_taken_tsc = 0;  // extern "C" (vmm.hpp)

namespace {

// A timer tick comes in two parts. The first, in the interrupt, advances only the virtual 8254
// of the highest partition and delivers its tick: that partition is all the CPU goes to next
// if it takes it. The rest (everybody else's 8254, CPU budgets, Linux's direct paths, crash
// dumps and reloads, storm guards, the channels' held doorbells, Gandalf's console and
// monitor) is a ready-mask entry just below the highest partition: it runs as soon as that
// partition halts, before anybody else runs or Gandalf idles, or at the next tick if the
// highest partition ran through the whole tick. Its partition-shaped placeholder has a
// request latched and its virtual IF on, so that resume() sends it to resume_slow() without
// a test of its own on the switch path (docs/results.md, "Interrupt path").
constinit Partition tick_rest{};
constexpr std::uint32_t tick_rest_bit = 1u << 1;  // set in ready_mask while the rest is due
constinit bool top_ticked = false;     // the first part advanced the highest partition's 8254
constinit std::uint64_t tick_tsc_taken = 0;  // the TSC of the tick the rest belongs to

void finish_tick();

}  // namespace

// The low half of the TSC when the idle wait began, and the TSC ticks idled since the last
// tick: 32-bit like a partition's recent_tsc (a wait lasts at most until the next tick),
// folded into idle_tsc by every tick's rest.
constinit std::uint32_t idle_since = 0;
constinit std::uint32_t recent_idle_tsc = 0;

// The idle wait is over at TSC t1 (telemetry): its time is nobody's.
void end_idle(std::uint32_t t1) {
  idling = false;
  recent_idle_tsc += t1 - idle_since;
  switched_in_tsc = t1;
}

// The general case of resume(): idle with interrupts on until somebody is ready, deliver a
// pending interrupt on the way.
Frame* resume_slow() {
  for (;;) {
    const std::uint32_t mask = ready_mask;
    if (mask == 0) {
      if constexpr (telemetry_built) {
        const auto t0 = static_cast<std::uint32_t>(ia32::cpu::rdtsc());
        current->recent_tsc += t0 - switched_in_tsc;  // its time ends here
        idle_since = t0;
        idling = true;
        ia32::cpu::wait_for_interrupt();  // the timer tick inside charges nobody
        const auto t1 = static_cast<std::uint32_t>(ia32::cpu::rdtsc());
        end_idle(t1);
        if constexpr (paths::built) paths::exclude(t1 - t0);  // no path's (an IRQ in it is its own)
      } else {
        ia32::cpu::wait_for_interrupt();
      }
      continue;
    }
    Partition* p = by_priority[__builtin_ctz(mask)];
    if (p == &tick_rest) [[unlikely]] {
      finish_tick();
      continue;
    }
    if (wants_interrupt(*p)) {
      if (deliver_pending(*p) != State::ready) continue;  // delivery failed and contained it
    }
    switch_to(*p);
    return &p->frame;
  }
}

bool interrupt_pending(const Partition& p) { return p.vpic.pending(); }

// Lazy FPU switching: the owner's registers go to its save area only when another partition
// wants the FPU; a partition that never touches it never pays.
Frame* fpu_trap(Partition& p) {
  ia32::fpu::clear_ts();
  if (fpu_owner != &p) {
    if (fpu_owner != nullptr) ia32::fpu::save(fpu_owner->fpu);
    ia32::fpu::restore(p.fpu);
    fpu_owner = &p;
    ++p.fpu_switches;
  }
  return resume_current(p);
}

void fpu_reset(Partition& p) {
  p.fpu = ia32::fpu::initial;
  if (fpu_owner == &p) {
    fpu_owner = nullptr;  // its live registers are a previous life's: nobody's now
    ia32::fpu::set_ts();
  }
}


namespace {

// A line whose storm masking is over: back to its owner.
[[gnu::noinline]] void unmask_after_storm(std::uint16_t lines) {
  for (unsigned irq = 1; irq < IrqGuard::lines; ++irq) {
    if ((lines & (1u << irq)) == 0 || irq_owner[irq] == nullptr) continue;
    pc::pic::unmask(irq);
    console::report("gandalf: [%s] IRQ %u unmasked after %u ms\n", irq_owner[irq]->cfg->name, irq,
                    irq_guard.last_mask_ms(irq));
  }
}

// A device interrupting faster than the budget allows: its line is masked for a while.
[[gnu::noinline]] void irq_storm(unsigned irq) {
  const IrqGuard::Storm s = irq_guard.storm(irq);
  if (!s.report) return;
  pc::pic::mask(irq);
  // A report (the containment of a device), bounded by the guard's doubling back-off.
  if (s.repeat != 0)
    console::report("gandalf: [%s] IRQ %u storm: more than %u interrupts in %u ms, masked for %u ms "
                    "(storm %u in a row)\n", irq_owner[irq]->cfg->name, irq, s.budget, s.window_ms,
                    s.masked_ms, s.repeat + 1);
  else
    console::report("gandalf: [%s] IRQ %u storm: more than %u interrupts in %u ms, masked for %u ms\n",
                    irq_owner[irq]->cfg->name, irq, s.budget, s.window_ms, s.masked_ms);
}

// Only owned lines are ever unmasked, so this needs a bug or a stuck controller; whatever it
// is, the line is masked rather than taken again and again.
[[gnu::noinline]] void irq_without_owner(unsigned irq) {
  if (irq == pc::pic::cascade_irq) return;  // never a vector of its own; masking it loses 8-15
  pc::pic::mask(irq);
  if (irq_guard.unowned(irq))
    console::report("gandalf: IRQ %u has no owner: line masked for good\n", irq);
}

// Linux's virtual IF is a word its own code writes: Gandalf sees it at each tick. A window is
// the run of ticks that found Linux's kernel ready to run with its interrupts off.
void sample_linux_vif(Partition& p) {
  if constexpr (!telemetry_built) return;
  Telemetry& t = p.telemetry;
  if (p.state != State::ready || takes_interrupt(p)) {
    t.vif_off_since = 0;
    return;
  }
  const std::uint64_t now = ia32::cpu::rdtsc();
  if (t.vif_off_since == 0) t.vif_off_since = now;
  else if (now - t.vif_off_since > t.vif_off_worst) t.vif_off_worst = now - t.vif_off_since;
}

[[gnu::cold, gnu::noinline]] void deliver_withdrawn(std::uint8_t lines, std::uint32_t (&count)[8], const char* how) {
  lines &= static_cast<std::uint8_t>(~pc::pic::imr());  // masked meanwhile (a storm): stays so
  for (unsigned irq = 1; irq < 8; ++irq) {
    if ((lines & (1u << irq)) == 0 || irq_owner[irq] == nullptr) continue;
    Partition& p = *irq_owner[irq];
    raise_virq(p, irq);
    if (++count[irq] == 1)  // said once: it tells about the platform's wiring
      console::report("gandalf: [%s] IRQ %u request withdrawn %s (a line shared with the console's UART): "
                      "delivered\n", p.cfg->name, irq, how);
  }
}

// A spurious IRQ 7 on the master: what it answered was a request withdrawn before the INTA.
// That request may have been a partition's on the line Gandalf's UART shares, raised and
// lowered inside an access of that UART where no IRR read could see it (console.cpp): that
// line is delivered to its owner, unless still requested. A partition's UART driver finds
// nothing to do if there was nothing; without this its UART, which raises no new edge while
// its data waits, would go deaf. (Bochs: COM2 and COM4 share IRQ 3.) Only a line lowered
// while Gandalf runs with interrupts off makes one, which no guest can time at will: the extra
// deliveries stay rare.
[[gnu::cold, gnu::noinline]] void spurious_master_irq() {
  if (const std::uint8_t lines = console::line_shared_with_uart())
    deliver_withdrawn(static_cast<std::uint8_t>(lines & ~pc::pic::master_requests()), unseen,
                      "unseen, before the processor took it (a spurious IRQ 7)");
}

// CPU budgets (budget.hpp, docs/budgets.md). Throttling takes the partition's bit out of the
// ready mask and zeroes its prio_bit, so that nothing which makes it ready (an interrupt, a
// halt partner) puts it back before its period ends: the switch path pays nothing for it.
void throttle(Partition& p) {
  p.prio_bit = 0;
  ready_mask &= p.prio_clear;
}

void unthrottle(Partition& p) {
  p.prio_bit = ~p.prio_clear;
  if (p.state == State::ready) ready_mask |= p.prio_bit;
}

[[gnu::cold, gnu::noinline]] void budget_exhausted(Partition& p) {
  const config::Partition& c = *p.cfg;
  const std::uint32_t period_us = c.period_ticks * system_config.tick_us;
  switch (c.on_budget) {
    case config::OnBudget::throttle:
      throttle(p);
      if (console::told_at_powers_of_ten(p.budget.exhaustions()))
        console::report("gandalf: [%s] CPU budget used up (%u us per %u us): throttled until its period ends "
                        "(%llu time%s)\n", c.name, c.budget_us, period_us, p.budget.exhaustions(),
                        p.budget.exhaustions() == 1 ? "" : "s");
      return;
    case config::OnBudget::restart:
    case config::OnBudget::stop:
      console::report("gandalf: [%s] CPU budget used up (%u us per %u us)\n", c.name, c.budget_us, period_us);
      return restart_or_stop(p, c.on_budget == config::OnBudget::restart,
                             "stopped: its CPU budget ran out (on_budget, or its restarts are used up)");
  }
}

// The time `p` ran during the last tick, as a share of the tick's TSC ticks, in 8254 input
// ticks: the TSC's rate need not be known.
void charge_budget(Partition& p, std::uint64_t tick_tsc) {
  std::uint32_t ran = 0;
  if (tick_tsc != 0) {
    const std::uint64_t share = std::uint64_t{p.recent_tsc} * system_config.pit_reload / tick_tsc;
    ran = share > 2u * system_config.pit_reload ? 2u * system_config.pit_reload : static_cast<std::uint32_t>(share);
  }
  switch (p.budget.tick(ran)) {
    case Budget::Event::none: return;
    case Budget::Event::replenished: return unthrottle(p);
    case Budget::Event::exhausted: return budget_exhausted(p);
  }
}

constinit std::uint64_t last_tick_tsc = 0;
constinit std::uint64_t tick_count = 0;
constinit std::uint64_t tick_tsc_expected = 0;  // TSC ticks per timer tick, refreshed every 1024

// A timer tick that comes more than half a period late: the 8259 latches one IRQ 0 edge, so a
// second one went lost while interrupts stayed masked somewhere, or the timer itself lost an
// edge (as QEMU's model of the 8254 did in mode 2: docs/results.md, "Soak").
[[gnu::cold, gnu::noinline]] void late_tick(std::uint64_t tick_tsc) {
  ++late_ticks;
  if (console::told_at_powers_of_ten(late_ticks))
    console::report("gandalf: timer tick %llu came after %llu TSC ticks, %llu.%02llu periods (%llu late tick%s)\n",
                    tick_count, tick_tsc, tick_tsc / tick_tsc_expected, tick_tsc * 100 / tick_tsc_expected % 100,
                    late_ticks, late_ticks == 1 ? "" : "s");
}

// The rest of a tick (see tick_rest above), at the TSC and time of the tick it belongs to.
void finish_tick() {
  bool timed = false;
  if constexpr (paths::built) timed = paths::enter_inside(paths::Path::timer_tick_rest);
  ready_mask &= ~tick_rest_bit;
  const std::uint64_t tsc = tick_tsc_taken;
  if (tsc_origin == 0) [[unlikely]] {
    tsc_origin = tsc;
    tick_origin = now_ticks;
  }
  const std::uint64_t tick_tsc = last_tick_tsc == 0 ? 0 : tsc - last_tick_tsc;
  last_tick_tsc = tsc;
  if ((++tick_count & 1023) == 0) tick_tsc_expected = (tsc - tsc_origin) / tick_count;
  if (tick_tsc_expected != 0 && 2 * tick_tsc > 3 * tick_tsc_expected) [[unlikely]] late_tick(tick_tsc);
  if constexpr (telemetry_built) {
    const auto now = static_cast<std::uint32_t>(ia32::cpu::rdtsc());
    if (!idling) {  // the running partition's time so far is its own (telemetry, budgets)
      current->recent_tsc += now - switched_in_tsc;
      switched_in_tsc = now;
    } else {        // the idle wait's so far, so that no wait is counted in 32 bits across ticks
      recent_idle_tsc += now - idle_since;
      idle_since = now;
    }
    idle_tsc += recent_idle_tsc;
    recent_idle_tsc = 0;
  }
  if (const std::uint16_t due = irq_guard.tick()) [[unlikely]]
    unmask_after_storm(due);
  for (std::size_t i = 0; i < partition_config_count; ++i) {
    Partition& p = table[i];
    if (dump::copying(p)) [[unlikely]] {
      if constexpr (paths::built) paths::set_kind(paths::Path::timer_tick_reload);
      dump::copy_step(p);  // its crash dump's memory copy first: the reload would rewrite it
    } else if (p.state == State::loading) [[unlikely]] {
      if constexpr (paths::built) paths::set_kind(paths::Path::timer_tick_reload);
      continue_reload(p);
    } else if (p.state != State::stopped) {
      if (!(top_ticked && &p == by_priority[0]) && p.vpit.advance(now_ticks) != 0) raise_virq(p, 0, tsc);
      if (linux_guest::is_linux(p)) {
        linux_guest::refresh_direct_paths(p);
        sample_linux_vif(p);
      }
      if (p.budget.enabled()) [[unlikely]] charge_budget(p, tick_tsc);
    }
    fold_counters(p);
  }
  top_ticked = false;
  channel::tick(now_ticks);
  if (gandalf_fault_inject_tick) gandalf_fault_inject_tick();
  console::tick();
  monitor_poll();
  // A partition's request that an access of Gandalf's UART withdrew (console.cpp brackets each
  // with the master's IRR), on a line the console's UART shares with the partition's device
  // (Bochs lowers a shared line on an access of either UART; the partition's UART then never
  // raises it again): delivered as if taken.
  if (const std::uint8_t gone = console::take_withdrawn()) [[unlikely]]
    deliver_withdrawn(gone, withdrawn, "while Gandalf read its console");
  if (timed) paths::leave();
}

// The first part of a tick (see tick_rest above): the highest partition's virtual 8254, when
// that partition is simply running or halted (no budget, no dump or reload under way).
[[gnu::always_inline]] inline DirectVirq timer_tick() {
  if (ready_mask & tick_rest_bit) [[unlikely]] finish_tick();  // the highest partition ran through a tick
  now_ticks += system_config.pit_reload;
  tick_tsc_taken = irq_taken_tsc;
  Partition& top = *by_priority[0];
  ready_mask |= tick_rest_bit;
  // (A crash dump is copied while its partition is loading or stopped: fault.cpp, dump.cpp.)
  if (top.state > State::halted || top.budget.enabled()) [[unlikely]] {
    finish_tick();  // the whole tick now: its budget is charged before it runs on
    return {};
  }
  top_ticked = true;
  if (top.vpit.advance(now_ticks) == 0) return {};
  return raise_from_irq(top, 0, tick_tsc_taken);
}

// The exit path's fault points, three per EXIT in entry.S: [segment loads, lea) and the iret.
extern "C" const std::uint32_t __exit_points_start[], __exit_points_end[];
enum class ExitPoint { none, segment_load, iret };

ExitPoint exit_point(std::uint32_t eip) {
  for (const std::uint32_t* e = __exit_points_start; e + 2 < __exit_points_end; e += 3) {
    if (eip >= e[0] && eip < e[1]) return ExitPoint::segment_load;
    if (eip == e[2]) return ExitPoint::iret;
  }
  return ExitPoint::none;
}

// Gandalf itself was interrupted (idle loop, exit path); virtual-8086 frames are a guest's.
bool from_ring0(const Frame& f) {
  return (f.cs & 3) == 0 && (f.eflags & ia32::eflags::Vm::mask) == 0;
}

[[noreturn]] void vmm_panic(const Frame& f, const char* what) {
  console::report("\ngandalf: PANIC: %s: vector %u (%s) error 0x%x at %04x:%08x\n", what, f.vector,
                  ia32::idt::exception_name(f.vector), f.error, f.cs, f.eip);
  console::flush();
  ia32::cpu::halt_forever();
}

}  // namespace

// Return to the partition that trapped, delivering its pending interrupt first (the slow
// half of resume_current in vmm.hpp).
Frame* deliver_and_resume(Partition& p) {
  return deliver_pending(p) == State::ready ? &p.frame : resume();
}

// After a real interrupt: if the partition first in line takes the virtual interrupt it now
// has, deliver it and switch there from the interrupt itself, without resume_slow()'s loop;
// from the idle wait too, whose frames on Gandalf's stack are then left behind (the next
// entry from a guest starts on an empty stack). nullptr: the general path decides (nobody
// in line, the rest of a tick first, an interrupt held back, a delivery that was contained).
namespace {

// Leaving the idle wait straight from an interrupt, at TSC `now`: the frames below on
// Gandalf's stack are left, so finish what they would have.
void leave_idle_wait(std::uint64_t now) {
  if constexpr (telemetry_built) end_idle(static_cast<std::uint32_t>(now));
  linux_guest::close_abandoned_exit();
}

// The virtual interrupt raise_from_irq answered at once, delivered if its partition is the
// one to run and still takes it; otherwise (someone higher is ready: it waits in the IRR) it
// is settled as an ordinary raise, or dropped with the vPIC's reset if the partition was
// contained meanwhile (check_return_address). nullptr: the general path decides.
// `quiet`: nothing ran since the raise that can have changed the partition (its state, its
// virtual IF): only the containment of the interrupted guest's bad return address can.
[[gnu::always_inline]] inline Frame* deliver_direct(const DirectVirq& d, bool from_idle, bool quiet) {
  Partition& p = *d.p;
  if (!quiet && p.state != State::ready) [[unlikely]] return nullptr;  // restarted or stopped: its vPIC was reset
  // First in line: its bit is the mask's lowest (never when a budget throttles it: its
  // prio_bit is 0 then, and so is the AND).
  const std::uint32_t mask = ready_mask;
  if ((mask & (0u - mask) & p.prio_bit) == 0 || (!quiet && !takes_interrupt(p))) {
    settle_direct(d);
    return nullptr;
  }
  const std::uint64_t now = ia32::cpu::rdtsc();
  deliver_vector(p, d.vector, now);
  if (p.state != State::ready) [[unlikely]] return nullptr;  // contained
  if (from_idle) leave_idle_wait(now);
  switch_to(p, static_cast<std::uint32_t>(now));
  return &p.frame;
}

Frame* deliver_at_once(bool from_idle) {
  const std::uint32_t mask = ready_mask;
  if (mask == 0) return nullptr;
  Partition& p = *by_priority[__builtin_ctz(mask)];
  // (wants_interrupt and takes_interrupt together: a request latched, and it takes it now)
  if (&p == &tick_rest || !p.vpic.requested() || !takes_interrupt(p)) return nullptr;
  const std::uint64_t now = ia32::cpu::rdtsc();  // one read for the delivery and the switch
  deliver_virq(p, now);
  if (p.state != State::ready) [[unlikely]] return nullptr;
  if (from_idle) leave_idle_wait(now);
  switch_to(p, static_cast<std::uint32_t>(now));
  return &p.frame;
}
}  // namespace

Partition* partitions() { return table; }

// A window opens when the virtual IF goes off and closes when it goes on again (never counted:
// the start of a guest, which begins with it off; loader.cpp clears vif_off_since).
[[gnu::noinline]] void vif_window(Partition& p, bool on) {
  Telemetry& t = p.telemetry;
  const std::uint64_t now = ia32::cpu::rdtsc();
  if (!on) {
    t.vif_off_since = now;
  } else if (t.vif_off_since != 0) {
    if (now - t.vif_off_since > t.vif_off_worst) t.vif_off_worst = now - t.vif_off_since;
    t.vif_off_since = 0;
  }
}

// An instruction ending at the segment limit leaves EIP = limit + 1. The processor would
// fault on the next fetch at ring 1; Gandalf's own iret would fault at ring 0 instead, so
// raise that #GP here, as the guest's.
bool check_return_address(Partition& p) {
  if (p.frame.eip <= p.code_limit || p.state != State::ready) [[likely]] return false;
  guest_exception(p, ia32::idt::gp, 0);
  return true;
}

Delivery deliver_exception(Partition& p, unsigned vector, std::uint32_t error) {
  const Delivery d = deliver(p, vector, ia32::idt::has_error_code(vector), error, ia32::cpu::rdtsc());
  if (d == Delivery::delivered) ++p.counters.exceptions_reflected;
  return d;
}

std::uint64_t precise_now() {
  static constinit std::uint64_t last = 0;
  std::uint64_t now = now_ticks + pc::pit::elapsed_clocks(system_config.pit_reload);
  if (now < last) now = last;  // a wrap not yet seen as IRQ 0 must not run time backwards
  last = now;
  return now;
}
std::size_t partition_count() { return partition_config_count; }
std::uint64_t pit_now() { return now_ticks; }

Partition* find_partition(const char* name) {
  for (std::size_t i = 0; i < partition_config_count; ++i)
    if (std::strcmp(table[i].cfg->name, name) == 0) return &table[i];
  return nullptr;
}

std::uint8_t* guest_ptr(const Partition& p, std::uint32_t offset, std::uint32_t len) {
  if (!in_reach(reach(p), offset, len)) return nullptr;
  return reinterpret_cast<std::uint8_t*>(p.cfg->virt_base + offset);
}

void init_partitions() {
  channel::init();
  tick_rest.vif = true;  // with a request latched: resume() always hands it to resume_slow()
  tick_rest.vpic.raise(0);
  by_priority[1] = &tick_rest;
  for (std::size_t i = 0; i < partition_config_count; ++i) {
    Partition& p = table[i];
    const config::Partition& c = partition_configs[i];
    p.cfg = &c;
    p.index = static_cast<std::uint8_t>(i);
    console::name_source(static_cast<unsigned>(i), c.name);
    // RTOS instances in configuration order first; the Linux slot runs when all are idle.
    // Position 1 is the rest of the timer tick (tick_rest), after the highest partition.
    const std::size_t order = i == 0 ? partition_config_count - 1 : i - 1;
    const std::size_t position = order == 0 ? 0 : order + 1;
    p.prio_bit = 1u << position;
    p.prio_clear = ~p.prio_bit;
    p.budget.configure(c.budget_pit, c.period_ticks);
    p.code_limit = c.seg_limit;
    p.last_byte = c.memory - 1 < c.seg_limit ? c.memory - 1 : c.seg_limit;  // memory > 0 (gandalf-config)
    by_priority[position] = &p;
    p.wake_partner = c.wake_on_halt >= 0 ? &table[c.wake_on_halt] : nullptr;
    p.gdtr = ia32::setup_partition_gdt(static_cast<unsigned>(i), c.virt_base, c.seg_limit);
    p.iomap_offset = ia32::setup_io_bitmap(static_cast<unsigned>(i), c.ports, c.port_range_count);
    if (const std::uint16_t tapped = dump::tapped_port(p)) ia32::trap_port(static_cast<unsigned>(i), tapped);
    for (unsigned irq = 0; irq < 16; ++irq)
      if (c.irq_mask & (1u << irq)) irq_owner[irq] = &p;
    if (p.unbootable != nullptr) stop_partition(p, "not started: its images cannot boot");
    else load_partition(p);
  }
}

[[noreturn]] void start_guests() {
  Frame* f = resume();
  asm volatile("jmp resume_frame" ::"a"(f));
  __builtin_unreachable();
}

void unmask_irqs() {
  irq_guard.configure(default_irq_storm_limits, system_config.tick_us);
  pc::pic::unmask(0);
  std::uint8_t withdrawable = 0;  // master lines a partition owns (not the timer, not the cascade)
  for (unsigned irq = 1; irq < 16; ++irq) {
    if (irq_owner[irq] == nullptr) continue;
    pc::pic::unmask(irq);
    if (irq < 8 && irq != pc::pic::cascade_irq) withdrawable |= static_cast<std::uint8_t>(1u << irq);
  }
  console::set_shared_lines(withdrawable);
}

}  // namespace gandalf::core

using gandalf::core::Partition;
using gandalf::core::State;
using gandalf::ia32::Frame;

namespace {

// After a real interrupt's work (`d`: its virtual interrupt answered at once, if any): back
// to the interrupted guest, to the guest the interrupt made first in line (deliver_direct,
// deliver_at_once), or to the idle wait.
[[gnu::always_inline]] inline Frame* after_irq(Frame* f, const gandalf::core::DirectVirq& d) {
  const bool idle = gandalf::core::from_ring0(*f);  // Gandalf was idling
  bool quiet = true;  // nothing ran since the raise (deliver_direct)
  if (!idle) {
    Partition& p = *gandalf::core::current;
    if (f != &p.frame) [[unlikely]] {
      if (d.p != nullptr) gandalf::core::settle_direct(d);
      return gandalf::core::v86_trap(p, *f);
    }
    quiet = !gandalf::core::check_return_address(p);
  } else if constexpr (gandalf::core::paths::built) {
    if (d.p != nullptr) gandalf::core::settle_direct(d);
    return f;  // back to the wait: the probe times its IRQ as a path of its own (paths.hpp)
  }
  if (d.p != nullptr)
    if (Frame* next = gandalf::core::deliver_direct(d, idle, quiet)) return next;
  if (Frame* next = gandalf::core::deliver_at_once(idle)) return next;
  return idle ? f : gandalf::core::resume();  // the idle loop, or the general scheduler
}

// IRQ 0, Gandalf's own timer (its own entry: never spurious, the EOI a constant).
Frame* tick_entry(Frame* f) {
  gandalf::pc::pic::eoi(0);
  return after_irq(f, gandalf::core::timer_tick());
}

// IRQ 1..15: a partition's device, or a line nobody owns.
Frame* irq_entry(Frame* f) {
  const unsigned irq = f->vector - gandalf::ia32::idt::irq_base;
  gandalf::core::DirectVirq d{};
  if (!gandalf::pc::pic::spurious(irq)) {
    gandalf::pc::pic::eoi(irq);  // ISA lines are edge-triggered: acknowledge at once
    if (irq == 0) [[unlikely]] {  // (IRQ 0 has its own entry: gandalf_tick)
      d = gandalf::core::timer_tick();
    } else if (Partition* owner = gandalf::core::irq_owner[irq]) {
      d = gandalf::core::raise_from_irq(*owner, irq, gandalf::core::irq_taken_tsc);
      if (gandalf::core::irq_guard.count(irq)) [[unlikely]]
        gandalf::core::irq_storm(irq);
    } else {
      gandalf::core::irq_without_owner(irq);
    }
  } else if (irq == 7) [[unlikely]] {
    gandalf::core::spurious_master_irq();
  }
  return after_irq(f, d);
}

using gandalf::core::paths::Path;

// The probe's kind, where the entry alone does not tell it (paths.hpp).
inline void path_is(Path kind) {
  if constexpr (gandalf::core::paths::built) gandalf::core::paths::set_kind(kind);
}

Frame* linux_exit(Partition& p, const Frame& f) {
  Frame* next = gandalf::linux_guest::exception(p, f.vector, f.error);
  path_is(static_cast<Path>(static_cast<unsigned>(Path::linux_exit) +
                            static_cast<unsigned>(gandalf::linux_guest::last_exit_kind())));
  return next;
}

Frame* exception_entry(Frame* f) {
  using gandalf::core::ExitPoint;
  Partition& p = *gandalf::core::current;
  if (gandalf::core::from_ring0(*f)) {
    // A data segment register of the frame being resumed (EAX in EXIT) no longer loads.
    if (gandalf::core::exit_point(f->eip) == ExitPoint::segment_load && f->eax == reinterpret_cast<std::uint32_t>(&p.frame)) {
      path_is(Path::exit_fault);
      return gandalf::core::exit_segment_fault(p, p.frame, f->vector, f->error);
    }
    gandalf::core::vmm_panic(*f, "exception in Gandalf");
  }
  if (f != &p.frame) [[unlikely]] return gandalf::core::v86_trap(p, *f);
  if (f->vector == gandalf::ia32::idt::nm) {
    path_is(Path::fpu_switch);
    return gandalf::core::fpu_trap(p);
  }
  if (gandalf::linux_guest::is_linux(p)) return linux_exit(p, *f);
  if (f->vector == gandalf::ia32::idt::gp && f->error == 0 && gandalf::core::emulate(p)) {
    path_is(Path::emulated_io);
    ++p.counters.traps_emulated;
    gandalf::core::check_return_address(p);
    const bool again = gandalf::core::channel::take_reschedule();  // a doorbell woke someone
    return p.state == State::ready && !again ? gandalf::core::resume_current(p) : gandalf::core::resume();
  }
  if (f->vector == gandalf::ia32::idt::gp && gandalf::core::software_exception(p, f->error))
    return gandalf::core::resume();
  gandalf::core::guest_exception(p, f->vector, f->error);
  return gandalf::core::resume();
}

struct ExitFault {
  std::uint32_t eip;
  Frame* f;
};

Frame* exit_fault_entry(ExitFault e) {
  Partition& p = *gandalf::core::current;
  if (gandalf::core::exit_point(e.eip) != gandalf::core::ExitPoint::iret || e.f != &p.frame)
    gandalf::core::vmm_panic(*e.f, "exception in Gandalf with its stack pointer outside its stack");
  return gandalf::core::exit_iret_fault(p, *e.f);
}

}  // namespace

extern "C" [[gnu::regparm(1)]] Frame* gandalf_irq(Frame* f) {
  return gandalf::core::paths::timed(Path::device_irq, irq_entry, f);
}

extern "C" [[gnu::regparm(1)]] Frame* gandalf_tick(Frame* f) {
  return gandalf::core::paths::timed(Path::timer_tick, tick_entry, f);
}

extern "C" [[gnu::regparm(1)]] Frame* gandalf_exception(Frame* f) {
  return gandalf::core::paths::timed(Path::exception, exception_entry, f);
}

// From entry.S when EXIT's iret faulted: EAX = the faulting EIP, EDX = the frame it resumed.
extern "C" [[gnu::regparm(2)]] Frame* gandalf_exit_fault(std::uint32_t eip, Frame* f) {
  return gandalf::core::paths::timed(Path::exit_fault, exit_fault_entry, ExitFault{eip, f});
}

extern "C" [[gnu::regparm(1)]] Frame* gandalf_unexpected(Frame* f) {
  gandalf::core::vmm_panic(*f, "unexpected interrupt vector");
}
