/* sample1: exercise the kernel from the console.
 *
 * The workers print a progress line every WORKER_PERIOD ms (a blocking receive on their
 * command queue with that timeout, so they never starve Linux). The controller reads one
 * character at a time: '1'..'3' select a worker, other characters are commands on it
 * (see `commands` below, or type 'h'). */
#include <kernel.h>
#include <t_syslog.h>
#include <t_stdlib.h>
#include <syssvc/serial.h>
#include "kernel_cfg.h"
#include "sample1.h"

/* Commands a worker runs on itself, sent through its data queue. */
enum { WCMD_EXIT = 1, WCMD_SLEEP, WCMD_SLEEP_TMO, WCMD_DELAY, WCMD_DIS_TEX, WCMD_ENA_TEX,
       WCMD_EXCEPTION, WCMD_EXCEPTION_LOCKED };

static const ID worker_dtq[] = { WORKER1_DTQ, WORKER2_DTQ, WORKER3_DTQ };
static volatile uint_t progress[3];

void sample1_init(intptr_t exinf) {
  (void)exinf;
  syslog(LOG_NOTICE, "sample1: initialization routine (kernel not yet running: sns_ker=%d)", sns_ker());
}

void sample1_exit(intptr_t exinf) {
  (void)exinf;
  syslog(LOG_NOTICE, "sample1: termination routine, the kernel stops");
}

void worker_tex(TEXPTN texptn, intptr_t exinf) {
  syslog(LOG_NOTICE, "worker %d: task exception 0x%04x%s", (int)exinf, texptn,
         (texptn & 0x8000U) ? ": exiting" : "");
  if (texptn & 0x8000U) ext_tsk();
}

static void run_own_command(int n, intptr_t cmd) {
  ER ercd;
  switch (cmd) {
  case WCMD_EXIT:
    syslog(LOG_NOTICE, "worker %d: ext_tsk", n);
    ext_tsk();
    break;
  case WCMD_SLEEP:
    syslog(LOG_NOTICE, "worker %d: slp_tsk", n);
    ercd = slp_tsk();
    syslog(LOG_NOTICE, "worker %d: woken: %s", n, itron_strerror(ercd));
    break;
  case WCMD_SLEEP_TMO:
    syslog(LOG_NOTICE, "worker %d: tslp_tsk(10000)", n);
    ercd = tslp_tsk(10000);
    syslog(LOG_NOTICE, "worker %d: woken: %s", n, itron_strerror(ercd));
    break;
  case WCMD_DELAY:
    syslog(LOG_NOTICE, "worker %d: dly_tsk(10000)", n);
    ercd = dly_tsk(10000);
    syslog(LOG_NOTICE, "worker %d: delay over: %s", n, itron_strerror(ercd));
    break;
  case WCMD_DIS_TEX:
    SVC_PERROR(dis_tex());
    syslog(LOG_NOTICE, "worker %d: task exceptions disabled", n);
    break;
  case WCMD_ENA_TEX:
    syslog(LOG_NOTICE, "worker %d: task exceptions enabled", n);
    SVC_PERROR(ena_tex());
    break;
  case WCMD_EXCEPTION:
    syslog(LOG_NOTICE, "worker %d: raising a CPU exception", n);
    RAISE_CPU_EXCEPTION;
    syslog(LOG_NOTICE, "worker %d: back from the CPU exception", n);
    break;
  case WCMD_EXCEPTION_LOCKED:
    syslog(LOG_NOTICE, "worker %d: raising a CPU exception with the CPU locked", n);
    SVC_PERROR(loc_cpu());
    RAISE_CPU_EXCEPTION;
    SVC_PERROR(unl_cpu());
    syslog(LOG_NOTICE, "worker %d: back from the CPU exception", n);
    break;
  default:
    break;
  }
}

