/*
 * test_sync: task-dependent synchronization — slp_tsk, tslp_tsk, wup_tsk, iwup_tsk,
 * can_wup, rel_wai, irel_wai, sus_tsk, rsm_tsk, frsm_tsk, dly_tsk; FIFO order of tasks
 * of equal priority.
 *
 * Objects: TASK1 (MID, TA_ACT) drives the test; TASK2 (HIGH) is its partner; TASK3 and
 * TASK4 (MID) show that equal-priority tasks run in the order they became ready.
 *
 * Specification checked, by check point:
 *  1. (TASK1) tslp_tsk(TMO_POL) with no queued wakeup returns E_TMOUT at once;
 *     tslp_tsk(-2) returns E_PAR. On a dormant task wup_tsk and can_wup return E_OBJ,
 *     sus_tsk, rsm_tsk and frsm_tsk return E_OBJ, rel_wai returns E_OBJ (not waiting).
 *     E_ID: wup_tsk/can_wup/sus_tsk/rel_wai with a negative ID or TNUM_TSKID+1;
 *     rel_wai(TSK_SELF), rsm_tsk(TSK_SELF), frsm_tsk(TSK_SELF). rsm_tsk/frsm_tsk of the
 *     running (not suspended) task by ID and rel_wai of the running task return E_OBJ.
 *     iwup_tsk and irel_wai from a task return E_CTX. dly_tsk(TMAX_RELTIM+1) → E_PAR.
 *  2. (TASK1) wup_tsk(TSK_SELF) queues a wakeup (wupcnt 1); a second returns E_QOVR
 *     (TMAX_WUPCNT = 1). can_wup returns 1 then 0. A queued wakeup makes slp_tsk and
 *     tslp_tsk(TMO_POL) return E_OK at once. tslp_tsk(10) returns E_TMOUT after 10 or
 *     11 ms of system time (never early). dly_tsk(0) returns E_OK; dly_tsk(10) returns
 *     E_OK after 10 or 11 ms.
 *  3. (TASK1) act_tsk(TASK2): TASK2 (HIGH) preempts.
 *  4. (TASK2) slp_tsk: TASK2 waits.
 *  5. (TASK1) TASK2 is TTS_WAI/TTW_SLP; wup_tsk(TASK2) releases it: it preempts.
 *  6. (TASK2) slp_tsk returned E_OK. tslp_tsk(TMO_FEVR): waits.
 *  7. (TASK1) TASK2 is TTS_WAI/TTW_SLP; rel_wai(TASK2) releases it: it preempts.
 *  8. (TASK2) tslp_tsk returned E_RLWAI. rel_wai of the ready TASK1 → E_OBJ.
 *     tslp_tsk(1000): waits.
 *  9. (TASK1) sus_tsk of the waiting TASK2 → TTS_WAS (suscnt 1); a second sus_tsk →
 *     E_QOVR (TMAX_SUSCNT = 1). rsm_tsk → TTS_WAI again. sus_tsk again, then rel_wai:
 *     the wait ends but the task stays TTS_SUS (it does not run). rsm_tsk: it preempts.
 * 10. (TASK2) tslp_tsk returned E_RLWAI. sus_tsk(TSK_SELF) with dispatching enabled
 *     suspends the caller: TASK2 stops.
 * 11. (TASK1) rsm_tsk returned E_OK. TASK2 is TTS_SUS; frsm_tsk(TASK2) resumes it: it
 *     preempts.
 * 12. (TASK2) sus_tsk(TSK_SELF) returned E_OK. In the dispatch-disabled state
 *     sus_tsk(TSK_SELF), slp_tsk, tslp_tsk(10) and dly_tsk(10) return E_CTX (sns_dsp
 *     true) while tslp_tsk(TMO_POL) works (E_TMOUT; E_CTX in the ASP flavour). dly_tsk(1000): waits.
 * 13. (TASK1) TASK2 is TTS_WAI/TTW_DLY. wup_tsk does not end a delay: TASK2 stays
 *     TTS_WAI/TTW_DLY with wupcnt 1 (can_wup(TASK2) returns 1). rel_wai(TASK2) ends the
 *     delay: it preempts.
 * 14. (TASK2) dly_tsk returned E_RLWAI; TASK2 exits.
 * 15. (TASK1) TASK2 is TTS_DMT. TASK4 then TASK3 (both MID) are activated; TASK1 sleeps.
 * 16. (TASK4) The task made ready first runs first, whatever the IDs. It exits.
 * 17. (TASK3) Runs next; wakes TASK1 (equal priority: no preemption) and exits.
 * 18. (TASK1) Runs after TASK3 exits.
 */
#include <kernel.h>
#include <t_syslog.h>
#include "kernel_cfg.h"
#include "test_lib.h"
#include "check_macros.h"
#include "test_sync.h"

static volatile uint_t task2_count = 0;

