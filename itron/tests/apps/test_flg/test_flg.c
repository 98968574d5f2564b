/*
 * test_flg: eventflags — set_flg, iset_flg, clr_flg, wai_flg, pol_flg, twai_flg, ini_flg,
 * ref_flg.
 *
 * Objects: TASK1 (MID, TA_ACT) drives the test; TASK2 and TASK3 (HIGH) wait on the flags.
 * FLG1: TA_WSGL (one waiter), FLG2: TA_WMUL, FLG3: TA_WMUL|TA_CLR; all FIFO, initially 0.
 * ALM1 sets a flag from non-task context.
 *
 * Specification checked, by check point:
 *  1. (TASK1) ref_flg: no waiter, initial pattern 0. E_ID for ID 0, negative and
 *     TNUM_FLGID+1 (every call). E_PAR: waiptn 0, wfmode other than TWF_ANDW/TWF_ORW
 *     (0x02, 0x05), tmout -2. E_ID is reported before E_PAR. iset_flg from a task →
 *     E_CTX. set_flg with pattern 0 is accepted and changes nothing.
 *  2. (TASK1) set_flg ORs bits in (0x03); pol_flg TWF_ORW succeeds if any bit matches
 *     and returns the whole pattern; TWF_ANDW needs all bits (0x07 → E_TMOUT, 0x03 → OK);
 *     without TA_CLR the pattern stays. clr_flg ANDs with its argument (keeps 0x01).
 *     twai_flg(TMO_POL) → E_TMOUT at once; twai_flg(10) → E_TMOUT after 10 or 11 ms.
 *     With dispatching disabled wai_flg and twai_flg(10) → E_CTX, pol_flg works.
 *  3. (TASK1) act_tsk(TASK2): it preempts.
 *  4. (TASK2) wai_flg(FLG1, 0x06, TWF_ANDW): waits.
 *  5. (TASK1) ref_flg shows TASK2; ref_tsk TTS_WAI/TTW_FLG on FLG1. act_tsk(TASK3).
 *  6. (TASK3) FLG1 is TA_WSGL and has a waiter: wai_flg and twai_flg → E_ILUSE.
 *     wai_flg(FLG2, 0x01, TWF_ORW): waits.
 *  7. (TASK1) set_flg(FLG1, 0x02) does not satisfy TWF_ANDW 0x06 (TASK2 still waits);
 *     set_flg(FLG1, 0x04) does: TASK2 preempts.
 *  8. (TASK2) wai_flg returned E_OK with the pattern at release (0x06), which stays set
 *     (no TA_CLR). wai_flg(FLG2, 0x02, TWF_ORW): waits behind TASK3.
 *  9. (TASK1) TASK3 heads FLG2's queue. set_flg(FLG2, 0x03) releases BOTH waiters
 *     (TA_WMUL); the first in the queue runs first.
 * 10. (TASK3) Pattern 0x03 returned. wai_flg(FLG3, 0x01, TWF_ORW): waits.
 * 11. (TASK2) Pattern 0x03 returned. wai_flg(FLG3, 0x02, TWF_ORW): waits behind TASK3.
 * 12. (TASK1) FLG2 keeps 0x03. set_flg(FLG3, 0x03) would satisfy both waiters, but
 *     TA_CLR clears the pattern when TASK3 (first) is released, so TASK2 keeps waiting.
 * 13. (TASK3) Pattern 0x03 returned; FLG3 is now 0 and TASK2 waits on it. TASK3 sleeps.
 * 14. (TASK1) ini_flg(FLG3) releases TASK2 with E_DLT: it preempts.
 * 15. (TASK2) wai_flg returned E_DLT; exits.
 * 16. (TASK1) ini_flg restored FLG3 (no waiter, 0); ini_flg(FLG1) clears 0x06 back to
 *     the initial 0. Starts ALM1 (5 ms) and waits on FLG1 for 0x80.
 * 17. (alm1) iset_flg(FLG1, 0x80) → E_OK (releases TASK1); bad ID → E_ID. set_flg,
 *     clr_flg, pol_flg, wai_flg, twai_flg, ini_flg, ref_flg from non-task context → E_CTX.
 * 18. (TASK1) wai_flg returned E_OK with pattern 0x80.
 */
