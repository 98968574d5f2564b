/* test_nest: interrupts that become pending while a handler runs.
 *
 * The timer handler makes the UART raise INTNO1 while interrupts are off, so it is pending
 * when the timer interrupt's exit turns the virtual IF back on. The port must handle it
 * right there without growing the stack: it takes over the exiting interrupt's frame.
 *  1. the task starts; the timer handler is armed to raise INTNO1 on 100 ticks in a row
 *  2. after the ticks, INTNO1's handler ran every time, always in non-task context
 *  3. every one of those interrupts (the handler waits until the UART's request is in the
 *     virtual 8259) took over the exit's frame (itron_irq_folded counts them) instead of
 *     nesting on the task's stack
 *  4. an interrupt raised inside loc_cpu..unl_cpu is deferred by the optimistic CPU lock
 *     (itron_irq_deferred_count) and its handler has run when unl_cpu returns
 *  5. an interrupt pending at a CPU exception handler's exit is taken there the same way:
 *     it takes over the exit's frame, and the task continues after the exception
 */
#include <kernel.h>
#include <t_syslog.h>
#include "kernel_cfg.h"
#include "test_lib.h"
#include "test_nest.h"

static volatile uint_t armed, raised, handled;
static volatile bool_t bad_context;

static void wait_int1_requested(void) {
  for (unsigned long i = 0; i < 100000UL && !target_int1_pending(); ++i) {
  }
}

void tick_handler(void) {
  if (armed > 0) {
    --armed;
    ++raised;
    RAISE_INT1;  /* pending until this handler's exit */
    /* The UART may take a while to raise it (Bochs models that): wait until it is
     * requested, so that it is certainly pending at the exit. */
    wait_int1_requested();
  }
}

void int1_handler(void) {
  intno1_clear();
  if (!sns_ctx()) bad_context = true;
  ++handled;
}

void exc_handler(void *p_excinf) {
  RAISE_INT1;  /* pending until this handler's exit */
  wait_int1_requested();
  PREPARE_RETURN_CPUEXC;
}

void main_task(intptr_t exinf) {
  ER ercd;
  uint32_t folded_before;
  (void)exinf;

  test_start(__FILE__);
  folded_before = itron_irq_folded;
  armed = 100;
  check_point(1);

  ercd = dly_tsk(150);
  check_ercd(ercd, E_OK);
  check_assert(raised == 100);
  check_assert(handled == 100);
  check_assert(!bad_context);
  check_point(2);

  /* At least those 100; a tick that came while a handler ran folds too. */
  check_assert(itron_irq_folded - folded_before >= 100);
  check_point(3);

  {
    const uint32_t deferred_before = itron_irq_deferred_count;
    const uint_t handled_before = handled;
    ercd = loc_cpu();
    check_ercd(ercd, E_OK);
    RAISE_INT1;
    for (volatile unsigned long i = 0; i < LOOP_REF / 100 && itron_irq_deferred_count == deferred_before; ++i) {
    }
    check_assert(handled == handled_before);
    ercd = unl_cpu();
    check_ercd(ercd, E_OK);
    check_assert(itron_irq_deferred_count == deferred_before + 1);
    check_assert(handled == handled_before + 1);
  }
  check_point(4);

  {
    const uint32_t folded = itron_irq_folded;
    const uint_t handled_before = handled;
    RAISE_CPU_EXCEPTION;
    check_assert(handled == handled_before + 1);
    check_assert(itron_irq_folded - folded >= 1);
  }
  check_finish(5);
}
