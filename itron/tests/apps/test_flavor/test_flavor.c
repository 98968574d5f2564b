/*
 * test_flavor: where the μITRON 4.0 flavour (the default) and the TOPPERS/ASP 1.9 flavour
 * differ, each flavour's rule (docs/itron-compat.md, "Flavours"). Built twice: test_flavor
 * (μITRON 4.0) and test_flavor_asp (ITRON_FLAVOR_ASP); the expectations below name which.
 *
 * Specification checked, by check point:
 *  1. (TASK1) Constants: μITRON TWF_ANDW 0 / TWF_ORW 1, TTEX_ENA 0 / TTEX_DIS 1, TCYC_STP 0
 *     / TCYC_STA 1, TALM_STP 0 / TALM_STA 1; ASP TWF_ORW 1 / TWF_ANDW 2, TTEX_ENA 1 /
 *     TTEX_DIS 2, TCYC_* and TALM_* 1 / 2. The kernel reports them: ref_tex texstat
 *     TTEX_DIS then TTEX_ENA after ena_tex; ref_cyc TCYC_STP; ref_alm TALM_STP; twai_flg
 *     honours TWF_ANDW and TWF_ORW by their values.
 *  2. (TASK1) Dispatching disabled (dis_dsp): the polling forms pol_sem, pol_flg,
 *     prcv_dtq, psnd_dtq, prcv_mbx and pget_mpf return E_TMOUT (nothing to take or no room)
 *     in both; the timed forms with TMO_POL (twai_sem, twai_flg, trcv_dtq, tsnd_dtq,
 *     trcv_mbx, tget_mpf, tslp_tsk) return E_TMOUT in μITRON and E_CTX in ASP.
 *  3. (TASK1) The same with the interrupt priority mask raised (chg_ipm(TMAX_INTPRI)).
 *  4. (TASK1) CPU locked (loc_cpu): dis_int and ena_int return E_CTX in μITRON and E_OK in
 *     ASP; get_tid and get_tim return E_CTX in both.
 *  5. (alm1, non-task context) get_tim returns E_OK in μITRON and E_CTX in ASP; dis_int and
 *     ena_int return E_OK in μITRON and E_CTX in ASP.
 *  6. (TASK1) After the handler: check_finish.
 */
#include <kernel.h>
#include <t_syslog.h>
#include "kernel_cfg.h"
#include "test_lib.h"
#include "test_flavor.h"

#ifdef ITRON_FLAVOR_ASP
#define ASP_OR(asp, itron) (asp)
#else
#define ASP_OR(asp, itron) (itron)
#endif

/* What a timed form given TMO_POL returns where it may not wait. */
#define TIMED_POL_REFUSED ASP_OR(E_CTX, E_TMOUT)

static volatile ER handler_get_tim = E_SYS;
static volatile ER handler_dis_int = E_SYS;
static volatile ER handler_ena_int = E_SYS;
static volatile bool_t handler_ran = false;

void tex_task1(TEXPTN texptn, intptr_t exinf) {
  (void)texptn;
  (void)exinf;
}

void alm1(intptr_t exinf) {
  SYSTIM now;
  (void)exinf;
  handler_get_tim = get_tim(&now);
  handler_dis_int = dis_int(INTNO1);
  handler_ena_int = ena_int(INTNO1);
  handler_ran = true;
  iwup_tsk(TASK1);
}

/* Every waiting call's polling and TMO_POL forms where none may wait. */
static void check_waiting_calls_refused(void) {
  ER ercd;
  FLGPTN ptn;
  intptr_t data;
  T_MSG *msg;
  void *blk;
  void *none;

  ercd = pol_sem(SEM1);
  check_ercd(ercd, E_TMOUT);
  ercd = twai_sem(SEM1, TMO_POL);
  check_ercd(ercd, TIMED_POL_REFUSED);
  ercd = pol_flg(FLG1, 0x01U, TWF_ORW, &ptn);
  check_ercd(ercd, E_TMOUT);
  ercd = twai_flg(FLG1, 0x01U, TWF_ORW, &ptn, TMO_POL);
  check_ercd(ercd, TIMED_POL_REFUSED);
  ercd = prcv_dtq(DTQ1, &data);
  check_ercd(ercd, E_TMOUT);
  ercd = trcv_dtq(DTQ1, &data, TMO_POL);
  check_ercd(ercd, TIMED_POL_REFUSED);
  ercd = psnd_dtq(DTQ1, 1);
  check_ercd(ercd, E_TMOUT);
  ercd = tsnd_dtq(DTQ1, 1, TMO_POL);
  check_ercd(ercd, TIMED_POL_REFUSED);
  ercd = prcv_mbx(MBX1, &msg);
  check_ercd(ercd, E_TMOUT);
  ercd = trcv_mbx(MBX1, &msg, TMO_POL);
  check_ercd(ercd, TIMED_POL_REFUSED);
  ercd = pget_mpf(MPF1, &blk); /* takes the one block */
  check_ercd(ercd, E_OK);
  ercd = pget_mpf(MPF1, &none);
  check_ercd(ercd, E_TMOUT);
  ercd = tget_mpf(MPF1, &none, TMO_POL);
  check_ercd(ercd, TIMED_POL_REFUSED);
  ercd = rel_mpf(MPF1, blk);
  check_ercd(ercd, E_OK);
  ercd = tslp_tsk(TMO_POL);
  check_ercd(ercd, TIMED_POL_REFUSED);
}

