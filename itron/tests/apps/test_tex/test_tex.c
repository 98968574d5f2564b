/*
 * test_tex: task exception handling — DEF_TEX, ras_tex, iras_tex, dis_tex, ena_tex,
 * sns_tex, ref_tex.
 *
 * Objects: TASK1 (MID, TA_ACT, exinf 1, handler tex_task1) drives the test. TASK2 (HIGH,
 * exinf 2, handler tex_task2) and TASK3 (LOW, no handler) start dormant. ALM1 raises a
 * task exception from non-task context.
 *
 * Specification checked, by check point:
 *  1. (TASK1) A task starts with task exceptions disabled: sns_tex true, ref_tex gives
 *     TTEX_DIS and pndptn 0. ras_tex returns E_PAR for pattern 0, E_OBJ for a dormant
 *     task and for a task without handler, E_ID for a bad ID (E_ID before E_PAR);
 *     ref_tex returns E_OBJ for a dormant task / a task without handler, E_ID for a bad
 *     ID. iras_tex from a task returns E_CTX.
 *  2. (TASK1) ras_tex on itself while disabled only records the pattern (handler not
 *     called); successive patterns are ORed (0x01 | 0x02 = pndptn 0x03, TTEX_DIS).
 *  3. (TASK1) ena_tex is called.
 *  4. (tex_task1, 1st call) ena_tex delivers the pending exception at once: handler gets
 *     texptn 0x03 and the task's exinf; it runs in task context (sns_ctx false) with
 *     task exceptions disabled (sns_tex true, ref_tex TTEX_DIS) and pndptn cleared (0).
 *  5. (TASK1) After the handler returns exceptions are enabled again (sns_tex false,
 *     TTEX_ENA, pndptn 0). ras_tex(TSK_SELF, 0x04) while enabled calls the handler
 *     before ras_tex returns.
 *  6. (tex_task1, 2nd call) texptn 0x04. ras_tex(TSK_SELF, 0x08) inside the handler is
 *     only recorded (pndptn 0x08): the handler does not nest.
 *  7. (tex_task1, 3rd call) When the handler returns with a pattern pending, it is called
 *     again at once with that pattern (0x08).
 *  8. (TASK1) ras_tex returned E_OK with exceptions enabled. dis_tex: sns_tex true;
 *     ras_tex(TASK1, 0x10) by ID is recorded; ena_tex delivers it.
 *  9. (tex_task1, 4th call) texptn 0x10.
 * 10. (TASK1) sns_tex false. act_tsk(TASK2): it preempts.
 * 11. (TASK2, 1st start) exceptions disabled, pndptn 0; it sleeps.
 * 12. (TASK1) ras_tex(TASK2, 0x20) on the disabled, waiting TASK2 is recorded
 *     (TTEX_DIS, pndptn 0x20). ter_tsk + act_tsk(TASK2): it preempts.
 * 13. (TASK2, 2nd start) Activation cleared the pending pattern and disabled
 *     exceptions (TTEX_DIS, pndptn 0). ena_tex (nothing pending: no call); it sleeps.
 * 14. (TASK1) ref_tex(TASK2): TTEX_ENA, pndptn 0. ras_tex(TASK2, 0x40) on the enabled but
 *     waiting TASK2 does not run its handler in TASK1's context: pndptn 0x40 and
 *     tex_task2 not called. wup_tsk(TASK2): TASK2 is dispatched.
 * 15. (tex_task2) Runs when TASK2 is dispatched, before slp_tsk returns: texptn 0x40,
 *     exinf 2.
 * 16. (TASK2) slp_tsk returned E_OK after the handler; TASK2 exits.
 * 17. (TASK1) Starts ALM1 (2 ms) and spins until its exception handler has run.
 * 18. (alm1) Non-task context: ras_tex → E_CTX; iras_tex returns E_ID for TSK_SELF,
 *     E_PAR for pattern 0, E_OBJ for the dormant TASK2; dis_tex, ena_tex, ref_tex →
 *     E_CTX; iras_tex(TASK1, 0x100) → E_OK.
 * 19. (tex_task1, 5th call) The exception raised from the handler reaches the running
 *     TASK1 when the handler returns: texptn 0x100, task context.
 * 20. (TASK1) The spin loop ends. act_tsk(TASK3) and sleep.
 * 21. (TASK3) Without DEF_TEX: sns_tex true; dis_tex, ena_tex and ref_tex(TSK_SELF)
 *     return E_OBJ. It wakes TASK1, which preempts.
 * 22. (TASK1) Done.
 */
#include <kernel.h>
#include <t_syslog.h>
#include "kernel_cfg.h"
#include "test_lib.h"
#include "test_tex.h"

