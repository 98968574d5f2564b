// Gandalf's console: a log ring buffer drained to its UART a FIFO-full per timer tick,
// so printing never holds interrupts off for long once guests run.
#pragma once

#include <cstdarg>
#include <cstddef>
#include <cstdint>

namespace gandalf::console {

void init(std::uint16_t uart_base);
// printf subset: %s %c %d %u %x %X %p %%, with '0' flag, width, 'l'/'ll' length.
[[gnu::format(printf, 1, 2)]] void print(const char* fmt, ...);
void vprint(const char* fmt, va_list ap);
void drain();        // move what fits into the UART FIFO now (timer tick)
void flush();        // block until everything is out (boot, fatal errors)
int poll_input();    // a received character or -1

}  // namespace gandalf::console
