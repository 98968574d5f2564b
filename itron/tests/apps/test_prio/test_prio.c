/*
 * test_prio: a handler and the interrupts of higher and lower priority that arrive while
 * it runs, in the μITRON and ASP flavours.
 *
 * TOPPERS/ASP 1.9 runs a handler with the interrupt priority mask raised to its line's
 * priority and the CPU unlocked: an interrupt of higher priority (the tick, INTPRI_TIMER)
 * preempts it, one of its own or lower priority waits for its end. The μITRON flavour runs
 * every handler with interrupts off: nothing preempts it. INTNO1 (INTPRI1) is below the
 * tick; the cyclic handler CYC1 runs in the tick's handler on every tick and counts.
 *
 * Specification checked, by check point (each raises INTNO1 from the task, whose handler
 * does what the point says):
 *  1. The handler busy-waits 3 ms (sil_dly_nse).
 *  2. It ran once, in non-task context. ASP: the tick preempted it at least twice, each
 *     time inside it (CYC1 saw it running) and in non-task context; μITRON: never.
 *  3. The handler holds the CPU lock (iloc_cpu) for 3 ms: no tick preempts it there; ASP:
 *     the tick held off runs at iunl_cpu, before the handler goes on; μITRON: no tick until
 *     the handler ends. Then it raises INTNO1 again and returns CPU-locked: the second
 *     interrupt runs after it, with the CPU unlocked (sns_loc) and isig_sem working.
 *  4. CYC1 raises INTNO1 and waits until the 8259 has it pending: its handler, of lower
 *     priority, does not run inside CYC1 in either flavour; it runs after.
 *  5. The handler calls isig_sem(SEM1) 1000000 times (about 40 ms) while CYC1 calls
 *     isig_sem(SEM1) on every tick. ASP: ticks arrive during the loop, and every one that
 *     lands inside an isig_sem is deferred to its end (the i-call holds the CPU lock:
 *     itron_irq_deferred_count grows); SEM1 then counts every signal of both, exactly.
 *  6. The handler raises INTNO1 again and busy-waits 200 µs: the second interrupt, of the
 *     running handler's own priority, does not run inside it; it runs right after it.
 *     ASP: the virtual 8259 delivered it meanwhile and the kernel held it off
 *     (itron_irq_held_count), since a handler's mask is not written to the IMR.
 *  7. CYC1, preempting the handler, returns CPU-locked: the handler it preempted goes on
 *     with the CPU unlocked (sns_loc) and isig_sem working.
 *  8. The handler holds every interrupt off with SIL_LOC_INT for 3 ms: no tick there; ASP:
 *     after SIL_UNL_INT ticks preempt it again.
 *  9. The handler raises the test CPU exception (RAISE_CPU_EXCEPTION): its handler runs in
 *     non-task context and finds the CPU unlocked; ASP: afterwards ticks still preempt the
 *     interrupt handler, which is still interruptible.
 * 10. After all this the mask is back: INTNO1 still interrupts the task, once. The console
 *     gets the time (TSC, under -icount: guest instructions) from RAISE_INT1 to the
 *     handler's first line and from its last line back to the task (docs/results.md).
 */
#include <kernel.h>
#include <sil.h>
#include <t_syslog.h>
#include "kernel_cfg.h"
#include "test_lib.h"
#include "test_prio.h"

#if defined(ITRON_FLAVOR_ASP)
#define NESTS 1
#else
#define NESTS 0
#endif

enum mode { PLAIN, LOCKED, CHECK_UNLOCKED, RAISE_IN_CYC, SIGNALS, RAISE_SELF, QUICK, CYC_LOCKS, SIL, EXC, TIMED };
#define LOOPS 1000000U

static volatile enum mode mode;
static volatile uint_t ticks, handled, in_int1, ticks_in_int1, bad_context;
static volatile uint_t ticks_while_locked, ticks_at_unlock, cyc_signals;
static volatile uint_t armed_raise, int1_in_cyc, raised_pending, self_inside;
static volatile uint_t cyc_lock_armed, after_loc, after_sig, ticks_after;
static volatile uint_t exc_runs, exc_saw_loc, exc_not_handler;
static volatile uint32_t t_entry, t_exit;

