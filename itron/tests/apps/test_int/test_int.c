/*
 * test_int: interrupt handlers — DEF_INH, CFG_INT, the non-task context of an interrupt
 * handler and the i-calls from it (iact_tsk, iwup_tsk, irel_wai, isig_sem, iset_flg,
 * ipsnd_dtq, irot_rdq, iget_tid, iloc_cpu, iunl_cpu); dispatch at interrupt exit;
 * masking by loc_cpu, dis_int and chg_ipm.
 *
 * Objects: TASK1 (MID, TA_ACT) drives the test; TASK2 (HIGH) is woken from the handler;
 * TASK3 (MID) shows irot_rdq. SEM1 (0/1), FLG1 (0), DTQ1 (1 entry) receive signals
 * from the handler. inthdr1 is attached to INHNO1; INTNO1 is configured TA_ENAINT with
 * priority INTPRI1. RAISE_INT1 makes the device raise it; the handler first calls
 * intno1_clear(). TASK1 waits for the handler by spinning on a flag (the delivery is
 * asynchronous); "a while" below is LOOP_REF iterations of an empty loop.
 *
 * Specification checked, by check point:
 *  1. (TASK1) dis_int/ena_int with intno TNUM_INTNO → E_PAR. RAISE_INT1; spin.
 *  2. (inthdr1) Runs: sns_ctx true, sns_loc false, sns_dpn true. iget_tid returns the
 *     interrupted TASK1. act_tsk → E_CTX; iact_tsk(TSK_SELF) and a bad ID → E_ID;
 *     iact_tsk(TASK2) → E_OK, again → E_OK (queued activation), a third time → E_QOVR.
 *  3. (TASK2) The task activated by the handler runs at handler exit, before TASK1
 *     resumes. It sleeps.
 *  4. (TASK1) RAISE_INT1, then wai_sem(SEM1).
 *  5. (inthdr1) iwup_tsk(TASK2), isig_sem(SEM1), iset_flg(FLG1, 0x01), ipsnd_dtq(DTQ1, 55)
 *     → E_OK; a second iwup_tsk(TASK2) is queued (E_OK), a third → E_QOVR;
 *     iwup_tsk(TSK_SELF) → E_ID; iwup_tsk of a dormant task → E_OBJ; wup_tsk →
 *     E_CTX.
 *  6. (TASK2) Woken (E_OK) and running before TASK1; can_wup returns the queued wakeup
 *     (1); FLG1 holds 0x01; DTQ1 holds 55.
 *     Sleeps.
 *  7. (TASK1) wai_sem returned E_OK (released by, or taking, the handler's isig_sem).
 *     RAISE_INT1; spin.
 *  8. (inthdr1) irel_wai(TASK2) → E_OK; irel_wai of the running (not waiting) TASK1 →
 *     E_OBJ; irel_wai(TSK_SELF) and a bad ID → E_ID; rel_wai → E_CTX.
 *  9. (TASK2) slp_tsk returned E_RLWAI. Sleeps.
 * 10. (TASK1) TASK3 activated (MID, behind TASK1). RAISE_INT1; spin.
 * 11. (inthdr1) irot_rdq(MID) → E_OK (TASK1 goes behind TASK3). iloc_cpu: sns_loc true,
 *     isig_sem → E_CTX; iunl_cpu: sns_loc false.
 * 12. (TASK3) Runs at handler exit (rotation); exits.
 * 13. (TASK1) loc_cpu; RAISE_INT1; for a while the handler does not run (deferred).
 * 14. (inthdr1) Runs once unl_cpu unlocks the CPU.
 * 15. (TASK1) dis_int(INTNO1) → E_OK; RAISE_INT1; for a while the handler does not run.
 * 16. (inthdr1) Runs once ena_int(INTNO1) enables the line.
 * 17. (TASK1) chg_ipm(INTPRI1) (masks priorities INTPRI1..TMAX_INTPRI); RAISE_INT1; for
 *     a while the handler does not run.
 * 18. (inthdr1) Runs once chg_ipm(TIPM_ENAALL) lowers the mask.
 * 19. (TASK1) chg_ipm(INTPRI1 + 1) masks only priorities above INTPRI1's number;
 *     RAISE_INT1; spin.
 * 20. (inthdr1) Runs although ipm ≠ TIPM_ENAALL, because INTPRI1 < ipm.
 * 21. (TASK1) chg_ipm(TIPM_ENAALL); done.
 */
