/* test_exc.h: priorities and entry points of the CPU exception handler test. */
#ifndef TEST_EXC_H
#define TEST_EXC_H

#include "target_test.h"

#define HIGH_PRIORITY 9
#define MID_PRIORITY 10
#define LOW_PRIORITY 11

#ifndef TOPPERS_MACRO_ONLY
void task1(intptr_t exinf);
void task2(intptr_t exinf);
void tex_task1(TEXPTN texptn, intptr_t exinf);
void cpuexc_handler(void *p_excinf);
#endif

#endif /* TEST_EXC_H */
