/* line_bench: what an application interrupt line's handler costs on the way in and out,
 * built in the μITRON flavour (every handler runs with interrupts off) and the ASP flavour
 * (a handler below the tick's priority runs interruptible, docs/itron-compat.md).
 *
 * The task makes the console UART raise its "transmitter empty" interrupt (INTNO1, the
 * test interrupt of target_test.h) and spins until the handler has run; SAMPLES times:
 *   line_entry: rdtsc before the port write that raises it -> the handler's first line
 *               (Gandalf takes the real IRQ, routes it through the virtual 8259, the
 *               kernel's entry, and in the ASP flavour its SET_IF(1))
 *   line_exit:  the handler's last line -> the task again (the kernel's exit)
 * Guest instructions under QEMU -icount shift=0, printed as bench_report.h says; a tick
 * landing inside a sample makes it an outlier, p50 is the figure. bench/run_itron.py
 * records both flavours in bench/results/itron.json. */
#include <kernel.h>
#include <t_syslog.h>
#include <sil.h>
#include "bare/pc_io.h"
#include "kernel_cfg.h"
#include "line_bench.h"
#include "bench_report.h"

static uint32_t entry[SAMPLES], leave[SAMPLES];
static volatile uint64_t t_entry, t_exit;
static volatile uint_t handled;

void line_handler(void) {
  t_entry = bare_rdtsc();
  intno1_clear();
  ++handled;
  t_exit = bare_rdtsc();
}

void bench_task(intptr_t exinf) {
  (void)exinf;
#if defined(ITRON_FLAVOR_ASP)
  syslog(LOG_NOTICE, "bench: start flavour=asp samples=%u", SAMPLES);
#else
  syslog(LOG_NOTICE, "bench: start flavour=itron samples=%u", SAMPLES);
#endif
  uint_t early = 0;
  /* The start line out of the UART first: the interrupt it raises is "transmitter empty". */
  (void)dly_tsk(100);
  for (uint_t i = 0; i < SAMPLES;) {
    /* Gandalf masks a line that interrupts more than 50 times a millisecond for a while
     * (its interrupt-storm guard, docs/architecture.md): one sample per 40 µs at most. */
    sil_dly_nse(40000);
    const uint_t before = handled;
    const uint64_t t_raise = bare_rdtsc();
    RAISE_INT1;
    while (handled == before) {
    }
    const uint64_t t_back = bare_rdtsc();
    /* The UART now and then requests a second interrupt that arrives before the next
     * raise: that sample measures nothing. */
    if (handled != before + 1 || t_entry < t_raise) {
      ++early;
      continue;
    }
    entry[i] = (uint32_t)(t_entry - t_raise);
    leave[i] = (uint32_t)(t_back - t_exit);
    ++i;
  }
  report("line_entry", entry, SAMPLES);
  report("line_exit", leave, SAMPLES);
  syslog(LOG_NOTICE, "bench: early interrupts %u (samples taken again)", early);
  syslog(LOG_NOTICE, "bench: done");
}
