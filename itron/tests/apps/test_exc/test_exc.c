/*
 * test_exc: CPU exception handlers — DEF_EXC, the exception information, the non-task
 * context of the handler, return to the interrupted code, xsns_dpn, xsns_xpn.
 *
 * Objects: TASK1 (MID, TA_ACT, task exception handler tex_task1) raises the test
 * exception (RAISE_CPU_EXCEPTION: int3, #BP, vector CPUEXC1) in different states; TASK2
 * (HIGH) is activated from the handler. cpuexc_handler is attached with DEF_EXC; every
 * time it checks the exception information; it returns as TOPPERS test handlers do (the
 * exception is trap-class, so the return goes on after the int3; PREPARE_RETURN_CPUEXC
 * has nothing to do).
 *
 * Specification checked, by check point:
 *  1. (TASK1) Normal state (dispatching enabled, CPU unlocked, ipm 0, task exceptions
 *     disabled as at every task start). RAISE_CPU_EXCEPTION.
 *  2. (handler, 1st) p_excinf->excno == CPUEXC1, errcode 0, eip points just past the
 *     int3 (byte CC). Non-task context: sns_ctx true. xsns_dpn false (the exception came
 *     from a task that could be dispatched); xsns_xpn true (its task exceptions are
 *     disabled). act_tsk → E_CTX; iact_tsk(TASK2) → E_OK.
 *  3. (TASK2) The higher-priority task activated by the handler runs right after the
 *     handler returns, before TASK1 continues. It exits.
 *  4. (TASK1) Execution resumed after the int3 (handler ran exactly once). ena_tex;
 *     RAISE_CPU_EXCEPTION.
 *  5. (handler, 2nd) xsns_dpn false, xsns_xpn false (task exceptions enabled).
 *     iras_tex(TASK1, 0x01) → E_OK.
 *  6. (tex_task1) The task exception raised in the CPU exception handler runs when the
 *     handler returns, before TASK1 continues: texptn 0x01, task context.
 *  7. (TASK1) dis_dsp; RAISE_CPU_EXCEPTION.
 *  8. (handler, 3rd) xsns_dpn true: dispatching was disabled.
 *  9. (TASK1) ena_dsp. loc_cpu; RAISE_CPU_EXCEPTION.
 * 10. (TASK1, after the 4th exception) In the handler xsns_dpn and xsns_xpn were true:
 *     the CPU was locked. (The handler only records them: nothing but sns/xsns calls is
 *     assumed usable there.) The CPU-locked state survived the exception (sns_loc true
 *     after it). unl_cpu.
 * 11. (TASK1) chg_ipm(INTPRI1); RAISE_CPU_EXCEPTION.
 * 12. (handler, 5th) xsns_dpn true: the interrupt priority mask was not TIPM_ENAALL.
 * 13. (TASK1) chg_ipm(TIPM_ENAALL). dis_tex; RAISE_CPU_EXCEPTION.
 * 14. (handler, 6th) xsns_dpn false, xsns_xpn true (task exceptions disabled again).
 * 15. (TASK1) Normal state; done.
 */
#include <kernel.h>
#include <t_syslog.h>
#include "kernel_cfg.h"
#include "test_lib.h"
#include "test_exc.h"

static volatile uint_t exc_count = 0;
static volatile uint_t tex_count = 0;
static volatile bool_t locked_dpn = false;
static volatile bool_t locked_xpn = false;

