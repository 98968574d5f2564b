// Gandalf/IA-32 port: vector table, virtual 8259/8254, task contexts, console.
#include "port.hpp"

#include <stddef.h>

#include "bare/devices.h"
#include "bare/pc_io.h"
#include "kernel/core.hpp"

using namespace itron;

extern "C" {
uint32_t itron_nest;
uint32_t itron_boot_info_offset;
uint32_t itron_irq_folded;  // interrupts that took over an exit's frame (entry.S)
uint32_t itron_handler_if;
uint32_t itron_irq_held_count;  // interrupts held off by a running handler's mask (ASP)
extern uint32_t itron_irq_deferred_count;
extern char __image_end[];
void itron_entry();
void itron_sta_ker();
extern char itron_idle_stack_top[];
#define DECLARE_IRQ(n) void itron_irq_##n();
DECLARE_IRQ(0) DECLARE_IRQ(1) DECLARE_IRQ(2) DECLARE_IRQ(3) DECLARE_IRQ(4) DECLARE_IRQ(5)
DECLARE_IRQ(6) DECLARE_IRQ(7) DECLARE_IRQ(8) DECLARE_IRQ(9) DECLARE_IRQ(10) DECLARE_IRQ(11)
DECLARE_IRQ(12) DECLARE_IRQ(13) DECLARE_IRQ(14) DECLARE_IRQ(15)
#define DECLARE_EXC(n) void itron_exc_##n();
DECLARE_EXC(0) DECLARE_EXC(1) DECLARE_EXC(3) DECLARE_EXC(4) DECLARE_EXC(5) DECLARE_EXC(6)
DECLARE_EXC(7) DECLARE_EXC(8) DECLARE_EXC(9) DECLARE_EXC(10) DECLARE_EXC(11) DECLARE_EXC(12)
DECLARE_EXC(13) DECLARE_EXC(14) DECLARE_EXC(16) DECLARE_EXC(17) DECLARE_EXC(18) DECLARE_EXC(19)
}

static_assert(offsetof(KernelState, runtsk) == 0 && offsetof(KernelState, schedtsk) == 4,
              "entry.S reads runtsk and schedtsk at these offsets");
static_assert(offsetof(TaskCB, sp) == 8, "entry.S saves the stack pointer at this offset");
static_assert(offsetof(T_EXCINF, excno) == 36 && offsetof(T_EXCINF, eflags) == 52,
              "entry.S builds T_EXCINF with these offsets");

// The image header Gandalf reads (include/gandalf/abi.h): loaded at ITRON_LOAD, boot
// stack below it.
[[gnu::section(".gandalf_header"), gnu::used]] const gandalf_image_header gandalf_header = {
    GANDALF_IMAGE_MAGIC, GANDALF_ABI_VERSION, ITRON_LOAD,
    reinterpret_cast<uint32_t>(&itron_entry), reinterpret_cast<uint32_t>(__image_end),
    ITRON_LOAD, {0, 0}};