void worker_task(intptr_t exinf) {
  const int n = (int)exinf;
  SVC_PERROR(ena_tex());
  syslog(LOG_NOTICE, "worker %d starts", n);
  for (;;) {
    intptr_t cmd;
    const ER ercd = trcv_dtq(worker_dtq[n - 1], &cmd, WORKER_PERIOD);
    if (ercd == E_TMOUT) {
      ++progress[n - 1];
      syslog(LOG_INFO, "worker %d is running (%03u)", n, progress[n - 1]);
    } else if (ercd == E_OK) {
      run_own_command(n, cmd);
    } else {
      syslog(LOG_NOTICE, "worker %d: trcv_dtq: %s", n, itron_strerror(ercd));
    }
  }
}

void cyclic_handler(intptr_t exinf) {
  (void)exinf;
  syslog(LOG_NOTICE, "cyclic handler: rotating the workers' ready queue");
  SVC_PERROR(irot_rdq(MID_PRIORITY));
}

void alarm_handler(intptr_t exinf) {
  (void)exinf;
  syslog(LOG_NOTICE, "alarm handler: raising task exception 0x0001 on worker 1");
  SVC_PERROR(iras_tex(WORKER1, 0x0001U));
}

void cpuexc_handler(void *p_excinf) {
  ID tskid = TSK_NONE;
  const T_EXCINF *e = (const T_EXCINF *)p_excinf;
  syslog(LOG_NOTICE, "CPU exception handler: vector %u at eip 0x%x, xsns_dpn=%d xsns_xpn=%d",
         e->excno, e->eip, xsns_dpn(p_excinf), xsns_xpn(p_excinf));
  if (!sns_loc()) {
    SVC_PERROR(iget_tid(&tskid));
    syslog(LOG_NOTICE, "CPU exception handler: in task %d", tskid);
  }
  PREPARE_RETURN_CPUEXC;
}

static void help(void) {
  syslog(LOG_NOTICE, "commands: 1-3 select worker | a act_tsk  A can_act  t ter_tsk  e ext_tsk");
  syslog(LOG_NOTICE, "  > < = chg_pri high/low/mid  G get_pri  R ref_tsk  s slp_tsk  S tslp_tsk(10s)");
  syslog(LOG_NOTICE, "  w wup_tsk  W can_wup  l rel_wai  u sus_tsk  m rsm_tsk  d dly_tsk(10s)");
  syslog(LOG_NOTICE, "  x ras_tex  y dis_tex  Y ena_tex  r rot_rdq  c/C sta/stp_cyc  b/B sta/stp_alm");
  syslog(LOG_NOTICE, "  z CPU exception  Z ... with CPU locked  V get_utm  T get_tim");
  syslog(LOG_NOTICE, "  v verbose (progress lines on/off)  q ext_ker  h help");
}

static void send_own(int worker, intptr_t cmd) {
  ER ercd = psnd_dtq(worker_dtq[worker - 1], cmd);
  if (ercd != E_OK) syslog(LOG_NOTICE, "worker %d does not take commands now (%s)", worker, itron_strerror(ercd));
}

static void report(const char *call, ER_UINT ercd) {
  if (ercd >= 0) syslog(LOG_NOTICE, "%s: %d", call, (int)ercd);
  else syslog(LOG_NOTICE, "%s: %s", call, itron_strerror((ER)ercd));
}

static void show_task(ID tskid) {
  T_RTSK r;
  ER ercd = ref_tsk(tskid, &r);
  if (ercd != E_OK) { report("ref_tsk", ercd); return; }
  syslog(LOG_NOTICE, "task %d: tskstat 0x%x pri %d wait 0x%x wobjid %d actcnt %u wupcnt %u tex %s",
         tskid, r.tskstat, r.tskpri, r.tskwait, r.wobjid, r.actcnt, r.wupcnt,
         r.texstat == TTEX_ENA ? "enabled" : "disabled");
}

