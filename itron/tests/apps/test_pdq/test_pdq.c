/*
 * test_pdq: priority data queues (TOPPERS/ASP 1.9: CRE_PDQ, snd_pdq, psnd_pdq, ipsnd_pdq,
 * tsnd_pdq, rcv_pdq, prcv_pdq, trcv_pdq, ini_pdq, ref_pdq), in the μITRON and ASP flavours.
 *
 * Specification checked, by check point:
 *  1. (TASK1) ref_pdq of an empty queue: no waiters, count 0. E_ID for 0 and TNUM_PDQID + 1;
 *     E_PAR for a priority 0 or above maxdpri (4), and a timeout below TMO_FEVR.
 *  2. (TASK1) psnd_pdq of (10, 3), (20, 1), (30, 3) fills PDQ1; a fourth → E_TMOUT;
 *     prcv_pdq returns them by priority, FIFO among equals: (20, 1), (10, 3), (30, 3);
 *     then E_TMOUT.
 *  3. (TASK1) Fills PDQ1 again and activates TASK2 and TASK3 (HIGH): both send and wait
 *     (TTW_SPDQ), TASK3 first (activated first... both HIGH: FIFO by TA_TPRI among equals).
 *  4. (TASK1) rcv_pdq takes the head (priority 1); the first waiting sender's datum takes its
 *     place and that sender runs (it preempts): its snd_pdq returned E_OK.
 *  5. (TASK1) ini_pdq releases the other sender with E_DLT and empties the queue.
 *  6. (TASK1) PDQ2 (capacity 0): rcv_pdq waits; ALM1's ipsnd_pdq(PDQ2, 99, 7) hands the
 *     datum over directly: rcv_pdq returns (99, 7). ipsnd_pdq with nobody waiting → E_TMOUT.
 *  7. (TASK1) trcv_pdq(PDQ2, 5) times out with E_TMOUT.
 */
#include <kernel.h>
#include <t_syslog.h>
#include "kernel_cfg.h"
#include "test_lib.h"
#include "check_macros.h"
#include "test_pdq.h"

static volatile ER task2_ercd = E_SYS, task3_ercd = E_SYS, alarm_ercd = E_SYS, alarm_again = E_SYS;
static volatile uint_t senders_done;

#define CHECK_PDQ(id, stsk, rtsk, cnt)              \
  do {                                              \
    T_RPDQ r_;                                      \
    ER e_ = ref_pdq((id), &r_);                     \
    check_ercd(e_, E_OK);                           \
    check_assert(r_.stskid == (ID)(stsk));          \
    check_assert(r_.rtskid == (ID)(rtsk));          \
    check_assert(r_.spdqcnt == (uint_t)(cnt));      \
  } while (0)

void task2(intptr_t exinf) {
  (void)exinf;
  task2_ercd = snd_pdq(PDQ1, 200, 2);
  ++senders_done;
}

void task3(intptr_t exinf) {
  (void)exinf;
  task3_ercd = snd_pdq(PDQ1, 300, 2);
  ++senders_done;
}

void alm1(intptr_t exinf) {
  (void)exinf;
  alarm_ercd = ipsnd_pdq(PDQ2, 99, 7);
  alarm_again = ipsnd_pdq(PDQ2, 98, 7);
}