#include <kernel.h>
#include <t_syslog.h>
#include "kernel_cfg.h"
#include "test_lib.h"
#include "check_macros.h"
#include "test_flg.h"

/* ref_flg(id) must succeed and report (wtskid, flgptn). */
#define CHECK_FLG(id, wtsk, ptn)                 \
  do {                                           \
    T_RFLG r_;                                   \
    ER e_ = ref_flg((id), &r_);                  \
    check_ercd(e_, E_OK);                        \
    check_assert(r_.wtskid == (ID)(wtsk));       \
    check_assert(r_.flgptn == (FLGPTN)(ptn));    \
  } while (0)

void task1(intptr_t exinf) {
  ER ercd;
  FLGPTN ptn;
  T_RFLG rflg;
  SYSTIM t0;

  (void)exinf;
  test_start(__FILE__);

  /* 1 */
  check_point(1);
  CHECK_FLG(FLG1, TSK_NONE, 0);
  ercd = set_flg(0, 0x01U);
  check_ercd(ercd, E_ID);
  ercd = set_flg(TNUM_FLGID + 1, 0x01U);
  check_ercd(ercd, E_ID);
  ercd = clr_flg(-1, 0U);
  check_ercd(ercd, E_ID);
  ercd = wai_flg(0, 0x01U, TWF_ORW, &ptn);
  check_ercd(ercd, E_ID);
  ercd = pol_flg(TNUM_FLGID + 1, 0x01U, TWF_ORW, &ptn);
  check_ercd(ercd, E_ID);
  ercd = twai_flg(0, 0x01U, TWF_ORW, &ptn, 10);
  check_ercd(ercd, E_ID);
  ercd = ini_flg(TNUM_FLGID + 1);
  check_ercd(ercd, E_ID);
  ercd = ref_flg(0, &rflg);
  check_ercd(ercd, E_ID);
  ercd = wai_flg(TNUM_FLGID + 1, 0U, 0x5U, &ptn);
  check_ercd(ercd, E_ID);
  ercd = wai_flg(FLG1, 0U, TWF_ORW, &ptn);
  check_ercd(ercd, E_PAR);
  ercd = wai_flg(FLG1, 0x01U, 0x5U, &ptn);
  check_ercd(ercd, E_PAR);
  ercd = pol_flg(FLG1, 0U, TWF_ANDW, &ptn);
  check_ercd(ercd, E_PAR);
  ercd = pol_flg(FLG1, 0x01U, 0x4U, &ptn); /* neither mode in μITRON 4.0 (0, 1) nor ASP (1, 2) */
  check_ercd(ercd, E_PAR);
  ercd = twai_flg(FLG1, 0x01U, TWF_ORW, &ptn, -2);
  check_ercd(ercd, E_PAR);
  ercd = twai_flg(FLG1, 0U, TWF_ORW, &ptn, 10);
  check_ercd(ercd, E_PAR);
  ercd = iset_flg(FLG1, 0x01U);
  check_ercd(ercd, E_CTX);
  ercd = set_flg(FLG1, 0U);
  check_ercd(ercd, E_OK);
  CHECK_FLG(FLG1, TSK_NONE, 0);

  /* 2 */
  check_point(2);
  ercd = set_flg(FLG1, 0x03U);
  check_ercd(ercd, E_OK);
  CHECK_FLG(FLG1, TSK_NONE, 0x03);
  ptn = 0U;
  ercd = pol_flg(FLG1, 0x05U, TWF_ORW, &ptn);
  check_ercd(ercd, E_OK);
  check_assert(ptn == 0x03U);
  ercd = pol_flg(FLG1, 0x07U, TWF_ANDW, &ptn);
  check_ercd(ercd, E_TMOUT);
  ptn = 0U;
  ercd = pol_flg(FLG1, 0x03U, TWF_ANDW, &ptn);
  check_ercd(ercd, E_OK);
  check_assert(ptn == 0x03U);
  CHECK_FLG(FLG1, TSK_NONE, 0x03);
  ercd = clr_flg(FLG1, ~0x02U); /* clears bit 1 only */
  check_ercd(ercd, E_OK);
  CHECK_FLG(FLG1, TSK_NONE, 0x01);
  ercd = set_flg(FLG1, 0x10U);
  check_ercd(ercd, E_OK);
  CHECK_FLG(FLG1, TSK_NONE, 0x11);
  ercd = twai_flg(FLG1, 0x100U, TWF_ORW, &ptn, TMO_POL);
  check_ercd(ercd, E_TMOUT);
  ALIGN_GET_TIM(t0);
  ercd = twai_flg(FLG1, 0x100U, TWF_ORW, &ptn, 10);
  check_ercd(ercd, E_TMOUT);
  CHECK_ELAPSED(t0, 10);
  ercd = dis_dsp();
  check_ercd(ercd, E_OK);
  ercd = wai_flg(FLG1, 0x100U, TWF_ORW, &ptn);
  check_ercd(ercd, E_CTX);
  ercd = twai_flg(FLG1, 0x100U, TWF_ORW, &ptn, 10);
  check_ercd(ercd, E_CTX);
  ercd = pol_flg(FLG1, 0x01U, TWF_ORW, &ptn);
  check_ercd(ercd, E_OK);
  ercd = ena_dsp();
  check_ercd(ercd, E_OK);
  ercd = clr_flg(FLG1, 0U);
  check_ercd(ercd, E_OK);
  CHECK_FLG(FLG1, TSK_NONE, 0);

  /* 3 */
  check_point(3);
  ercd = act_tsk(TASK2); /* -> 4 */
  check_ercd(ercd, E_OK);

  /* 5 */
  check_point(5);
  CHECK_FLG(FLG1, TASK2, 0);
  CHECK_WAIT_OBJ(TASK2, TTW_FLG, FLG1);
  ercd = act_tsk(TASK3); /* -> 6 */
  check_ercd(ercd, E_OK);

  /* 7 */
  check_point(7);
  ercd = set_flg(FLG1, 0x02U);
  check_ercd(ercd, E_OK);
  CHECK_FLG(FLG1, TASK2, 0x02);
  ercd = set_flg(FLG1, 0x04U); /* -> 8 */
  check_ercd(ercd, E_OK);

  /* 9 */
  check_point(9);
  CHECK_FLG(FLG2, TASK3, 0);
  ercd = set_flg(FLG2, 0x03U); /* -> 10, 11 */
  check_ercd(ercd, E_OK);

  /* 12 */
  check_point(12);
  CHECK_FLG(FLG2, TSK_NONE, 0x03);
  CHECK_FLG(FLG3, TASK3, 0);
  ercd = set_flg(FLG3, 0x03U); /* -> 13 */
  check_ercd(ercd, E_OK);

  /* 14 */
  check_point(14);
  CHECK_FLG(FLG3, TASK2, 0);
  ercd = ini_flg(FLG3); /* -> 15 */
  check_ercd(ercd, E_OK);

  /* 16 */
  check_point(16);
  CHECK_FLG(FLG3, TSK_NONE, 0);
  CHECK_FLG(FLG1, TSK_NONE, 0x06);
  ercd = ini_flg(FLG1);
  check_ercd(ercd, E_OK);
  CHECK_FLG(FLG1, TSK_NONE, 0);
  ercd = sta_alm(ALM1, 5U);
  check_ercd(ercd, E_OK);
  ptn = 0U;
  ercd = wai_flg(FLG1, 0x80U, TWF_ORW, &ptn); /* -> 17 */
  check_ercd(ercd, E_OK);

  /* 18 */
  check_point(18);
  check_assert(ptn == 0x80U);
  check_finish(18);
}

