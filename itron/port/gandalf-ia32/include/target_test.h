/* target_test.h: what test programs need to know about the Gandalf/IA-32 target. */
#ifndef TARGET_TEST_H
#define TARGET_TEST_H

#define STACK_SIZE 4096U
#define TASK_PORTID 1
#define LOOP_REF 1000000UL

/* A CPU exception test programs can raise and return from, as TOPPERS test programs expect:
 * int3 (#BP, vector 3), trap-class, so the handler's return address is past the instruction
 * and a handler that simply returns goes on after it (Gandalf delivers a guest's int3 as the
 * #BP it asks for, docs/itron-compat.md). PREPARE_RETURN_CPUEXC has nothing to do. */
#define CPUEXC1 EXCNO_BP
#define RAISE_CPU_EXCEPTION __asm__ volatile("int3")
#define PREPARE_RETURN_CPUEXC ((void)p_excinf)

/* An interrupt test programs can raise: the console UART's "transmitter empty"
 * interrupt, through Gandalf's routing and the virtual 8259. */
#define INTNO1 INTNO_SIO
#define INHNO1 INHNO_SIO
#define INTPRI1 (-2)
#define INTATR1 TA_NULL
#ifndef TOPPERS_MACRO_ONLY
void target_raise_int1(void);  /* make the UART raise its interrupt */
void intno1_clear(void);       /* make it stop */
int target_int1_pending(void); /* it is requested in the virtual 8259 (IRR), not yet taken */
#endif
#define RAISE_INT1 target_raise_int1()
#ifndef TOPPERS_MACRO_ONLY
#include <stdint.h>
/* Interrupts that arrived at an interrupt exit's SET_IF(1) and took over its frame
 * instead of nesting (entry.S). */
extern uint32_t itron_irq_folded;
/* Interrupts that arrived inside a critical section and ran at its end (entry.S). */
extern uint32_t itron_irq_deferred_count;
/* Interrupts taken while a running handler's priority mask held them off, run at its end
 * (ASP flavour, port.cpp). */
extern uint32_t itron_irq_held_count;
#endif

#endif /* TARGET_TEST_H */