/* ref_tex(id) must succeed and report (stat, ptn). */
#define CHECK_TEX(id, stat, ptn)                  \
  do {                                            \
    T_RTEX r_;                                    \
    ER e_ = ref_tex((id), &r_);                   \
    check_ercd(e_, E_OK);                         \
    check_assert(r_.texstat == (STAT)(stat));     \
    check_assert(r_.pndptn == (TEXPTN)(ptn));     \
  } while (0)

static volatile uint_t tex1_count = 0;
static volatile uint_t tex2_count = 0;
static volatile bool_t tex1_from_alarm = false;

void tex_task1(TEXPTN texptn, intptr_t exinf) {
  ER ercd;

  check_assert(exinf == 1);
  check_assert(!sns_ctx());
  check_assert(sns_tex());
  switch (++tex1_count) {
    case 1:
      check_point(4);
      check_assert(texptn == 0x03U);
      check_assert(!sns_loc());
      check_assert(!sns_dsp());
      CHECK_TEX(TSK_SELF, TTEX_DIS, 0U);
      break;
    case 2:
      check_point(6);
      check_assert(texptn == 0x04U);
      ercd = ras_tex(TSK_SELF, 0x08U); /* recorded: the handler does not nest */
      check_ercd(ercd, E_OK);
      check_assert(tex1_count == 2U);
      CHECK_TEX(TSK_SELF, TTEX_DIS, 0x08U);
      break;
    case 3:
      check_point(7);
      check_assert(texptn == 0x08U);
      break;
    case 4:
      check_point(9);
      check_assert(texptn == 0x10U);
      break;
    case 5:
      check_point(19);
      check_assert(texptn == 0x100U);
      tex1_from_alarm = true;
      break;
    default:
      test_fail(__FILE__, __LINE__, "tex_task1 called too often");
      break;
  }
}

void tex_task2(TEXPTN texptn, intptr_t exinf) {
  ++tex2_count;
  check_point(15);
  check_assert(tex2_count == 1U);
  check_assert(texptn == 0x40U);
  check_assert(exinf == 2);
  check_assert(!sns_ctx());
  check_assert(sns_tex());
}

void alm1(intptr_t exinf) {
  ER ercd;
  T_RTEX rtex;

  check_point(18);
  check_assert(exinf == 1);
  check_assert(sns_ctx());
  ercd = ras_tex(TASK1, 0x100U);
  check_ercd(ercd, E_CTX);
  ercd = iras_tex(TSK_SELF, 0x100U);
  check_ercd(ercd, E_ID);
  ercd = iras_tex(TASK1, 0U);
  check_ercd(ercd, E_PAR);
  ercd = iras_tex(TASK2, 0x100U);
  check_ercd(ercd, E_OBJ);
  ercd = dis_tex();
  check_ercd(ercd, E_CTX);
  ercd = ena_tex();
  check_ercd(ercd, E_CTX);
  ercd = ref_tex(TASK1, &rtex);
  check_ercd(ercd, E_CTX);
  ercd = iras_tex(TASK1, 0x100U);
  check_ercd(ercd, E_OK);
  check_assert(tex1_count == 4U); /* delivered only when the handler returns */
}

