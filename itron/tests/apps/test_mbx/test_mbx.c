/*
 * test_mbx: mailboxes — snd_mbx, rcv_mbx, prcv_mbx, trcv_mbx, ini_mbx, ref_mbx.
 *
 * Objects: TASK1 (MID, TA_ACT) drives the test; TASK2 (HIGH) receives. MBX1: TA_MPRI
 * with message priorities 1..MAX_MSG_PRI (3); MBX2: TA_MFIFO. ALM1 tries the calls from
 * non-task context.
 *
 * Specification checked, by check point:
 *  1. (TASK1) ref_mbx: no waiter, no message (NULL). E_ID for 0, negative and
 *     TNUM_MBXID+1 (every call), reported before E_PAR. E_PAR: trcv_mbx tmout -2;
 *     snd_mbx to a TA_MPRI mailbox with msgpri 0, -1 or MAX_MSG_PRI+1. prcv_mbx and
 *     trcv_mbx(TMO_POL) on an empty mailbox → E_TMOUT; trcv_mbx(10) → E_TMOUT after 10
 *     or 11 ms. With dispatching disabled rcv_mbx and trcv_mbx(10) → E_CTX while
 *     snd_mbx and prcv_mbx work.
 *  2. (TASK1) TA_MPRI: messages come out by priority (1 first), FIFO among equal
 *     priorities; ref_mbx shows the next one. TA_MFIFO: in sending order whatever
 *     their msgpri.
 *  3. (TASK1) act_tsk(TASK2): it preempts.
 *  4. (TASK2) rcv_mbx(MBX1) on an empty mailbox: waits.
 *  5. (TASK1) ref_mbx shows TASK2 waiting and no message; ref_tsk TTS_WAI/TTW_MBX on
 *     MBX1. snd_mbx hands the message to TASK2: it preempts.
 *  6. (TASK2) Received that message; the mailbox stayed empty. trcv_mbx(TMO_FEVR): waits.
 *  7. (TASK1) ini_mbx(MBX1) releases TASK2 with E_DLT: it preempts.
 *  8. (TASK2) trcv_mbx returned E_DLT. trcv_mbx(MBX2, 1000): waits.
 *  9. (TASK1) ref_mbx(MBX2) shows TASK2; rel_wai(TASK2): it preempts.
 * 10. (TASK2) trcv_mbx returned E_RLWAI; exits.
 * 11. (TASK1) ini_mbx discards queued messages (ref_mbx NULL, prcv_mbx → E_TMOUT).
 *     Starts ALM1 (2 ms) and sleeps.
 * 12. (alm1) snd_mbx, rcv_mbx, prcv_mbx, trcv_mbx, ini_mbx, ref_mbx → E_CTX from
 *     non-task context. iwup_tsk(TASK1).
 * 13. (TASK1) Woken.
 */
#include <kernel.h>
#include <t_syslog.h>
#include "kernel_cfg.h"
#include "test_lib.h"
#include "check_macros.h"
#include "test_mbx.h"

static T_MSG_PRI msg_a, msg_b, msg_c, msg_d, msg_e, msg_f, msg_g, msg_h, msg_bad;

/* ref_mbx(id) must succeed and report (wtskid, pk_msg). */
#define CHECK_MBX(id, wtsk, msg)                   \
  do {                                             \
    T_RMBX r_;                                     \
    ER e_ = ref_mbx((id), &r_);                    \
    check_ercd(e_, E_OK);                          \
    check_assert(r_.wtskid == (ID)(wtsk));         \
    check_assert(r_.pk_msg == (T_MSG *)(msg));     \
  } while (0)

/* Sends message `m` with priority `pri`; the result must be E_OK. */
#define SEND(id, m, pri)                                 \
  do {                                                   \
    (m).msgpri = (pri);                                  \
    ER e_ = snd_mbx((id), (T_MSG *)&(m));                \
    check_ercd(e_, E_OK);                                \
  } while (0)

/* prcv_mbx(id) must return message `m`. */
#define CHECK_PRCV(id, m)                       \
  do {                                          \
    T_MSG *p_ = NULL;                           \
    ER e_ = prcv_mbx((id), &p_);                \
    check_ercd(e_, E_OK);                       \
    check_assert(p_ == (T_MSG *)&(m));          \
  } while (0)

