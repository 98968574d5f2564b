/*
 * test_sys: system state management — rot_rdq, irot_rdq, get_tid, iget_tid, loc_cpu,
 * unl_cpu, iloc_cpu, iunl_cpu, dis_dsp, ena_dsp, sns_ctx, sns_loc, sns_dsp, sns_dpn,
 * sns_ker, chg_ipm, get_ipm, dis_int/ena_int parameter checks, ATT_INI, ATT_TER.
 *
 * Objects: TASK1 (MID, TA_ACT) drives the test; TASK2 and TASK3 (MID) take part in
 * ready-queue rotation; TASK4 (HIGH) shows when dispatching happens. ALM1 exercises the
 * non-task context. An ATT_INI routine (exinf 7) records what it saw; an ATT_TER routine
 * (exinf 8) prints a line at ext_ker (not observable by a check point).
 *
 * Specification checked, by check point:
 *  1. (TASK1) The ATT_INI routine ran exactly once, with its exinf, before any task,
 *     while sns_ker was true. Now sns_ker is false; the state is task context, CPU
 *     unlocked, dispatching enabled, no dispatch pending, task exceptions disabled.
 *     get_tid returns TASK1; get_ipm returns TIPM_ENAALL. iget_tid, irot_rdq, iloc_cpu,
 *     iunl_cpu from a task → E_CTX.
 *  2. (TASK1) dis_dsp: sns_dsp and sns_dpn true. A higher-priority task activated now
 *     stays TTS_RDY (no dispatch); dis_dsp twice is allowed. ena_dsp dispatches it.
 *  3. (TASK4) Runs at ena_dsp; get_tid returns TASK4; TASK1 is TTS_RDY. Sleeps.
 *  4. (TASK1) ena_dsp returned E_OK; normal state. TASK2 and TASK3 are activated (MID,
 *     behind TASK1); rot_rdq(TPRI_SELF) moves TASK1 to the tail: TASK2 runs.
 *  5. (TASK2) rot_rdq(MID) by number: TASK3 runs.
 *  6. (TASK3) rot_rdq(TPRI_SELF): TASK1 (now at the head) runs.
 *  7. (TASK1) rot_rdq with priority TMAX_TPRI+1 or -1 → E_PAR; rot_rdq of an empty
 *     priority → E_OK, no effect. TASK1 sleeps: TASK2 (queue order) resumes.
 *  8. (TASK2) rot_rdq returned E_OK; exits. TASK3 resumes.
 *  9. (TASK3) wup_tsk(TASK1) (equal priority: TTS_RDY, no preemption); exits.
 * 10. (TASK1) loc_cpu: sns_loc and sns_dpn true, sns_dsp false. In the CPU-locked state
 *     loc_cpu again → E_OK; act_tsk, wup_tsk, slp_tsk, dly_tsk, dis_dsp, ena_dsp,
 *     rot_rdq, get_tid, get_pri, ref_tsk, chg_ipm, get_ipm, get_tim, set_tim, iloc_cpu →
 *     E_CTX.
 *     unl_cpu → E_OK and normal state; unl_cpu when not locked → E_OK. With dispatching
 *     disabled, loc_cpu/unl_cpu leave sns_dsp true.
 * 11. (TASK1) chg_ipm → E_PAR below TMIN_INTPRI and above TIPM_ENAALL. chg_ipm(INTPRI1):
 *     get_ipm returns it; sns_dpn true (dispatch pending while ipm ≠ 0), sns_dsp false;
 *     slp_tsk → E_CTX; wup_tsk(TASK4) makes it ready but it does not run.
 *     chg_ipm(TMIN_INTPRI) works too. chg_ipm(TIPM_ENAALL) dispatches TASK4.
 * 12. (TASK4) slp_tsk returned E_OK. dis_dsp, then ext_tsk in the dispatch-disabled state.
 * 13. (TASK1) chg_ipm returned E_OK; get_ipm 0. ext_tsk re-enabled dispatching: normal
 *     state, TASK4 TTS_DMT. dis_int/ena_int with intno TNUM_INTNO (17) → E_PAR.
 * 14. (TASK1) TASK2 activated again (ready, MID). ALM1 started (2 ms); TASK1 spins.
 * 15. (alm1) iget_tid returns the interrupted TASK1; sns_ctx and sns_dpn true, sns_loc
 *     false. irot_rdq(TMAX_TPRI+1) → E_PAR; irot_rdq(MID) rotates TASK1 behind TASK2.
 *     iloc_cpu: sns_loc true; in that state iact_tsk and iget_tid → E_CTX, iloc_cpu again
 *     → E_OK; iunl_cpu: sns_loc false; iunl_cpu again → E_OK. loc_cpu, unl_cpu, dis_dsp,
 *     ena_dsp, rot_rdq, get_tid, chg_ipm, get_ipm from non-task context → E_CTX.
 * 16. (TASK2) Runs at handler exit because of irot_rdq (before TASK1 resumes);
 *     get_tid returns TASK2. loc_cpu, then ext_tsk in the CPU-locked state.
 * 17. (TASK1) Resumes spinning and ends; ext_tsk unlocked the CPU: normal state.
 */
