/*
 * test_isr: interrupt service routines (TOPPERS/ASP 1.9: ATT_ISR), in the μITRON and ASP
 * flavours.
 *
 * isr_c (isrpri 3), isr_a (1) and isr_b (1) are attached to INTNO1 in that order. Each
 * records its exinf in the order it runs; isr_a clears the interrupt source and leaves the
 * CPU locked (iloc_cpu).
 *
 * Specification checked, by check point:
 *  1. (TASK1) RAISE_INT1; spin until the ISRs ran.
 *  2. (TASK1) They ran in ascending isrpri, attachment order among equals: a (1), b (2),
 *     c (3), each once, with its exinf, in non-task context; isr_b found the CPU unlocked
 *     although isr_a had locked it (the kernel unlocks it between ISRs).
 *  3. (TASK1) RAISE_INT1 again: the same order once more.
 */
#include <kernel.h>
#include <t_syslog.h>
#include "kernel_cfg.h"
#include "test_lib.h"
#include "test_isr.h"

static volatile intptr_t ran[8];
static volatile uint_t runs;
static volatile bool_t b_saw_lock, not_handler;

static void record(intptr_t exinf) {
  if (!sns_ctx()) not_handler = true;
  if (runs < 8U) ran[runs] = exinf;
  ++runs;
}

void isr_a(intptr_t exinf) {
  intno1_clear();
  record(exinf);
  (void)iloc_cpu();
}

void isr_b(intptr_t exinf) {
  if (sns_loc()) b_saw_lock = true;
  record(exinf);
}

void isr_c(intptr_t exinf) { record(exinf); }

static void raise_and_wait(uint_t until) {
  RAISE_INT1;
  for (volatile ulong_t spin = 0; runs < until && spin < LOOP_REF * 10UL; ++spin) {
  }
}

void task1(intptr_t exinf) {
  (void)exinf;
  test_start(__FILE__);

  /* 1 */
  check_point(1);
  raise_and_wait(3U);

  /* 2 */
  check_point(2);
  check_assert(runs == 3U);
  check_assert(ran[0] == 1 && ran[1] == 2 && ran[2] == 3);
  check_assert(!not_handler);
  check_assert(!b_saw_lock);
  check_assert(!sns_loc());

  /* 3 */
  check_point(3);
  raise_and_wait(6U);
  check_assert(runs == 6U);
  check_assert(ran[3] == 1 && ran[4] == 2 && ran[5] == 3);
  check_finish(3);
}
