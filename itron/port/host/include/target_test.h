/* target_test.h for the host target. */
#ifndef TARGET_TEST_H
#define TARGET_TEST_H
#define STACK_SIZE 131072U
#define TASK_PORTID 1
#define CPUEXC1 6U
#define RAISE_CPU_EXCEPTION host_raise_exception(CPUEXC1)
#define PREPARE_RETURN_CPUEXC ((void)p_excinf)
#define INTNO1 5U
#define INHNO1 5U
#define INTPRI1 (-2)
#define INTATR1 TA_NULL
#define RAISE_INT1 host_raise_int(INTNO1)
#ifndef TOPPERS_MACRO_ONLY
static inline void intno1_clear(void) {}
#endif
#endif
