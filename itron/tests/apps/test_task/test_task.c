/*
 * test_task: task management — act_tsk, iact_tsk, can_act, ext_tsk, ter_tsk, chg_pri,
 * get_pri, get_inf, ref_tsk.
 *
 * Objects: TASK1 (MID, TA_ACT, exinf 1) drives the test. TASK2 (HIGH, exinf 2) and TASK3
 * (LOW, exinf 3) start dormant. SEM1 (count 0, FIFO) gives TASK2 something to wait on.
 *
 * Specification checked, by check point:
 *  1. (TASK1) A TA_ACT task runs in task context, CPU unlocked, dispatching enabled,
 *     task exceptions disabled. get_inf returns its exinf and the task receives it as
 *     its parameter. ref_tsk(TSK_SELF) reports TTS_RUN, current = base = initial
 *     priority, actcnt 0, wupcnt 0; a task never activated reports TTS_DMT.
 *  2. (TASK1) act_tsk of a dormant lower-priority task makes it TTS_RDY without
 *     preempting the caller (actcnt 0). A second act_tsk is queued (actcnt 1); a third
 *     returns E_QOVR (TMAX_ACTCNT = 1). can_act returns the queued count and clears it
 *     (1, then 0). act_tsk(TSK_SELF) queues an activation on the caller; can_act(TSK_SELF)
 *     returns it. can_act of a dormant task returns 0. act_tsk/can_act return E_ID for a
 *     negative ID and TNUM_TSKID+1. iact_tsk from a task returns E_CTX (even with a bad
 *     ID: context is checked first).
 *  3. (TASK1) On a dormant task get_pri, chg_pri and ter_tsk return E_OBJ. ter_tsk of
 *     the caller (TSK_SELF or its own ID) returns E_ILUSE. chg_pri returns E_PAR for
 *     priority TMAX_TPRI+1 and -1; E_ID before E_PAR (bad ID and bad priority), E_PAR
 *     before E_OBJ (dormant task and bad priority). get_pri/ref_tsk/ter_tsk return
 *     E_ID for out-of-range IDs. get_pri(TSK_SELF) returns the caller's priority.
 *  4. (TASK2) act_tsk of a higher-priority task preempts the caller at once: TASK2
 *     runs with exinf 2, sees itself TTS_RUN and TASK1 TTS_RDY, has its initial priority.
 *     chg_pri(TSK_SELF, LOW) lowers it below TASK1, which runs at once.
 *  5. (TASK1) ref_tsk shows TASK2 TTS_RDY with priority LOW. chg_pri(TASK3, MID) raises
 *     TASK3 to the caller's priority without preemption; chg_pri(TASK3, LOW) puts it back
 *     at the TAIL of the LOW ready queue, i.e. behind TASK2. TASK1 sleeps.
 *  6. (TASK2) TASK2 runs before TASK3 (consequence of 5). chg_pri returned E_OK;
 *     priority is LOW. It queues an activation on itself and calls ext_tsk.
 *  7. (TASK2) ext_tsk with a queued activation restarts the task at once, with its
 *     INITIAL priority (HIGH) and actcnt 0. It wakes TASK1 and waits on SEM1.
 *  8. (TASK1) ref_tsk shows TASK2 TTS_WAI/TTW_SEM on SEM1, and SEM1 lists it as waiter.
 *     An activation is queued on the waiting TASK2 (actcnt 1); ter_tsk(TASK2) terminates
 *     it and, because of the queued activation, starts it again (it preempts TASK1).
 *  9. (TASK2) Third start of TASK2, at HIGH; TASK1 is TTS_RDY. TASK2 sleeps.
 * 10. (TASK1) ter_tsk returned E_OK; terminating TASK2 removed it from SEM1's queue
 *     (no waiter, count unchanged at 0). TASK2 is TTS_WAI/TTW_SLP with actcnt 0.
 *     sus_tsk on a ready task gives TTS_SUS and on a waiting one TTS_WAS; rsm_tsk
 *     undoes both. ter_tsk of the waiting TASK2 makes it TTS_DMT (get_pri → E_OBJ).
 *     A wakeup is queued on TASK3 (wupcnt 1). chg_pri(TASK3, HIGH) raises another task
 *     above the caller: TASK3 preempts at once.
 * 11. (TASK3) Runs with exinf 3 at HIGH (ref_tsk: TTS_RUN, tskpri = tskbpri = HIGH,
 *     wupcnt 1); slp_tsk consumes the queued wakeup and returns at once; can_wup → 0.
 *     chg_pri(TSK_SELF, TPRI_INI) restores its initial priority LOW: TASK1 preempts.
 * 12. (TASK1) get_pri(TASK3) is LOW. chg_pri(TSK_SELF, LOW) puts the RUNNING task at
 *     the tail of the LOW queue, behind TASK3, which runs at once.
 * 13. (TASK3) Runs; calls ext_tsk (no queued activation).
 * 14. (TASK1) TASK3 is TTS_DMT; chg_pri(TSK_SELF, TPRI_INI) restores MID.
 */