void task1(intptr_t exinf) {
  ER ercd;
  T_RTEX rtex;

  (void)exinf;
  test_start(__FILE__);

  /* 1 */
  check_point(1);
  check_state(false, false, TIPM_ENAALL, false, false, true);
  CHECK_TEX(TSK_SELF, TTEX_DIS, 0U);
  ercd = ras_tex(TSK_SELF, 0U);
  check_ercd(ercd, E_PAR);
  ercd = ras_tex(TASK2, 0x01U);
  check_ercd(ercd, E_OBJ);
  ercd = ras_tex(TASK3, 0x01U);
  check_ercd(ercd, E_OBJ);
  ercd = ras_tex(TNUM_TSKID + 1, 0x01U);
  check_ercd(ercd, E_ID);
  ercd = ras_tex(-1, 0x01U);
  check_ercd(ercd, E_ID);
  ercd = ras_tex(TNUM_TSKID + 1, 0U);
  check_ercd(ercd, E_ID);
  ercd = ref_tex(TASK2, &rtex);
  check_ercd(ercd, E_OBJ);
  ercd = ref_tex(TASK3, &rtex);
  check_ercd(ercd, E_OBJ);
  ercd = ref_tex(TNUM_TSKID + 1, &rtex);
  check_ercd(ercd, E_ID);
  ercd = iras_tex(TASK1, 0x01U);
  check_ercd(ercd, E_CTX);
  check_assert(tex1_count == 0U);

  /* 2 */
  check_point(2);
  ercd = ras_tex(TSK_SELF, 0x01U);
  check_ercd(ercd, E_OK);
  check_assert(tex1_count == 0U);
  CHECK_TEX(TSK_SELF, TTEX_DIS, 0x01U);
  ercd = ras_tex(TASK1, 0x02U);
  check_ercd(ercd, E_OK);
  check_assert(tex1_count == 0U);
  CHECK_TEX(TASK1, TTEX_DIS, 0x03U);

  /* 3 */
  check_point(3);
  ercd = ena_tex(); /* -> 4 */
  check_ercd(ercd, E_OK);

  /* 5 */
  check_point(5);
  check_assert(tex1_count == 1U);
  check_assert(!sns_tex());
  CHECK_TEX(TSK_SELF, TTEX_ENA, 0U);
  ercd = ras_tex(TSK_SELF, 0x04U); /* -> 6, 7 */
  check_ercd(ercd, E_OK);

  /* 8 */
  check_point(8);
  check_assert(tex1_count == 3U);
  check_assert(!sns_tex());
  CHECK_TEX(TSK_SELF, TTEX_ENA, 0U);
  ercd = dis_tex();
  check_ercd(ercd, E_OK);
  check_assert(sns_tex());
  CHECK_TEX(TSK_SELF, TTEX_DIS, 0U);
  ercd = ras_tex(TASK1, 0x10U);
  check_ercd(ercd, E_OK);
  check_assert(tex1_count == 3U);
  ercd = ena_tex(); /* -> 9 */
  check_ercd(ercd, E_OK);

  /* 10 */
  check_point(10);
  check_assert(tex1_count == 4U);
  check_assert(!sns_tex());
  ercd = act_tsk(TASK2); /* -> 11 */
  check_ercd(ercd, E_OK);

  /* 12 */
  check_point(12);
  ercd = ras_tex(TASK2, 0x20U);
  check_ercd(ercd, E_OK);
  CHECK_TEX(TASK2, TTEX_DIS, 0x20U);
  ercd = ter_tsk(TASK2);
  check_ercd(ercd, E_OK);
  ercd = act_tsk(TASK2); /* -> 13 */
  check_ercd(ercd, E_OK);

  /* 14 */
  check_point(14);
  CHECK_TEX(TASK2, TTEX_ENA, 0U);
  ercd = ras_tex(TASK2, 0x40U);
  check_ercd(ercd, E_OK);
  check_assert(tex2_count == 0U);
  CHECK_TEX(TASK2, TTEX_ENA, 0x40U);
  ercd = wup_tsk(TASK2); /* -> 15, 16 */
  check_ercd(ercd, E_OK);

  /* 17 */
  check_point(17);
  check_assert(tex2_count == 1U);
  check_assert(!sns_tex());
  ercd = sta_alm(ALM1, 2U); /* -> 18, 19 while spinning */
  check_ercd(ercd, E_OK);
  while (!tex1_from_alarm) {
  }

  /* 20 */
  check_point(20);
  check_assert(tex1_count == 5U);
  check_assert(!sns_tex());
  ercd = act_tsk(TASK3);
  check_ercd(ercd, E_OK);
  ercd = slp_tsk(); /* -> 21 */
  check_ercd(ercd, E_OK);

  /* 22 */
  check_point(22);
  check_finish(22);
}

void task2(intptr_t exinf) {
  static uint_t starts = 0;
  ER ercd;

  check_assert(exinf == 2);
  switch (++starts) {
    case 1:
      check_point(11);
      check_assert(sns_tex());
      CHECK_TEX(TSK_SELF, TTEX_DIS, 0U);
      ercd = slp_tsk(); /* terminated at 12 */
      test_fail(__FILE__, __LINE__, "slp_tsk returned in a terminated task");
      break;
    case 2:
      check_point(13);
      check_assert(sns_tex());
      CHECK_TEX(TSK_SELF, TTEX_DIS, 0U);
      ercd = ena_tex();
      check_ercd(ercd, E_OK);
      check_assert(!sns_tex());
      check_assert(tex2_count == 0U);
      ercd = slp_tsk(); /* woken at 14; tex_task2 runs first (15) */
      check_ercd(ercd, E_OK);
      check_point(16);
      check_assert(tex2_count == 1U);
      check_assert(!sns_tex());
      ext_tsk();
      break;
    default:
      test_fail(__FILE__, __LINE__, "TASK2 started too often");
      break;
  }
}

void task3(intptr_t exinf) {
  ER ercd;
  T_RTEX rtex;

  (void)exinf;
  check_point(21);
  check_assert(sns_tex());
  ercd = dis_tex();
  check_ercd(ercd, E_OBJ);
  ercd = ena_tex();
  check_ercd(ercd, E_OBJ);
  ercd = ref_tex(TSK_SELF, &rtex);
  check_ercd(ercd, E_OBJ);
  ercd = wup_tsk(TASK1); /* -> 22 */
  check_ercd(ercd, E_OK);
  ext_tsk();
}
