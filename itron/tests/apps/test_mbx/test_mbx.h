/* test_mbx.h: priorities and entry points of the mailbox test. */
#ifndef TEST_MBX_H
#define TEST_MBX_H

#include "target_test.h"

#define HIGH_PRIORITY 9
#define MID_PRIORITY 10
#define LOW_PRIORITY 11

#define MAX_MSG_PRI 3 /* MBX1's highest message priority number */

#ifndef TOPPERS_MACRO_ONLY
void task1(intptr_t exinf);
void task2(intptr_t exinf);
void alm1(intptr_t exinf);
#endif

#endif /* TEST_MBX_H */
