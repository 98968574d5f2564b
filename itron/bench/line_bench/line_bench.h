/* line_bench: an application interrupt line's handler entry and exit (docs/results.md). */
#include "target_test.h"

#define BENCH_PRIORITY 5
#define SAMPLES 10000

#ifndef TOPPERS_MACRO_ONLY
void bench_task(intptr_t exinf);
void line_handler(void);
#endif
