// Gandalf's console: formatting, ring buffer and UART draining.
#include "gandalf/core/console.hpp"

#include "gandalf/platform/pc/uart_16550.hpp"

namespace gandalf::console {
namespace {

constexpr std::size_t buffer_size = 16384;  // power of two

struct Ring {
  char data[buffer_size];
  std::size_t head = 0;  // next write
  std::size_t tail = 0;  // next to send
};

constinit Ring ring{};
constinit pc::uart::Uart uart{};
constinit bool ready = false;

void put(char c) {
  if (ring.head - ring.tail == buffer_size) return;  // full: drop rather than block
  ring.data[ring.head++ % buffer_size] = c;
}

// A negative width pads on the right (the '-' flag).
void put_padded(const char* s, int n, int width, char pad) {
  for (int i = n; i < width; ++i) put(pad);
  for (int i = 0; i < n; ++i) put(s[i]);
  for (int i = n; i < -width; ++i) put(' ');
}

void put_number(unsigned long long v, unsigned base, int width, char pad, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = digits[v % base];
    v /= base;
  } while (v != 0);
  char out[24];
  for (int i = 0; i < n; ++i) out[i] = tmp[n - 1 - i];
  put_padded(out, n, width, pad);
}

int length(const char* s) {
  int n = 0;
  while (s[n] != '\0') ++n;
  return n;
}

unsigned long long take_unsigned(va_list& ap, int longness) {
  if (longness >= 2) return va_arg(ap, unsigned long long);
  if (longness == 1) return va_arg(ap, unsigned long);
  return va_arg(ap, unsigned);
}

long long take_signed(va_list& ap, int longness) {
  if (longness >= 2) return va_arg(ap, long long);
  if (longness == 1) return va_arg(ap, long);
  return va_arg(ap, int);
}

void put_signed(long long v, int width, char pad) {
  if (v >= 0) return put_number(static_cast<unsigned long long>(v), 10, width, pad, false);
  put('-');
  put_number(static_cast<unsigned long long>(-(v + 1)) + 1, 10, width > 0 ? width - 1 : width, pad, false);
}

// One conversion; `fmt` points at the conversion character after flags/width/length.
void convert(char conv, va_list& ap, int width, char pad, int longness) {
  switch (conv) {
    case 's': {
      const char* s = va_arg(ap, const char*);
      if (s == nullptr) s = "(null)";
      put_padded(s, length(s), width, ' ');
      break;
    }
    case 'c': put(static_cast<char>(va_arg(ap, int))); break;
    case 'd': put_signed(take_signed(ap, longness), width, pad); break;
    case 'u': put_number(take_unsigned(ap, longness), 10, width, pad, false); break;
    case 'x': put_number(take_unsigned(ap, longness), 16, width, pad, false); break;
    case 'X': put_number(take_unsigned(ap, longness), 16, width, pad, true); break;
    case 'p': put_number(reinterpret_cast<std::uintptr_t>(va_arg(ap, void*)), 16, 8, '0', false); break;
    default: put('%'); put(conv); break;
  }
}

}  // namespace

void init(std::uint16_t uart_base) {
  uart.init(uart_base);
  ready = true;
}

void vprint(const char* fmt, va_list ap) {
  for (; *fmt; ++fmt) {
    if (*fmt != '%') { put(*fmt); continue; }
    ++fmt;
    if (*fmt == '%') { put('%'); continue; }
    bool left = false;
    if (*fmt == '-') { left = true; ++fmt; }
    char pad = ' ';
    if (*fmt == '0') { pad = '0'; ++fmt; }
    int width = 0;
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    if (left) width = -width;
    int longness = 0;
    while (*fmt == 'l') { ++longness; ++fmt; }
    if (*fmt == '\0') break;
    convert(*fmt, ap, width, pad, longness);
  }
}

void print(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint(fmt, ap);
  va_end(ap);
}

void drain() {
  if (!ready || ring.tail == ring.head || !uart.tx_ready()) return;
  for (unsigned i = 0; i < pc::uart::fifo_depth && ring.tail != ring.head; ++i) {
    const char c = ring.data[ring.tail++ % buffer_size];
    uart.put_raw(c);
  }
}

void flush() {
  while (ready && ring.tail != ring.head) drain();
}

int poll_input() {
  if (!ready || !uart.rx_ready()) return -1;
  return static_cast<unsigned char>(uart.get_raw());
}

}  // namespace gandalf::console
