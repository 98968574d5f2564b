/* t_services.h: TOPPERS/JSP's umbrella header for applications (kernel, syslog, serial,
 * small library) and JSP's names for calls that ASP renamed. */
#ifndef T_SERVICES_H
#define T_SERVICES_H

#include "kernel.h"
#include "t_syslog.h"
#include "t_stdlib.h"
#include "syssvc/serial.h"

#ifndef TOPPERS_MACRO_ONLY
#ifdef __cplusplus
extern "C" {
#endif
/* JSP: the log masks and the performance-evaluation time (µs). */
typedef SYSUTM SYSUTIM;
static inline ER vmsk_log(uint_t logmask, uint_t lowmask) { return syslog_msk_log(logmask, lowmask); }
ER vxget_tim(SYSUTIM *p_sysutim);
/* JSP: the state of the context a CPU exception interrupted, and of the kernel. */
bool_t vxsns_ctx(VP p_excinf);
bool_t vxsns_loc(VP p_excinf);
bool_t vxsns_dsp(VP p_excinf);
bool_t vxsns_dpn(VP p_excinf);
bool_t vxsns_tex(VP p_excinf);
bool_t vsns_ini(void);
/* JSP: ends the kernel (its termination routines run, the console is flushed, the instance
 * halts for good). kernel_abort: the same after a fatal error. */
void kernel_exit(void);
void kernel_abort(void);

/* JSP's call checks: syscall(s) logs a negative result at LOG_ERROR and returns it;
 * _syscall(s) logs it at LOG_EMERG and aborts the kernel. */
static inline ER itron_syscall_check(ER ercd, const char *file, int_t line, const char *expr) {
  if (ercd < 0) t_perror(LOG_ERROR, file, line, expr, ercd);
  return ercd;
}
static inline ER itron_syscall_fatal(ER ercd, const char *file, int_t line, const char *expr) {
  if (ercd < 0) {
    t_perror(LOG_EMERG, file, line, expr, ercd);
    kernel_abort();
  }
  return ercd;
}
#define syscall(s) itron_syscall_check((s), __FILE__, __LINE__, #s)
#define _syscall(s) itron_syscall_fatal((s), __FILE__, __LINE__, #s)
#ifdef __cplusplus
}
#endif
#endif

#endif /* T_SERVICES_H */
