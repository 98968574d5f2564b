/* t_syslog.h: log priorities, masks and the syslog_N macros (TOPPERS names). */
#ifndef T_SYSLOG_H
#define T_SYSLOG_H

#include "t_stddef.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LOG_EMERG 0U
#define LOG_ALERT 1U
#define LOG_CRIT 2U
#define LOG_ERROR 3U
#define LOG_WARNING 4U
#define LOG_NOTICE 5U
#define LOG_INFO 6U
#define LOG_DEBUG 7U

#define LOG_MASK(prio) (1U << (prio))
#define LOG_UPTO(prio) ((1U << ((prio) + 1U)) - 1U)

#ifndef TOPPERS_MACRO_ONLY
/* Writes one formatted line (printf subset: %d %u %x %X %o %c %s %p, flags '-' '0',
 * widths, 'l') on the instance's console if prio passes the log or the low-level mask. */
ER syslog(uint_t prio, const char *format, ...) __attribute__((format(printf, 2, 3)));
ER syslog_msk_log(uint_t logmask, uint_t lowmask);
/* Waits until every buffered console character has gone to the UART (TOPPERS/ASP). */
ER syslog_fls_log(void);
void t_perror(uint_t prio, const char *file, int_t line, const char *expr, ER ercd);
const char *itron_strerror(ER ercd);

#define syslog_0(prio, format) syslog(prio, format)
#define syslog_1(prio, format, a1) syslog(prio, format, a1)
#define syslog_2(prio, format, a1, a2) syslog(prio, format, a1, a2)
#define syslog_3(prio, format, a1, a2, a3) syslog(prio, format, a1, a2, a3)
#define syslog_4(prio, format, a1, a2, a3, a4) syslog(prio, format, a1, a2, a3, a4)
#define syslog_5(prio, format, a1, a2, a3, a4, a5) syslog(prio, format, a1, a2, a3, a4, a5)
#endif

#ifdef __cplusplus
}
#endif
#endif /* T_SYSLOG_H */