void task1(intptr_t exinf) {
  ER_UINT ercd;
  T_RTSK rtsk;
  SYSTIM t0;

  (void)exinf;
  test_start(__FILE__);

  /* 1 */
  check_point(1);
  check_state(false, false, TIPM_ENAALL, false, false, true);
  ercd = tslp_tsk(TMO_POL);
  check_ercd(ercd, E_TMOUT);
  ercd = tslp_tsk(-2);
  check_ercd(ercd, E_PAR);
  ercd = wup_tsk(TASK2);
  check_ercd(ercd, E_OBJ);
  ercd = can_wup(TASK2);
  check_ercd(ercd, E_OBJ);
  ercd = sus_tsk(TASK2);
  check_ercd(ercd, E_OBJ);
  ercd = rsm_tsk(TASK2);
  check_ercd(ercd, E_OBJ);
  ercd = frsm_tsk(TASK2);
  check_ercd(ercd, E_OBJ);
  ercd = rel_wai(TASK2);
  check_ercd(ercd, E_OBJ);
  ercd = wup_tsk(-1);
  check_ercd(ercd, E_ID);
  ercd = wup_tsk(TNUM_TSKID + 1);
  check_ercd(ercd, E_ID);
  ercd = can_wup(TNUM_TSKID + 1);
  check_ercd(ercd, E_ID);
  ercd = sus_tsk(TNUM_TSKID + 1);
  check_ercd(ercd, E_ID);
  ercd = sus_tsk(-1);
  check_ercd(ercd, E_ID);
  ercd = rsm_tsk(TNUM_TSKID + 1);
  check_ercd(ercd, E_ID);
  ercd = frsm_tsk(TNUM_TSKID + 1);
  check_ercd(ercd, E_ID);
  ercd = rel_wai(TNUM_TSKID + 1);
  check_ercd(ercd, E_ID);
  ercd = rel_wai(TSK_SELF);
  check_ercd(ercd, E_ID);
  ercd = rsm_tsk(TSK_SELF);
  check_ercd(ercd, E_ID);
  ercd = frsm_tsk(TSK_SELF);
  check_ercd(ercd, E_ID);
  ercd = rsm_tsk(TASK1);
  check_ercd(ercd, E_OBJ);
  ercd = frsm_tsk(TASK1);
  check_ercd(ercd, E_OBJ);
  ercd = rel_wai(TASK1);
  check_ercd(ercd, E_OBJ);
  ercd = iwup_tsk(TASK2);
  check_ercd(ercd, E_CTX);
  ercd = irel_wai(TASK2);
  check_ercd(ercd, E_CTX);
  ercd = dly_tsk(TMAX_RELTIM + 1U);
  check_ercd(ercd, E_PAR);

  /* 2 */
  check_point(2);
  ercd = wup_tsk(TSK_SELF);
  check_ercd(ercd, E_OK);
  ercd = ref_tsk(TSK_SELF, &rtsk);
  check_ercd(ercd, E_OK);
  check_assert(rtsk.wupcnt == 1U);
  ercd = wup_tsk(TSK_SELF);
  check_ercd(ercd, E_QOVR);
  ercd = can_wup(TSK_SELF);
  check_ercd(ercd, 1);
  ercd = can_wup(TSK_SELF);
  check_ercd(ercd, 0);
  ercd = wup_tsk(TASK1);
  check_ercd(ercd, E_OK);
  ercd = slp_tsk(); /* consumes the queued wakeup */
  check_ercd(ercd, E_OK);
  ercd = can_wup(TASK1);
  check_ercd(ercd, 0);
  ercd = wup_tsk(TSK_SELF);
  check_ercd(ercd, E_OK);
  ercd = tslp_tsk(TMO_POL); /* consumes the queued wakeup */
  check_ercd(ercd, E_OK);
  ercd = can_wup(TSK_SELF);
  check_ercd(ercd, 0);
  ALIGN_GET_TIM(t0);
  ercd = tslp_tsk(10);
  check_ercd(ercd, E_TMOUT);
  CHECK_ELAPSED(t0, 10);
  ercd = dly_tsk(0U);
  check_ercd(ercd, E_OK);
  ALIGN_GET_TIM(t0);
  ercd = dly_tsk(10U);
  check_ercd(ercd, E_OK);
  CHECK_ELAPSED(t0, 10);

  /* 3 */
  check_point(3);
  ercd = act_tsk(TASK2); /* -> 4 */
  check_ercd(ercd, E_OK);

  /* 5 */
  check_point(5);
  CHECK_WAIT(TASK2, TTW_SLP);
  ercd = wup_tsk(TASK2); /* -> 6 */
  check_ercd(ercd, E_OK);

  /* 7 */
  check_point(7);
  CHECK_WAIT(TASK2, TTW_SLP);
  ercd = rel_wai(TASK2); /* -> 8 */
  check_ercd(ercd, E_OK);

  /* 9 */
  check_point(9);
  CHECK_WAIT(TASK2, TTW_SLP);
  ercd = sus_tsk(TASK2);
  check_ercd(ercd, E_OK);
  ercd = ref_tsk(TASK2, &rtsk);
  check_ercd(ercd, E_OK);
  check_assert(rtsk.tskstat == TTS_WAS);
  check_assert(rtsk.tskwait == TTW_SLP);
  check_assert(rtsk.suscnt == 1U);
  ercd = sus_tsk(TASK2);
  check_ercd(ercd, E_QOVR);
  ercd = rsm_tsk(TASK2);
  check_ercd(ercd, E_OK);
  CHECK_WAIT(TASK2, TTW_SLP);
  ercd = sus_tsk(TASK2);
  check_ercd(ercd, E_OK);
  CHECK_TSKSTAT(TASK2, TTS_WAS);
  ercd = rel_wai(TASK2); /* the wait ends; still suspended */
  check_ercd(ercd, E_OK);
  CHECK_TSKSTAT(TASK2, TTS_SUS);
  ercd = rsm_tsk(TASK2); /* -> 10 */
  check_ercd(ercd, E_OK);

  /* 11 */
  check_point(11);
  CHECK_TSKSTAT(TASK2, TTS_SUS);
  ercd = frsm_tsk(TASK2); /* -> 12 */
  check_ercd(ercd, E_OK);

  /* 13 */
  check_point(13);
  CHECK_WAIT(TASK2, TTW_DLY);
  ercd = wup_tsk(TASK2); /* queued, does not end the delay */
  check_ercd(ercd, E_OK);
  ercd = ref_tsk(TASK2, &rtsk);
  check_ercd(ercd, E_OK);
  check_assert(rtsk.tskstat == TTS_WAI);
  check_assert(rtsk.tskwait == TTW_DLY);
  check_assert(rtsk.wupcnt == 1U);
  ercd = can_wup(TASK2);
  check_ercd(ercd, 1);
  ercd = rel_wai(TASK2); /* -> 14 */
  check_ercd(ercd, E_OK);

  /* 15 */
  check_point(15);
  CHECK_TSKSTAT(TASK2, TTS_DMT);
  ercd = act_tsk(TASK4);
  check_ercd(ercd, E_OK);
  ercd = act_tsk(TASK3);
  check_ercd(ercd, E_OK);
  ercd = slp_tsk(); /* -> 16 (TASK4), 17 (TASK3) */
  check_ercd(ercd, E_OK);

  /* 18 */
  check_point(18);
  CHECK_TSKSTAT(TASK3, TTS_DMT);
  CHECK_TSKSTAT(TASK4, TTS_DMT);
  check_finish(18);
}