void task2(intptr_t exinf) {
  ER ercd;
  FLGPTN ptn;

  (void)exinf;
  /* 4 */
  check_point(4);
  ptn = 0U;
  ercd = wai_flg(FLG1, 0x06U, TWF_ANDW, &ptn); /* -> 5; released at 7 */
  check_ercd(ercd, E_OK);

  /* 8 */
  check_point(8);
  check_assert(ptn == 0x06U);
  CHECK_FLG(FLG1, TSK_NONE, 0x06);
  ptn = 0U;
  ercd = wai_flg(FLG2, 0x02U, TWF_ORW, &ptn); /* -> 9; released at 9 */
  check_ercd(ercd, E_OK);

  /* 11 */
  check_point(11);
  check_assert(ptn == 0x03U);
  ercd = wai_flg(FLG3, 0x02U, TWF_ORW, &ptn); /* -> 12; ini_flg at 14 */
  check_ercd(ercd, E_DLT);

  /* 15 */
  check_point(15);
  ext_tsk();
}

void task3(intptr_t exinf) {
  ER ercd;
  FLGPTN ptn;

  (void)exinf;
  /* 6 */
  check_point(6);
  ercd = wai_flg(FLG1, 0x01U, TWF_ORW, &ptn);
  check_ercd(ercd, E_ILUSE);
  ercd = twai_flg(FLG1, 0x01U, TWF_ORW, &ptn, 100);
  check_ercd(ercd, E_ILUSE);
  ptn = 0U;
  ercd = wai_flg(FLG2, 0x01U, TWF_ORW, &ptn); /* -> 7; released at 9 */
  check_ercd(ercd, E_OK);

  /* 10 */
  check_point(10);
  check_assert(ptn == 0x03U);
  ptn = 0U;
  ercd = wai_flg(FLG3, 0x01U, TWF_ORW, &ptn); /* -> 11; released at 12 */
  check_ercd(ercd, E_OK);

  /* 13 */
  check_point(13);
  check_assert(ptn == 0x03U);
  CHECK_FLG(FLG3, TASK2, 0);
  ercd = slp_tsk(); /* never woken */
  test_fail(__FILE__, __LINE__, "TASK3 woken");
}

