/* test_sync.h: priorities and entry points of the task-dependent synchronization test. */
#ifndef TEST_SYNC_H
#define TEST_SYNC_H

#include "target_test.h"

#define HIGH_PRIORITY 9
#define MID_PRIORITY 10
#define LOW_PRIORITY 11

#ifndef TOPPERS_MACRO_ONLY
void task1(intptr_t exinf);
void task2(intptr_t exinf);
void task3(intptr_t exinf);
void task4(intptr_t exinf);
#endif

#endif /* TEST_SYNC_H */
