// Host port: tasks as ucontext coroutines, simulated interrupts, virtual time.
#include "port.hpp"

#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

#include "kernel/core.hpp"

using namespace itron;

namespace {

constexpr size_t kSchedStack = 256 * 1024;
constexpr uint64_t kMaxIdleTicks = 100'000'000;  // a test that never ends fails instead

ucontext_t return_ctx;   // where host_run_kernel continues after ext_ker
ucontext_t sched_ctx;    // the scheduler loop
char* sched_stack;
volatile bool finished;
int exit_status;
bool vif;                // simulated interrupt flag
uint32_t pending;        // interrupt requests not yet delivered
uint32_t configured, enabled;
PRI line_pri[TNUM_INTNO];
INTHDR inh_table[TNUM_INTNO];
EXCHDR exc_table[TNUM_EXCNO];

struct HostContext {
  ucontext_t uc;
  bool fresh;  // start at the task's entry next time it is dispatched
};

HostContext* ctx_of(TaskCB* t) { return static_cast<HostContext*>(t->sp); }

bool deliverable(INTNO n) {
  if (!(enabled & (1u << n))) return false;
  return k.ipm == TIPM_ENAALL || line_pri[n] < k.ipm;
}

void run_handler(INTNO n) {
  ++port::nest;
  if (inh_table[n] != nullptr) inh_table[n]();  // the application's handler first, as on IA-32
  if (n == INTNO_TIMER) signal_time();
  --port::nest;
}

// Takes the lowest pending line that may be delivered now; TNUM_INTNO if none.
INTNO take_deliverable() {
  for (INTNO n = 0; n < TNUM_INTNO; ++n) {
    if ((pending & (1u << n)) && deliverable(n)) {
      pending &= ~(1u << n);
      return n;
    }
  }
  return TNUM_INTNO;
}

// Delivers pending interrupts as the hardware would: only with interrupts on, in task
// context, each at the point of the call.
void deliver_pending() {
  while (vif && port::nest == 0) {
    const INTNO n = take_deliverable();
    if (n == TNUM_INTNO) return;
    vif = false;
    run_handler(n);
    itron_exit_handler(1);
    vif = true;
  }
}

void task_main() {
  TaskCB* t = k.runtsk;
  port::cpu_unlock();
  t->init->task(t->init->exinf);
  ext_tsk();
}

void switch_to(TaskCB* t, ucontext_t* from) {
  HostContext* c = ctx_of(t);
  if (c->fresh) {
    c->fresh = false;
    getcontext(&c->uc);
    c->uc.uc_stack.ss_sp = t->init->stk;
    c->uc.uc_stack.ss_size = t->init->stksz;
    c->uc.uc_link = nullptr;
    makecontext(&c->uc, task_main, 0);
  }
  k.runtsk = t;
  if (from != nullptr) swapcontext(from, &c->uc);
  else setcontext(&c->uc);
}

// The scheduler: runs schedtsk, or advances virtual time while there is none.
void scheduler_loop() {
  uint64_t idle = 0;
  for (;;) {
    if (k.schedtsk != nullptr) {
      idle = 0;
      switch_to(k.schedtsk, &sched_ctx);
      continue;
    }
    k.runtsk = nullptr;
    if (pending != 0) {
      for (INTNO n; (n = take_deliverable()) != TNUM_INTNO;) {
        run_handler(n);
        itron_exit_handler(1);
      }
      if (k.schedtsk != nullptr) continue;
    }
    if (k.tmevt_count == 0 || ++idle > kMaxIdleTicks) {
      fprintf(stderr, "host port: every task waits and no time event is armed: deadlock\n");
      exit_status = -1;
      finished = true;
      setcontext(&return_ctx);
    }
    run_handler(INTNO_TIMER);  // a tick passes
    itron_exit_handler(1);
  }
}

}  // namespace