#include <kernel.h>
#include <t_syslog.h>
#include "kernel_cfg.h"
#include "test_lib.h"
#include "check_macros.h"
#include "test_sys.h"

static volatile uint_t ini_count = 0;
static volatile intptr_t ini_exinf = 0;
static volatile bool_t ini_sns_ker = false;
static volatile bool_t ini_saw_task = false;
static volatile bool_t task1_started = false;
static volatile bool_t alm_done = false;

/* get_tid must succeed and return `expected`. */
#define CHECK_TID(expected)              \
  do {                                   \
    ID id_ = -1;                         \
    ER e_ = get_tid(&id_);               \
    check_ercd(e_, E_OK);                \
    check_assert(id_ == (ID)(expected)); \
  } while (0)

void init_routine(intptr_t exinf) {
  ini_count++;
  ini_exinf = exinf;
  ini_sns_ker = sns_ker();
  ini_saw_task = task1_started;
}

void ter_routine(intptr_t exinf) {
  syslog(LOG_NOTICE, "test_sys: ATT_TER routine called (exinf %d)", (int)exinf);
}

void task1(intptr_t exinf) {
  ER ercd;
  ID tskid;
  PRI pri;
  T_RTSK rtsk;
  SYSTIM tim;

  (void)exinf;
  task1_started = true;
  test_start(__FILE__);

  /* 1 */
  check_point(1);
  check_assert(ini_count == 1U);
  check_assert(ini_exinf == 7);
  check_assert(ini_sns_ker);
  check_assert(!ini_saw_task);
  check_assert(!sns_ker());
  check_state(false, false, TIPM_ENAALL, false, false, true);
  CHECK_TID(TASK1);
  ercd = get_ipm(&pri);
  check_ercd(ercd, E_OK);
  check_assert(pri == TIPM_ENAALL);
  ercd = iget_tid(&tskid);
  check_ercd(ercd, E_CTX);
  ercd = irot_rdq(MID_PRIORITY);
  check_ercd(ercd, E_CTX);
  ercd = iloc_cpu();
  check_ercd(ercd, E_CTX);
  ercd = iunl_cpu();
  check_ercd(ercd, E_CTX);

  /* 2 */
  check_point(2);
  ercd = dis_dsp();
  check_ercd(ercd, E_OK);
  check_state(false, false, TIPM_ENAALL, true, true, true);
  ercd = act_tsk(TASK4);
  check_ercd(ercd, E_OK);
  CHECK_TSKSTAT(TASK4, TTS_RDY);
  CHECK_TID(TASK1);
  ercd = dis_dsp();
  check_ercd(ercd, E_OK);
  ercd = ena_dsp(); /* -> 3 */
  check_ercd(ercd, E_OK);

  /* 4 */
  check_point(4);
  check_state(false, false, TIPM_ENAALL, false, false, true);
  ercd = act_tsk(TASK2);
  check_ercd(ercd, E_OK);
  ercd = act_tsk(TASK3);
  check_ercd(ercd, E_OK);
  ercd = rot_rdq(TPRI_SELF); /* -> 5, 6 */
  check_ercd(ercd, E_OK);

  /* 7 */
  check_point(7);
  ercd = rot_rdq(TMAX_TPRI + 1);
  check_ercd(ercd, E_PAR);
  ercd = rot_rdq(-1);
  check_ercd(ercd, E_PAR);
  ercd = rot_rdq(LOW_PRIORITY);
  check_ercd(ercd, E_OK);
  CHECK_TID(TASK1);
  ercd = slp_tsk(); /* -> 8, 9 */
  check_ercd(ercd, E_OK);

  /* 10 */
  check_point(10);
  ercd = loc_cpu();
  check_ercd(ercd, E_OK);
  check_state(false, true, TIPM_ENAALL, false, true, true);
  ercd = loc_cpu();
  check_ercd(ercd, E_OK);
  ercd = act_tsk(TASK4);
  check_ercd(ercd, E_CTX);
  ercd = wup_tsk(TASK4);
  check_ercd(ercd, E_CTX);
  ercd = slp_tsk();
  check_ercd(ercd, E_CTX);
  ercd = dly_tsk(1U);
  check_ercd(ercd, E_CTX);
  ercd = dis_dsp();
  check_ercd(ercd, E_CTX);
  ercd = ena_dsp();
  check_ercd(ercd, E_CTX);
  ercd = rot_rdq(MID_PRIORITY);
  check_ercd(ercd, E_CTX);
  ercd = get_tid(&tskid);
  check_ercd(ercd, E_CTX);
  ercd = get_pri(TSK_SELF, &pri);
  check_ercd(ercd, E_CTX);
  ercd = ref_tsk(TASK4, &rtsk);
  check_ercd(ercd, E_CTX);
  ercd = chg_ipm(INTPRI1);
  check_ercd(ercd, E_CTX);
  ercd = get_ipm(&pri);
  check_ercd(ercd, E_CTX);
  ercd = get_tim(&tim);
  check_ercd(ercd, E_CTX);
  ercd = set_tim(0U);
  check_ercd(ercd, E_CTX);
  ercd = iloc_cpu();
  check_ercd(ercd, E_CTX);
  check_assert(sns_loc());
  ercd = unl_cpu();
  check_ercd(ercd, E_OK);
  check_state(false, false, TIPM_ENAALL, false, false, true);
  ercd = unl_cpu();
  check_ercd(ercd, E_OK);
  ercd = dis_dsp();
  check_ercd(ercd, E_OK);
  ercd = loc_cpu();
  check_ercd(ercd, E_OK);
  check_state(false, true, TIPM_ENAALL, true, true, true);
  ercd = unl_cpu();
  check_ercd(ercd, E_OK);
  check_state(false, false, TIPM_ENAALL, true, true, true);
  ercd = ena_dsp();
  check_ercd(ercd, E_OK);
  check_state(false, false, TIPM_ENAALL, false, false, true);

  /* 11 */
  check_point(11);
  ercd = chg_ipm(TMIN_INTPRI - 1);
  check_ercd(ercd, E_PAR);
  ercd = chg_ipm(TIPM_ENAALL + 1);
  check_ercd(ercd, E_PAR);
  ercd = chg_ipm(INTPRI1);
  check_ercd(ercd, E_OK);
  ercd = get_ipm(&pri);
  check_ercd(ercd, E_OK);
  check_assert(pri == INTPRI1);
  check_state(false, false, INTPRI1, false, true, true);
  ercd = slp_tsk();
  check_ercd(ercd, E_CTX);
  ercd = wup_tsk(TASK4);
  check_ercd(ercd, E_OK);
  CHECK_TSKSTAT(TASK4, TTS_RDY);
  CHECK_TID(TASK1);
  ercd = chg_ipm(TMIN_INTPRI);
  check_ercd(ercd, E_OK);
  ercd = get_ipm(&pri);
  check_ercd(ercd, E_OK);
  check_assert(pri == TMIN_INTPRI);
  ercd = chg_ipm(TIPM_ENAALL); /* -> 12 */
  check_ercd(ercd, E_OK);

  /* 13 */
  check_point(13);
  ercd = get_ipm(&pri);
  check_ercd(ercd, E_OK);
  check_assert(pri == TIPM_ENAALL);
  check_state(false, false, TIPM_ENAALL, false, false, true);
  CHECK_TSKSTAT(TASK4, TTS_DMT);
  ercd = dis_int(TNUM_INTNO);
  check_ercd(ercd, E_PAR);
  ercd = ena_int(TNUM_INTNO);
  check_ercd(ercd, E_PAR);

  /* 14 */
  check_point(14);
  ercd = act_tsk(TASK2);
  check_ercd(ercd, E_OK);
  ercd = sta_alm(ALM1, 2U); /* -> 15, 16 while spinning */
  check_ercd(ercd, E_OK);
  while (!alm_done) {
  }

  /* 17 */
  check_point(17);
  check_state(false, false, TIPM_ENAALL, false, false, true);
  CHECK_TID(TASK1);
  CHECK_TSKSTAT(TASK2, TTS_DMT);
  check_finish(17);
}

