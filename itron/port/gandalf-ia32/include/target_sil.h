/* target_sil.h: the System Interface Layer's target part for Gandalf/IA-32 (sil.h). */
#ifndef TARGET_SIL_H
#define TARGET_SIL_H

#define SIL_ENDIAN_LITTLE 1

#ifndef TOPPERS_MACRO_ONLY
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif
/* The port's all-interrupt lock (port.cpp): returns what the matching unlock restores. */
uint32_t itron_sil_lock(void);
void itron_sil_unlock(uint32_t outer);
void itron_dly_nse(unsigned long dlytim);
#ifdef __cplusplus
}
#endif

/* Every interrupt held off, below the kernel's CPU lock; they nest, each pair with its own
 * SIL_PRE_LOC in scope. */
#define SIL_PRE_LOC uint32_t TOPPERS_sil_outer
#define SIL_LOC_INT() ((void)(TOPPERS_sil_outer = itron_sil_lock()))
#define SIL_UNL_INT() itron_sil_unlock(TOPPERS_sil_outer)
#endif

#endif /* TARGET_SIL_H */
