/* itron_bench: the μITRON kernel's benchmark (docs/results.md). */
#include "target_test.h"

#define BENCH_PRIORITY 5
#define SWITCH_PRIORITY 4   /* above the bench task: sig_sem switches to it */
#define SAMPLES 10000
#define PHASE_TICKS 2000   /* a phase typed on the console: 2 s of ticks */

#ifndef TOPPERS_MACRO_ONLY
void bench_task(intptr_t exinf);
void switch_task(intptr_t exinf);
void tick_probe(void);
#endif