void task1(intptr_t exinf) {
  ER ercd;
  intptr_t data;
  PRI pri;

  (void)exinf;
  test_start(__FILE__);

  /* 1 */
  check_point(1);
  CHECK_PDQ(PDQ1, TSK_NONE, TSK_NONE, 0);
  ercd = psnd_pdq(0, 1, 1);
  check_ercd(ercd, E_ID);
  ercd = prcv_pdq(TNUM_PDQID + 1, &data, &pri);
  check_ercd(ercd, E_ID);
  ercd = psnd_pdq(PDQ1, 1, 0);
  check_ercd(ercd, E_PAR);
  ercd = psnd_pdq(PDQ1, 1, 5);
  check_ercd(ercd, E_PAR);
  ercd = tsnd_pdq(PDQ1, 1, 1, -2);
  check_ercd(ercd, E_PAR);
  ercd = trcv_pdq(PDQ1, &data, &pri, -2);
  check_ercd(ercd, E_PAR);

  /* 2 */
  check_point(2);
  check_ercd(psnd_pdq(PDQ1, 10, 3), E_OK);
  check_ercd(psnd_pdq(PDQ1, 20, 1), E_OK);
  check_ercd(psnd_pdq(PDQ1, 30, 3), E_OK);
  check_ercd(psnd_pdq(PDQ1, 40, 1), E_TMOUT);
  CHECK_PDQ(PDQ1, TSK_NONE, TSK_NONE, 3);
  check_ercd(prcv_pdq(PDQ1, &data, &pri), E_OK);
  check_assert(data == 20 && pri == 1);
  check_ercd(prcv_pdq(PDQ1, &data, &pri), E_OK);
  check_assert(data == 10 && pri == 3);
  check_ercd(prcv_pdq(PDQ1, &data, &pri), E_OK);
  check_assert(data == 30 && pri == 3);
  check_ercd(prcv_pdq(PDQ1, &data, &pri), E_TMOUT);

  /* 3 */
  check_point(3);
  check_ercd(psnd_pdq(PDQ1, 1, 1), E_OK);
  check_ercd(psnd_pdq(PDQ1, 4, 4), E_OK);
  check_ercd(psnd_pdq(PDQ1, 3, 3), E_OK);
  check_ercd(act_tsk(TASK3), E_OK); /* runs, waits to send */
  check_ercd(act_tsk(TASK2), E_OK); /* runs, waits behind TASK3 */
  CHECK_WAIT(TASK3, TTW_SPDQ);
  CHECK_WAIT(TASK2, TTW_SPDQ);
  CHECK_PDQ(PDQ1, TASK3, TSK_NONE, 3);

  /* 4 */
  check_point(4);
  ercd = rcv_pdq(PDQ1, &data, &pri); /* TASK3's datum goes in; TASK3 preempts */
  check_ercd(ercd, E_OK);
  check_assert(data == 1 && pri == 1);
  check_assert(senders_done == 1U);
  check_ercd(task3_ercd, E_OK);
  CHECK_PDQ(PDQ1, TASK2, TSK_NONE, 3);
  check_ercd(prcv_pdq(PDQ1, &data, &pri), E_OK); /* TASK3's (300, 2); TASK2's datum goes in, it preempts */
  check_assert(data == 300 && pri == 2);
  check_assert(senders_done == 2U);
  check_ercd(task2_ercd, E_OK);

  /* 5 */
  check_point(5);
  check_ercd(act_tsk(TASK2), E_OK); /* the queue is full again: TASK2 waits */
  CHECK_WAIT(TASK2, TTW_SPDQ);
  check_ercd(ini_pdq(PDQ1), E_OK); /* releases TASK2 with E_DLT; it preempts */
  check_ercd(task2_ercd, E_DLT);
  CHECK_PDQ(PDQ1, TSK_NONE, TSK_NONE, 0);
  check_ercd(prcv_pdq(PDQ1, &data, &pri), E_TMOUT);

  /* 6 */
  check_point(6);
  check_ercd(sta_alm(ALM1, 2U), E_OK);
  ercd = rcv_pdq(PDQ2, &data, &pri);
  check_ercd(ercd, E_OK);
  check_assert(data == 99 && pri == 7);
  check_ercd(alarm_ercd, E_OK);
  check_ercd(alarm_again, E_TMOUT);

  /* 7 */
  check_point(7);
  ercd = trcv_pdq(PDQ2, &data, &pri, 5);
  check_ercd(ercd, E_TMOUT);
  check_finish(7);
}