static uint32_t tsc(void) {
  uint32_t lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  (void)hi;
  return lo;
}

void cyc_handler(intptr_t exinf) {
  (void)exinf;
  ++ticks;
  if (!sns_ctx()) ++bad_context;
  if (in_int1) ++ticks_in_int1;
  if (mode == SIGNALS && in_int1) {
    if (isig_sem(SEM1) == E_OK) ++cyc_signals;
  }
  if (cyc_lock_armed && in_int1) {
    cyc_lock_armed = 0;
    (void)iloc_cpu(); /* returns locked: the kernel unlocks it */
  }
  if (armed_raise) {
    const uint_t before = handled;
    armed_raise = 0;
    RAISE_INT1;
    for (unsigned long i = 0; i < 100000UL && !target_int1_pending(); ++i) {
    }
    raised_pending = (uint_t)target_int1_pending();
    sil_dly_nse(200000);
    if (handled != before) int1_in_cyc = 1;
  }
}

void exc_handler(void *p_excinf) {
  ++exc_runs;
  if (!sns_ctx()) exc_not_handler = 1;
  if (sns_loc()) exc_saw_loc = 1;
  PREPARE_RETURN_CPUEXC;
}

/* The handler's own part of check points 3, 7, 8, 9. */
static void locked(void) {
  uint_t start;
  (void)iloc_cpu();
  start = ticks;
  sil_dly_nse(3000000);
  ticks_while_locked = ticks - start;
  (void)iunl_cpu();
  ticks_at_unlock = ticks - start;
  mode = CHECK_UNLOCKED;
  RAISE_INT1;
  (void)iloc_cpu(); /* returns locked: the kernel unlocks it */
}

static void cyc_locks(void) {
  const uint_t start = ticks;
  cyc_lock_armed = 1;
  sil_dly_nse(3000000);
  ticks_in_int1 = ticks - start;
  after_loc = (uint_t)sns_loc();
  after_sig = (uint_t)(isig_sem(SEM2) == E_OK);
}

static void sil_locked(void) {
  SIL_PRE_LOC;
  uint_t start;
  SIL_LOC_INT();
  start = ticks;
  sil_dly_nse(3000000);
  ticks_while_locked = ticks - start;
  SIL_UNL_INT();
  sil_dly_nse(3000000);
  ticks_after = ticks - start;
}

static void exception(void) {
  uint_t start;
  RAISE_CPU_EXCEPTION;
  start = ticks;
  sil_dly_nse(3000000);
  ticks_after = ticks - start;
}

void int1_handler(void) {
  uint_t i, start;
  const uint32_t entry = tsc();
  intno1_clear();
  in_int1 = 1;
  if (!sns_ctx()) ++bad_context;
  switch (mode) {
    case PLAIN:
      sil_dly_nse(3000000);
      break;
    case LOCKED:
      locked();
      break;
    case CHECK_UNLOCKED:
      after_loc = (uint_t)sns_loc();
      after_sig = (uint_t)(isig_sem(SEM2) == E_OK);
      break;
    case RAISE_IN_CYC:
    case QUICK:
      break;
    case SIGNALS:
      for (i = 0; i < LOOPS; ++i) (void)isig_sem(SEM1);
      break;
    case RAISE_SELF:
      mode = QUICK; /* the second one only counts */
      start = handled;
      RAISE_INT1;
      sil_dly_nse(200000);
      if (handled != start) self_inside = 1;
      break;
    case CYC_LOCKS:
      cyc_locks();
      break;
    case SIL:
      sil_locked();
      break;
    case EXC:
      exception();
      break;
    case TIMED:
      t_entry = entry;
      in_int1 = 0;
      ++handled;
      t_exit = tsc();
      return;
  }
  in_int1 = 0;
  ++handled;
}

/* Raises INTNO1 in `m` and spins until its handler has run `n` more times. */
static void raise_and_wait(enum mode m, uint_t n) {
  const uint_t until = handled + n;
  mode = m;
  ticks_in_int1 = 0;
  RAISE_INT1;
  for (volatile ulong_t spin = 0; handled < until && spin < LOOP_REF * 20UL; ++spin) {
  }
  check_assert(handled == until);
}

