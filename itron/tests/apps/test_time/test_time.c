/*
 * test_time: time management — set_tim, get_tim, get_utm, isig_tim; cyclic handlers
 * (TA_STA, phase, period, sta_cyc, stp_cyc, ref_cyc); alarm handlers (sta_alm, ista_alm,
 * stp_alm, istp_alm, ref_alm); the non-task context of time event handlers.
 *
 * Objects: TASK1 (MID, TA_ACT) drives the test; TASK2 (HIGH) is activated from a handler.
 * CYC1: TA_STA, period CYC1_TIME (10 ms), phase CYC1_PHASE (5 ms); it counts its calls and
 * wakes TASK1 when asked. ALM1 wakes TASK1 (or, in the last part, exercises the
 * non-task context); ALM2 is started from ALM1 and ends the test.
 *
 * Time rule used (kernel decision): a relative time of N ms ends at the (N+1)-th tick
 * boundary after the call, so the get_tim difference is N or N+1; never less.
 *
 * Specification checked, by check point:
 *  1. (TASK1) sns_ker is false while the kernel runs. CYC1 (TA_STA) is TCYC_STA; ALM1 is
 *     TALM_STP. E_ID for 0, negative and TNUM_CYCID+1 / TNUM_ALMID+1 (sta_cyc, stp_cyc,
 *     ref_cyc, sta_alm, stp_alm, ref_alm), before E_PAR; sta_alm with almtim
 *     TMAX_RELTIM+1 → E_PAR. ista_alm, istp_alm, isig_tim from a task → E_CTX.
 *  2. (TASK1) CYC1 started at kernel start with its phase: its n-th call happens at system
 *     time CYC1_PHASE + (n-1)*CYC1_TIME (+1 allowed); consecutive calls are exactly
 *     CYC1_TIME apart; over any 100 ms it is called exactly 10 times (period exact). The
 *     handler gets its exinf and runs in non-task context.
 *  3. (TASK1) stp_cyc stops it (TCYC_STP, no call in 25 ms; stp_cyc again → E_OK).
 *     sta_cyc (no TA_PHS) makes the next call CYC1_TIME after sta_cyc (10 or 11 ms; in
 *     the ASP flavour CYC1_PHASE, 5 or 6 ms: STA_CYC_FIRST); ref_cyc gives TCYC_STA and
 *     lefttim close to that.
 *  4. (TASK1) sta_alm(ALM1, 10): TALM_STA, lefttim 9..11; the handler runs once, 10 or 11
 *     ms later (TALM_STP afterwards, no second call). sta_alm on a started alarm
 *     restarts it with the new time (fires 30/31 ms after the restart, not at the first
 *     time). stp_alm cancels it (TALM_STP, no call), stp_alm on a stopped alarm → E_OK.
 *  5. (TASK1) set_tim sets the system time that get_tim returns, which then advances by
 *     1 per ms. set_tim does not move a pending relative time event (an alarm started
 *     for 20 ms before set_tim(+500) fires 20 or 21 ms later). get_utm never goes back and
 *     advances about 1000 µs per ms of system time.
 *  6. (alm1) Non-task context: sns_ctx true, sns_loc false, sns_dpn true; exinf given.
 *     Task-context calls → E_CTX (act_tsk, can_act, ter_tsk, chg_pri, get_pri, get_inf,
 *     ref_tsk, wup_tsk, can_wup, sus_tsk, rsm_tsk, frsm_tsk, slp_tsk, tslp_tsk, dly_tsk,
 *     sta_cyc, stp_cyc, sta_alm, stp_alm); get_utm → E_OK; iact_tsk(TASK2) → E_OK; istp_alm of a stopped alarm →
 *     E_OK; ista_alm(ALM2) then istp_alm cancels it; ista_alm(ALM2, 10) starts it;
 *     ista_alm/istp_alm with a bad ID → E_ID, ista_alm with TMAX_RELTIM+1 → E_PAR.
 *  7. (TASK2) A task activated by iact_tsk from a handler runs when the handler returns.
 *  8. (alm2) Started by ista_alm: runs 10 or 11 ms after alm1; isig_tim from a handler →
 *     E_OK. It wakes TASK1.
 *  9. (TASK1) Woken by ALM2 15..18 ms after starting ALM1 for 5 ms (5..6 + 10..11, plus
 *     at most one tick for isig_tim); each alarm ran once.
 */
#include <kernel.h>
#include <t_syslog.h>
#include "kernel_cfg.h"
#include "test_lib.h"
#include "check_macros.h"
#include "test_time.h"

#define ALM_WAKE 0 /* alm1 wakes TASK1 */
#define ALM_CTX 1  /* alm1 exercises the non-task context */

