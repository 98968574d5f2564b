/* log_output.h: formatting of log records for output (TOPPERS names). Each character goes
 * through `putc` (target_fput_log for the console). Formats: %d %u %x %X %o %c %s %p, flags
 * '-' and '0', a width, 'l'. */
#ifndef LOG_OUTPUT_H
#define LOG_OUTPUT_H

#include "t_syslog.h"

#ifndef TOPPERS_MACRO_ONLY
#ifdef __cplusplus
extern "C" {
#endif
void syslog_printf(const char *format, const intptr_t *p_args, void (*putc)(char));
void syslog_print(const SYSLOG *p_syslog, void (*putc)(char));
void syslog_lostmsg(uint_t lost, void (*putc)(char));
#ifdef __cplusplus
}
#endif
#endif
#endif /* LOG_OUTPUT_H */
