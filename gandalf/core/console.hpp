// Gandalf's console: a log of whole messages in a ring buffer drained to its UART a
// FIFO-full per timer tick, so printing never holds interrupts off for long once guests run.
// Every message has a class (console_log.hpp, docs/debugging.md): reports are never lost to
// chatter; chatter is rate limited per partition and its drops are told as
// "gandalf: [NAME] N messages suppressed".
#pragma once

#include <cstdarg>
#include <cstddef>
#include <cstdint>

#include "gandalf/core/console_log.hpp"

namespace gandalf::console {

// Longest message; longer ones are cut (still ending in their '\n').
inline constexpr std::size_t max_message = 384;

void init(std::uint16_t uart_base);
// The name a source's "N messages suppressed" line carries (a partition index -> its name).
void name_source(unsigned source, const char* name);

// Formats with vformat's printf subset. One call is one message, written whole or not at all.
// report: fault, restart and stop reports, boot errors, PANIC, monitor replies.
[[gnu::format(printf, 1, 2)]] void report(const char* fmt, ...);
// chatter: what a guest can trigger again and again (refused hypercalls, warnings), from
// `source` (a partition index, or gandalf_source). A line over the source's rate is only
// counted, not even formatted.
[[gnu::format(printf, 2, 3)]] void chatter(unsigned source, const char* fmt, ...);

void tick();         // timer tick: rate-limit time, owed "suppressed" lines, drain
void drain();        // move what fits into the UART FIFO now
void flush();        // block until everything is out (boot, fatal errors)
int poll_input();    // a received character or -1
// Master lines that partitions own (the scheduler's): a request on one that an access of
// Gandalf's UART withdraws (a line shared with it, as on Bochs) is kept for take_withdrawn().
void set_shared_lines(std::uint8_t lines);
std::uint8_t take_withdrawn();  // the lines withdrawn since the last call
// The line Gandalf's UART is wired to, if a partition owns it; else 0. A partition's request
// that rose after a bracket's first IRR read and fell at the access left no trace in the IRR,
// only the 8259's INT line: the processor then gets a spurious IRQ 7 (the 8259's answer to a
// request withdrawn before INTA), and the scheduler delivers that line.
std::uint8_t line_shared_with_uart();

}  // namespace gandalf::console
