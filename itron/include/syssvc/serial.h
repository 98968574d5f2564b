/* syssvc/serial.h: the TOPPERS serial interface driver API, on the instance's own UART.
 * Port 1 is the console. Reading blocks the calling task until data arrives (receive
 * interrupts when the partition owns its UART's IRQ, polling every tick otherwise). */
#ifndef SYSSVC_SERIAL_H
#define SYSSVC_SERIAL_H

#include "kernel.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TNUM_PORT 1
#define IOCTL_NULL 0U
#define IOCTL_ECHO 0x0001U  /* echo received characters */
#define IOCTL_CRLF 0x0010U  /* write LF as CR LF */
#define IOCTL_FCSND 0x0100U /* (accepted, no flow control on a virtual line) */
#define IOCTL_FCANY 0x0200U
#define IOCTL_FCRCV 0x0400U

#ifndef TOPPERS_MACRO_ONLY
typedef struct {
  uint_t reacnt; /* characters buffered for reading */
  uint_t wricnt; /* characters waiting to be written (always 0: output is synchronous) */
} T_SERIAL_RPOR;

ER serial_opn_por(ID portid);
ER serial_cls_por(ID portid);
ER_UINT serial_rea_dat(ID portid, char *buf, uint_t len);
ER_UINT serial_wri_dat(ID portid, const char *buf, uint_t len);
ER serial_ctl_por(ID portid, uint_t ioctl);
ER serial_ref_por(ID portid, T_SERIAL_RPOR *pk_rpor);
#endif

#ifdef __cplusplus
}
#endif
#endif /* SYSSVC_SERIAL_H */