static volatile uint_t cyc1_count = 0;
static volatile bool_t cyc1_wake = false;
static volatile uint_t alm1_count = 0;
static volatile uint_t alm2_count = 0;
static volatile int alm1_mode = ALM_WAKE;

/* ref_cyc(id) must succeed and report state `stat`. */
#define CHECK_CYC(id, stat)                      \
  do {                                           \
    T_RCYC r_;                                   \
    ER e_ = ref_cyc((id), &r_);                  \
    check_ercd(e_, E_OK);                        \
    check_assert(r_.cycstat == (STAT)(stat));    \
  } while (0)

/* ref_alm(id) must succeed and report state `stat`. */
#define CHECK_ALM(id, stat)                      \
  do {                                           \
    T_RALM r_;                                   \
    ER e_ = ref_alm((id), &r_);                  \
    check_ercd(e_, E_OK);                        \
    check_assert(r_.almstat == (STAT)(stat));    \
  } while (0)

void cyc1(intptr_t exinf) {
  ER ercd;

  check_assert(exinf == 1);
  check_assert(sns_ctx());
  cyc1_count++;
  if (cyc1_wake) {
    ercd = iwup_tsk(TASK1);
    check_assert(ercd == E_OK || ercd == E_QOVR);
  }
}

void alm1(intptr_t exinf) {
  ER ercd;
  SYSUTM utm;
  PRI pri;
  intptr_t inf;
  T_RTSK rtsk;

  check_assert(exinf == 1);
  alm1_count++;
  if (alm1_mode == ALM_WAKE) {
    ercd = iwup_tsk(TASK1);
    check_ercd(ercd, E_OK);
    return;
  }

  /* 6 */
  check_point(6);
  check_assert(sns_ctx());
  check_assert(!sns_loc());
  check_assert(sns_dpn());
  ercd = act_tsk(TASK2);
  check_ercd(ercd, E_CTX);
  ercd = can_act(TASK2);
  check_ercd(ercd, E_CTX);
  ercd = ter_tsk(TASK2);
  check_ercd(ercd, E_CTX);
  ercd = chg_pri(TASK1, HIGH_PRIORITY);
  check_ercd(ercd, E_CTX);
  ercd = get_pri(TASK1, &pri);
  check_ercd(ercd, E_CTX);
  ercd = get_inf(&inf);
  check_ercd(ercd, E_CTX);
  ercd = ref_tsk(TASK1, &rtsk);
  check_ercd(ercd, E_CTX);
  ercd = wup_tsk(TASK1);
  check_ercd(ercd, E_CTX);
  ercd = can_wup(TASK1);
  check_ercd(ercd, E_CTX);
  ercd = sus_tsk(TASK1);
  check_ercd(ercd, E_CTX);
  ercd = rsm_tsk(TASK1);
  check_ercd(ercd, E_CTX);
  ercd = frsm_tsk(TASK1);
  check_ercd(ercd, E_CTX);
  ercd = slp_tsk();
  check_ercd(ercd, E_CTX);
  ercd = tslp_tsk(10);
  check_ercd(ercd, E_CTX);
  ercd = dly_tsk(1U);
  check_ercd(ercd, E_CTX);
  ercd = sta_cyc(CYC1);
  check_ercd(ercd, E_CTX);
  ercd = stp_cyc(CYC1);
  check_ercd(ercd, E_CTX);
  ercd = sta_alm(ALM2, 10U);
  check_ercd(ercd, E_CTX);
  ercd = stp_alm(ALM2);
  check_ercd(ercd, E_CTX);
  ercd = get_utm(&utm);
  check_ercd(ercd, E_OK);
  ercd = iact_tsk(TASK2); /* runs when this handler returns -> 7 */
  check_ercd(ercd, E_OK);
  ercd = istp_alm(ALM2); /* not started: nothing to do */
  check_ercd(ercd, E_OK);
  ercd = ista_alm(ALM2, 5U);
  check_ercd(ercd, E_OK);
  ercd = istp_alm(ALM2);
  check_ercd(ercd, E_OK);
  ercd = ista_alm(ALM2, 10U); /* -> 8 */
  check_ercd(ercd, E_OK);
  ercd = ista_alm(0, 10U);
  check_ercd(ercd, E_ID);
  ercd = ista_alm(TNUM_ALMID + 1, 10U);
  check_ercd(ercd, E_ID);
  ercd = istp_alm(TNUM_ALMID + 1);
  check_ercd(ercd, E_ID);
  ercd = ista_alm(ALM1, TMAX_RELTIM + 1U);
  check_ercd(ercd, E_PAR);
}

void alm2(intptr_t exinf) {
  ER ercd;

  /* 8 */
  check_point(8);
  check_assert(exinf == 2);
  check_assert(sns_ctx());
  alm2_count++;
  ercd = isig_tim();
  check_ercd(ercd, E_OK);
  ercd = iwup_tsk(TASK1);
  check_ercd(ercd, E_OK);
}

