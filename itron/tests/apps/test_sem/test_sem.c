/*
 * test_sem: semaphores — sig_sem, isig_sem, wai_sem, pol_sem, twai_sem, ini_sem, ref_sem.
 *
 * Objects: TASK1 (MID, TA_ACT) drives the test; TASK2 (HIGH) and TASK3 (TOP, above HIGH)
 * wait on the semaphores. SEM1: TA_TPRI, initial 1, max 1. SEM2: TA_TFIFO, initial 0,
 * max 2. ALM1 signals from non-task context.
 *
 * Specification checked, by check point:
 *  1. (TASK1) ref_sem: no waiter (TSK_NONE), initial count. E_ID for ID 0, a negative ID
 *     and TNUM_SEMID+1 (sig_sem, wai_sem, pol_sem, twai_sem, ini_sem, ref_sem); twai_sem
 *     with tmout -2 → E_PAR (E_ID before E_PAR). isig_sem from a task → E_CTX.
 *  2. (TASK1) sig_sem at maxsem → E_QOVR. pol_sem takes a resource (count 1 → 0), then
 *     returns E_TMOUT; twai_sem(TMO_POL) → E_TMOUT at once; twai_sem(10) → E_TMOUT after
 *     10 or 11 ms. With dispatching disabled wai_sem, twai_sem(10) and
 *     twai_sem(TMO_FEVR) → E_CTX while pol_sem and sig_sem work.
 *  3. (TASK1) act_tsk(TASK2): it preempts.
 *  4. (TASK2) wai_sem(SEM1) with count 0: waits.
 *  5. (TASK1) ref_sem(SEM1) shows TASK2 waiting; ref_tsk: TTS_WAI, TTW_SEM, wobjid SEM1.
 *     act_tsk(TASK3): it preempts.
 *  6. (TASK3) wai_sem(SEM1): waits, after TASK2.
 *  7. (TASK1) TA_TPRI: the higher-priority TASK3 heads SEM1's queue although it came
 *     second. sig_sem releases TASK3 (count stays 0): it preempts.
 *  8. (TASK3) wai_sem returned E_OK; TASK2 still waits, count 0. TASK3 sleeps.
 *  9. (TASK1) sig_sem releases TASK2: it preempts.
 * 10. (TASK2) wai_sem returned E_OK. wai_sem(SEM2): waits (first).
 * 11. (TASK1) wup_tsk(TASK3): it preempts.
 * 12. (TASK3) wai_sem(SEM2): waits (second).
 * 13. (TASK1) TA_TFIFO: TASK2 heads SEM2's queue although TASK3 has a higher priority;
 *     sig_sem(SEM2) releases TASK2: it preempts.
 * 14. (TASK2) wai_sem(SEM2) again: waits behind TASK3.
 * 15. (TASK1) TASK3 heads the queue. rel_wai(TASK2): it preempts.
 * 16. (TASK2) wai_sem returned E_RLWAI (and left the queue). twai_sem(SEM2, 1000): waits.
 * 17. (TASK1) ini_sem(SEM2) releases every waiter with E_DLT.
 * 18. (TASK3) wai_sem returned E_DLT; exits.
 * 19. (TASK2) twai_sem returned E_DLT; exits.
 * 20. (TASK1) After ini_sem no waiter and the initial count (0). ini_sem(SEM1) restores
 *     count 1. SEM2: two sig_sem → 2, a third → E_QOVR, ini_sem → 0.
 * 21. (TASK1) Starts ALM1 (5 ms) and waits on SEM2.
 * 22. (alm1) isig_sem releases TASK1; two more raise the count to 2 (maxsem); a fourth →
 *     E_QOVR. isig_sem with a bad ID → E_ID. sig_sem, pol_sem, wai_sem, twai_sem,
 *     ini_sem and ref_sem from non-task context → E_CTX.
 * 23. (TASK1) wai_sem returned E_OK; count 2.
 */
#include <kernel.h>
#include <t_syslog.h>
#include "kernel_cfg.h"
#include "test_lib.h"
#include "check_macros.h"
#include "test_sem.h"

/* ref_sem(id) must succeed and report (wtskid, semcnt). */
#define CHECK_SEM(id, wtsk, cnt)                  \
  do {                                            \
    T_RSEM r_;                                    \
    ER e_ = ref_sem((id), &r_);                   \
    check_ercd(e_, E_OK);                         \
    check_assert(r_.wtskid == (ID)(wtsk));        \
    check_assert(r_.semcnt == (uint_t)(cnt));     \
  } while (0)

