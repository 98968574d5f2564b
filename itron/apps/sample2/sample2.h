/* sample2: the default application of RTOS instance 1 — a periodic control loop.
 *
 * A 10 ms cyclic handler releases the control task through an eventflag; the control
 * task measures its own release jitter with get_utm, computes a step of a simple
 * integer controller and passes a sample record (a block of a fixed-size memory pool)
 * through a mailbox to the reporter task, which prints a summary every second.
 * Console commands: 'p' pause/resume the loop, 's' statistics, 'h' help, and two fault
 * injections that Gandalf must contain: 'W' a wild write beyond the instance's slice,
 * 'P' a privileged instruction, 'C' a write into Linux's half of channel ctl.
 *
 * Where the Gandalf configuration gives it a channel "ctl" to Linux (config/linux.toml), the
 * loop publishes its state there every period and takes set points from Linux: the channel
 * task, woken by the doorbell, applies each and acknowledges it at once (ctl_msg.h). */
#include "target_test.h"

#define CONTROL_PRIORITY 4
#define REPORT_PRIORITY 8
#define CONSOLE_PRIORITY 12
#define CHANNEL_PRIORITY 6
#define CTL_INTNO 9U      /* channel ctl's doorbell line for rtos1 (config/linux.toml) */
#define CTL_BATCH 8U      /* records the channel task takes per millisecond at most */
#define LOOP_PERIOD 10    /* ms */
#define SAMPLES 8         /* pool blocks in flight */

#define FLG_TICK 0x01U

#ifndef TOPPERS_MACRO_ONLY
void loop_cyclic(intptr_t exinf);
void control_task(intptr_t exinf);
void report_task(intptr_t exinf);
void console_task(intptr_t exinf);
void channel_task(intptr_t exinf);
void ctl_doorbell(void);
#endif