void task1(intptr_t exinf) {
  ER ercd;
  T_MSG *pk_msg;
  T_RMBX rmbx;
  SYSTIM t0;

  (void)exinf;
  test_start(__FILE__);

  /* 1 */
  check_point(1);
  CHECK_MBX(MBX1, TSK_NONE, NULL);
  CHECK_MBX(MBX2, TSK_NONE, NULL);
  msg_bad.msgpri = 1;
  ercd = snd_mbx(0, (T_MSG *)&msg_bad);
  check_ercd(ercd, E_ID);
  ercd = snd_mbx(TNUM_MBXID + 1, (T_MSG *)&msg_bad);
  check_ercd(ercd, E_ID);
  ercd = rcv_mbx(-1, &pk_msg);
  check_ercd(ercd, E_ID);
  ercd = prcv_mbx(TNUM_MBXID + 1, &pk_msg);
  check_ercd(ercd, E_ID);
  ercd = trcv_mbx(0, &pk_msg, -2);
  check_ercd(ercd, E_ID);
  ercd = ini_mbx(0);
  check_ercd(ercd, E_ID);
  ercd = ref_mbx(TNUM_MBXID + 1, &rmbx);
  check_ercd(ercd, E_ID);
  msg_bad.msgpri = 0;
  ercd = snd_mbx(TNUM_MBXID + 1, (T_MSG *)&msg_bad);
  check_ercd(ercd, E_ID);
  ercd = snd_mbx(MBX1, (T_MSG *)&msg_bad);
  check_ercd(ercd, E_PAR);
  msg_bad.msgpri = -1;
  ercd = snd_mbx(MBX1, (T_MSG *)&msg_bad);
  check_ercd(ercd, E_PAR);
  msg_bad.msgpri = MAX_MSG_PRI + 1;
  ercd = snd_mbx(MBX1, (T_MSG *)&msg_bad);
  check_ercd(ercd, E_PAR);
  CHECK_MBX(MBX1, TSK_NONE, NULL);
  ercd = trcv_mbx(MBX1, &pk_msg, -2);
  check_ercd(ercd, E_PAR);
  ercd = prcv_mbx(MBX1, &pk_msg);
  check_ercd(ercd, E_TMOUT);
  ercd = trcv_mbx(MBX1, &pk_msg, TMO_POL);
  check_ercd(ercd, E_TMOUT);
  ALIGN_GET_TIM(t0);
  ercd = trcv_mbx(MBX1, &pk_msg, 10);
  check_ercd(ercd, E_TMOUT);
  CHECK_ELAPSED(t0, 10);
  ercd = dis_dsp();
  check_ercd(ercd, E_OK);
  ercd = rcv_mbx(MBX1, &pk_msg);
  check_ercd(ercd, E_CTX);
  ercd = trcv_mbx(MBX1, &pk_msg, 10);
  check_ercd(ercd, E_CTX);
  SEND(MBX1, msg_a, 1);
  CHECK_PRCV(MBX1, msg_a);
  ercd = ena_dsp();
  check_ercd(ercd, E_OK);

  /* 2 */
  check_point(2);
  SEND(MBX1, msg_a, 2);
  SEND(MBX1, msg_b, 3);
  SEND(MBX1, msg_c, 1);
  SEND(MBX1, msg_d, 2);
  SEND(MBX1, msg_e, 1);
  CHECK_MBX(MBX1, TSK_NONE, &msg_c);
  CHECK_PRCV(MBX1, msg_c);
  CHECK_PRCV(MBX1, msg_e);
  CHECK_MBX(MBX1, TSK_NONE, &msg_a);
  pk_msg = NULL;
  ercd = rcv_mbx(MBX1, &pk_msg);
  check_ercd(ercd, E_OK);
  check_assert(pk_msg == (T_MSG *)&msg_a);
  pk_msg = NULL;
  ercd = trcv_mbx(MBX1, &pk_msg, 10);
  check_ercd(ercd, E_OK);
  check_assert(pk_msg == (T_MSG *)&msg_d);
  CHECK_PRCV(MBX1, msg_b);
  CHECK_MBX(MBX1, TSK_NONE, NULL);
  SEND(MBX2, msg_f, 3);
  SEND(MBX2, msg_g, 1);
  SEND(MBX2, msg_h, 2);
  CHECK_MBX(MBX2, TSK_NONE, &msg_f);
  CHECK_PRCV(MBX2, msg_f);
  CHECK_PRCV(MBX2, msg_g);
  CHECK_PRCV(MBX2, msg_h);
  CHECK_MBX(MBX2, TSK_NONE, NULL);

  /* 3 */
  check_point(3);
  ercd = act_tsk(TASK2); /* -> 4 */
  check_ercd(ercd, E_OK);

  /* 5 */
  check_point(5);
  CHECK_MBX(MBX1, TASK2, NULL);
  CHECK_WAIT_OBJ(TASK2, TTW_MBX, MBX1);
  SEND(MBX1, msg_a, 2); /* -> 6 */

  /* 7 */
  check_point(7);
  CHECK_MBX(MBX1, TASK2, NULL);
  ercd = ini_mbx(MBX1); /* -> 8 */
  check_ercd(ercd, E_OK);

  /* 9 */
  check_point(9);
  CHECK_MBX(MBX1, TSK_NONE, NULL);
  CHECK_MBX(MBX2, TASK2, NULL);
  ercd = rel_wai(TASK2); /* -> 10 */
  check_ercd(ercd, E_OK);

  /* 11 */
  check_point(11);
  CHECK_MBX(MBX2, TSK_NONE, NULL);
  SEND(MBX1, msg_b, 3);
  SEND(MBX1, msg_c, 1);
  CHECK_MBX(MBX1, TSK_NONE, &msg_c);
  ercd = ini_mbx(MBX1);
  check_ercd(ercd, E_OK);
  CHECK_MBX(MBX1, TSK_NONE, NULL);
  ercd = prcv_mbx(MBX1, &pk_msg);
  check_ercd(ercd, E_TMOUT);
  ercd = sta_alm(ALM1, 2U);
  check_ercd(ercd, E_OK);
  ercd = slp_tsk(); /* -> 12 */
  check_ercd(ercd, E_OK);

  /* 13 */
  check_point(13);
  check_finish(13);
}

