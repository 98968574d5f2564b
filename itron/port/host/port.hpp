// The host port's interface to the portable kernel (see target_kernel.h).
#pragma once

#include <stdint.h>

#include <kernel.h>

namespace itron {
struct TaskCB;
}

namespace itron::port {

extern uint32_t nest;
bool in_handler();
void cpu_lock();
void cpu_unlock();
void dispatch();
[[noreturn]] void exit_and_dispatch();
[[noreturn]] void start_dispatch();
void activate_context(TaskCB* t);
void initialize();
[[noreturn]] void exit_kernel();
bool line_configured(INTNO intno);
void line_enable(INTNO intno, bool enable);
void apply_ipm(PRI ipm);
uint32_t tick_elapsed_us();
void console_putc(char c);
// Non-blocking output: characters the transmitter takes now, and one character.
int console_tx_room();
void console_tx(char c);
int console_getc();
bool console_has_irq();
void console_rx_interrupts(bool on);
void install_handler(INTNO intno, INTHDR h);
bool has_handler(INTNO intno);
void enable_console_line();

}  // namespace itron::port
