/* sample1: the default application of RTOS instance 0.
 *
 * Three worker tasks at the same priority, a controller task reading commands from the
 * console, a cyclic handler, an alarm handler, task exception handlers and a CPU
 * exception handler. Type 'h' on the instance's console for the command list. */
#include "target_test.h"

#define CONTROL_PRIORITY 5   /* above the workers: commands act at once */
#define HIGH_PRIORITY 9
#define MID_PRIORITY 10
#define LOW_PRIORITY 11
#define WORKER_PERIOD 1000   /* ms between a worker's progress lines */
#define CYCLIC_PERIOD 2000
#define ALARM_TIME 3000

#ifndef TOPPERS_MACRO_ONLY
void control_task(intptr_t exinf);
void worker_task(intptr_t exinf);
void worker_tex(TEXPTN texptn, intptr_t exinf);
void cyclic_handler(intptr_t exinf);
void alarm_handler(intptr_t exinf);
void cpuexc_handler(void *p_excinf);
void sample1_init(intptr_t exinf);
void sample1_exit(intptr_t exinf);
#endif
