/* syssvc/syslog.h: the system log service (TOPPERS names). */
#ifndef SYSSVC_SYSLOG_H
#define SYSSVC_SYSLOG_H
#include "t_syslog.h"

#define TCNT_SYSLOG_BUFFER 32 /* records the log buffer keeps (the oldest go first) */

#ifndef TOPPERS_MACRO_ONLY
#ifdef __cplusplus
extern "C" {
#endif
/* syslog.cfg's initialization routine in TOPPERS; here the log needs none (a no-op). */
void syslog_initialize(intptr_t exinf);
#ifdef __cplusplus
}
#endif
#endif
#endif
