/* t_stdlib.h: the small freestanding library of TOPPERS programs, and the error-check
 * helpers SVC_PERROR/SVC. */
#ifndef T_STDLIB_H
#define T_STDLIB_H

#include "t_stddef.h"
#include "t_syslog.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef TOPPERS_MACRO_ONLY
extern int_t t_atoi(const char *s);
extern uint_t t_strlen(const char *s);
extern int t_strcmp(const char *a, const char *b);
extern void t_memset(void *d, int c, size_t n);
extern void t_memcpy(void *d, const void *s, size_t n);
#endif

/* Reports a failed service call (file, line, call, error name) on LOG_ERROR. Not in the ASP
 * flavour: ASP's t_stdlib.h has no such helper, and its sample defines its own. */
#ifndef ITRON_FLAVOR_ASP
#define SVC_PERROR(expr) svc_perror(__FILE__, __LINE__, #expr, (expr))
#define SVC(expr) svc_perror(__FILE__, __LINE__, #expr, (expr))

#ifndef TOPPERS_MACRO_ONLY
static inline ER svc_perror(const char *file, int_t line, const char *expr, ER ercd) {
  if (ercd < 0) t_perror(LOG_ERROR, file, line, expr, ercd);
  return ercd;
}
#endif
#endif

#ifdef __cplusplus
}
#endif
#endif /* T_STDLIB_H */
