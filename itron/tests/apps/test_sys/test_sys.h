/* test_sys.h: priorities and entry points of the system-state test. */
#ifndef TEST_SYS_H
#define TEST_SYS_H

#include "target_test.h"

#define HIGH_PRIORITY 9
#define MID_PRIORITY 10
#define LOW_PRIORITY 11

#ifndef TOPPERS_MACRO_ONLY
void task1(intptr_t exinf);
void task2(intptr_t exinf);
void task3(intptr_t exinf);
void task4(intptr_t exinf);
void alm1(intptr_t exinf);
void init_routine(intptr_t exinf);
void ter_routine(intptr_t exinf);
#endif

#endif /* TEST_SYS_H */
