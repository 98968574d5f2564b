/* sample2: a periodic control loop with measured release jitter (see sample2.h). */
#include <kernel.h>
#include <t_syslog.h>
#include <t_stdlib.h>
#include <syssvc/serial.h>
#include <syssvc/channel.h>
#include "gandalf/abi.h"
#include "kernel_cfg.h"
#include "sample2.h"
#include "ctl_msg.h"

const struct gandalf_boot_info *itron_boot_info(void);

typedef struct {
  T_MSG header;
  uint_t cycle;
  int_t output;
  uint_t jitter_us;  /* release time minus ideal release time */
} SAMPLE;

static volatile bool_t paused;

/* Channel ctl to Linux (when the configuration has it): the control task and the channel
 * task both send, so each send runs with dispatching disabled. */
static T_GCH ctl;
static volatile bool_t ctl_open;
static volatile int_t setpoint = 1000;
static uint_t ctl_dropped, ctl_bad;

static void ctl_send(const struct ctl_msg *m) {
  SVC_PERROR(dis_dsp());
  const ER er = gch_snd(&ctl, m, sizeof *m);
  SVC_PERROR(ena_dsp());
  if (er != E_OK) ++ctl_dropped;  /* a full ring (Linux not reading): the state is dropped */
}

void ctl_doorbell(void) { (void)isig_sem(CTL_SEM); }

/* Woken by Linux's doorbell (at most once per interval_us, Gandalf's rate limit). Takes at most
 * CTL_BATCH records per millisecond, so that a flooding Linux costs this instance bounded
 * time: with more waiting, it sleeps a tick and goes on without waiting for another ring. */
void channel_task(intptr_t exinf) {
  (void)exinf;
  const ER er = gch_opn("ctl", CTL_INTNO, &ctl);
  if (er != E_OK) {
    if (er != E_NOEXS) syslog(LOG_NOTICE, "channel ctl: cannot open (%s)", itron_strerror(er));
    SVC_PERROR(slp_tsk());  /* no channel in this system: nothing to do */
    return;
  }
  ctl_open = true;
  syslog(LOG_NOTICE, "channel ctl: open, %u-byte region, records of %u bytes", ctl.size, ctl.payload + 4U);
  bool_t more = false;
  for (;;) {
    if (more) SVC_PERROR(dly_tsk(1));
    else if (wai_sem(CTL_SEM) != E_OK) continue;
    more = true;
    for (uint_t n = 0; n < CTL_BATCH && more; ++n) {
      struct ctl_msg m;
      const ER_UINT len = gch_rcv(&ctl, &m, sizeof m);
      if (len == E_TMOUT) {
        more = false;
      } else if (len != (ER_UINT)sizeof m || m.type != CTL_SETPOINT) {
        ++ctl_bad;  /* counted, not logged */
        if (len == E_PAR) SVC_PERROR(gch_skp(&ctl));  /* longer than a ctl_msg: it would stay */
      }
      else {  /* a set point */
        setpoint = m.setpoint;
        SYSTIM now;
        SVC_PERROR(get_tim(&now));
        const struct ctl_msg ack = {CTL_ACK, m.seq, m.setpoint, 0, 0, (uint32_t)now};
        ctl_send(&ack);
      }
    }
  }
}

void loop_cyclic(intptr_t exinf) {
  (void)exinf;
  (void)iset_flg(LOOP_FLG, FLG_TICK);
}

void control_task(intptr_t exinf) {
  FLGPTN ptn;
  SYSUTM first = 0, now;
  uint_t cycle = 0;
  int_t state = 0, integral = 0;
  (void)exinf;
  for (;;) {
    if (wai_flg(LOOP_FLG, FLG_TICK, TWF_ORW, &ptn) != E_OK) continue;
    get_utm(&now);
    if (cycle == 0) first = now;
    /* A PI controller driving a first-order plant towards the set point. */
    const int_t error = setpoint - state;
    integral += error / 8;
    const int_t output = error / 2 + integral / 16;
    state += (output - state) / 4;
    SAMPLE *s;
    if (pget_mpf(SAMPLE_MPF, (void **)&s) == E_OK) {
      const SYSUTM ideal = first + (SYSUTM)cycle * LOOP_PERIOD * 1000U;
      s->cycle = cycle;
      s->output = state;
      s->jitter_us = now > ideal ? (uint_t)(now - ideal) : 0U;
      if (ctl_open) {
        const struct ctl_msg m = {CTL_STATE, cycle, setpoint, state, s->jitter_us, (uint32_t)(now / 1000U)};
        ctl_send(&m);
      }
      SVC_PERROR(snd_mbx(SAMPLE_MBX, &s->header));
    }
    ++cycle;
  }
}

void report_task(intptr_t exinf) {
  uint_t count = 0, worst = 0;
  uint64_t sum = 0;
  (void)exinf;
  for (;;) {
    SAMPLE *s;
    if (rcv_mbx(SAMPLE_MBX, (T_MSG **)&s) != E_OK) continue;
    ++count;
    sum += s->jitter_us;
    if (s->jitter_us > worst) worst = s->jitter_us;
    if (count == 1000 / LOOP_PERIOD) {
      syslog(LOG_NOTICE, "loop: cycle %u output %d, release jitter avg %u us worst %u us",
             s->cycle, s->output, (uint_t)(sum / count), worst);
      count = 0;
      worst = 0;
      sum = 0;
    }
    SVC_PERROR(rel_mpf(SAMPLE_MPF, s));
  }
}