void task1(intptr_t exinf) {
  ER ercd;
  T_RSEM rsem;
  SYSTIM t0;

  (void)exinf;
  test_start(__FILE__);

  /* 1 */
  check_point(1);
  CHECK_SEM(SEM1, TSK_NONE, 1);
  CHECK_SEM(SEM2, TSK_NONE, 0);
  ercd = sig_sem(0);
  check_ercd(ercd, E_ID);
  ercd = sig_sem(TNUM_SEMID + 1);
  check_ercd(ercd, E_ID);
  ercd = wai_sem(-1);
  check_ercd(ercd, E_ID);
  ercd = pol_sem(TNUM_SEMID + 1);
  check_ercd(ercd, E_ID);
  ercd = twai_sem(0, 10);
  check_ercd(ercd, E_ID);
  ercd = twai_sem(TNUM_SEMID + 1, -2);
  check_ercd(ercd, E_ID);
  ercd = twai_sem(SEM1, -2);
  check_ercd(ercd, E_PAR);
  ercd = ini_sem(0);
  check_ercd(ercd, E_ID);
  ercd = ref_sem(TNUM_SEMID + 1, &rsem);
  check_ercd(ercd, E_ID);
  ercd = isig_sem(SEM1);
  check_ercd(ercd, E_CTX);

  /* 2 */
  check_point(2);
  ercd = sig_sem(SEM1);
  check_ercd(ercd, E_QOVR);
  ercd = pol_sem(SEM1);
  check_ercd(ercd, E_OK);
  CHECK_SEM(SEM1, TSK_NONE, 0);
  ercd = pol_sem(SEM1);
  check_ercd(ercd, E_TMOUT);
  ercd = twai_sem(SEM1, TMO_POL);
  check_ercd(ercd, E_TMOUT);
  ALIGN_GET_TIM(t0); /* start just after a tick */
  ercd = twai_sem(SEM1, 10);
  check_ercd(ercd, E_TMOUT);
  CHECK_ELAPSED(t0, 10);
  ercd = dis_dsp();
  check_ercd(ercd, E_OK);
  ercd = wai_sem(SEM1);
  check_ercd(ercd, E_CTX);
  ercd = twai_sem(SEM1, 10);
  check_ercd(ercd, E_CTX);
  ercd = twai_sem(SEM1, TMO_FEVR);
  check_ercd(ercd, E_CTX);
  ercd = pol_sem(SEM1);
  check_ercd(ercd, E_TMOUT);
  ercd = sig_sem(SEM1);
  check_ercd(ercd, E_OK);
  ercd = pol_sem(SEM1);
  check_ercd(ercd, E_OK);
  ercd = ena_dsp();
  check_ercd(ercd, E_OK);
  CHECK_SEM(SEM1, TSK_NONE, 0);

  /* 3 */
  check_point(3);
  ercd = act_tsk(TASK2); /* -> 4 */
  check_ercd(ercd, E_OK);

  /* 5 */
  check_point(5);
  CHECK_SEM(SEM1, TASK2, 0);
  CHECK_WAIT_OBJ(TASK2, TTW_SEM, SEM1);
  ercd = act_tsk(TASK3); /* -> 6 */
  check_ercd(ercd, E_OK);

  /* 7 */
  check_point(7);
  CHECK_SEM(SEM1, TASK3, 0);
  ercd = sig_sem(SEM1); /* -> 8 */
  check_ercd(ercd, E_OK);

  /* 9 */
  check_point(9);
  ercd = sig_sem(SEM1); /* -> 10 */
  check_ercd(ercd, E_OK);

  /* 11 */
  check_point(11);
  CHECK_SEM(SEM1, TSK_NONE, 0);
  CHECK_SEM(SEM2, TASK2, 0);
  ercd = wup_tsk(TASK3); /* -> 12 */
  check_ercd(ercd, E_OK);

  /* 13 */
  check_point(13);
  CHECK_SEM(SEM2, TASK2, 0);
  ercd = sig_sem(SEM2); /* -> 14 */
  check_ercd(ercd, E_OK);

  /* 15 */
  check_point(15);
  CHECK_SEM(SEM2, TASK3, 0);
  ercd = rel_wai(TASK2); /* -> 16 */
  check_ercd(ercd, E_OK);

  /* 17 */
  check_point(17);
  CHECK_SEM(SEM2, TASK3, 0);
  ercd = ini_sem(SEM2); /* -> 18, 19 */
  check_ercd(ercd, E_OK);

  /* 20 */
  check_point(20);
  CHECK_SEM(SEM2, TSK_NONE, 0);
  CHECK_SEM(SEM1, TSK_NONE, 0);
  ercd = ini_sem(SEM1);
  check_ercd(ercd, E_OK);
  CHECK_SEM(SEM1, TSK_NONE, 1);
  ercd = sig_sem(SEM2);
  check_ercd(ercd, E_OK);
  ercd = sig_sem(SEM2);
  check_ercd(ercd, E_OK);
  CHECK_SEM(SEM2, TSK_NONE, 2);
  ercd = sig_sem(SEM2);
  check_ercd(ercd, E_QOVR);
  ercd = ini_sem(SEM2);
  check_ercd(ercd, E_OK);
  CHECK_SEM(SEM2, TSK_NONE, 0);

  /* 21 */
  check_point(21);
  ercd = sta_alm(ALM1, 5U);
  check_ercd(ercd, E_OK);
  ercd = wai_sem(SEM2); /* -> 22 */
  check_ercd(ercd, E_OK);

  /* 23 */
  check_point(23);
  CHECK_SEM(SEM2, TSK_NONE, 2);
  check_finish(23);
}

