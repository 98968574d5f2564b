// Gandalf's console: the log (console_log.cpp) on its UART.
#include "gandalf/core/console.hpp"

#include "gandalf/core/config_types.hpp"
#include "gandalf/platform/pc/pic_8259.hpp"
#include "gandalf/platform/pc/uart_16550.hpp"

namespace gandalf::console {
namespace {

// 16 KiB in flight; chatter stops 4 KiB short of it. The reserve holds eight of the longest
// messages: a fault report with its restart line, or the monitor's counters for 7 partitions
// (about 300 bytes a line), arrive whole however much chatter is queued.
constexpr std::size_t buffer_size = 16384;
static_assert((buffer_size & (buffer_size - 1)) == 0, "the ring indexes with a mask");
constexpr std::size_t report_reserve = 4096;
// Per source: a burst of 8 lines, then one line per 100 ticks (10 lines/s at 1 ms). Even
// 8 sources at that rate stay well below what the UART drains per tick.
constexpr RateLimit chatter_rate{8, 100};
static_assert(report_reserve >= 8 * max_message && report_reserve < buffer_size);
static_assert(chatter_rate.burst >= 1 && chatter_rate.period >= 1);
static_assert(config::max_partitions < max_sources, "a source for each partition and one for Gandalf");

constinit char storage[buffer_size]{};
constinit Log messages{storage, buffer_size, report_reserve, chatter_rate};
constinit std::uint64_t ticks = 0;
constinit pc::uart::Uart uart{};
constinit bool ready = false;

// A UART access can withdraw a request that a partition's UART has latched on a line the two
// share: Bochs, which wires COM2 and COM4 to IRQ 3, lowers the line for both when Gandalf's
// UART has nothing to say. Each group of accesses is bracketed by two reads of the master's
// IRR, so that what it withdrew is found right away, not a whole tick later (when another
// edge may have come and gone in between): the scheduler then delivers it (take_withdrawn).
constinit std::uint8_t shared_lines = 0;  // master lines partitions own (set_shared_lines)
constinit std::uint8_t withdrawn = 0;

struct IrrBracket {
  std::uint8_t before = shared_lines != 0 ? pc::pic::master_requests() : 0;
  IrrBracket() = default;
  IrrBracket(const IrrBracket&) = delete;
  IrrBracket& operator=(const IrrBracket&) = delete;
  ~IrrBracket() {
    if (before != 0) withdrawn |= static_cast<std::uint8_t>(before & ~pc::pic::master_requests() & shared_lines);
  }
};

}  // namespace

void set_shared_lines(std::uint8_t lines) { shared_lines = lines; }

std::uint8_t take_withdrawn() {
  const std::uint8_t lines = withdrawn;
  withdrawn = 0;
  return lines;
}

std::uint8_t line_shared_with_uart() {
  // A partition's device on the line Gandalf's own UART is wired to is the one an access of
  // that UART can lower (Bochs: COM2 with COM4 on IRQ 3).
  if (uart.base() == 0) return 0;
  return static_cast<std::uint8_t>(shared_lines & (1u << pc::uart::isa_irq(uart.base())));
}

void init(std::uint16_t uart_base) {
  uart.init(uart_base);
  ready = true;
}

void name_source(unsigned source, const char* name) { messages.name_source(source, name); }

void report(const char* fmt, ...) {
  char line[max_message];
  va_list ap;
  va_start(ap, fmt);
  const std::size_t n = vformat(line, sizeof line, fmt, ap);
  va_end(ap);
  messages.report(line, n);
}

void chatter(unsigned source, const char* fmt, ...) {
  if (!messages.admit(source, ticks)) return;
  char line[max_message];
  va_list ap;
  va_start(ap, fmt);
  const std::size_t n = vformat(line, sizeof line, fmt, ap);
  va_end(ap);
  messages.put_chatter(source, line, n);
}

void tick() {
  messages.tick(++ticks);
  drain();
}

void drain() {
  Ring& ring = messages.ring();
  if (!ready || ring.empty()) return;
  const IrrBracket bracket;
  if (!uart.tx_ready()) return;
  for (unsigned i = 0; i < pc::uart::fifo_depth && !ring.empty(); ++i) uart.put_raw(ring.pop());
}

void flush() {
  while (ready && !messages.ring().empty()) drain();
}

int poll_input() {
  if (!ready) return -1;
  const IrrBracket bracket;
  if (!uart.rx_ready()) return -1;
  return static_cast<unsigned char>(uart.get_raw());
}

}  // namespace gandalf::console