#include <kernel.h>
#include <t_syslog.h>
#include "kernel_cfg.h"
#include "test_lib.h"
#include "check_macros.h"
#include "test_task.h"

/* get_pri(id) must succeed and return `p`. */
#define CHECK_PRI(id, p)             \
  do {                               \
    PRI p_;                          \
    ER e_ = get_pri((id), &p_);      \
    check_ercd(e_, E_OK);            \
    check_assert(p_ == (PRI)(p));    \
  } while (0)

static volatile uint_t task2_count = 0;

void task1(intptr_t exinf) {
  ER_UINT ercd;
  T_RTSK rtsk;
  T_RSEM rsem;
  intptr_t inf;
  PRI pri;

  test_start(__FILE__);

  /* 1 */
  check_point(1);
  check_state(false, false, TIPM_ENAALL, false, false, true);
  check_assert(exinf == 1);
  ercd = get_inf(&inf);
  check_ercd(ercd, E_OK);
  check_assert(inf == 1);
  ercd = ref_tsk(TSK_SELF, &rtsk);
  check_ercd(ercd, E_OK);
  check_assert(rtsk.tskstat == TTS_RUN);
  check_assert(rtsk.tskpri == MID_PRIORITY);
  check_assert(rtsk.tskbpri == MID_PRIORITY);
  check_assert(rtsk.actcnt == 0U);
  check_assert(rtsk.wupcnt == 0U);
  check_assert(rtsk.exinf == 1);
  CHECK_TSKSTAT(TASK1, TTS_RUN);
  CHECK_TSKSTAT(TASK2, TTS_DMT);
  CHECK_TSKSTAT(TASK3, TTS_DMT);

  /* 2 */
  check_point(2);
  ercd = act_tsk(TASK3);
  check_ercd(ercd, E_OK);
  ercd = ref_tsk(TASK3, &rtsk);
  check_ercd(ercd, E_OK);
  check_assert(rtsk.tskstat == TTS_RDY);
  check_assert(rtsk.tskpri == LOW_PRIORITY);
  check_assert(rtsk.actcnt == 0U);
  ercd = act_tsk(TASK3);
  check_ercd(ercd, E_OK);
  ercd = ref_tsk(TASK3, &rtsk);
  check_ercd(ercd, E_OK);
  check_assert(rtsk.actcnt == 1U);
  ercd = act_tsk(TASK3);
  check_ercd(ercd, E_QOVR);
  ercd = can_act(TASK3);
  check_ercd(ercd, 1);
  ercd = can_act(TASK3);
  check_ercd(ercd, 0);
  ercd = ref_tsk(TASK3, &rtsk);
  check_ercd(ercd, E_OK);
  check_assert(rtsk.actcnt == 0U);
  check_assert(rtsk.tskstat == TTS_RDY);
  ercd = act_tsk(TSK_SELF);
  check_ercd(ercd, E_OK);
  ercd = ref_tsk(TSK_SELF, &rtsk);
  check_ercd(ercd, E_OK);
  check_assert(rtsk.actcnt == 1U);
  ercd = can_act(TSK_SELF);
  check_ercd(ercd, 1);
  ercd = can_act(TASK2);
  check_ercd(ercd, 0);
  ercd = act_tsk(-1);
  check_ercd(ercd, E_ID);
  ercd = act_tsk(TNUM_TSKID + 1);
  check_ercd(ercd, E_ID);
  ercd = can_act(-1);
  check_ercd(ercd, E_ID);
  ercd = can_act(TNUM_TSKID + 1);
  check_ercd(ercd, E_ID);
  ercd = iact_tsk(TASK2);
  check_ercd(ercd, E_CTX);
  ercd = iact_tsk(TNUM_TSKID + 1);
  check_ercd(ercd, E_CTX);

  /* 3 */
  check_point(3);
  ercd = get_pri(TASK2, &pri);
  check_ercd(ercd, E_OBJ);
  ercd = chg_pri(TASK2, MID_PRIORITY);
  check_ercd(ercd, E_OBJ);
  ercd = ter_tsk(TASK2);
  check_ercd(ercd, E_OBJ);
  ercd = ter_tsk(TSK_SELF);
  check_ercd(ercd, E_ILUSE);
  ercd = ter_tsk(TASK1);
  check_ercd(ercd, E_ILUSE);
  ercd = ter_tsk(-1);
  check_ercd(ercd, E_ID);
  ercd = ter_tsk(TNUM_TSKID + 1);
  check_ercd(ercd, E_ID);
  ercd = chg_pri(TASK3, TMAX_TPRI + 1);
  check_ercd(ercd, E_PAR);
  ercd = chg_pri(TASK3, -1);
  check_ercd(ercd, E_PAR);
  ercd = chg_pri(TNUM_TSKID + 1, TMAX_TPRI + 1);
  check_ercd(ercd, E_ID);
  ercd = chg_pri(TASK2, TMAX_TPRI + 1);
  check_ercd(ercd, E_PAR);
  ercd = get_pri(TNUM_TSKID + 1, &pri);
  check_ercd(ercd, E_ID);
  ercd = get_pri(-1, &pri);
  check_ercd(ercd, E_ID);
  ercd = ref_tsk(TNUM_TSKID + 1, &rtsk);
  check_ercd(ercd, E_ID);
  ercd = ref_tsk(-1, &rtsk);
  check_ercd(ercd, E_ID);
  CHECK_PRI(TSK_SELF, MID_PRIORITY);
  CHECK_PRI(TASK3, LOW_PRIORITY);

  ercd = act_tsk(TASK2); /* HIGH: preempts -> 4 */
  check_ercd(ercd, E_OK);

  /* 5 */
  check_point(5);
  CHECK_PRI(TASK2, LOW_PRIORITY);
  ercd = ref_tsk(TASK2, &rtsk);
  check_ercd(ercd, E_OK);
  check_assert(rtsk.tskstat == TTS_RDY);
  check_assert(rtsk.tskpri == LOW_PRIORITY);
  check_assert(rtsk.tskbpri == LOW_PRIORITY);
  /* LOW ready queue now: TASK3, TASK2. */
  ercd = chg_pri(TASK3, MID_PRIORITY); /* same as the caller: no preemption */
  check_ercd(ercd, E_OK);
  CHECK_PRI(TASK3, MID_PRIORITY);
  CHECK_TSKSTAT(TASK3, TTS_RDY);
  ercd = chg_pri(TASK3, LOW_PRIORITY); /* back to LOW, at the tail: TASK2, TASK3 */
  check_ercd(ercd, E_OK);
  ercd = slp_tsk(); /* -> 6 (TASK2 first), 7; TASK2 wakes us */
  check_ercd(ercd, E_OK);

  /* 8 */
  check_point(8);
  CHECK_WAIT_OBJ(TASK2, TTW_SEM, SEM1);
  ercd = ref_sem(SEM1, &rsem);
  check_ercd(ercd, E_OK);
  check_assert(rsem.wtskid == TASK2);
  ercd = act_tsk(TASK2);
  check_ercd(ercd, E_OK);
  ercd = ref_tsk(TASK2, &rtsk);
  check_ercd(ercd, E_OK);
  check_assert(rtsk.actcnt == 1U);
  check_assert(rtsk.tskstat == TTS_WAI);
  ercd = ter_tsk(TASK2); /* terminated, then restarted at once -> 9 */
  check_ercd(ercd, E_OK);

  /* 10 */
  check_point(10);
  ercd = ref_sem(SEM1, &rsem);
  check_ercd(ercd, E_OK);
  check_assert(rsem.wtskid == TSK_NONE);
  check_assert(rsem.semcnt == 0U);
  ercd = ref_tsk(TASK2, &rtsk);
  check_ercd(ercd, E_OK);
  check_assert(rtsk.tskstat == TTS_WAI);
  check_assert(rtsk.tskwait == TTW_SLP);
  check_assert(rtsk.actcnt == 0U);
  CHECK_TSKSTAT(TASK3, TTS_RDY);
  ercd = sus_tsk(TASK3);
  check_ercd(ercd, E_OK);
  CHECK_TSKSTAT(TASK3, TTS_SUS);
  ercd = rsm_tsk(TASK3);
  check_ercd(ercd, E_OK);
  CHECK_TSKSTAT(TASK3, TTS_RDY);
  ercd = sus_tsk(TASK2);
  check_ercd(ercd, E_OK);
  CHECK_TSKSTAT(TASK2, TTS_WAS);
  ercd = rsm_tsk(TASK2);
  check_ercd(ercd, E_OK);
  CHECK_TSKSTAT(TASK2, TTS_WAI);
  ercd = ter_tsk(TASK2);
  check_ercd(ercd, E_OK);
  CHECK_TSKSTAT(TASK2, TTS_DMT);
  ercd = get_pri(TASK2, &pri);
  check_ercd(ercd, E_OBJ);
  ercd = wup_tsk(TASK3);
  check_ercd(ercd, E_OK);
  ercd = ref_tsk(TASK3, &rtsk);
  check_ercd(ercd, E_OK);
  check_assert(rtsk.wupcnt == 1U);
  ercd = chg_pri(TASK3, HIGH_PRIORITY); /* above the caller: preempts -> 11 */
  check_ercd(ercd, E_OK);

  /* 12 */
  check_point(12);
  CHECK_PRI(TASK3, LOW_PRIORITY);
  CHECK_TSKSTAT(TASK3, TTS_RDY);
  ercd = chg_pri(TSK_SELF, LOW_PRIORITY); /* tail of LOW, behind TASK3 -> 13 */
  check_ercd(ercd, E_OK);

  /* 14 */
  check_point(14);
  CHECK_TSKSTAT(TASK3, TTS_DMT);
  ercd = get_pri(TASK3, &pri);
  check_ercd(ercd, E_OBJ);
  CHECK_PRI(TSK_SELF, LOW_PRIORITY);
  ercd = chg_pri(TSK_SELF, TPRI_INI);
  check_ercd(ercd, E_OK);
  CHECK_PRI(TSK_SELF, MID_PRIORITY);
  check_finish(14);
}