void task2(intptr_t exinf) {
  ER ercd;
  T_MSG *pk_msg;

  (void)exinf;
  /* 4 */
  check_point(4);
  pk_msg = NULL;
  ercd = rcv_mbx(MBX1, &pk_msg); /* -> 5 */
  check_ercd(ercd, E_OK);

  /* 6 */
  check_point(6);
  check_assert(pk_msg == (T_MSG *)&msg_a);
  CHECK_MBX(MBX1, TSK_NONE, NULL);
  ercd = trcv_mbx(MBX1, &pk_msg, TMO_FEVR); /* -> 7 */
  check_ercd(ercd, E_DLT);

  /* 8 */
  check_point(8);
  ercd = trcv_mbx(MBX2, &pk_msg, 1000); /* -> 9 */
  check_ercd(ercd, E_RLWAI);

  /* 10 */
  check_point(10);
  ext_tsk();
}

void alm1(intptr_t exinf) {
  ER ercd;
  T_MSG *pk_msg;
  T_RMBX rmbx;

  /* 12 */
  check_point(12);
  check_assert(exinf == 1);
  check_assert(sns_ctx());
  msg_a.msgpri = 1;
  ercd = snd_mbx(MBX1, (T_MSG *)&msg_a);
  check_ercd(ercd, E_CTX);
  ercd = rcv_mbx(MBX1, &pk_msg);
  check_ercd(ercd, E_CTX);
  ercd = prcv_mbx(MBX1, &pk_msg);
  check_ercd(ercd, E_CTX);
  ercd = trcv_mbx(MBX1, &pk_msg, 10);
  check_ercd(ercd, E_CTX);
  ercd = ini_mbx(MBX1);
  check_ercd(ercd, E_CTX);
  ercd = ref_mbx(MBX1, &rmbx);
  check_ercd(ercd, E_CTX);
  ercd = iwup_tsk(TASK1);
  check_ercd(ercd, E_OK);
}
