/*
 * test_dtq: data queues — snd_dtq, psnd_dtq, ipsnd_dtq, tsnd_dtq, fsnd_dtq, ifsnd_dtq,
 * rcv_dtq, prcv_dtq, trcv_dtq, ini_dtq, ref_dtq.
 *
 * Objects: TASK1 (MID, TA_ACT) drives the test; TASK2 (HIGH) sends and receives.
 * DTQ1 holds 2 data; DTQ2 holds none (every transfer is a hand-over). ALM1 sends from
 * non-task context.
 *
 * Specification checked, by check point:
 *  1. (TASK1) ref_dtq: no waiting sender/receiver, sdtqcnt 0. E_ID for 0, negative and
 *     TNUM_DTQID+1. E_PAR for tmout -2 (tsnd_dtq, trcv_dtq); E_ID before E_PAR.
 *     ipsnd_dtq/ifsnd_dtq from a task → E_CTX. On the empty queue prcv_dtq and
 *     trcv_dtq(TMO_POL) → E_TMOUT. On DTQ2 (no buffer, no receiver) psnd_dtq → E_TMOUT
 *     and fsnd_dtq → E_ILUSE.
 *  2. (TASK1) psnd_dtq and snd_dtq store while there is room (sdtqcnt 2); then
 *     psnd_dtq and tsnd_dtq(TMO_POL) → E_TMOUT and tsnd_dtq(10) → E_TMOUT after 10 or
 *     11 ms. fsnd_dtq on the full queue drops the OLDEST datum. Data come out in FIFO
 *     order (2, 3). trcv_dtq(10) on the empty queue → E_TMOUT after 10 or 11 ms. With
 *     dispatching disabled rcv_dtq/trcv_dtq(10) on an empty queue and snd_dtq/
 *     tsnd_dtq(10) on a full one → E_CTX, while psnd_dtq/prcv_dtq work.
 *  3. (TASK1) act_tsk(TASK2): it preempts.
 *  4. (TASK2) rcv_dtq(DTQ1) on the empty queue: waits.
 *  5. (TASK1) ref_dtq shows TASK2 as waiting receiver; ref_tsk TTS_WAI/TTW_RDTQ on DTQ1.
 *     snd_dtq(DTQ1, 10) hands the datum straight to TASK2: it preempts.
 *  6. (TASK2) Received 10; nothing went through the buffer (sdtqcnt 0).
 *     rcv_dtq(DTQ2): waits.
 *  7. (TASK1) ref_dtq(DTQ2) shows TASK2 receiving; psnd_dtq(DTQ2, 20) succeeds because a
 *     receiver waits: TASK2 preempts.
 *  8. (TASK2) Received 20. snd_dtq(DTQ2, 30) with no receiver: waits.
 *  9. (TASK1) ref_dtq(DTQ2) shows TASK2 sending, sdtqcnt 0; ref_tsk TTW_SDTQ on DTQ2.
 *     prcv_dtq(DTQ2) takes 30 from the waiting sender and releases it: TASK2 preempts.
 * 10. (TASK2) snd_dtq returned E_OK. Fills DTQ1 (41, 42); snd_dtq(DTQ1, 43): waits.
 * 11. (TASK1) prcv_dtq(DTQ2) gave 30. DTQ1: sender TASK2, sdtqcnt 2. rcv_dtq gives 41
 *     and lets the waiting sender's 43 into the buffer: TASK2 preempts.
 * 12. (TASK2) snd_dtq returned E_OK; DTQ1 holds 2 data, no waiting sender.
 *     snd_dtq(DTQ1, 44): waits.
 * 13. (TASK1) rcv_dtq gave 41. ini_dtq(DTQ1) releases the sender with E_DLT and
 *     empties the buffer: TASK2 preempts.
 * 14. (TASK2) snd_dtq returned E_DLT; DTQ1 empty. trcv_dtq(DTQ1, TMO_FEVR): waits.
 * 15. (TASK1) ref_dtq shows TASK2 receiving; ini_dtq releases it with E_DLT.
 * 16. (TASK2) trcv_dtq returned E_DLT; exits.
 * 17. (TASK1) Starts ALM1 (5 ms) and waits in rcv_dtq(DTQ1).
 * 18. (alm1) ipsnd_dtq hands 100 to TASK1; ipsnd_dtq and ifsnd_dtq fill the buffer
 *     (101, 102); ipsnd_dtq on the full queue → E_TMOUT; ifsnd_dtq(104) drops the
 *     oldest (101). ifsnd_dtq on DTQ2 → E_ILUSE; bad ID → E_ID. snd_dtq, psnd_dtq,
 *     tsnd_dtq, fsnd_dtq, rcv_dtq, prcv_dtq, trcv_dtq, ini_dtq, ref_dtq → E_CTX.
 * 19. (TASK1) rcv_dtq returned 100; the buffer holds 102 then 104; then empty.
 */
