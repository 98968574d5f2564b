/* syssvc/syslog.h: the system log service (TOPPERS name). */
#ifndef SYSSVC_SYSLOG_H
#define SYSSVC_SYSLOG_H
#include "t_syslog.h"
#endif
