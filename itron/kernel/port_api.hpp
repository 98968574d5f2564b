// What every port provides out of line. Each port's port.hpp includes this and adds its
// hot-path operations (in_handler, cpu_lock/cpu_unlock, dispatch, exit_and_dispatch,
// start_dispatch), inline where the port can.
#pragma once

#include <stdint.h>

#include <kernel.h>

namespace itron {
struct TaskCB;
}

namespace itron::port {

// Prepares t's context so that the dispatcher starts it at its task function.
void activate_context(TaskCB* t);
// Vector table or its equivalent, interrupt controller, timer, console: before the
// kernel's objects.
void initialize();
// Stops the instance for good (ext_ker).
[[noreturn]] void exit_kernel();
// Interrupt lines (dis_int/ena_int/chg_ipm): false if intno is not a configurable line.
bool line_configured(INTNO intno);
void line_enable(INTNO intno, bool enable);
// Applies the interrupt priority mask to the lines.
void apply_ipm(PRI ipm);
// Microseconds since the last tick (for get_utm).
uint32_t tick_elapsed_us();
// Non-blocking console output: characters the transmitter takes now, and one character.
int console_tx_room();
void console_tx(char c);
// Reads one character if one is waiting (polled), else -1.
int console_getc();
bool console_has_irq();
void console_rx_interrupts(bool on);
// For the serial driver: its receive handler on the console line (if no DEF_INH took it).
void install_handler(INTNO intno, INTHDR h);
bool has_handler(INTNO intno);
// Configures and enables the console line for the serial driver's receive handler.
void enable_console_line();

}  // namespace itron::port
