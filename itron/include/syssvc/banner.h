/* syssvc/banner.h: the start-up banner routine (syssvc/banner.cfg). */
#ifndef SYSSVC_BANNER_H
#define SYSSVC_BANNER_H
#include "kernel.h"
#ifndef TOPPERS_MACRO_ONLY
#ifdef __cplusplus
extern "C" {
#endif
void print_banner(intptr_t exinf);
#ifdef __cplusplus
}
#endif
#endif
#endif
