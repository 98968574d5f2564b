/* itron_bench: service-call costs, task switch by sig_sem/wai_sem, and the latency from
 * the real timer interrupt (as Gandalf took it) to this kernel's interrupt handler.
 *
 * Every figure is SAMPLES rdtsc differences: guest instructions under QEMU -icount
 * shift=0, host cycles under plain QEMU TCG. Each line:
 *   bench: NAME n=.. min=.. p50=.. p90=.. p99=.. p999=.. max=..
 *   hist: NAME lo:count lo:count ...   (the non-empty ones of 20 equal buckets from min
 *                                        to max, over as many lines as needed)
 * bench/run_itron.py turns them into bench/results/itron.json.
 *
 * Then, for each 'L' typed on its console, the timer phase again over PHASE_TICKS ticks, with
 * the interval between consecutive ticks as well ("bench: phase done" closes it):
 * bench/run_linux.py measures rtos0's timing with Linux idle and under load that way. */
#include <kernel.h>
#include <t_syslog.h>
#include <t_stdlib.h>
#include "bare/pc_io.h"
#include "bare/sort.h"
#include "gandalf/abi.h"
#include <syssvc/serial.h>
#include "kernel_cfg.h"
#include "itron_bench.h"

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

static void report(const char *name, uint32_t *v, uint_t n) {
  bare_sort_u32(v, n);
  syslog(LOG_NOTICE, "bench: %s n=%u min=%u p50=%u p90=%u p99=%u p999=%u max=%u", name, n, v[0], v[n / 2],
         v[n * 9 / 10], v[n * 99 / 100], v[n * 999 / 1000], v[n - 1]);
  /* 20 equal buckets from min to max; the non-empty ones, a few per line (syslog lines
   * are at most 158 characters). */
  const uint32_t lo = v[0], width = (v[n - 1] - v[0]) / 20 + 1;
  uint_t i = 0;
  uint32_t bucket_lo[20], bucket_n[20];
  uint_t used = 0;
  for (uint_t b = 0; b < 20 && i < n; ++b) {
    const uint32_t hi = lo + (b + 1) * width;
    uint_t count = 0;
    while (i < n && v[i] < hi) { ++count; ++i; }
    if (count == 0) continue;
    bucket_lo[used] = lo + b * width;
    bucket_n[used++] = count;
  }
  for (uint_t b = 0; b < used; b += 4) {
    if (used - b >= 4) {
      syslog(LOG_NOTICE, "hist: %s %u:%u %u:%u %u:%u %u:%u", name, bucket_lo[b], bucket_n[b], bucket_lo[b + 1],
             bucket_n[b + 1], bucket_lo[b + 2], bucket_n[b + 2], bucket_lo[b + 3], bucket_n[b + 3]);
    } else {
      for (uint_t c = b; c < used; ++c) syslog(LOG_NOTICE, "hist: %s %u:%u", name, bucket_lo[c], bucket_n[c]);
    }
  }
}

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
