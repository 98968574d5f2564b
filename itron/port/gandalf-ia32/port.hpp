// The Gandalf/IA-32 port's interface to the portable kernel.
//
// The kernel runs at ring 1 in its partition's segments. Interrupt masking is Gandalf's
// virtual IF (hypercall SET_IF), idling is HALT with atomic enable, and the vector table
// is registered with SET_VECTORS: those three hypercalls are the only privileged
// operations. The virtual 8259/8254 are programmed with in/out, which Gandalf emulates.
#pragma once

#include <stdint.h>

#include <kernel.h>

#include "gandalf/abi.h"

namespace itron {
struct TaskCB;
}

extern "C" {
extern uint32_t itron_nest;  // handler nesting level (0 = task context)
// The optimistic CPU lock (entry.S): set by a task-level critical section; an interrupt
// arriving meanwhile is deferred, which leaves the virtual IF off (itron_hard_off = 1).
extern volatile uint32_t itron_soft_lock;
extern volatile uint32_t itron_hard_off;
extern volatile uint32_t itron_deferred;
void itron_unlock_slow();
void itron_dispatch();       // entry.S: switch from the running task to schedtsk
[[noreturn]] void itron_exit_and_dispatch();
[[noreturn]] void itron_start_dispatch();
void itron_task_entry();
}

namespace itron::port {

inline bool in_handler() { return itron_nest != 0; }
// No hypercall on the common path: the lock is a flag (entry.S defers interrupts while
// it is set); unlocking costs a SET_IF(1) only when an interrupt was deferred meanwhile.
inline void cpu_lock() { asm volatile("movl $1, %0" : "=m"(itron_soft_lock)::"memory"); }
inline void cpu_unlock() {
  asm volatile("movl $0, %0" : "=m"(itron_soft_lock)::"memory");
  if (itron_hard_off != 0) itron_unlock_slow();
}
inline void dispatch() { itron_dispatch(); }
[[noreturn]] inline void exit_and_dispatch() { itron_exit_and_dispatch(); }
[[noreturn]] inline void start_dispatch() { itron_start_dispatch(); }

// Prepares t's stack so that the dispatcher starts it at its task function.
void activate_context(TaskCB* t);
// Vector table, virtual 8259 and 8254, console: before the kernel's objects.
void initialize();
// Stops the instance for good (ext_ker): masks everything and halts.
[[noreturn]] void exit_kernel();
// Interrupt lines (dis_int/ena_int/chg_ipm): false if intno is not a configurable line.
bool line_configured(INTNO intno);
void line_enable(INTNO intno, bool enable);
// Applies the interrupt priority mask to the lines.
void apply_ipm(PRI ipm);
// Microseconds since the last tick (for get_utm).
uint32_t tick_elapsed_us();
// Prints one character on the instance's console (polled).
void console_putc(char c);
// Non-blocking output: characters the transmitter takes now, and one character.
int console_tx_room();
void console_tx(char c);
// Reads one character if one is waiting (polled), else -1.
int console_getc();
bool console_has_irq();
void console_rx_interrupts(bool on);

}  // namespace itron::port

namespace itron::port {
// For the serial driver: its receive handler on the console line (if no DEF_INH took it).
void install_handler(INTNO intno, INTHDR h);
bool has_handler(INTNO intno);
}  // namespace itron::port

namespace itron::port {
// Configures and enables the console line for the serial driver's receive handler.
void enable_console_line();
}  // namespace itron::port