void cpuexc_handler(void *p_excinf) {
  T_EXCINF *excinf = (T_EXCINF *)p_excinf;
  const volatile uint8_t *ip = (const volatile uint8_t *)(uintptr_t)excinf->eip;
  ER ercd;

  check_assert(excinf->excno == CPUEXC1);
  check_assert(excinf->errcode == 0U);
  check_assert(ip[-1] == 0xccU); /* int3: the return address is past it */
  check_assert(sns_ctx());
  switch (++exc_count) {
    case 1:
      check_point(2);
      check_assert(!xsns_dpn(p_excinf));
      check_assert(xsns_xpn(p_excinf));
      ercd = act_tsk(TASK2);
      check_ercd(ercd, E_CTX);
      ercd = iact_tsk(TASK2); /* -> 3 after the handler */
      check_ercd(ercd, E_OK);
      break;
    case 2:
      check_point(5);
      check_assert(!xsns_dpn(p_excinf));
      check_assert(!xsns_xpn(p_excinf));
      ercd = iras_tex(TASK1, 0x01U); /* -> 6 after the handler */
      check_ercd(ercd, E_OK);
      break;
    case 3:
      check_point(8);
      check_assert(xsns_dpn(p_excinf));
      break;
    case 4: /* CPU locked: only record; TASK1 checks at point 10 */
      locked_dpn = xsns_dpn(p_excinf);
      locked_xpn = xsns_xpn(p_excinf);
      break;
    case 5:
      check_point(12);
      check_assert(xsns_dpn(p_excinf));
      break;
    case 6:
      check_point(14);
      check_assert(!xsns_dpn(p_excinf));
      check_assert(xsns_xpn(p_excinf));
      break;
    default:
      test_fail(__FILE__, __LINE__, "unexpected CPU exception");
      break;
  }
  PREPARE_RETURN_CPUEXC;
}

void tex_task1(TEXPTN texptn, intptr_t exinf) {
  /* 6 */
  check_point(6);
  tex_count++;
  check_assert(texptn == 0x01U);
  check_assert(exinf == 1);
  check_assert(!sns_ctx());
  check_assert(exc_count == 2U);
}

void task2(intptr_t exinf) {
  (void)exinf;
  /* 3 */
  check_point(3);
  check_assert(exc_count == 1U);
  ext_tsk();
}

void task1(intptr_t exinf) {
  ER ercd;
  T_RTSK rtsk;
  bool_t locked_after;

  (void)exinf;
  test_start(__FILE__);

  /* 1 */
  check_point(1);
  check_state(false, false, TIPM_ENAALL, false, false, true);
  RAISE_CPU_EXCEPTION; /* -> 2, 3 */

  /* 4 */
  check_point(4);
  check_assert(exc_count == 1U);
  ercd = ref_tsk(TASK2, &rtsk);
  check_ercd(ercd, E_OK);
  check_assert(rtsk.tskstat == TTS_DMT);
  check_state(false, false, TIPM_ENAALL, false, false, true);
  ercd = ena_tex();
  check_ercd(ercd, E_OK);
  RAISE_CPU_EXCEPTION; /* -> 5, 6 */

  /* 7 */
  check_point(7);
  check_assert(exc_count == 2U);
  check_assert(tex_count == 1U);
  check_state(false, false, TIPM_ENAALL, false, false, false);
  ercd = dis_dsp();
  check_ercd(ercd, E_OK);
  RAISE_CPU_EXCEPTION; /* -> 8 */

  /* 9 */
  check_point(9);
  check_assert(exc_count == 3U);
  check_assert(sns_dsp());
  ercd = ena_dsp();
  check_ercd(ercd, E_OK);
  ercd = loc_cpu();
  check_ercd(ercd, E_OK);
  RAISE_CPU_EXCEPTION; /* 4th exception */
  locked_after = sns_loc();
  ercd = unl_cpu();
  check_ercd(ercd, E_OK);

  /* 10 */
  check_point(10);
  check_assert(exc_count == 4U);
  check_assert(locked_dpn);
  check_assert(locked_xpn);
  check_assert(locked_after);
  check_state(false, false, TIPM_ENAALL, false, false, false);

  /* 11 */
  check_point(11);
  ercd = chg_ipm(INTPRI1);
  check_ercd(ercd, E_OK);
  RAISE_CPU_EXCEPTION; /* -> 12 */

  /* 13 */
  check_point(13);
  check_assert(exc_count == 5U);
  ercd = chg_ipm(TIPM_ENAALL);
  check_ercd(ercd, E_OK);
  ercd = dis_tex();
  check_ercd(ercd, E_OK);
  RAISE_CPU_EXCEPTION; /* -> 14 */

  /* 15 */
  check_point(15);
  check_assert(exc_count == 6U);
  check_assert(tex_count == 1U);
  check_state(false, false, TIPM_ENAALL, false, false, true);
  check_finish(15);
}
