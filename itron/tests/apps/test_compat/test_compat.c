/* test_compat: TOPPERS/JSP and ASP source compatibility.
 *
 * Written against JSP's headers and names (t_services.h, kernel_id.h, VP_INT, VP, BOOL,
 * TA_HLNG, vmsk_log, vxget_tim, 4-element CRE_MPF, INCLUDE("\"x.h\"")) and ASP's system
 * service configurations (syssvc/syslog.cfg, banner.cfg, serial.cfg, logtask.cfg).
 *  1. the first task runs (after the banner routine of syssvc/banner.cfg: the system test
 *     checks its line comes first on the console)
 *  2. JSP's vmsk_log and syslog_N work
 *  3. JSP-typed task with VP_INT exinf is activated and gets its exinf (42)
 *  4. JSP's vxget_tim returns a time that advances over dly_tsk
 *  5. the 4-element CRE_MPF and 3-element CRE_MBX forms work
 *  6. a CPU exception handler with JSP's VP parameter runs and returns, and JSP's vxsns_*
 *     describe the interrupted task context (not a handler, not locked, dispatching
 *     enabled and possible)
 */
#include <t_services.h>
#include "kernel_id.h"
#include "test_lib.h"
#include "test_compat.h"

static volatile VP_INT other_exinf;
static volatile BOOL exc_seen, exc_ctx, exc_loc, exc_dsp, exc_dpn;

void other_task(VP_INT exinf) {
  other_exinf = exinf;
  (void)sig_sem(SEM1);
}

void cpuexc_handler(VP p_excinf) {
  exc_seen = TRUE;
  exc_ctx = vxsns_ctx(p_excinf);
  exc_loc = vxsns_loc(p_excinf);
  exc_dsp = vxsns_dsp(p_excinf);
  exc_dpn = vxsns_dpn(p_excinf);
  PREPARE_RETURN_CPUEXC;
}

void main_task(VP_INT exinf) {
  ER ercd;
  SYSUTM a, b;
  VP blk;
  T_MSG msg, *got;

  (void)exinf;
  test_start(__FILE__);
  check_point(1);

  ercd = vmsk_log(LOG_UPTO(LOG_INFO), LOG_UPTO(LOG_EMERG));
  check_ercd(ercd, E_OK);
  syslog_2(LOG_NOTICE, "JSP syslog_2: %d %s", 7, "ok");
  check_point(2);

  ercd = act_tsk(OTHER_TASK);
  check_ercd(ercd, E_OK);
  ercd = wai_sem(SEM1);
  check_ercd(ercd, E_OK);
  check_assert(other_exinf == 42);
  check_point(3);

  ercd = vxget_tim(&a);
  check_ercd(ercd, E_OK);
  ercd = dly_tsk(5);
  check_ercd(ercd, E_OK);
  ercd = vxget_tim(&b);
  check_ercd(ercd, E_OK);
  check_assert(b >= a + 5000U);
  check_point(4);

  ercd = pget_mpf(MPF1, &blk);
  check_ercd(ercd, E_OK);
  ercd = rel_mpf(MPF1, blk);
  check_ercd(ercd, E_OK);
  ercd = snd_mbx(MBX1, &msg);
  check_ercd(ercd, E_OK);
  ercd = prcv_mbx(MBX1, &got);
  check_ercd(ercd, E_OK);
  check_assert(got == &msg);
  check_point(5);

  RAISE_CPU_EXCEPTION;
  check_assert(exc_seen);
  check_assert(!exc_ctx && !exc_loc && !exc_dsp && !exc_dpn);
  check_finish(6);
}