#include <kernel.h>
#include <t_syslog.h>
#include "kernel_cfg.h"
#include "test_lib.h"
#include "test_int.h"

enum {
  M_NONE,       /* unexpected: counted, nothing else */
  M_FIRST,      /* point 2 */
  M_SIGNAL,     /* point 5 */
  M_RELWAI,     /* point 8 */
  M_ROT,        /* point 11 */
  M_COUNT_ONLY  /* points 14, 16, 18, 20: check_point(int_point) */
};

static volatile int int_mode = M_NONE;
static volatile uint_t int_point = 0;
static volatile uint_t int_count = 0;
static volatile uint_t spurious_count = 0;
static volatile bool_t int_done = false;
static volatile uint_t spin_dummy = 0;

static void spin_a_while(void) {
  unsigned long i;
  for (i = 0; i < LOOP_REF; i++) {
    spin_dummy++;
  }
}

static void wait_for_handler(void) {
  while (!int_done) {
  }
}

/* Arms the handler for `mode` (and check point `point`) and raises the interrupt. */
static void raise_int(int mode, uint_t point) {
  int_done = false;
  int_point = point;
  int_mode = mode;
  RAISE_INT1;
}

void inthdr1(void) {
  ER ercd;
  ID tskid;
  int mode;

  intno1_clear();
  int_count++;
  mode = int_mode;
  int_mode = M_NONE;
  switch (mode) {
    case M_FIRST:
      check_point(2);
      check_assert(sns_ctx());
      check_assert(!sns_loc());
      check_assert(sns_dpn());
      tskid = -1;
      ercd = iget_tid(&tskid);
      check_ercd(ercd, E_OK);
      check_assert(tskid == TASK1);
      ercd = act_tsk(TASK2);
      check_ercd(ercd, E_CTX);
      ercd = iact_tsk(TSK_SELF);
      check_ercd(ercd, E_ID);
      ercd = iact_tsk(TNUM_TSKID + 1);
      check_ercd(ercd, E_ID);
      ercd = iact_tsk(TASK2); /* -> 3 at handler exit */
      check_ercd(ercd, E_OK);
      ercd = iact_tsk(TASK2); /* queued (TASK2 never exits) */
      check_ercd(ercd, E_OK);
      ercd = iact_tsk(TASK2);
      check_ercd(ercd, E_QOVR);
      break;
    case M_SIGNAL:
      check_point(5);
      ercd = iwup_tsk(TASK2); /* releases it */
      check_ercd(ercd, E_OK);
      ercd = iwup_tsk(TASK2); /* queued */
      check_ercd(ercd, E_OK);
      ercd = iwup_tsk(TASK2);
      check_ercd(ercd, E_QOVR);
      ercd = isig_sem(SEM1);
      check_ercd(ercd, E_OK);
      ercd = iset_flg(FLG1, 0x01U);
      check_ercd(ercd, E_OK);
      ercd = ipsnd_dtq(DTQ1, 55);
      check_ercd(ercd, E_OK);
      ercd = iwup_tsk(TSK_SELF);
      check_ercd(ercd, E_ID);
      ercd = iwup_tsk(TASK3);
      check_ercd(ercd, E_OBJ);
      ercd = wup_tsk(TASK2);
      check_ercd(ercd, E_CTX);
      break;
    case M_RELWAI:
      check_point(8);
      ercd = irel_wai(TASK2);
      check_ercd(ercd, E_OK);
      ercd = irel_wai(TASK1);
      check_ercd(ercd, E_OBJ);
      ercd = irel_wai(TSK_SELF);
      check_ercd(ercd, E_ID);
      ercd = irel_wai(TNUM_TSKID + 1);
      check_ercd(ercd, E_ID);
      ercd = rel_wai(TASK2);
      check_ercd(ercd, E_CTX);
      break;
    case M_ROT:
      check_point(11);
      ercd = irot_rdq(MID_PRIORITY);
      check_ercd(ercd, E_OK);
      ercd = iloc_cpu();
      check_ercd(ercd, E_OK);
      check_assert(sns_loc());
      ercd = isig_sem(SEM1);
      check_ercd(ercd, E_CTX);
      ercd = iunl_cpu();
      check_ercd(ercd, E_OK);
      check_assert(!sns_loc());
      break;
    case M_COUNT_ONLY:
      check_point(int_point);
      check_assert(sns_ctx());
      break;
    default:
      spurious_count++;
      break;
  }
  int_done = true;
}