void task2(intptr_t exinf) {
  ER ercd;

  (void)exinf;
  if (++task2_count != 1U) {
    test_fail(__FILE__, __LINE__, "TASK2 started twice");
  }

  /* 4 */
  check_point(4);
  ercd = slp_tsk(); /* released by wup_tsk -> 5 */
  check_ercd(ercd, E_OK);

  /* 6 */
  check_point(6);
  ercd = tslp_tsk(TMO_FEVR); /* released by rel_wai -> 7 */
  check_ercd(ercd, E_RLWAI);

  /* 8 */
  check_point(8);
  ercd = rel_wai(TASK1);
  check_ercd(ercd, E_OBJ);
  ercd = tslp_tsk(1000); /* -> 9 */
  check_ercd(ercd, E_RLWAI);

  /* 10 */
  check_point(10);
  ercd = sus_tsk(TSK_SELF); /* stops until frsm_tsk -> 11 */
  check_ercd(ercd, E_OK);

  /* 12 */
  check_point(12);
  ercd = dis_dsp();
  check_ercd(ercd, E_OK);
  check_assert(sns_dsp());
  ercd = sus_tsk(TSK_SELF);
  check_ercd(ercd, E_CTX);
  ercd = slp_tsk();
  check_ercd(ercd, E_CTX);
  ercd = tslp_tsk(10);
  check_ercd(ercd, E_CTX);
  ercd = dly_tsk(10U);
  check_ercd(ercd, E_CTX);
  ercd = tslp_tsk(TMO_POL);
#ifdef ITRON_FLAVOR_ASP
  check_ercd(ercd, E_CTX); /* ASP: a timed form is a waiting call whatever its timeout */
#else
  check_ercd(ercd, E_TMOUT); /* μITRON 4.0: polling is allowed: no queued wakeup */
#endif
  ercd = ena_dsp();
  check_ercd(ercd, E_OK);
  ercd = dly_tsk(1000U); /* -> 13 */
  check_ercd(ercd, E_RLWAI);

  /* 14 */
  check_point(14);
  ext_tsk();
  test_fail(__FILE__, __LINE__, "ext_tsk returned");
}

void task3(intptr_t exinf) {
  ER ercd;

  (void)exinf;
  /* 17 */
  check_point(17);
  ercd = wup_tsk(TASK1); /* equal priority: no preemption */
  check_ercd(ercd, E_OK);
  CHECK_TSKSTAT(TASK1, TTS_RDY);
  ext_tsk();
}

void task4(intptr_t exinf) {
  (void)exinf;
  /* 16 */
  check_point(16);
  CHECK_TSKSTAT(TASK3, TTS_RDY);
  CHECK_TSKSTAT(TASK1, TTS_WAI);
  ext_tsk();
}