void alm1(intptr_t exinf) {
  ER ercd;
  FLGPTN ptn;
  T_RFLG rflg;

  /* 17 */
  check_point(17);
  check_assert(exinf == 1);
  check_assert(sns_ctx());
  ercd = iset_flg(FLG1, 0x80U); /* releases TASK1 */
  check_ercd(ercd, E_OK);
  ercd = iset_flg(0, 0x80U);
  check_ercd(ercd, E_ID);
  ercd = iset_flg(TNUM_FLGID + 1, 0x80U);
  check_ercd(ercd, E_ID);
  ercd = set_flg(FLG2, 0x01U);
  check_ercd(ercd, E_CTX);
  ercd = clr_flg(FLG2, 0U);
  check_ercd(ercd, E_CTX);
  ercd = pol_flg(FLG2, 0x01U, TWF_ORW, &ptn);
  check_ercd(ercd, E_CTX);
  ercd = wai_flg(FLG2, 0x01U, TWF_ORW, &ptn);
  check_ercd(ercd, E_CTX);
  ercd = twai_flg(FLG2, 0x01U, TWF_ORW, &ptn, 10);
  check_ercd(ercd, E_CTX);
  ercd = ini_flg(FLG2);
  check_ercd(ercd, E_CTX);
  ercd = ref_flg(FLG2, &rflg);
  check_ercd(ercd, E_CTX);
}
