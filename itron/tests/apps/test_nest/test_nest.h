/* test_nest: an interrupt pending at another interrupt's exit (see test_nest.c). */
#include "target_test.h"

#define MAIN_PRIORITY 5

#ifndef TOPPERS_MACRO_ONLY
void main_task(intptr_t exinf);
void tick_handler(void);
void int1_handler(void);
void exc_handler(void *p_excinf);
#endif
