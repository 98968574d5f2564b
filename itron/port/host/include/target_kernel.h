/* target_kernel.h for the host target: the kernel's logic runs as a normal process under
 * GoogleTest. Tasks are ucontext coroutines, interrupts and CPU exceptions are raised by
 * the test (host_raise_int, host_raise_exception), and time advances one tick whenever
 * every task waits (virtual time: tests are exact and fast). */
#ifndef TARGET_KERNEL_H
#define TARGET_KERNEL_H

#define TOPPERS_HOST 1

#define TMIN_INTPRI (-15)
#define TMAX_INTPRI (-1)
#define TNUM_INTNO 17U
#define INTNO_TIMER 0U
#define INHNO_TIMER 0U
#define INTNO_SIO 16U
#define INHNO_SIO 16U
#define INTPRI_TIMER (-15)
#define TNUM_EXCNO 32U
#define TIC_NUME 1U
#define TIC_DENO 1U

#define PORT_STACK_SIZE(sz) ((sz) < 131072U ? 131072U : (sz))
#define PORT_VALID_INTNO(intno) ((unsigned)(intno) < TNUM_INTNO)
#define PORT_VALID_INHNO(inhno) PORT_VALID_INTNO(inhno)
#define PORT_VALID_EXCNO(excno) ((unsigned)(excno) < TNUM_EXCNO)

#ifndef TOPPERS_MACRO_ONLY
#include <stdint.h>
typedef struct t_excinf {
  uint32_t nest;   /* handler nesting level when raised (0 = task context) */
  uint32_t excno;
  uint32_t eflags; /* bit 9 (IF): the raising context had the CPU unlocked */
} T_EXCINF;

#ifdef __cplusplus
extern "C" {
#endif
/* Test hooks. */
int host_run_kernel(void);             /* runs sta_ker until ext_ker; 0, or -1 on deadlock */
void host_raise_int(unsigned intno);   /* an interrupt request (delivered when allowed) */
void host_raise_exception(unsigned excno);
unsigned long long host_ticks(void);
#ifdef __cplusplus
}
#endif
#endif

#endif /* TARGET_KERNEL_H */