void main_task(intptr_t exinf) {
  ER ercd;
  T_RSEM rsem;
  (void)exinf;
  test_start(__FILE__);

  /* 1 */
  check_point(1);
  raise_and_wait(PLAIN, 1U);

  /* 2 */
  check_point(2);
  check_assert(bad_context == 0U);
#if NESTS
  check_assert(ticks_in_int1 >= 2U);
#else
  check_assert(ticks_in_int1 == 0U);
#endif

  /* 3 */
  check_point(3);
  after_loc = after_sig = 2;
  raise_and_wait(LOCKED, 2U);
  check_assert(ticks_while_locked == 0U);
  check_assert(after_loc == 0U && after_sig == 1U);
  check_assert(!sns_loc());
#if NESTS
  check_assert(ticks_at_unlock >= 1U);
#else
  check_assert(ticks_at_unlock == 0U);
  check_assert(ticks_in_int1 == 0U);
#endif

  /* 4 */
  check_point(4);
  {
    const uint_t before = handled;
    mode = RAISE_IN_CYC;
    armed_raise = 1;
    ercd = dly_tsk(5);
    check_ercd(ercd, E_OK);
    check_assert(armed_raise == 0U);
    check_assert(raised_pending == 1U);
    check_assert(int1_in_cyc == 0U);
    check_assert(handled == before + 1U);
  }

  /* 5 */
  check_point(5);
  {
    const uint32_t deferred_before = itron_irq_deferred_count;
    const uint_t ticks_before = ticks;
    raise_and_wait(SIGNALS, 1U);
    ercd = ref_sem(SEM1, &rsem);
    check_ercd(ercd, E_OK);
    check_assert(rsem.semcnt == LOOPS + cyc_signals);
#if NESTS
    check_assert(ticks_in_int1 >= 1U);
    check_assert(cyc_signals == ticks_in_int1);
    check_assert(itron_irq_deferred_count - deferred_before >= 1U);
#else
    check_assert(ticks_in_int1 == 0U);
    check_assert(cyc_signals == 0U);
#endif
    syslog(LOG_NOTICE, "%u ticks during the loop, %u signals from CYC1, %u deferred to an i-call's end",
           ticks - ticks_before, cyc_signals, itron_irq_deferred_count - deferred_before);
  }

  /* 6 */
  check_point(6);
  {
    const uint32_t held_before = itron_irq_held_count;
    raise_and_wait(RAISE_SELF, 2U);
    check_assert(self_inside == 0U);
#if NESTS
    check_assert(itron_irq_held_count == held_before + 1U);
#else
    check_assert(itron_irq_held_count == held_before);
#endif
  }

  /* 7 */
  check_point(7);
  after_loc = after_sig = 2;
  raise_and_wait(CYC_LOCKS, 1U);
  check_assert(after_loc == 0U && after_sig == 1U);
#if NESTS
  check_assert(ticks_in_int1 >= 1U && cyc_lock_armed == 0U);
#else
  check_assert(ticks_in_int1 == 0U);
#endif
  cyc_lock_armed = 0;

  /* 8 */
  check_point(8);
  raise_and_wait(SIL, 1U);
  check_assert(ticks_while_locked == 0U);
#if NESTS
  check_assert(ticks_after >= 2U);
#else
  check_assert(ticks_after == 0U);
#endif

  /* 9 */
  check_point(9);
  raise_and_wait(EXC, 1U);
  check_assert(exc_runs == 1U && exc_not_handler == 0U && exc_saw_loc == 0U);
#if NESTS
  check_assert(ticks_after >= 2U);
#else
  check_assert(ticks_after == 0U);
#endif

  /* 10 */
  check_point(10);
  {
    uint32_t t_raise, t_back;
    const uint_t until = handled + 1U;
    mode = TIMED;
    ercd = dly_tsk(1); /* just after a tick */
    check_ercd(ercd, E_OK);
    t_raise = tsc();
    RAISE_INT1;
    while (handled < until) {
    }
    t_back = tsc();
    syslog(LOG_NOTICE, "entry %u, exit %u (TSC)", t_entry - t_raise, t_back - t_exit);
  }
  check_assert(bad_context == 0U);
  check_finish(10);
}
