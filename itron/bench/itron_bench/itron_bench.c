/* itron_bench: service-call costs, task switch by sig_sem/wai_sem, and the latency from
 * the real timer interrupt (as Gandalf took it) to this kernel's interrupt handler.
 *
 * Every figure is SAMPLES rdtsc differences: guest instructions under QEMU -icount
 * shift=0, host cycles under plain QEMU TCG, printed as bench_report.h says;
 * bench/run_itron.py turns them into bench/results/itron.json.
 *
 * Then, for each 'L' typed on its console, the timer phase again over PHASE_TICKS ticks, with
 * the interval between consecutive ticks as well ("bench: phase done" closes it):
 * bench/run_linux.py measures rtos0's timing with Linux idle and under load that way. */
#include <kernel.h>
#include <t_syslog.h>
#include <t_stdlib.h>
#include "bare/pc_io.h"
#include "gandalf/abi.h"
#include <syssvc/serial.h>
#include "kernel_cfg.h"
#include "itron_bench.h"
#include "bench_report.h"

const struct gandalf_boot_info *itron_boot_info(void);

static uint32_t samples[SAMPLES];
static uint32_t switch_one_way[SAMPLES];
static volatile uint64_t switch_t0;
static volatile uint_t switch_n;
static volatile uint_t probe_n;
static volatile bool_t probe_armed;
static volatile uint_t probe_target;
static uint32_t intervals[SAMPLES];
static uint64_t last_tick;

#define MEASURE(name, stmt)                                   \
  do {                                                        \
    for (uint_t i_ = 0; i_ < SAMPLES; ++i_) {                 \
      const uint64_t t0_ = bare_rdtsc();                      \
      stmt;                                                   \
      samples[i_] = (uint32_t)(bare_rdtsc() - t0_);           \
    }                                                         \
    report(name, samples, SAMPLES);                           \
  } while (0)

void switch_task(intptr_t exinf) {
  (void)exinf;
  for (;;) {
    (void)wai_sem(SEM_SWITCH);
    const uint64_t t1 = bare_rdtsc();
    if (switch_n < SAMPLES) switch_one_way[switch_n] = (uint32_t)(t1 - switch_t0);
  }
}

/* DEF_INH on the timer line: runs first on every tick, before the kernel's time keeping. */
void tick_probe(void) {
  const uint64_t t = bare_rdtsc();
  if (!probe_armed) return;
  if (probe_n < SAMPLES) {
    samples[probe_n] = (uint32_t)(t - itron_boot_info()->irq_raise_tsc);
    intervals[probe_n] = probe_n == 0 ? 0 : (uint32_t)(t - last_tick);
  }
  last_tick = t;
  if (++probe_n == probe_target) {
    probe_armed = false;
    (void)iwup_tsk(BENCH_TASK);
  }
}

/* Samples `n` ticks (interrupt latency, intervals) and returns when they are in. */
static void probe_ticks(uint_t n) {
  probe_n = 0;
  probe_target = n;
  probe_armed = true;
  (void)slp_tsk();
}

void bench_task(intptr_t exinf) {
  SYSTIM tim;
  intptr_t data;
  (void)exinf;
  syslog(LOG_NOTICE, "bench: start samples=%u", SAMPLES);
  MEASURE("rdtsc_pair", (void)0);
  MEASURE("null_hypercall", (void)gandalf_set_if(2));
  MEASURE("sns_ctx", (void)sns_ctx());
  MEASURE("sig_sem", (void)sig_sem(SEM_COUNT));
  MEASURE("pol_sem", (void)pol_sem(SEM_COUNT));
  MEASURE("set_flg", (void)set_flg(FLG_BENCH, 1));
  MEASURE("prcv_dtq_empty", (void)prcv_dtq(DTQ_BENCH, &data));
  MEASURE("get_tim", (void)get_tim(&tim));
  MEASURE("loc_unl_cpu", ((void)loc_cpu(), (void)unl_cpu()));

  /* Task switch: sig_sem wakes the higher-priority task (one way), which waits again and
   * gives the CPU back (round trip). */
  (void)act_tsk(SWITCH_TASK);
  for (switch_n = 0; switch_n < SAMPLES; ++switch_n) {
    switch_t0 = bare_rdtsc();
    (void)sig_sem(SEM_SWITCH);
    samples[switch_n] = (uint32_t)(bare_rdtsc() - switch_t0);
  }
  report("switch_round_trip", samples, SAMPLES);
  report("switch_one_way", switch_one_way, SAMPLES);

  /* Interrupt latency: real timer IRQ (Gandalf's TSC) -> this kernel's DEF_INH handler. */
  probe_ticks(SAMPLES);
  report("irq_latency", samples, SAMPLES);
  syslog(LOG_NOTICE, "bench: done");

  SVC_PERROR(serial_opn_por(TASK_PORTID));
  for (;;) {
    char c;
    if (serial_rea_dat(TASK_PORTID, &c, 1) != 1 || c != 'L') continue;
    probe_ticks(PHASE_TICKS);
    report("phase_irq_latency", samples, PHASE_TICKS);
    report("phase_tick_interval", intervals + 1, PHASE_TICKS - 1);
    syslog(LOG_NOTICE, "bench: phase done");
  }
}
