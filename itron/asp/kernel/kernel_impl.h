/* kernel/kernel_impl.h for TOPPERS/ASP applications that reach into it for target parameters
 * (ASP's test_dlynse, for SIL_DLY_TIM1/2). Only those: the kernel's internals are its own
 * (itron/kernel). On the ASP flavour's include path (itron/asp). */
#ifndef TOPPERS_KERNEL_IMPL_H
#define TOPPERS_KERNEL_IMPL_H

#include <kernel.h>
#include <sil.h>
#include <t_syslog.h>

/* sil_dly_nse's calibration: the shortest delay a call makes and the step it adds (ns).
 * It counts microseconds on the virtual 8254 and always waits one more than asked. */
#define SIL_DLY_TIM1 2000
#define SIL_DLY_TIM2 1000

#endif /* TOPPERS_KERNEL_IMPL_H */
