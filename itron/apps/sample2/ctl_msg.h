/* The messages of channel "ctl" between sample2 (rtos1) and the Linux program gandalf-ctl
 * (linux/userland/gandalf-ctl.c), one per channel record (docs/channel.md). */
#ifndef CTL_MSG_H
#define CTL_MSG_H

#include <stdint.h>

#define CTL_STATE 1u    /* sample2 -> Linux: the loop's state, every LOOP_PERIOD */
#define CTL_SETPOINT 2u /* Linux -> sample2: a new set point, tagged by seq */
#define CTL_ACK 3u      /* sample2 -> Linux: the set point is in force, same seq */

struct ctl_msg {
  uint32_t type;
  uint32_t seq;       /* CTL_STATE: the loop cycle; CTL_SETPOINT/ACK: Linux's tag */
  int32_t setpoint;
  int32_t output;
  uint32_t jitter_us; /* the loop's release jitter this cycle */
  uint32_t time_ms;   /* rtos1's clock */
};

#endif /* CTL_MSG_H */
