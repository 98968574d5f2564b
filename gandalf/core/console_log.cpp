// Gandalf's log: formatting, the ring of whole messages, rate limits (console_log.hpp).
#include "gandalf/core/console_log.hpp"

#include <cstring>

namespace gandalf::console {
namespace {

// Formatting output: keeps what fits in size - 1 characters, remembers the last character
// of the whole text (to end a cut line in '\n').
struct Out {
  char* buf;
  std::size_t size;
  std::size_t len = 0;
  char last = '\0';
  bool cut = false;

  void put(char c) {
    last = c;
    if (len + 1 < size) buf[len++] = c;
    else cut = true;
  }
  // A negative width pads on the right (the '-' flag).
  void padded(const char* s, int n, int width, char pad) {
    for (int i = n; i < width; ++i) put(pad);
    for (int i = 0; i < n; ++i) put(s[i]);
    for (int i = n; i < -width; ++i) put(' ');
  }
  void number(unsigned long long v, unsigned base, int width, char pad, bool upper) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    do {
      tmp[n++] = digits[v % base];
      v /= base;
    } while (v != 0);
    char text[24];
    for (int i = 0; i < n; ++i) text[i] = tmp[n - 1 - i];
    padded(text, n, width, pad);
  }
  // The sign goes before zero padding and after space padding ("-0012", "  -12").
  void signed_number(long long v, int width, char pad) {
    if (v >= 0) return number(static_cast<unsigned long long>(v), 10, width, pad, false);
    const unsigned long long magnitude = static_cast<unsigned long long>(-(v + 1)) + 1;
    if (pad == '0' || width <= 0) {
      put('-');
      return number(magnitude, 10, width > 0 ? width - 1 : width + 1, pad, false);
    }
    int digits = 1;
    for (unsigned long long m = magnitude; m >= 10; m /= 10) ++digits;
    for (int i = digits + 1; i < width; ++i) put(' ');
    put('-');
    number(magnitude, 10, 0, pad, false);
  }
};

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

// One conversion: `conv` is the conversion character after flags, width and length.
void convert(Out& o, char conv, va_list& ap, int width, char pad, int longness) {
  switch (conv) {
    case 's': {
      const char* s = va_arg(ap, const char*);
      if (s == nullptr) s = "(null)";
      o.padded(s, length(s), width, ' ');
      break;
    }
    case 'c': o.put(static_cast<char>(va_arg(ap, int))); break;
    case 'd': o.signed_number(take_signed(ap, longness), width, pad); break;
    case 'u': o.number(take_unsigned(ap, longness), 10, width, pad, false); break;
    case 'x': o.number(take_unsigned(ap, longness), 16, width, pad, false); break;
    case 'X': o.number(take_unsigned(ap, longness), 16, width, pad, true); break;
    case 'p': o.number(reinterpret_cast<std::uintptr_t>(va_arg(ap, void*)), 16, 8, '0', false); break;
    default: o.put('%'); o.put(conv); break;
  }
}

}  // namespace

std::size_t vformat(char* buf, std::size_t size, const char* fmt, va_list ap) {
  Out o{buf, size};
  va_list args;
  va_copy(args, ap);
  for (; *fmt; ++fmt) {
    if (*fmt != '%') { o.put(*fmt); continue; }
    ++fmt;
    if (*fmt == '%') { o.put('%'); continue; }
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
    convert(o, *fmt, args, width, pad, longness);
  }
  va_end(args);
  if (o.cut && o.last == '\n' && o.len > 0) o.buf[o.len - 1] = '\n';
  if (size > 0) o.buf[o.len] = '\0';
  return o.len;
}

std::size_t format(char* buf, std::size_t size, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const std::size_t n = vformat(buf, size, fmt, ap);
  va_end(ap);
  return n;
}

bool Ring::put(const char* msg, std::size_t len, Class c) {
  const std::size_t limit = c == Class::report ? capacity() : chatter_limit_;
  if (len > limit || used() > limit - len) return false;
  const std::size_t at = head_ & mask_;
  const std::size_t first = len < capacity() - at ? len : capacity() - at;
  std::memcpy(data_ + at, msg, first);
  std::memcpy(data_, msg + first, len - first);
  head_ += len;
  return true;
}

bool Log::tell_lost() {
  char line[64];
  const std::size_t n = format(line, sizeof line, "gandalf: %u report%s lost (console ring full)\n",
                               lost_reports_, lost_reports_ == 1 ? "" : "s");
  if (!ring_.put(line, n, Class::report)) return false;
  lost_reports_ = 0;
  return true;
}

bool Log::report(const char* msg, std::size_t len) {
  if (lost_reports_ != 0 && !tell_lost()) {
    count(lost_reports_);
    return false;
  }
  if (ring_.put(msg, len, Class::report)) return true;
  count(lost_reports_);
  return false;
}

void Log::drop(unsigned source) {
  count(suppressed_[source]);
  owed_ |= 1u << source;
}

bool Log::admit(unsigned source, std::uint64_t now) {
  source = clamp(source);
  if (limiters_[source].admit(now, limit_)) return true;
  drop(source);
  return false;
}

bool Log::tell_suppressed(unsigned source) {
  char line[80];
  const char* name = names_[source] != nullptr ? names_[source] : (source == gandalf_source ? "gandalf" : "?");
  const std::uint32_t n = suppressed_[source];
  const std::size_t len = format(line, sizeof line, "gandalf: [%s] %u message%s suppressed\n", name, n,
                                 n == 1 ? "" : "s");
  if (!ring_.put(line, len, Class::chatter)) return false;
  suppressed_[source] = 0;
  owed_ &= ~(1u << source);
  return true;
}

bool Log::put_chatter(unsigned source, const char* msg, std::size_t len) {
  source = clamp(source);
  if (((owed_ >> source) & 1) != 0 && !tell_suppressed(source)) {
    drop(source);
    return false;
  }
  if (ring_.put(msg, len, Class::chatter)) return true;
  drop(source);
  return false;
}

void Log::tick(std::uint64_t now) {
  if (lost_reports_ != 0) tell_lost();
  for (std::uint32_t owed = owed_; owed != 0; owed &= owed - 1) {
    const auto source = static_cast<unsigned>(__builtin_ctz(owed));
    if (limiters_[source].ready(now, limit_)) tell_suppressed(source);
  }
}

}  // namespace gandalf::console
