/* Objects of the host unit tests: a main task that runs the test's scenario, and helper
 * tasks whose bodies each test sets. */
#include "target_test.h"

#define MAIN_PRIORITY 8
#define HIGH_PRIORITY 5
#define MID_PRIORITY 10
#define LOW_PRIORITY 12

#ifndef TOPPERS_MACRO_ONLY
#ifdef __cplusplus
extern "C" {
#endif
void main_task(intptr_t exinf);
void helper_task(intptr_t exinf);
void helper_tex(TEXPTN texptn, intptr_t exinf);
void cyc_handler(intptr_t exinf);
void alm_handler(intptr_t exinf);
void int_handler(void);
void exc_handler(void *p_excinf);
void init_routine(intptr_t exinf);
#ifdef __cplusplus
}
#endif
#endif