#include <kernel.h>
#include <t_syslog.h>
#include "kernel_cfg.h"
#include "test_lib.h"
#include "check_macros.h"
#include "test_dtq.h"

/* ref_dtq(id) must succeed and report (stskid, rtskid, sdtqcnt). */
#define CHECK_DTQ(id, stsk, rtsk, cnt)              \
  do {                                              \
    T_RDTQ r_;                                      \
    ER e_ = ref_dtq((id), &r_);                     \
    check_ercd(e_, E_OK);                           \
    check_assert(r_.stskid == (ID)(stsk));          \
    check_assert(r_.rtskid == (ID)(rtsk));          \
    check_assert(r_.sdtqcnt == (uint_t)(cnt));      \
  } while (0)

/* prcv_dtq(id) must return `val`. */
#define CHECK_PRCV(id, val)                 \
  do {                                      \
    intptr_t d_ = -1;                       \
    ER e_ = prcv_dtq((id), &d_);            \
    check_ercd(e_, E_OK);                   \
    check_assert(d_ == (intptr_t)(val));    \
  } while (0)

void task1(intptr_t exinf) {
  ER ercd;
  intptr_t data;
  T_RDTQ rdtq;
  SYSTIM t0;

  (void)exinf;
  test_start(__FILE__);

  /* 1 */
  check_point(1);
  CHECK_DTQ(DTQ1, TSK_NONE, TSK_NONE, 0);
  CHECK_DTQ(DTQ2, TSK_NONE, TSK_NONE, 0);
  ercd = snd_dtq(0, 1);
  check_ercd(ercd, E_ID);
  ercd = psnd_dtq(TNUM_DTQID + 1, 1);
  check_ercd(ercd, E_ID);
  ercd = tsnd_dtq(-1, 1, 10);
  check_ercd(ercd, E_ID);
  ercd = fsnd_dtq(TNUM_DTQID + 1, 1);
  check_ercd(ercd, E_ID);
  ercd = rcv_dtq(0, &data);
  check_ercd(ercd, E_ID);
  ercd = prcv_dtq(TNUM_DTQID + 1, &data);
  check_ercd(ercd, E_ID);
  ercd = trcv_dtq(TNUM_DTQID + 1, &data, -2);
  check_ercd(ercd, E_ID);
  ercd = ini_dtq(0);
  check_ercd(ercd, E_ID);
  ercd = ref_dtq(TNUM_DTQID + 1, &rdtq);
  check_ercd(ercd, E_ID);
  ercd = tsnd_dtq(DTQ1, 1, -2);
  check_ercd(ercd, E_PAR);
  ercd = trcv_dtq(DTQ1, &data, -2);
  check_ercd(ercd, E_PAR);
  ercd = ipsnd_dtq(DTQ1, 1);
  check_ercd(ercd, E_CTX);
  ercd = ifsnd_dtq(DTQ1, 1);
  check_ercd(ercd, E_CTX);
  ercd = prcv_dtq(DTQ1, &data);
  check_ercd(ercd, E_TMOUT);
  ercd = trcv_dtq(DTQ1, &data, TMO_POL);
  check_ercd(ercd, E_TMOUT);
  ercd = psnd_dtq(DTQ2, 1);
  check_ercd(ercd, E_TMOUT);
  ercd = fsnd_dtq(DTQ2, 1);
  check_ercd(ercd, E_ILUSE);

  /* 2 */
  check_point(2);
  ercd = psnd_dtq(DTQ1, 1);
  check_ercd(ercd, E_OK);
  ercd = snd_dtq(DTQ1, 2);
  check_ercd(ercd, E_OK);
  CHECK_DTQ(DTQ1, TSK_NONE, TSK_NONE, 2);
  ercd = psnd_dtq(DTQ1, 3);
  check_ercd(ercd, E_TMOUT);
  ercd = tsnd_dtq(DTQ1, 3, TMO_POL);
  check_ercd(ercd, E_TMOUT);
  ALIGN_GET_TIM(t0);
  ercd = tsnd_dtq(DTQ1, 3, 10);
  check_ercd(ercd, E_TMOUT);
  CHECK_ELAPSED(t0, 10);
  CHECK_DTQ(DTQ1, TSK_NONE, TSK_NONE, 2);
  ercd = fsnd_dtq(DTQ1, 3); /* drops 1 */
  check_ercd(ercd, E_OK);
  CHECK_DTQ(DTQ1, TSK_NONE, TSK_NONE, 2);
  CHECK_PRCV(DTQ1, 2);
  data = -1;
  ercd = rcv_dtq(DTQ1, &data);
  check_ercd(ercd, E_OK);
  check_assert(data == 3);
  CHECK_DTQ(DTQ1, TSK_NONE, TSK_NONE, 0);
  ALIGN_GET_TIM(t0);
  ercd = trcv_dtq(DTQ1, &data, 10);
  check_ercd(ercd, E_TMOUT);
  CHECK_ELAPSED(t0, 10);
  ercd = dis_dsp();
  check_ercd(ercd, E_OK);
  ercd = rcv_dtq(DTQ1, &data);
  check_ercd(ercd, E_CTX);
  ercd = trcv_dtq(DTQ1, &data, 10);
  check_ercd(ercd, E_CTX);
  ercd = psnd_dtq(DTQ1, 5);
  check_ercd(ercd, E_OK);
  ercd = psnd_dtq(DTQ1, 6);
  check_ercd(ercd, E_OK);
  ercd = snd_dtq(DTQ1, 7);
  check_ercd(ercd, E_CTX);
  ercd = tsnd_dtq(DTQ1, 7, 10);
  check_ercd(ercd, E_CTX);
  CHECK_PRCV(DTQ1, 5);
  CHECK_PRCV(DTQ1, 6);
  ercd = ena_dsp();
  check_ercd(ercd, E_OK);
  CHECK_DTQ(DTQ1, TSK_NONE, TSK_NONE, 0);

  /* 3 */
  check_point(3);
  ercd = act_tsk(TASK2); /* -> 4 */
  check_ercd(ercd, E_OK);

  /* 5 */
  check_point(5);
  CHECK_DTQ(DTQ1, TSK_NONE, TASK2, 0);
  CHECK_WAIT_OBJ(TASK2, TTW_RDTQ, DTQ1);
  ercd = snd_dtq(DTQ1, 10); /* -> 6 */
  check_ercd(ercd, E_OK);

  /* 7 */
  check_point(7);
  CHECK_DTQ(DTQ2, TSK_NONE, TASK2, 0);
  ercd = psnd_dtq(DTQ2, 20); /* -> 8 */
  check_ercd(ercd, E_OK);

  /* 9 */
  check_point(9);
  CHECK_DTQ(DTQ2, TASK2, TSK_NONE, 0);
  CHECK_WAIT_OBJ(TASK2, TTW_SDTQ, DTQ2);
  data = -1;
  ercd = prcv_dtq(DTQ2, &data); /* -> 10 */
  check_ercd(ercd, E_OK);

  /* 11 */
  check_point(11);
  check_assert(data == 30);
  CHECK_DTQ(DTQ1, TASK2, TSK_NONE, 2);
  data = -1;
  ercd = rcv_dtq(DTQ1, &data); /* -> 12 */
  check_ercd(ercd, E_OK);

  /* 13 */
  check_point(13);
  check_assert(data == 41);
  CHECK_DTQ(DTQ1, TASK2, TSK_NONE, 2);
  ercd = ini_dtq(DTQ1); /* -> 14 */
  check_ercd(ercd, E_OK);

  /* 15 */
  check_point(15);
  CHECK_DTQ(DTQ1, TSK_NONE, TASK2, 0);
  ercd = ini_dtq(DTQ1); /* -> 16 */
  check_ercd(ercd, E_OK);

  /* 17 */
  check_point(17);
  CHECK_DTQ(DTQ1, TSK_NONE, TSK_NONE, 0);
  ercd = sta_alm(ALM1, 5U);
  check_ercd(ercd, E_OK);
  data = -1;
  ercd = rcv_dtq(DTQ1, &data); /* -> 18 */
  check_ercd(ercd, E_OK);

  /* 19 */
  check_point(19);
  check_assert(data == 100);
  CHECK_DTQ(DTQ1, TSK_NONE, TSK_NONE, 2);
  CHECK_PRCV(DTQ1, 102);
  CHECK_PRCV(DTQ1, 104);
  ercd = prcv_dtq(DTQ1, &data);
  check_ercd(ercd, E_TMOUT);
  check_finish(19);
}