void task1(intptr_t exinf) {
  ER ercd;
  T_RTEX rtex;
  T_RCYC rcyc;
  T_RALM ralm;
  FLGPTN ptn;
  ID tid;
  SYSTIM now;

  (void)exinf;
  test_start(__FILE__);

  /* 1 */
  check_point(1);
  check_assert(TWF_ANDW == ASP_OR(0x02U, 0x00U) && TWF_ORW == 0x01U);
  check_assert(TTEX_ENA == ASP_OR(0x01U, 0x00U) && TTEX_DIS == ASP_OR(0x02U, 0x01U));
  check_assert(TCYC_STP == ASP_OR(0x01U, 0x00U) && TCYC_STA == ASP_OR(0x02U, 0x01U));
  check_assert(TALM_STP == ASP_OR(0x01U, 0x00U) && TALM_STA == ASP_OR(0x02U, 0x01U));
  ercd = ref_tex(TSK_SELF, &rtex);
  check_ercd(ercd, E_OK);
  check_assert(rtex.texstat == TTEX_DIS);
  ercd = ena_tex();
  check_ercd(ercd, E_OK);
  ercd = ref_tex(TSK_SELF, &rtex);
  check_ercd(ercd, E_OK);
  check_assert(rtex.texstat == TTEX_ENA);
  ercd = ref_cyc(CYC1, &rcyc);
  check_ercd(ercd, E_OK);
  check_assert(rcyc.cycstat == TCYC_STP);
  ercd = ref_alm(ALM1, &ralm);
  check_ercd(ercd, E_OK);
  check_assert(ralm.almstat == TALM_STP);
  ercd = set_flg(FLG1, 0x01U);
  check_ercd(ercd, E_OK);
  ercd = pol_flg(FLG1, 0x03U, TWF_ANDW, &ptn);
  check_ercd(ercd, E_TMOUT);
  ercd = pol_flg(FLG1, 0x03U, TWF_ORW, &ptn);
  check_ercd(ercd, E_OK);
  check_assert(ptn == 0x01U);
  ercd = clr_flg(FLG1, 0U);
  check_ercd(ercd, E_OK);

  /* 2 */
  check_point(2);
  ercd = dis_dsp();
  check_ercd(ercd, E_OK);
  check_waiting_calls_refused();
  ercd = ena_dsp();
  check_ercd(ercd, E_OK);

  /* 3 */
  check_point(3);
  ercd = chg_ipm(TMAX_INTPRI);
  check_ercd(ercd, E_OK);
  check_waiting_calls_refused();
  ercd = chg_ipm(TIPM_ENAALL);
  check_ercd(ercd, E_OK);

  /* 4 */
  check_point(4);
  ercd = loc_cpu();
  check_ercd(ercd, E_OK);
  ercd = dis_int(INTNO1);
  check_ercd(ercd, ASP_OR(E_OK, E_CTX));
  ercd = ena_int(INTNO1);
  check_ercd(ercd, ASP_OR(E_OK, E_CTX));
  ercd = get_tid(&tid);
  check_ercd(ercd, E_CTX);
  ercd = get_tim(&now);
  check_ercd(ercd, E_CTX);
  ercd = unl_cpu();
  check_ercd(ercd, E_OK);

  /* 5 */
  ercd = sta_alm(ALM1, 2U);
  check_ercd(ercd, E_OK);
  ercd = slp_tsk();
  check_ercd(ercd, E_OK);
  check_point(5);
  check_assert(handler_ran);
  check_ercd(handler_get_tim, ASP_OR(E_CTX, E_OK));
  check_ercd(handler_dis_int, ASP_OR(E_CTX, E_OK));
  check_ercd(handler_ena_int, ASP_OR(E_CTX, E_OK));

  check_finish(6);
}