void task2(intptr_t exinf) {
  static uint_t starts = 0;
  ER ercd;

  (void)exinf;
  switch (++starts) {
    case 1:
      check_point(5);
      CHECK_TID(TASK2);
      ercd = rot_rdq(MID_PRIORITY); /* -> 6 */
      check_ercd(ercd, E_OK);
      check_point(8);
      ext_tsk();
      break;
    case 2:
      check_point(16);
      check_assert(alm_done);
      CHECK_TID(TASK2);
      CHECK_TSKSTAT(TASK1, TTS_RDY);
      ercd = loc_cpu();
      check_ercd(ercd, E_OK);
      ext_tsk(); /* unlocks the CPU */
      break;
    default:
      test_fail(__FILE__, __LINE__, "TASK2 started too often");
      break;
  }
}

void task3(intptr_t exinf) {
  ER ercd;

  (void)exinf;
  /* 6 */
  check_point(6);
  CHECK_TID(TASK3);
  ercd = rot_rdq(TPRI_SELF); /* -> 7 */
  check_ercd(ercd, E_OK);

  /* 9 */
  check_point(9);
  ercd = wup_tsk(TASK1);
  check_ercd(ercd, E_OK);
  CHECK_TSKSTAT(TASK1, TTS_RDY);
  ext_tsk();
}