namespace itron::port {

uint32_t nest;

bool in_handler() { return nest != 0; }
void cpu_lock() { vif = false; }
void cpu_unlock() {
  vif = true;
  deliver_pending();
}

void dispatch() {
  TaskCB* from = k.runtsk;
  swapcontext(&ctx_of(from)->uc, &sched_ctx);
  // Resumed by the scheduler: CPU locked as the kernel expects.
  vif = false;
}

[[noreturn]] void exit_and_dispatch() {
  itron_restart_exited();  // only marks the context fresh: safe on this stack
  setcontext(&sched_ctx);
  abort();
}

[[noreturn]] void start_dispatch() {
  nest = 0;
  if (sched_stack == nullptr) sched_stack = static_cast<char*>(malloc(kSchedStack));
  getcontext(&sched_ctx);
  sched_ctx.uc_stack.ss_sp = sched_stack;
  sched_ctx.uc_stack.ss_size = kSchedStack;
  sched_ctx.uc_link = nullptr;
  makecontext(&sched_ctx, scheduler_loop, 0);
  setcontext(&sched_ctx);
  abort();
}

void activate_context(TaskCB* t) {
  if (t->sp == nullptr) t->sp = new HostContext{};
  ctx_of(t)->fresh = true;
}

void initialize() {
  vif = false;
  pending = 0;
  configured = enabled = 0;
  for (auto& h : inh_table) h = nullptr;
  for (auto& h : exc_table) h = nullptr;
  configured |= 1u << INTNO_TIMER;
  enabled |= 1u << INTNO_TIMER;
  line_pri[INTNO_TIMER] = INTPRI_TIMER;
  for (uint_t i = 0; i < itron_config.tnum_int; ++i) {
    configured |= 1u << itron_config.intinib[i].intno;
    line_pri[itron_config.intinib[i].intno] = itron_config.intinib[i].intpri;
  }
  for (uint_t i = 0; i < itron_config.tnum_inh; ++i) {
    const InhInit& h = itron_config.inhinib[i];
    inh_table[h.inhno] = h.inthdr;
    if (!(configured & (1u << h.inhno))) {
      configured |= 1u << h.inhno;
      enabled |= 1u << h.inhno;
      line_pri[h.inhno] = TMAX_INTPRI;
    }
  }
  for (uint_t i = 0; i < itron_config.tnum_exc; ++i) exc_table[itron_config.excinib[i].excno] = itron_config.excinib[i].exchdr;
}

[[noreturn]] void exit_kernel() {
  finished = true;
  exit_status = 0;
  setcontext(&return_ctx);
  abort();
}

bool line_configured(INTNO intno) { return intno < TNUM_INTNO && (configured & (1u << intno)); }
void line_enable(INTNO intno, bool enable) {
  if (!line_configured(intno)) return;
  if (enable) enabled |= 1u << intno;
  else enabled &= ~(1u << intno);
}
void apply_ipm(PRI) {}
uint32_t tick_elapsed_us() { return 0; }
int console_tx_room() { return 1 << 20; }
void console_tx(char c) { fputc(c, stdout); }
int console_getc() { return -1; }
bool console_has_irq() { return false; }
void console_rx_interrupts(bool) {}
void install_handler(INTNO intno, INTHDR h) { inh_table[intno] = h; }
bool has_handler(INTNO intno) { return inh_table[intno] != nullptr; }
void enable_console_line() {}

}  // namespace itron::port

extern "C" {

void itron_sta_ker();

int host_run_kernel(void) {
  finished = false;
  exit_status = 0;
  getcontext(&return_ctx);
  if (!finished) itron_sta_ker();
  fflush(stdout);
  return exit_status;
}

void host_raise_int(unsigned intno) {
  if (intno >= TNUM_INTNO) return;
  pending |= 1u << intno;
  if (port::nest == 0) deliver_pending();
}

void host_raise_exception(unsigned excno) {
  if (excno >= TNUM_EXCNO || exc_table[excno] == nullptr) {
    fprintf(stderr, "host port: CPU exception %u without a handler\n", excno);
    abort();
  }
  T_EXCINF e{port::nest, excno, vif ? 0x200u : 0u};
  const bool was_vif = vif;
  vif = false;
  ++port::nest;
  exc_table[excno](&e);
  --port::nest;
  if (port::nest == 0) itron_exit_handler(was_vif ? 1 : 0);
  vif = was_vif;
  if (vif) deliver_pending();
}

unsigned long long host_ticks(void) { return k.tick; }

}  // extern "C"
