/* test_task.h: priorities and entry points of the task-management test. */
#ifndef TEST_TASK_H
#define TEST_TASK_H

#include "target_test.h"

#define HIGH_PRIORITY 9
#define MID_PRIORITY 10
#define LOW_PRIORITY 11

#ifndef TOPPERS_MACRO_ONLY
void task1(intptr_t exinf);
void task2(intptr_t exinf);
void task3(intptr_t exinf);
#endif

#endif /* TEST_TASK_H */