void task2(intptr_t exinf) {
  ER ercd;
  T_RTSK rtsk;
  intptr_t inf;

  switch (++task2_count) {
    case 1:
      /* 4 */
      check_point(4);
      check_state(false, false, TIPM_ENAALL, false, false, true);
      check_assert(exinf == 2);
      ercd = get_inf(&inf);
      check_ercd(ercd, E_OK);
      check_assert(inf == 2);
      CHECK_TSKSTAT(TSK_SELF, TTS_RUN);
      CHECK_TSKSTAT(TASK1, TTS_RDY);
      CHECK_PRI(TSK_SELF, HIGH_PRIORITY);
      ercd = chg_pri(TSK_SELF, LOW_PRIORITY); /* TASK1 preempts -> 5 */
      check_ercd(ercd, E_OK);

      /* 6 */
      check_point(6);
      CHECK_PRI(TSK_SELF, LOW_PRIORITY);
      ercd = act_tsk(TSK_SELF);
      check_ercd(ercd, E_OK);
      ext_tsk(); /* restarts at once -> 7 */
      test_fail(__FILE__, __LINE__, "ext_tsk returned");
      break;

    case 2:
      /* 7 */
      check_point(7);
      CHECK_PRI(TSK_SELF, HIGH_PRIORITY);
      ercd = ref_tsk(TSK_SELF, &rtsk);
      check_ercd(ercd, E_OK);
      check_assert(rtsk.tskbpri == HIGH_PRIORITY);
      check_assert(rtsk.actcnt == 0U);
      ercd = wup_tsk(TASK1);
      check_ercd(ercd, E_OK);
      ercd = wai_sem(SEM1); /* terminated while waiting (point 8) */
      test_fail(__FILE__, __LINE__, "wai_sem returned in a terminated task");
      break;

    case 3:
      /* 9 */
      check_point(9);
      CHECK_PRI(TSK_SELF, HIGH_PRIORITY);
      CHECK_TSKSTAT(TASK1, TTS_RDY);
      ercd = slp_tsk(); /* terminated while sleeping (point 10) */
      test_fail(__FILE__, __LINE__, "slp_tsk returned in a terminated task");
      break;

    default:
      test_fail(__FILE__, __LINE__, "TASK2 started too often");
      break;
  }
}

void task3(intptr_t exinf) {
  ER_UINT ercd;
  T_RTSK rtsk;

  /* 11 */
  check_point(11);
  check_assert(exinf == 3);
  ercd = ref_tsk(TSK_SELF, &rtsk);
  check_ercd(ercd, E_OK);
  check_assert(rtsk.tskstat == TTS_RUN);
  check_assert(rtsk.tskpri == HIGH_PRIORITY);
  check_assert(rtsk.tskbpri == HIGH_PRIORITY);
  check_assert(rtsk.wupcnt == 1U);
  ercd = slp_tsk(); /* consumes the queued wakeup */
  check_ercd(ercd, E_OK);
  ercd = can_wup(TSK_SELF);
  check_ercd(ercd, 0);
  ercd = chg_pri(TSK_SELF, TPRI_INI); /* back to LOW: TASK1 preempts -> 12 */
  check_ercd(ercd, E_OK);

  /* 13 */
  check_point(13);
  CHECK_PRI(TSK_SELF, LOW_PRIORITY);
  ext_tsk();
  test_fail(__FILE__, __LINE__, "ext_tsk returned");
}
