/* sample1.h: the application's header for good/sample.cfg (macros for the .cfg, prototypes
 * for the generated tables). */
#include <kernel.h>

#define MAIN_PRIORITY 5
#define MID_PRIORITY 10
#define STACK_SIZE 1024
#define NUM_BLOCKS 4

#ifndef TOPPERS_MACRO_ONLY
enum { EVENT_COUNT = 3 }; /* not constant for the tool: checked by static_assert */
void main_task(intptr_t exinf);
void worker_task(intptr_t exinf);
void worker_tex(TEXPTN texptn, intptr_t exinf);
void tick_handler(intptr_t exinf);
void alarm_handler(intptr_t exinf);
void nic_handler(void);
void gp_handler(void *p_excinf);
void app_init(intptr_t exinf);
void app_exit(intptr_t exinf);
extern STK_T worker_stack[256];
#endif