/* Deliberate faults: Gandalf must stop them at the partition's boundary. */
static void wild_write(void) {
  T_RMPF r;
  volatile uint32_t *p = (volatile uint32_t *)0x00400000U;  /* beyond a 2 MiB slice */
  syslog(LOG_NOTICE, "fault: writing at offset 0x%x, beyond this instance's slice", (uint_t)(uintptr_t)p);
  SVC_PERROR(ref_mpf(SAMPLE_MPF, &r));
  SVC_PERROR(syslog_fls_log());  /* the line above must be out before the fault */
  *p = 0xdeadbeefU;
  syslog(LOG_NOTICE, "fault: the write went through: the segment limit is NOT enforced");
}

/* A write into the half of channel ctl that Linux writes: Gandalf maps it read-only here. */
static void channel_write(void) {
  if (!ctl_open) {
    syslog(LOG_NOTICE, "fault: no channel ctl in this system");
    return;
  }
  volatile uint32_t *linux_half = (volatile uint32_t *)((uintptr_t)ctl.end.peer);
  syslog(LOG_NOTICE, "fault: writing into Linux's half of channel ctl at offset 0x%x", (uint_t)(uintptr_t)linux_half);
  SVC_PERROR(syslog_fls_log());
  *linux_half = 0xdeadbeefU;
  syslog(LOG_NOTICE, "fault: the write went through: Linux's half is NOT read-only");
}

/* The channel API's refusals, each with the error code channel.h gives: a name no channel
 * has, another doorbell line, no name, a message longer than a record. None of them touches
 * the open channel. */
static void channel_api_refusals(void) {
  static uint8_t big[512];
  T_GCH other;
  if (!ctl_open || ctl.payload + 1U > sizeof big) {
    syslog(LOG_NOTICE, "channel api: channel ctl is not open");
    return;
  }
  const ER noexs = gch_opn("nosuch", CTL_INTNO, &other);
  const ER line = gch_opn("ctl", CTL_INTNO + 1, &other);
  const ER noname = gch_opn(NULL, CTL_INTNO, &other);
  SVC_PERROR(dis_dsp());
  const ER longer = gch_snd(&ctl, big, ctl.payload + 1U);
  SVC_PERROR(ena_dsp());
  const bool_t ok = noexs == E_NOEXS && line == E_PAR && noname == E_PAR && longer == E_PAR;
  syslog(LOG_NOTICE, "channel api: unknown name %s, other line %s, no name %s, %u-byte message %s: %s",
         itron_strerror(noexs), itron_strerror(line), itron_strerror(noname), ctl.payload + 1U,
         itron_strerror(longer), ok ? "refusals ok" : "FAIL");
}

static void privileged(void) {
  syslog(LOG_NOTICE, "fault: executing cli (a privileged instruction at ring 1)");
  SVC_PERROR(syslog_fls_log());
  __asm__ volatile("cli");
  syslog(LOG_NOTICE, "fault: cli went through: NOT contained");
}

/* The partition's arguments may ask for a fault at start ("fault=wild_write" or
 * "fault=privileged"): tests on platforms without console input (Bochs) use this. Only on
 * the first start, so that the restarted instance runs normally. */
static void injected_fault(void) {
  const struct gandalf_boot_info *b = itron_boot_info();
  if (b->restarts != 0) return;
  for (const char *w = b->args; *w; ++w) {
    if (w != b->args && w[-1] != ' ') continue;
    const char *key = "fault=";
    const char *p = w;
    while (*key && *p == *key) { ++key; ++p; }
    if (*key) continue;
    SVC_PERROR(dly_tsk(300));
    if (p[0] == 'w') wild_write();
    if (p[0] == 'p') privileged();
  }
}

void console_task(intptr_t exinf) {
  char c;
  (void)exinf;
  SVC_PERROR(serial_opn_por(TASK_PORTID));
  SVC_PERROR(serial_ctl_por(TASK_PORTID, IOCTL_CRLF));
  syslog(LOG_NOTICE, "sample2 starts: %d ms control loop. Type 'h' for commands.", LOOP_PERIOD);
  injected_fault();
  for (;;) {
    if (serial_rea_dat(TASK_PORTID, &c, 1) != 1) continue;
    switch (c) {
    case 'p':
      paused = !paused;
      SVC_PERROR(paused ? stp_cyc(LOOP_CYC) : sta_cyc(LOOP_CYC));
      syslog(LOG_NOTICE, "control loop %s", paused ? "paused" : "running");
      break;
    case 's': {
      T_RMPF rmpf;
      T_RCYC rcyc;
      SYSTIM tim;
      SVC_PERROR(ref_mpf(SAMPLE_MPF, &rmpf));
      SVC_PERROR(ref_cyc(LOOP_CYC, &rcyc));
      SVC_PERROR(get_tim(&tim));
      syslog(LOG_NOTICE, "time %lu ms, loop %s, %u free sample blocks", (ulong_t)tim,
             rcyc.cycstat == TCYC_STA ? "running" : "stopped", rmpf.fblkcnt);
      if (ctl_open)
        syslog(LOG_NOTICE, "channel ctl: set point %d, %u states dropped (ring full), %u bad records",
               setpoint, ctl_dropped, ctl_bad);
      break;
    }
    case 'W': wild_write(); break;
    case 'P': privileged(); break;
    case 'C': channel_write(); break;
    case 'A': channel_api_refusals(); break;
    case 'h': case '?':
      syslog(LOG_NOTICE, "commands: p pause/resume, s statistics, W wild write, P privileged instruction, "
             "C write into Linux's half of channel ctl, A the channel API's refusals");
      break;
    case '\r': case '\n': case ' ': break;
    default: syslog(LOG_NOTICE, "unknown command '%c' (h for help)", c); break;
    }
  }
}
