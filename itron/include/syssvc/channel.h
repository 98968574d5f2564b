/* Gandalf channels from a μITRON task: messages of fixed-size records to and from Linux
 * (docs/channel.md). The region, its halves and the doorbell lines come from the Gandalf
 * configuration ([[channel]]); the application attaches the doorbell's interrupt handler
 * itself (DEF_INH/CFG_INT on the line its configuration gives, gch_opn checks it) and
 * wakes a task from it. Every call is a polling call: the RTOS never waits for Linux. Calls
 * on one T_GCH must not run concurrently: tasks that share one serialise their sends (and
 * their receives), for example with dis_dsp/ena_dsp.
 *
 *   T_GCH ch;
 *   gch_opn("ctl", INTNO_CTL, &ch);      E_OK, E_NOEXS (no such channel), E_PAR (other line)
 *   gch_snd(&ch, &msg, sizeof msg);      E_OK, E_PAR (longer than a record), E_TMOUT (full);
 *                                        rings Linux when a reader there waits for records
 *   gch_rcv(&ch, buf, sizeof buf);       length, E_TMOUT (empty), E_PAR (buf too small),
 *                                        E_OBJ (a malformed record from Linux, skipped)
 *   gch_skp(&ch);                        drop the oldest record unread (E_OK, E_TMOUT empty)
 *   gch_rng(&ch);                        ring Linux's doorbell (rate limited by Gandalf)
 */
#ifndef SYSSVC_CHANNEL_H
#define SYSSVC_CHANNEL_H

#include <kernel.h>
#include "gandalf/channel.h"

typedef struct t_gch {
  struct gandalf_channel_end end;
  uint_t number;    /* this instance's channel number (the doorbell port's value) */
  INTNO intno;      /* the doorbell's interrupt number */
  uint_t size;      /* bytes of the region */
  uint_t payload;   /* bytes of message a record holds */
  uint_t bad;       /* malformed records from the peer, skipped */
} T_GCH;

#ifdef __cplusplus
extern "C" {
#endif
ER gch_opn(const char *name, INTNO intno, T_GCH *p_gch);
ER gch_snd(T_GCH *p_gch, const void *data, uint_t len);
ER_UINT gch_rcv(T_GCH *p_gch, void *buf, uint_t size);
ER gch_skp(T_GCH *p_gch);
ER gch_rng(T_GCH *p_gch);
#ifdef __cplusplus
}
#endif

#endif /* SYSSVC_CHANNEL_H */