namespace {

constexpr uint_t kVectors = GANDALF_VIRQ_BASE + 16;
constexpr uint_t kConsoleLine = INTNO_SIO;

// The table registered with SET_VECTORS: handler offsets, 0 = none (Gandalf then
// contains the exception: reports it and restarts or stops the partition).
uint32_t vector_table[kVectors];
INTHDR inh_table[TNUM_INTNO];
// The same handlers by the physical line that raises them (the console pseudo line at its
// IRQ, a line the console owns otherwise unused): what itron_irq looks up, in one load.
INTHDR irq_handler[16];
EXCHDR exc_table[TNUM_EXCNO];
PRI line_pri[TNUM_INTNO];
PRI irq_pri[16];        // the priority of the line each IRQ raises
// ASP's nesting (itron_irq): the mask the running handlers raised (the priority of the
// innermost interruptible one), TIPM_ENAALL at task level; the highest priority among the
// lines the IMR lets through; the IRQs taken while that mask held them off, masked in the
// IMR until the handler ends.
PRI handler_ipm = TIPM_ENAALL;
PRI top_unmasked = TIPM_ENAALL;
uint16_t held_irqs;
// Held IRQs a run_held loop is running: masked until that loop ends, so that two lines of
// one priority cannot take turns being held by each other's handler, one frame deeper each.
uint16_t running_held;
static_assert(TIPM_ENAALL == 0 && TMAX_INTPRI < 0, "a mask is the lowest priority it holds off");
uint32_t lines_configured;  // bit per INTNO
uint32_t lines_enabled;
uint16_t imr_written = 0xffff;
uint8_t console_irq = 0xff;
uint16_t console_port;

const gandalf_boot_info* boot() {
  return reinterpret_cast<const gandalf_boot_info*>(itron_boot_info_offset);
}


// The physical line of an interrupt number (the console pseudo line maps to its IRQ).
int irq_of(INTNO intno) {
  if (intno == kConsoleLine) return console_irq == 0xff ? -1 : console_irq;
  return static_cast<int>(intno);
}

void set_handler(INTNO intno, INTHDR h) {
  inh_table[intno] = h;
  const int irq = irq_of(intno);
  if (irq >= 0 && irq < 16 && (intno == kConsoleLine || irq != console_irq)) irq_handler[irq] = h;
}

// The IMR: the enabled lines chg_ipm's mask lets through, but the held ones. (A handler's
// own mask is not written: itron_irq holds what it would mask as it arrives.)
void write_imr() {
  uint16_t unmasked = 0;
  PRI top = TIPM_ENAALL;
  for (INTNO n = 0; n < TNUM_INTNO; ++n) {
    if (!(lines_enabled & (1u << n))) continue;
    if (k.ipm != TIPM_ENAALL && line_pri[n] >= k.ipm) continue;
    const int irq = irq_of(n);
    if (irq < 0 || ((held_irqs | running_held) & (1u << irq))) continue;
    unmasked = static_cast<uint16_t>(unmasked | (1u << irq));
    if (line_pri[n] < top) top = line_pri[n];
  }
  top_unmasked = top;
  if (unmasked & 0xff00) unmasked |= 1u << 2;  // the cascade
  const uint16_t imr = static_cast<uint16_t>(~unmasked);
  // Each write traps to Gandalf: write only the bytes that change.
  if ((imr ^ imr_written) & 0x00ff) bare_outb(0x21, static_cast<uint8_t>(imr));
  if ((imr ^ imr_written) & 0xff00) bare_outb(0xa1, static_cast<uint8_t>(imr >> 8));
  imr_written = imr;
}

void vpic_init() {
  // Vector bases 0x20/0x28, automatic EOI (no EOI writes), everything masked.
  bare_pic_init(GANDALF_VIRQ_BASE, 1, 0);
  imr_written = 0xffff;
}

constexpr uint16_t kPitCount = 1193;  // 1193182 Hz / 1193 = 1.000152 kHz

void vpit_init() { bare_pit_periodic(kPitCount); }

void console_init() { bare_uart_init(console_port, 0); }

uint32_t irq_stub(uint_t irq) {
  static constexpr void (*kStubs[16])() = {
      itron_irq_0, itron_irq_1, itron_irq_2,  itron_irq_3,  itron_irq_4,  itron_irq_5,
      itron_irq_6, itron_irq_7, itron_irq_8,  itron_irq_9,  itron_irq_10, itron_irq_11,
      itron_irq_12, itron_irq_13, itron_irq_14, itron_irq_15};
  return reinterpret_cast<uint32_t>(kStubs[irq]);
}

uint32_t exc_stub(EXCNO excno) {
  // entry.S has a stub for every vector DEF_EXC may name (PORT_VALID_EXCNO): not NMI (2)
  // nor the reserved 15.
  static constexpr void (*kStubs[20])() = {
      itron_exc_0,  itron_exc_1,  nullptr,      itron_exc_3,  itron_exc_4,  itron_exc_5,  itron_exc_6,
      itron_exc_7,  itron_exc_8,  itron_exc_9,  itron_exc_10, itron_exc_11, itron_exc_12, itron_exc_13,
      itron_exc_14, nullptr,      itron_exc_16, itron_exc_17, itron_exc_18, itron_exc_19};
  return excno < 20 ? reinterpret_cast<uint32_t>(kStubs[excno]) : 0;
}

void configure_line(INTNO intno, PRI pri) {
  lines_configured |= 1u << intno;
  line_pri[intno] = pri;
  const int irq = irq_of(intno);
  if (irq < 0) return;
  irq_pri[irq] = pri;
  vector_table[GANDALF_VIRQ_BASE + static_cast<uint_t>(irq)] = irq_stub(static_cast<uint_t>(irq));
}

}  // namespace

