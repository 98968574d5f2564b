/* test_isr.h: entry points of the interrupt service routine test. */
#ifndef TEST_ISR_H
#define TEST_ISR_H

#include "target_test.h"

#define MID_PRIORITY 10

#ifndef TOPPERS_MACRO_ONLY
void task1(intptr_t exinf);
void isr_a(intptr_t exinf);
void isr_b(intptr_t exinf);
void isr_c(intptr_t exinf);
#endif

#endif /* TEST_ISR_H */
