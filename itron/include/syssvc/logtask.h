/* syssvc/logtask.h: the log task of the TOPPERS flavours (syssvc/logtask.cfg creates it).
 * It opens its serial port, sets the masks to LOG_UPTO(LOG_NOTICE) / LOG_UPTO(LOG_EMERG) and
 * writes the log buffer's records on the port every LOGTASK_INTERVAL ms; at ext_ker its
 * termination routine writes what is left. */
#ifndef SYSSVC_LOGTASK_H
#define SYSSVC_LOGTASK_H

#include "t_syslog.h"

#ifndef LOGTASK_PRIORITY
#define LOGTASK_PRIORITY 3
#endif
#ifndef LOGTASK_STACK_SIZE
#define LOGTASK_STACK_SIZE 1024
#endif
#ifndef LOGTASK_INTERVAL
#define LOGTASK_INTERVAL 10U /* ms */
#endif

#ifndef TOPPERS_MACRO_ONLY
#ifdef __cplusplus
extern "C" {
#endif
void logtask_main(intptr_t exinf);      /* exinf: the port */
void logtask(intptr_t exinf);           /* JSP's name for it */
void logtask_terminate(intptr_t exinf); /* ATT_TER */
#ifdef __cplusplus
}
#endif
#endif
#endif /* SYSSVC_LOGTASK_H */
