/* test_int.h: priorities and entry points of the interrupt handler test. */
#ifndef TEST_INT_H
#define TEST_INT_H

#include "target_test.h"

#define HIGH_PRIORITY 9
#define MID_PRIORITY 10
#define LOW_PRIORITY 11

#ifndef TOPPERS_MACRO_ONLY
void task1(intptr_t exinf);
void task2(intptr_t exinf);
void task3(intptr_t exinf);
void inthdr1(void);
#endif

#endif /* TEST_INT_H */