void task2(intptr_t exinf) {
  ER ercd;
  intptr_t data;

  (void)exinf;
  /* 4 */
  check_point(4);
  data = -1;
  ercd = rcv_dtq(DTQ1, &data); /* -> 5 */
  check_ercd(ercd, E_OK);

  /* 6 */
  check_point(6);
  check_assert(data == 10);
  CHECK_DTQ(DTQ1, TSK_NONE, TSK_NONE, 0);
  data = -1;
  ercd = rcv_dtq(DTQ2, &data); /* -> 7 */
  check_ercd(ercd, E_OK);

  /* 8 */
  check_point(8);
  check_assert(data == 20);
  ercd = snd_dtq(DTQ2, 30); /* -> 9 */
  check_ercd(ercd, E_OK);

  /* 10 */
  check_point(10);
  ercd = psnd_dtq(DTQ1, 41);
  check_ercd(ercd, E_OK);
  ercd = psnd_dtq(DTQ1, 42);
  check_ercd(ercd, E_OK);
  ercd = snd_dtq(DTQ1, 43); /* -> 11 */
  check_ercd(ercd, E_OK);

  /* 12 */
  check_point(12);
  CHECK_DTQ(DTQ1, TSK_NONE, TSK_NONE, 2);
  ercd = snd_dtq(DTQ1, 44); /* -> 13 */
  check_ercd(ercd, E_DLT);

  /* 14 */
  check_point(14);
  CHECK_DTQ(DTQ1, TSK_NONE, TSK_NONE, 0);
  ercd = trcv_dtq(DTQ1, &data, TMO_FEVR); /* -> 15 */
  check_ercd(ercd, E_DLT);

  /* 16 */
  check_point(16);
  ext_tsk();
}

