/* target_kernel.h: what kernel.h needs to know about the Gandalf/IA-32 target.
 *
 * Interrupt numbers (INTNO for CFG_INT/dis_int/ena_int, INHNO for DEF_INH) are the
 * virtual 8259's IRQ lines 0..15; line 16 is a pseudo number for "this instance's console
 * UART", whatever IRQ the Gandalf configuration gave the partition (its boot information
 * tells). CPU exception numbers (EXCNO for DEF_EXC) are IA-32 vectors 0..31. */
#ifndef TARGET_KERNEL_H
#define TARGET_KERNEL_H

#define TOPPERS_GANDALF_IA32 1

#define TMIN_INTPRI (-15)
#define TMAX_INTPRI (-1)
#define TNUM_INTNO 17U
#define INTNO_TIMER 0U  /* the virtual 8254's channel 0: the kernel's 1 ms tick */
#define INHNO_TIMER 0U
#define INTNO_SIO 16U   /* the instance's console UART */
#define INHNO_SIO 16U
#define INTPRI_TIMER (-15)

/* CPU exception vectors. */
#define EXCNO_DE 0U
#define EXCNO_DB 1U
#define EXCNO_BP 3U
#define EXCNO_UD 6U
#define EXCNO_NM 7U
#define EXCNO_GP 13U
#define EXCNO_PF 14U
#define TNUM_EXCNO 32U

/* Time: 1 ms per tick. */
#define TIC_NUME 1U
#define TIC_DENO 1U

/* Stack sizes used by the configurator for stacks it allocates. */
#define PORT_STACK_SIZE(sz) (sz)
#define DEFAULT_ISTKSZ 4096U

/* For the configurator's checks. */
#define PORT_VALID_INTNO(intno) ((unsigned)(intno) < TNUM_INTNO && (unsigned)(intno) != 2U)
#define PORT_VALID_INHNO(inhno) PORT_VALID_INTNO(inhno)
#define PORT_VALID_EXCNO(excno) ((unsigned)(excno) < 20U && (unsigned)(excno) != 2U && (unsigned)(excno) != 15U)

#ifndef TOPPERS_MACRO_ONLY
#include <stdint.h>
/* The CPU exception frame a DEF_EXC handler receives as p_excinf. The handler may change
 * eip (for example to skip the faulting instruction) and the registers; they are restored
 * when it returns. */
typedef struct t_excinf {
  uint32_t nest;    /* handler nesting level when it occurred (0 = task context) */
  uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax; /* pusha order */
  uint32_t excno;   /* vector */
  uint32_t errcode; /* 0 for vectors without an error code */
  uint32_t eip;
  uint32_t cs;
  uint32_t eflags;
} T_EXCINF;
#endif

#endif /* TARGET_KERNEL_H */
