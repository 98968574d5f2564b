/* test_jsp: the TOPPERS/JSP 1.4 flavour (built only in it), written the JSP way.
 *
 *  1. (MAIN_TASK) The log task of "@(SRCDIR)/systask/logtask.cfg" runs first (priority 3):
 *     it set the masks to LOG_UPTO(LOG_NOTICE) / LOG_UPTO(LOG_EMERG), so syslog_ref_log
 *     reports them, and this test's lines reach the console through it. LOG_TYPE_COMMENT is
 *     JSP's 0x09; TWF_ANDW / TWF_ORW are 0 / 1.
 *  2. syscall(s) returns what s returned (E_OK, and E_ID for an ID beyond the last task,
 *     which it also logs at LOG_ERROR); vsns_ini() is false once the kernel runs.
 *  3. vxget_tim (SYSUTIM, µs) advances by at least 10 ms over dly_tsk(10).
 *  4. A task with a VP_INT exinf (7) runs and signals SEM1; the cyclic handler started by
 *     sta_cyc runs within 3 ms, where get_tim and vxget_tim return E_CTX (JSP: task context
 *     only); from the task in the CPU-locked state vxget_tim works, get_tim is E_CTX.
 *  5. Dispatching disabled: pol_sem returns E_TMOUT, twai_sem(TMO_POL) and tslp_tsk(TMO_POL)
 *     E_CTX (JSP checks a timed form as a call that may wait); wai_sem E_CTX.
 *  6. The log buffer: a record kept at LOG_NOTICE is counted by syslog_ref_log until the log
 *     task takes it (within 20 ms). check_finish; VATT_TER's routine runs at kernel_exit.
 */
#include <t_services.h>
#include "kernel_id.h"
#include "test_lib.h"
#include "test_jsp.h"

static volatile VP_INT other_exinf;
static volatile UINT cyclic_count;
static volatile ER cyc_get_tim, cyc_vxget_tim;

void other_task(VP_INT exinf) {
  other_exinf = exinf;
  syscall(sig_sem(SEM1));
}

void cyclic_handler(VP_INT exinf) {
  SYSTIM tim;
  SYSUTIM utim;
  (void)exinf;
  ++cyclic_count;
  cyc_get_tim = get_tim(&tim);
  cyc_vxget_tim = vxget_tim(&utim);
}

void terminate_routine(VP_INT exinf) {
  (void)exinf;
  syslog(LOG_EMERG, "test_jsp: VATT_TER routine ran");
}

void main_task(VP_INT exinf) {
  ER ercd;
  T_SYSLOG_RLOG rlog;
  SYSUTIM before, after;
  UINT i;

  (void)exinf;
  test_start(__FILE__);

  /* 1 */
  check_point(1);
  ercd = syslog_ref_log(&rlog);
  check_ercd(ercd, E_OK);
  check_assert(rlog.logmask == LOG_UPTO(LOG_NOTICE) && rlog.lowmask == LOG_UPTO(LOG_EMERG));
  check_assert(LOG_TYPE_COMMENT == 0x09U);
  check_assert(TWF_ANDW == 0x00U && TWF_ORW == 0x01U);

  /* 2 */
  check_point(2);
  ercd = syscall(act_tsk(OTHER_TASK));
  check_ercd(ercd, E_OK);
  ercd = syscall(act_tsk(TNUM_TSKID + 1));
  check_ercd(ercd, E_ID);
  check_assert(!vsns_ini());

  /* 3 */
  check_point(3);
  ercd = vxget_tim(&before);
  check_ercd(ercd, E_OK);
  syscall(dly_tsk(10));
  ercd = vxget_tim(&after);
  check_ercd(ercd, E_OK);
  check_assert(after - before >= 10000U);

  /* 4 */
  check_point(4);
  ercd = wai_sem(SEM1);
  check_ercd(ercd, E_OK);
  check_assert(other_exinf == 7);
  ercd = sta_cyc(CYC1);
  check_ercd(ercd, E_OK);
  syscall(dly_tsk(3));
  check_assert(cyclic_count >= 1U);
  syscall(stp_cyc(CYC1));
  check_ercd(cyc_get_tim, E_CTX);
  check_ercd(cyc_vxget_tim, E_CTX);
  {
    SYSTIM tim;
    SYSUTIM utim;
    syscall(loc_cpu());
    ercd = get_tim(&tim);
    check_ercd(ercd, E_CTX);
    ercd = vxget_tim(&utim);
    check_ercd(ercd, E_OK);
    syscall(unl_cpu());
  }

  /* 5 */
  check_point(5);
  syscall(dis_dsp());
  ercd = pol_sem(SEM1);
  check_ercd(ercd, E_TMOUT);
  ercd = twai_sem(SEM1, TMO_POL);
  check_ercd(ercd, E_CTX);
  ercd = tslp_tsk(TMO_POL);
  check_ercd(ercd, E_CTX);
  ercd = wai_sem(SEM1);
  check_ercd(ercd, E_CTX);
  syscall(ena_dsp());

  /* 6 */
  check_point(6);
  syscall(dis_dsp()); /* the log task may not run: the record stays */
  syslog(LOG_NOTICE, "test_jsp: a record for the log task");
  ercd = syslog_ref_log(&rlog);
  check_ercd(ercd, E_OK);
  check_assert(rlog.count >= 1U);
  syscall(ena_dsp());
  for (i = 0; i < 20U; ++i) {
    syscall(dly_tsk(1));
    syscall(syslog_ref_log(&rlog));
    if (rlog.count == 0U) break;
  }
  check_assert(rlog.count == 0U);
  check_finish(6);
}