void alm1(intptr_t exinf) {
  ER ercd;
  intptr_t data;
  T_RDTQ rdtq;

  /* 18 */
  check_point(18);
  check_assert(exinf == 1);
  check_assert(sns_ctx());
  ercd = ipsnd_dtq(DTQ1, 100); /* hand-over to TASK1 */
  check_ercd(ercd, E_OK);
  ercd = ipsnd_dtq(DTQ1, 101);
  check_ercd(ercd, E_OK);
  ercd = ifsnd_dtq(DTQ1, 102);
  check_ercd(ercd, E_OK);
  ercd = ipsnd_dtq(DTQ1, 103);
  check_ercd(ercd, E_TMOUT);
  ercd = ifsnd_dtq(DTQ1, 104); /* drops 101 */
  check_ercd(ercd, E_OK);
  ercd = ifsnd_dtq(DTQ2, 1);
  check_ercd(ercd, E_ILUSE);
  ercd = ipsnd_dtq(0, 1);
  check_ercd(ercd, E_ID);
  ercd = ifsnd_dtq(TNUM_DTQID + 1, 1);
  check_ercd(ercd, E_ID);
  ercd = snd_dtq(DTQ2, 1);
  check_ercd(ercd, E_CTX);
  ercd = psnd_dtq(DTQ2, 1);
  check_ercd(ercd, E_CTX);
  ercd = tsnd_dtq(DTQ2, 1, 10);
  check_ercd(ercd, E_CTX);
  ercd = fsnd_dtq(DTQ1, 1);
  check_ercd(ercd, E_CTX);
  ercd = rcv_dtq(DTQ2, &data);
  check_ercd(ercd, E_CTX);
  ercd = prcv_dtq(DTQ1, &data);
  check_ercd(ercd, E_CTX);
  ercd = trcv_dtq(DTQ2, &data, 10);
  check_ercd(ercd, E_CTX);
  ercd = ini_dtq(DTQ2);
  check_ercd(ercd, E_CTX);
  ercd = ref_dtq(DTQ2, &rdtq);
  check_ercd(ercd, E_CTX);
}
