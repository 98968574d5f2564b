/* test_prio.h: entry points of the test of handlers and interrupt priorities. */
#ifndef TEST_PRIO_H
#define TEST_PRIO_H

#include "target_test.h"

#define MAIN_PRIORITY 5
/* More than the handler's loop and the ticks it spans can signal. */
#define SEM_MAX 2000000

#ifndef TOPPERS_MACRO_ONLY
void main_task(intptr_t exinf);
void int1_handler(void);
void cyc_handler(intptr_t exinf);
void exc_handler(void *p_excinf);
#endif

#endif /* TEST_PRIO_H */