void task4(intptr_t exinf) {
  ER ercd;

  (void)exinf;
  /* 3 */
  check_point(3);
  check_state(false, false, TIPM_ENAALL, false, false, true);
  CHECK_TID(TASK4);
  CHECK_TSKSTAT(TASK1, TTS_RDY);
  ercd = slp_tsk(); /* -> 4; woken at 11 */
  check_ercd(ercd, E_OK);

  /* 12 */
  check_point(12);
  ercd = dis_dsp();
  check_ercd(ercd, E_OK);
  ext_tsk(); /* re-enables dispatching */
}

void alm1(intptr_t exinf) {
  ER ercd;
  ID tskid;
  PRI pri;

  /* 15 */
  check_point(15);
  check_assert(exinf == 1);
  check_assert(sns_ctx());
  check_assert(sns_dpn());
  check_assert(!sns_loc());
  tskid = -1;
  ercd = iget_tid(&tskid);
  check_ercd(ercd, E_OK);
  check_assert(tskid == TASK1);
  ercd = irot_rdq(TMAX_TPRI + 1);
  check_ercd(ercd, E_PAR);
  ercd = irot_rdq(MID_PRIORITY);
  check_ercd(ercd, E_OK);
  ercd = iloc_cpu();
  check_ercd(ercd, E_OK);
  check_assert(sns_loc());
  ercd = iact_tsk(TASK3);
  check_ercd(ercd, E_CTX);
  ercd = iget_tid(&tskid);
  check_ercd(ercd, E_CTX);
  ercd = iloc_cpu();
  check_ercd(ercd, E_OK);
  ercd = iunl_cpu();
  check_ercd(ercd, E_OK);
  check_assert(!sns_loc());
  ercd = iunl_cpu();
  check_ercd(ercd, E_OK);
  ercd = loc_cpu();
  check_ercd(ercd, E_CTX);
  ercd = unl_cpu();
  check_ercd(ercd, E_CTX);
  ercd = dis_dsp();
  check_ercd(ercd, E_CTX);
  ercd = ena_dsp();
  check_ercd(ercd, E_CTX);
  ercd = rot_rdq(MID_PRIORITY);
  check_ercd(ercd, E_CTX);
  ercd = get_tid(&tskid);
  check_ercd(ercd, E_CTX);
  ercd = chg_ipm(INTPRI1);
  check_ercd(ercd, E_CTX);
  ercd = get_ipm(&pri);
  check_ercd(ercd, E_CTX);
  alm_done = true;
}