namespace itron::port {

void initialize() {
  console_irq = boot()->console_irq;
  console_port = boot()->console_port;
  console_init();
  vpic_init();
  // The kernel's tick: always configured, at the highest interrupt priority.
  configure_line(INTNO_TIMER, INTPRI_TIMER);
  lines_enabled = 1u << INTNO_TIMER;
  for (uint_t i = 0; i < itron_config.tnum_int; ++i) {
    const IntInit& l = itron_config.intinib[i];
    if (irq_of(l.intno) >= 0) configure_line(l.intno, l.intpri);
  }
  for (uint_t i = 0; i < itron_config.tnum_inh; ++i) {
    const InhInit& h = itron_config.inhinib[i];
    set_handler(h.inhno, h.inthdr);
    // TOPPERS/JSP has no CFG_INT: a handler without one gets an enabled line at the lowest
    // interrupt priority.
    if (!(lines_configured & (1u << h.inhno)) && irq_of(h.inhno) >= 0) {
      configure_line(h.inhno, TMAX_INTPRI);
      lines_enabled |= 1u << h.inhno;
    }
  }
  for (uint_t i = 0; i < itron_config.tnum_exc; ++i) {
    const ExcInit& e = itron_config.excinib[i];
    exc_table[e.excno] = e.exchdr;
    vector_table[e.excno] = exc_stub(e.excno);
  }
  gandalf_set_vectors(vector_table, kVectors);
  write_imr();
  vpit_init();
}

void activate_context(TaskCB* t) {
  // Top of stack, 16-byte aligned: [itron_task_entry][ebp ebx esi edi]. The dispatcher's
  // ret leaves ESP at the top, and itron_task_entry's call enters C++ with the ABI's
  // alignment (ESP + 4 a multiple of 16).
  uintptr_t top = reinterpret_cast<uintptr_t>(t->init->stk) + t->init->stksz;
  top &= ~uintptr_t{15};
  uint32_t* sp = reinterpret_cast<uint32_t*>(top);
  *--sp = reinterpret_cast<uint32_t>(itron_task_entry);
  for (int i = 0; i < 4; ++i) *--sp = 0;
  t->sp = sp;
}

[[noreturn]] void exit_kernel() {
  bare_pic_set_mask(0);
  for (;;) gandalf_halt(0);  // every line masked: the partition sleeps for good
}

bool line_configured(INTNO intno) { return intno < TNUM_INTNO && (lines_configured & (1u << intno)); }

void line_enable(INTNO intno, bool enable) {
  if (!line_configured(intno)) return;
  if (enable) lines_enabled |= 1u << intno;
  else lines_enabled &= ~(1u << intno);
  write_imr();
}

void apply_ipm(PRI) { write_imr(); }

uint32_t tick_elapsed_us() {
  bare_outb(0x43, 0x00);  // latch counter 0
  const uint32_t lo = bare_inb(0x40);
  const uint32_t hi = bare_inb(0x40);
  const uint32_t count = lo | (hi << 8);
  const uint32_t elapsed = count <= kPitCount ? kPitCount - count : 0;
  return elapsed * 1000u / kPitCount;
}

int console_tx_room() {
  // THR empty: with the FIFO enabled (console_init) the whole 16-byte FIFO is free.
  return (bare_inb(static_cast<uint16_t>(console_port + 5)) & 0x20) ? 16 : 0;
}

void console_tx(char c) { bare_outb(console_port, static_cast<uint8_t>(c)); }

int console_getc() {
  if ((bare_inb(static_cast<uint16_t>(console_port + 5)) & 0x01) == 0) return -1;
  return bare_inb(console_port);
}

bool console_has_irq() { return console_irq != 0xff; }

void console_rx_interrupts(bool on) {
  bare_outb(static_cast<uint16_t>(console_port + 1), on ? 0x01 : 0x00);
}

void install_handler(INTNO intno, INTHDR h) { set_handler(intno, h); }

void enable_console_line() {
  if (!line_configured(kConsoleLine)) configure_line(kConsoleLine, TMAX_INTPRI);
  line_enable(kConsoleLine, true);
}
bool has_handler(INTNO intno) { return inh_table[intno] != nullptr; }

}  // namespace itron::port

