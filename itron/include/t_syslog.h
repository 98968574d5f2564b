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

/* Log record types (SYSLOG.logtype); JSP numbers the comment type differently. */
#ifdef ITRON_FLAVOR_JSP
#define LOG_TYPE_COMMENT 0x09U
#else
#define LOG_TYPE_COMMENT 0x01U
#endif
#define LOG_TYPE_ASSERT 0x02U
#define LOG_TYPE_INH 0x11U
#define LOG_TYPE_ISR 0x12U
#define LOG_TYPE_CYC 0x13U
#define LOG_TYPE_ALM 0x14U
#define LOG_TYPE_OVR 0x15U
#define LOG_TYPE_EXC 0x16U
#define LOG_TYPE_TEX 0x17U
#define LOG_TYPE_TSKSTAT 0x18U
#define LOG_TYPE_DSP 0x19U
#define LOG_TYPE_SVC 0x1aU
#define LOG_ENTER 0x00U
#define LOG_LEAVE 0x80U

#define TMAX_LOGINFO 6

#ifndef TOPPERS_MACRO_ONLY
/* A log record: for LOG_TYPE_COMMENT, loginfo[0] is the format and the rest its arguments. */
typedef struct {
  uint_t logtype;
  SYSTIM logtim;
  intptr_t loginfo[TMAX_LOGINFO];
} SYSLOG;

/* What syslog_ref_log reports: records buffered, records lost, the two masks. */
typedef struct {
  uint_t count;
  uint_t lost;
  uint_t logmask;
  uint_t lowmask;
} T_SYSLOG_RLOG;

/* Writes one formatted line (printf subset: %d %u %x %X %o %c %s %p, flags '-' '0',
 * widths, 'l') on the instance's console if prio passes the log or the low-level mask. */
ER syslog(uint_t prio, const char *format, ...) __attribute__((format(printf, 2, 3)));
ER syslog_msk_log(uint_t logmask, uint_t lowmask);
/* The TOPPERS flavours' log buffer (docs/itron-compat.md, "The system log"): a record whose
 * priority passes the log mask is kept for a reader (the log task), one that passes the
 * low-level mask goes to the console at once. syslog_rea_log takes the oldest record and
 * returns how many were lost before it (E_OBJ when there is none). */
ER syslog_wri_log(uint_t prio, const SYSLOG *p_syslog);
ER_UINT syslog_rea_log(SYSLOG *p_syslog);
ER syslog_ref_log(T_SYSLOG_RLOG *pk_rlog);
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
