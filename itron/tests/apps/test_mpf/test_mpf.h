/* test_mpf.h: priorities and entry points of the fixed-size memory pool test. */
#ifndef TEST_MPF_H
#define TEST_MPF_H

#include "target_test.h"

#define HIGH_PRIORITY 9
#define MID_PRIORITY 10
#define LOW_PRIORITY 11

#define NUM_BLOCKS 3
#define BLOCK_SIZE 32 /* a multiple of sizeof(MPF_T): not rounded */

#ifndef TOPPERS_MACRO_ONLY
void task1(intptr_t exinf);
void task2(intptr_t exinf);
void alm1(intptr_t exinf);
#endif

#endif /* TEST_MPF_H */
