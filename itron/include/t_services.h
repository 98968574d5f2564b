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
/* JSP: the log masks and the performance-evaluation time. */
static inline ER vmsk_log(uint_t logmask, uint_t lowmask) { return syslog_msk_log(logmask, lowmask); }
static inline ER vxget_tim(SYSUTM *p_sysutm) { return get_utm(p_sysutm); }
/* JSP: the state of the context a CPU exception interrupted. */
bool_t vxsns_ctx(VP p_excinf);
bool_t vxsns_loc(VP p_excinf);
bool_t vxsns_dsp(VP p_excinf);
static inline bool_t vxsns_dpn(VP p_excinf) { return xsns_dpn(p_excinf); }
static inline bool_t vxsns_tex(VP p_excinf) { return xsns_xpn(p_excinf); }
#ifdef __cplusplus
}
#endif
#endif

#endif /* T_SERVICES_H */