extern "C" {

void itron_task_start() {
  TaskCB* t = k.runtsk;
  port::cpu_unlock();
  t->init->task(t->init->exinf);
  ext_tsk();
}

void itron_irq(uint32_t irq);

// The IRQ of highest priority among `irqs` (the lowest line among equals); -1 if none.
static int highest_priority(uint32_t irqs) {
  int best = -1;
  for (uint32_t irq = 0; irq < 16; ++irq) {
    if ((irqs & (1u << irq)) && (best < 0 || irq_pri[irq] < irq_pri[best])) best = static_cast<int>(irq);
  }
  return best;
}

// The deferred interrupt to run first: the lowest line, or in the nesting flavour the
// highest priority (a lower one may run interruptible, with the IF on, meanwhile).
static uint32_t next_deferred() {
  if constexpr (port::kHandlersNest) return static_cast<uint32_t>(highest_priority(itron_deferred));
  return static_cast<uint32_t>(__builtin_ctz(itron_deferred));
}

// entry.S's pseudo IRQ: every interrupt deferred by a critical section.
static void run_deferred_irqs() {
  while (itron_deferred != 0) {
    const uint32_t irq = next_deferred();
    itron_deferred = itron_deferred & ~(1u << irq);
    itron_irq(irq);
  }
}

// ---- ASP: handlers nest by interrupt priority -----------------------------------------
// A handler that a line of higher priority could interrupt runs with its mask (its line's
// priority) in handler_ipm and the virtual IF on. The mask is lazy: the IMR is not written
// on the way in or out, which would cost two emulated port writes per interrupt. An
// interrupt the mask should have held off is taken, held (its IRQ masked in the IMR) and
// run when the mask goes down far enough; a handler that returns CPU-locked is unlocked.
[[maybe_unused]] static void run_held();

[[maybe_unused]] static void run_interruptible(PRI pri, INTHDR h) {
  const PRI outer = handler_ipm;
  handler_ipm = pri;
  itron_handler_if = 1;
  itron_hard_off = 0;
  gandalf_set_if(1);
  h();
  handler_unlock_cpu();
  gandalf_set_if(0);
  itron_hard_off = 1;
  itron_handler_if = 0;
  handler_ipm = outer;
  if (held_irqs != 0) run_held();
}

// An interrupt of the running handlers' priority or lower: held until they end.
[[maybe_unused]] static bool held_off(uint32_t irq) {
  if (handler_ipm == TIPM_ENAALL || irq_pri[irq] < handler_ipm) return false;
  held_irqs = static_cast<uint16_t>(held_irqs | (1u << irq));
  ++itron_irq_held_count;
  write_imr();
  return true;
}

// The held interrupts the mask now lets through, highest priority first, each as if it
// arrived now; their IRQs stay masked until the loop ends (at most one frame per IRQ).
[[maybe_unused]] static void run_held() {
  uint16_t ran = 0;
  for (;;) {
    const int best = highest_priority(held_irqs);
    if (best < 0 || (handler_ipm != TIPM_ENAALL && irq_pri[best] >= handler_ipm)) break;
    const uint16_t bit = static_cast<uint16_t>(1u << best);
    held_irqs = static_cast<uint16_t>(held_irqs & ~bit);
    running_held = static_cast<uint16_t>(running_held | bit);
    ran = static_cast<uint16_t>(ran | bit);
    itron_irq(static_cast<uint32_t>(best));
  }
  if (ran == 0) return;
  running_held = static_cast<uint16_t>(running_held & ~ran);
  write_imr();
}

static void run_handler(uint32_t irq, INTHDR h) {
  if constexpr (port::kHandlersNest) {
    if (top_unmasked < irq_pri[irq]) {
      run_interruptible(irq_pri[irq], h);
      return;
    }
    h();
    handler_unlock_cpu();  // a handler that returns CPU-locked is unlocked (ASP)
    return;
  }
  h();
}

static void irq_at_level(uint32_t irq) {
  // The application's handler first (its latency is what users measure), then the tick.
  if (const INTHDR h = irq_handler[irq]) run_handler(irq, h);
  if (irq == INTNO_TIMER) {
    signal_time();
    console_drain();
  }
}

void itron_irq(uint32_t irq) {
  if (irq >= 16) {  // 0xff: every deferred interrupt
    run_deferred_irqs();
    return;
  }
  if constexpr (port::kHandlersNest) {
    if (held_off(irq)) return;
    // The level this interrupt preempted may be an interruptible handler: this one is not,
    // unless run_handler makes it so.
    const uint32_t outer_if = itron_handler_if;
    itron_handler_if = 0;
    irq_at_level(irq);
    itron_handler_if = outer_if;
  } else {
    irq_at_level(irq);
  }
}

// SIL_LOC_INT/SIL_UNL_INT (sil.h): every interrupt held off, below the kernel's CPU lock,
// which may be taken and released inside (syslog under a SIL lock). The virtual IF goes off
// by hypercall and stays off until the outermost SIL_UNL_INT: cpu_unlock's slow path and
// every exit leave it off while the SIL lock is held (an exception returns with the IF of
// its frame, off). Interrupts arriving meanwhile wait in the virtual PIC, or stay deferred.
uint32_t itron_sil_locked;

// The flag is published only once the IF is off: an interrupt before the hypercall is an
// ordinary one of the unlocked state (it may even dispatch), and returns with the IF on.
uint32_t itron_sil_lock() {
  const uint32_t outer = itron_sil_locked;
  if (outer == 0) {
    if (itron_hard_off == 0) {
      gandalf_set_if(0);
      itron_hard_off = 1;
    }
    itron_sil_locked = 1;
  }
  return outer;
}

void itron_sil_unlock(uint32_t outer) {
  if (outer != 0) return;
  itron_sil_locked = 0;
  // In a task or an interruptible handler without the CPU lock, the IF goes on (deferred
  // interrupts run first); under the CPU lock its cpu_unlock does that; in a handler that
  // runs with interrupts off, they stay off.
  const bool if_on = itron_nest == 0 || port::handler_interruptible();
  if (if_on && itron_soft_lock == 0 && itron_hard_off != 0) itron_unlock_slow();
}

// sil_dly_nse: at least `dlytim` ns, counted on the virtual 8254's counter 0 (which runs
// on whether or not its interrupts are taken); a busy loop that holds nothing off.
void itron_dly_nse(ulong_t dlytim) {
  const uint64_t wanted = (static_cast<uint64_t>(dlytim) + 999u) / 1000u + 1u;  // µs, rounded up
  uint64_t waited = 0;
  // Each reading latches and reads counter 0 in three port accesses: under the CPU lock, so
  // that a handler's own reading (get_utm) cannot interleave with it.
  const auto elapsed = [] {
    LockIfNeeded lock;
    return port::tick_elapsed_us();
  };
  uint32_t last = elapsed();
  while (waited < wanted) {
    const uint32_t now = elapsed();
    waited += now >= last ? now - last : now + 1000u - last;  // counter 0 reloaded: 1 ms on
    last = now;
  }
}

void itron_exception(T_EXCINF* e) {
  EXCHDR h = e->excno < TNUM_EXCNO ? exc_table[e->excno] : nullptr;
  if (h == nullptr) return;
  if constexpr (port::kHandlersNest) {
    // CPU exception handlers run with interrupts off; the context they interrupted (maybe
    // an interruptible handler, CPU-locked or not) gets its lock state back as it was.
    const uint32_t outer_if = itron_handler_if;
    const bool outer_locked = k.locked, outer_by_port = k.locked_by_port;
    itron_handler_if = 0;
    k.locked_by_port = false;
    h(e);
    itron_handler_if = outer_if;
    k.locked = outer_locked;
    k.locked_by_port = outer_by_port;
  } else {
    h(e);
  }
}

}  // extern "C"

// The test interrupt of target_test.h: the UART's "transmitter empty" interrupt.
extern "C" void target_raise_int1(void) { bare_outb(static_cast<uint16_t>(console_port + 1), 0x02); }
extern "C" int target_int1_pending(void) {
  if (console_irq == 0xff) return 0;
  const uint16_t pic = console_irq < 8 ? 0x20 : 0xa0;
  bare_outb(pic, 0x0a);  // OCW3: the next read returns the IRR
  return (bare_inb(pic) >> (console_irq & 7)) & 1;
}
extern "C" void intno1_clear(void) {
  bare_outb(static_cast<uint16_t>(console_port + 1), 0x00);
  (void)bare_inb(static_cast<uint16_t>(console_port + 2));  // reading IIR acknowledges it
}

// The boot information Gandalf keeps at the top of the slice (include/gandalf/abi.h).
extern "C" const gandalf_boot_info* itron_boot_info(void) { return boot(); }
