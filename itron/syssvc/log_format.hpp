// The system log's printf subset (%d %u %x %X %o %c %s %p, flags '-' '0', a width, 'l'),
// one formatter for every caller: syslog's lines (arguments from a va_list) and the log
// records that syslog_print formats later (arguments stored as intptr_t, SYSLOG.loginfo).
// A Sink has put(char); an Args source hands out the next argument of each kind.
#pragma once

#include <stdarg.h>
#include <stdint.h>

namespace itron::log {

// Arguments as the caller passed them.
struct VaArgs {
  va_list* ap;
  long long next_signed(int longness) {
    return longness >= 2 ? va_arg(*ap, long long) : longness == 1 ? va_arg(*ap, long) : va_arg(*ap, int);
  }
  unsigned long long next_unsigned(int longness) {
    return longness >= 2 ? va_arg(*ap, unsigned long long) : longness == 1 ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned);
  }
  uintptr_t next_word() { return reinterpret_cast<uintptr_t>(va_arg(*ap, void*)); }
};

// Arguments stored one word each (a record's loginfo); 'll' takes one word too.
struct WordArgs {
  const intptr_t* next;
  const intptr_t* end;
  intptr_t take() { return next < end ? *next++ : 0; }
  long long next_signed(int) { return take(); }
  unsigned long long next_unsigned(int) { return static_cast<uintptr_t>(take()); }
  uintptr_t next_word() { return static_cast<uintptr_t>(take()); }
};

template <class Sink>
void put_string(Sink& out, const char* s) {
  while (*s) out.put(*s++);
}

template <class Sink>
void put_number(Sink& out, unsigned long long v, unsigned base, bool upper, int width, char pad, bool left, bool neg) {
  char tmp[24];
  int n = 0;
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    tmp[n++] = digits[v % base];
    v /= base;
  } while (v != 0);
  if (neg) tmp[n++] = '-';
  const int digits_len = n;
  if (!left) {
    for (int i = digits_len; i < width; ++i) out.put(pad);
  }
  while (n > 0) out.put(tmp[--n]);
  if (left) {
    for (int i = digits_len; i < width; ++i) out.put(' ');
  }
}

template <class Sink, class Args>
void format(Sink& out, const char* fmt, Args args) {
  for (; *fmt; ++fmt) {
    if (*fmt != '%') {
      out.put(*fmt);
      continue;
    }
    ++fmt;
    bool left = false;
    char pad = ' ';
    for (;; ++fmt) {
      if (*fmt == '-') left = true;
      else if (*fmt == '0') pad = '0';
      else break;
    }
    int width = 0;
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    int longness = 0;
    while (*fmt == 'l') {
      ++longness;
      ++fmt;
    }
    switch (*fmt) {
      case 'd': {
        const long long v = args.next_signed(longness);
        const unsigned long long mag = v < 0 ? 0ull - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v);
        put_number(out, mag, 10, false, width, pad, left, v < 0);
        break;
      }
      case 'u':
      case 'x':
      case 'X':
      case 'o': {
        const unsigned long long v = args.next_unsigned(longness);
        const unsigned base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
        put_number(out, v, base, *fmt == 'X', width, pad, left, false);
        break;
      }
      case 'p':
        put_string(out, "0x");
        put_number(out, args.next_word(), 16, false, 8, '0', false, false);
        break;
      case 'c': out.put(static_cast<char>(args.next_word())); break;
      case 's': {
        const char* s = reinterpret_cast<const char*>(args.next_word());
        put_string(out, s != nullptr ? s : "(null)");
        break;
      }
      case '%': out.put('%'); break;
      case '\0': return;
      default: out.put(*fmt); break;
    }
  }
}

// The number of arguments a format takes (each conversion but %%), for storing them.
inline unsigned count_arguments(const char* fmt) {
  unsigned n = 0;
  for (; *fmt; ++fmt) {
    if (*fmt != '%') continue;
    ++fmt;
    while (*fmt == '-' || *fmt == '0' || (*fmt >= '0' && *fmt <= '9') || *fmt == 'l') ++fmt;
    if (*fmt == '\0') break;
    if (*fmt != '%') ++n;
  }
  return n;
}

}  // namespace itron::log