void task2(intptr_t exinf) {
  ER ercd;

  (void)exinf;
  /* 4 */
  check_point(4);
  ercd = wai_sem(SEM1); /* -> 5; released at 9 */
  check_ercd(ercd, E_OK);

  /* 10 */
  check_point(10);
  ercd = wai_sem(SEM2); /* -> 11; released at 13 */
  check_ercd(ercd, E_OK);

  /* 14 */
  check_point(14);
  ercd = wai_sem(SEM2); /* -> 15; rel_wai at 15 */
  check_ercd(ercd, E_RLWAI);

  /* 16 */
  check_point(16);
  CHECK_SEM(SEM2, TASK3, 0);
  ercd = twai_sem(SEM2, 1000); /* -> 17; ini_sem at 17 */
  check_ercd(ercd, E_DLT);

  /* 19 */
  check_point(19);
  ext_tsk();
}

void task3(intptr_t exinf) {
  ER ercd;

  (void)exinf;
  /* 6 */
  check_point(6);
  ercd = wai_sem(SEM1); /* -> 7; released at 7 */
  check_ercd(ercd, E_OK);

  /* 8 */
  check_point(8);
  CHECK_SEM(SEM1, TASK2, 0);
  ercd = slp_tsk(); /* -> 9; woken at 11 */
  check_ercd(ercd, E_OK);

  /* 12 */
  check_point(12);
  ercd = wai_sem(SEM2); /* -> 13; ini_sem at 17 */
  check_ercd(ercd, E_DLT);

  /* 18 */
  check_point(18);
  ext_tsk();
}

void alm1(intptr_t exinf) {
  ER ercd;
  T_RSEM rsem;

  /* 22 */
  check_point(22);
  check_assert(exinf == 1);
  check_assert(sns_ctx());
  ercd = isig_sem(SEM2); /* releases TASK1 */
  check_ercd(ercd, E_OK);
  ercd = isig_sem(SEM2);
  check_ercd(ercd, E_OK);
  ercd = isig_sem(SEM2);
  check_ercd(ercd, E_OK);
  ercd = isig_sem(SEM2);
  check_ercd(ercd, E_QOVR);
  ercd = isig_sem(0);
  check_ercd(ercd, E_ID);
  ercd = isig_sem(TNUM_SEMID + 1);
  check_ercd(ercd, E_ID);
  ercd = sig_sem(SEM2);
  check_ercd(ercd, E_CTX);
  ercd = pol_sem(SEM2);
  check_ercd(ercd, E_CTX);
  ercd = wai_sem(SEM2);
  check_ercd(ercd, E_CTX);
  ercd = twai_sem(SEM2, 10);
  check_ercd(ercd, E_CTX);
  ercd = ini_sem(SEM2);
  check_ercd(ercd, E_CTX);
  ercd = ref_sem(SEM2, &rsem);
  check_ercd(ercd, E_CTX);
}