void task2(intptr_t exinf) {
  (void)exinf;
  /* 7 */
  check_point(7);
  check_assert(alm2_count == 0U);
  ext_tsk();
}

void task1(intptr_t exinf) {
  ER ercd;
  T_RCYC rcyc;
  T_RALM ralm;
  SYSTIM t0, t1, t2;
  SYSUTM u0, u1, u2;
  uint_t c0, c1;
  int i;

  (void)exinf;
  test_start(__FILE__);

  /* 1 */
  check_point(1);
  check_state(false, false, TIPM_ENAALL, false, false, true);
  check_assert(!sns_ker());
  CHECK_CYC(CYC1, TCYC_STA);
  CHECK_ALM(ALM1, TALM_STP);
  CHECK_ALM(ALM2, TALM_STP);
  ercd = sta_cyc(0);
  check_ercd(ercd, E_ID);
  ercd = stp_cyc(TNUM_CYCID + 1);
  check_ercd(ercd, E_ID);
  ercd = ref_cyc(-1, &rcyc);
  check_ercd(ercd, E_ID);
  ercd = sta_alm(0, 10U);
  check_ercd(ercd, E_ID);
  ercd = sta_alm(TNUM_ALMID + 1, TMAX_RELTIM + 1U);
  check_ercd(ercd, E_ID);
  ercd = stp_alm(TNUM_ALMID + 1);
  check_ercd(ercd, E_ID);
  ercd = ref_alm(0, &ralm);
  check_ercd(ercd, E_ID);
  ercd = sta_alm(ALM1, TMAX_RELTIM + 1U);
  check_ercd(ercd, E_PAR);
  CHECK_ALM(ALM1, TALM_STP);
  ercd = ista_alm(ALM1, 10U);
  check_ercd(ercd, E_CTX);
  ercd = istp_alm(ALM1);
  check_ercd(ercd, E_CTX);
  ercd = isig_tim();
  check_ercd(ercd, E_CTX);

  /* 2 */
  check_point(2);
  cyc1_wake = true;
  ercd = slp_tsk();
  check_ercd(ercd, E_OK);
  ercd = get_tim(&t0);
  check_ercd(ercd, E_OK);
  c0 = cyc1_count;
  check_assert(c0 >= 1U);
  t1 = t0 - (SYSTIM)(c0 - 1U) * CYC1_TIME; /* time of the first call */
  check_assert(t1 == CYC1_PHASE || t1 == CYC1_PHASE + 1);
  for (i = 0; i < 3; i++) {
    ercd = slp_tsk();
    check_ercd(ercd, E_OK);
    ercd = get_tim(&t1);
    check_ercd(ercd, E_OK);
    c1 = cyc1_count;
    check_assert(c1 == c0 + 1U);
    check_assert(t1 - t0 == CYC1_TIME);
    t0 = t1;
    c0 = c1;
  }
  cyc1_wake = false;
  ercd = dly_tsk(100U);
  check_ercd(ercd, E_OK);
  check_assert(cyc1_count - c0 == 10U);

  /* 3 */
  check_point(3);
  ercd = stp_cyc(CYC1);
  check_ercd(ercd, E_OK);
  CHECK_CYC(CYC1, TCYC_STP);
  c0 = cyc1_count;
  ercd = dly_tsk(25U);
  check_ercd(ercd, E_OK);
  check_assert(cyc1_count == c0);
  ercd = stp_cyc(CYC1);
  check_ercd(ercd, E_OK);
  ALIGN_GET_TIM(t0);
  ercd = can_wup(TSK_SELF);
  check_assert(ercd == 0);
  cyc1_wake = true;
  ercd = sta_cyc(CYC1);
  check_ercd(ercd, E_OK);
  ercd = ref_cyc(CYC1, &rcyc);
  check_ercd(ercd, E_OK);
  check_assert(rcyc.cycstat == TCYC_STA);
  check_assert(rcyc.lefttim >= STA_CYC_FIRST - 1 && rcyc.lefttim <= STA_CYC_FIRST + 1);
  ercd = slp_tsk();
  check_ercd(ercd, E_OK);
  CHECK_ELAPSED(t0, STA_CYC_FIRST);
  check_assert(cyc1_count == c0 + 1U);
  ercd = ref_cyc(CYC1, &rcyc);
  check_ercd(ercd, E_OK);
  check_assert(rcyc.cycstat == TCYC_STA);
  check_assert(rcyc.lefttim >= CYC1_TIME - 2 && rcyc.lefttim <= CYC1_TIME + 1);
  cyc1_wake = false;
  ercd = stp_cyc(CYC1);
  check_ercd(ercd, E_OK);
  CHECK_CYC(CYC1, TCYC_STP);

  /* 4 */
  check_point(4);
  alm1_mode = ALM_WAKE;
  ALIGN_GET_TIM(t0);
  ercd = sta_alm(ALM1, 10U);
  check_ercd(ercd, E_OK);
  ercd = ref_alm(ALM1, &ralm);
  check_ercd(ercd, E_OK);
  check_assert(ralm.almstat == TALM_STA);
  check_assert(ralm.lefttim >= 9U && ralm.lefttim <= 11U);
  ercd = slp_tsk();
  check_ercd(ercd, E_OK);
  CHECK_ELAPSED(t0, 10);
  check_assert(alm1_count == 1U);
  CHECK_ALM(ALM1, TALM_STP);
  ercd = dly_tsk(20U);
  check_ercd(ercd, E_OK);
  check_assert(alm1_count == 1U);
  ercd = sta_alm(ALM1, 50U);
  check_ercd(ercd, E_OK);
  ercd = dly_tsk(10U);
  check_ercd(ercd, E_OK);
  ercd = get_tim(&t0);
  check_ercd(ercd, E_OK);
  ercd = sta_alm(ALM1, 30U); /* restart: replaces the 50 ms */
  check_ercd(ercd, E_OK);
  ercd = slp_tsk();
  check_ercd(ercd, E_OK);
  CHECK_ELAPSED(t0, 30);
  check_assert(alm1_count == 2U);
  ercd = sta_alm(ALM1, 10U);
  check_ercd(ercd, E_OK);
  ercd = stp_alm(ALM1);
  check_ercd(ercd, E_OK);
  CHECK_ALM(ALM1, TALM_STP);
  ercd = stp_alm(ALM1);
  check_ercd(ercd, E_OK);
  ercd = dly_tsk(20U);
  check_ercd(ercd, E_OK);
  check_assert(alm1_count == 2U);

  /* 5 */
  check_point(5);
  ALIGN_GET_TIM(t0);
  ercd = set_tim(t0 + 100000U);
  check_ercd(ercd, E_OK);
  ercd = get_tim(&t1);
  check_ercd(ercd, E_OK);
  check_assert(t1 == t0 + 100000U || t1 == t0 + 100001U);
  ercd = dly_tsk(1U);
  check_ercd(ercd, E_OK);
  ercd = get_tim(&t1);
  check_ercd(ercd, E_OK);
  ercd = dly_tsk(10U);
  check_ercd(ercd, E_OK);
  CHECK_ELAPSED(t1, 10);
  ALIGN_GET_TIM(t0);
  ercd = sta_alm(ALM1, 20U);
  check_ercd(ercd, E_OK);
  ercd = set_tim(t0 + 500U);
  check_ercd(ercd, E_OK);
  ercd = slp_tsk();
  check_ercd(ercd, E_OK);
  CHECK_ELAPSED(t0 + 500U, 20);
  check_assert(alm1_count == 3U);
  ercd = get_utm(&u0);
  check_ercd(ercd, E_OK);
  ercd = get_utm(&u1);
  check_ercd(ercd, E_OK);
  ercd = get_utm(&u2);
  check_ercd(ercd, E_OK);
  check_assert(u0 <= u1 && u1 <= u2);
  ALIGN_GET_TIM(t0);
  ercd = get_utm(&u0);
  check_ercd(ercd, E_OK);
  ercd = dly_tsk(10U);
  check_ercd(ercd, E_OK);
  ercd = get_utm(&u1);
  check_ercd(ercd, E_OK);
  ercd = get_tim(&t1);
  check_ercd(ercd, E_OK);
  check_assert(u1 > u0);
  check_assert(u1 - u0 + 1000U >= (SYSUTM)(t1 - t0) * 1000U);
  check_assert(u1 - u0 <= (SYSUTM)(t1 - t0 + 1U) * 1000U);

  /* 6.. */
  alm1_mode = ALM_CTX;
  ALIGN_GET_TIM(t0);
  ercd = sta_alm(ALM1, 5U); /* -> 6, 7, then 8 about 10 ms later */
  check_ercd(ercd, E_OK);
  ercd = slp_tsk();
  check_ercd(ercd, E_OK);
  ercd = get_tim(&t2);
  check_ercd(ercd, E_OK);

  /* 9 */
  check_point(9);
  /* ALM1 after 5..6 ms, ALM2 10..11 ms later; isig_tim may have added one tick. */
  check_assert(t2 - t0 >= 15U && t2 - t0 <= 18U);
  check_assert(alm1_count == 4U);
  check_assert(alm2_count == 1U);
  CHECK_ALM(ALM2, TALM_STP);
  check_finish(9);
}