void task1(intptr_t exinf) {
  ER ercd;
  uint_t count;
  PRI pri;

  (void)exinf;
  test_start(__FILE__);

  /* 1 */
  check_point(1);
  check_assert(int_count == 0U);
  ercd = dis_int(TNUM_INTNO);
  check_ercd(ercd, E_PAR);
  ercd = ena_int(TNUM_INTNO);
  check_ercd(ercd, E_PAR);
  raise_int(M_FIRST, 2); /* -> 2, 3 */
  wait_for_handler();

  /* 4 */
  check_point(4);
  check_assert(int_count == 1U);
  raise_int(M_SIGNAL, 5); /* -> 5, 6 */
  ercd = wai_sem(SEM1);
  check_ercd(ercd, E_OK);

  /* 7 */
  check_point(7);
  raise_int(M_RELWAI, 8); /* -> 8, 9 */
  wait_for_handler();

  /* 10 */
  check_point(10);
  ercd = act_tsk(TASK3);
  check_ercd(ercd, E_OK);
  raise_int(M_ROT, 11); /* -> 11, 12 */
  wait_for_handler();

  /* 13 */
  check_point(13);
  ercd = loc_cpu();
  check_ercd(ercd, E_OK);
  count = int_count;
  raise_int(M_COUNT_ONLY, 14);
  spin_a_while();
  check_assert(int_count == count);
  ercd = unl_cpu(); /* -> 14 */
  check_ercd(ercd, E_OK);
  wait_for_handler();

  /* 15 */
  check_point(15);
  ercd = dis_int(INTNO1);
  check_ercd(ercd, E_OK);
  count = int_count;
  raise_int(M_COUNT_ONLY, 16);
  spin_a_while();
  check_assert(int_count == count);
  ercd = ena_int(INTNO1); /* -> 16 */
  check_ercd(ercd, E_OK);
  wait_for_handler();

  /* 17 */
  check_point(17);
  ercd = chg_ipm(INTPRI1);
  check_ercd(ercd, E_OK);
  count = int_count;
  raise_int(M_COUNT_ONLY, 18);
  spin_a_while();
  check_assert(int_count == count);
  ercd = chg_ipm(TIPM_ENAALL); /* -> 18 */
  check_ercd(ercd, E_OK);
  wait_for_handler();

  /* 19 */
  check_point(19);
  ercd = chg_ipm(INTPRI1 + 1);
  check_ercd(ercd, E_OK);
  raise_int(M_COUNT_ONLY, 20); /* -> 20 */
  wait_for_handler();

  /* 21 */
  check_point(21);
  ercd = get_ipm(&pri);
  check_ercd(ercd, E_OK);
  check_assert(pri == INTPRI1 + 1);
  ercd = chg_ipm(TIPM_ENAALL);
  check_ercd(ercd, E_OK);
  if (spurious_count != 0U) {
    syslog(LOG_NOTICE, "test_int: %u unexpected interrupt(s)", (unsigned)spurious_count);
  }
  check_finish(21);
}

void task2(intptr_t exinf) {
  ER_UINT ercd;
  FLGPTN ptn;
  intptr_t data;

  (void)exinf;
  /* 3 */
  check_point(3);
  check_assert(int_done);
  check_assert(int_count == 1U);
  ercd = slp_tsk(); /* -> 4; woken at 5 */
  check_ercd(ercd, E_OK);

  /* 6 */
  check_point(6);
  ercd = can_wup(TSK_SELF); /* the wakeup queued by the handler */
  check_ercd(ercd, 1);
  ptn = 0U;
  ercd = pol_flg(FLG1, 0x01U, TWF_ORW, &ptn);
  check_ercd(ercd, E_OK);
  check_assert(ptn == 0x01U);
  data = 0;
  ercd = prcv_dtq(DTQ1, &data);
  check_ercd(ercd, E_OK);
  check_assert(data == 55);
  ercd = slp_tsk(); /* -> 7; released at 8 */
  check_ercd(ercd, E_RLWAI);

  /* 9 */
  check_point(9);
  ercd = slp_tsk(); /* never woken again */
  test_fail(__FILE__, __LINE__, "TASK2 woken");
}

void task3(intptr_t exinf) {
  ID tskid;
  ER ercd;

  (void)exinf;
  /* 12 */
  check_point(12);
  check_assert(int_done);
  ercd = get_tid(&tskid);
  check_ercd(ercd, E_OK);
  check_assert(tskid == TASK3);
  ext_tsk();
}
