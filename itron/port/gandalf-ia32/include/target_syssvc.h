/* target_syssvc.h: what the system services need to know about the Gandalf/IA-32 target. */
#ifndef TARGET_SYSSVC_H
#define TARGET_SYSSVC_H

#define TARGET_NAME "Gandalf/IA-32 (ring 1)"
#define TNUM_PORT 1       /* one serial port: the instance's console */
#define SIO_PORTID 1
#define LOGTASK_PORTID 1  /* the log task writes to the console */

#ifndef TOPPERS_MACRO_ONLY
#ifdef __cplusplus
extern "C" {
#endif
/* One character of low-level log output on the console (a newline becomes CR LF). */
void target_fput_log(char c);
#ifdef __cplusplus
}
#endif
#endif

#endif /* TARGET_SYSSVC_H */