void control_task(intptr_t exinf) {
  int worker = 1;
  bool_t verbose = true;
  char c;
  PRI pri;
  SYSUTM utm1, utm2;
  SYSTIM tim;
  (void)exinf;

  SVC_PERROR(serial_opn_por(TASK_PORTID));
  SVC_PERROR(serial_ctl_por(TASK_PORTID, IOCTL_CRLF));
  syslog_msk_log(LOG_UPTO(LOG_INFO), LOG_UPTO(LOG_EMERG));
  syslog(LOG_NOTICE, "sample1 starts (Gandalf uITRON kernel). Type 'h' for commands.");
  for (;;) {
    if (serial_rea_dat(TASK_PORTID, &c, 1) != 1) continue;
    const ID tskid = WORKER1 + worker - 1;
    switch (c) {
    case '1': case '2': case '3':
      worker = c - '0';
      syslog(LOG_NOTICE, "worker %d selected", worker);
      break;
    case 'a': report("act_tsk", act_tsk(tskid)); break;
    case 'A': report("can_act", can_act(tskid)); break;
    case 't': report("ter_tsk", ter_tsk(tskid)); break;
    case 'e': send_own(worker, WCMD_EXIT); break;
    case '>': report("chg_pri(HIGH)", chg_pri(tskid, HIGH_PRIORITY)); break;
    case '=': report("chg_pri(MID)", chg_pri(tskid, MID_PRIORITY)); break;
    case '<': report("chg_pri(LOW)", chg_pri(tskid, LOW_PRIORITY)); break;
    case 'G':
      if (get_pri(tskid, &pri) == E_OK) syslog(LOG_NOTICE, "priority of worker %d: %d", worker, pri);
      else report("get_pri", get_pri(tskid, &pri));
      break;
    case 'R': show_task(tskid); break;
    case 's': send_own(worker, WCMD_SLEEP); break;
    case 'S': send_own(worker, WCMD_SLEEP_TMO); break;
    case 'd': send_own(worker, WCMD_DELAY); break;
    case 'y': send_own(worker, WCMD_DIS_TEX); break;
    case 'Y': send_own(worker, WCMD_ENA_TEX); break;
    case 'z': send_own(worker, WCMD_EXCEPTION); break;
    case 'Z': send_own(worker, WCMD_EXCEPTION_LOCKED); break;
    case 'w': report("wup_tsk", wup_tsk(tskid)); break;
    case 'W': report("can_wup", can_wup(tskid)); break;
    case 'l': report("rel_wai", rel_wai(tskid)); break;
    case 'u': report("sus_tsk", sus_tsk(tskid)); break;
    case 'm': report("rsm_tsk", rsm_tsk(tskid)); break;
    case 'x': report("ras_tex(0x8000)", ras_tex(tskid, 0x8000U)); break;
    case 'r': report("rot_rdq(MID)", rot_rdq(MID_PRIORITY)); break;
    case 'c': report("sta_cyc", sta_cyc(CYCHDR1)); break;
    case 'C': report("stp_cyc", stp_cyc(CYCHDR1)); break;
    case 'b': report("sta_alm(3000)", sta_alm(ALMHDR1, ALARM_TIME)); break;
    case 'B': report("stp_alm", stp_alm(ALMHDR1)); break;
    case 'V':
      get_utm(&utm1);
      get_utm(&utm2);
      syslog(LOG_NOTICE, "get_utm: %lu us, then %lu us", (ulong_t)utm1, (ulong_t)utm2);
      break;
    case 'T':
      get_tim(&tim);
      syslog(LOG_NOTICE, "get_tim: %lu ms", (ulong_t)tim);
      break;
    case 'v':
      verbose = !verbose;
      syslog_msk_log(verbose ? LOG_UPTO(LOG_INFO) : LOG_UPTO(LOG_NOTICE), LOG_UPTO(LOG_EMERG));
      syslog(LOG_NOTICE, "progress lines %s", verbose ? "on" : "off");
      break;
    case 'q':
      syslog(LOG_NOTICE, "ext_ker");
      ext_ker();
      break;
    case 'h': case '?': help(); break;
    case '\r': case '\n': case ' ': break;
    default:
      syslog(LOG_NOTICE, "unknown command '%c' (h for help)", c);
      break;
    }
  }
}
