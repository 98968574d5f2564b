// The system log's printf subset (%d %u %x %X %o %c %s %p, flags '-' '0', a width, 'l'),
// one formatter for every caller: syslog's lines (arguments from a va_list) and the log
// records that syslog_print formats later (arguments stored as intptr_t, SYSLOG.loginfo).
// A Sink has put(char); an Args source hands out the next argument of each kind.
#pragma once

#include <stdarg.h>
#include <stdint.h>

#include <t_syslog.h>

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

// Arguments taken from a caller's va_list as the format asks (an 'll' conversion takes its
// 8 bytes) and stored one word each, truncated, for a log record; what the record has no
// room for is taken and dropped. format() with a NullSink drives it: one parser for both.
struct RecordingArgs {
  VaArgs in;
  intptr_t* words;
  unsigned room;
  unsigned* stored;
  void keep(intptr_t v) {
    if (*stored < room) words[(*stored)++] = v;
  }
  long long next_signed(int longness) {
    const long long v = in.next_signed(longness);
    keep(static_cast<intptr_t>(v));
    return v;
  }
  unsigned long long next_unsigned(int longness) {
    const unsigned long long v = in.next_unsigned(longness);
    keep(static_cast<intptr_t>(v));
    return v;
  }
  uintptr_t next_word() {
    const uintptr_t v = in.next_word();
    keep(static_cast<intptr_t>(v));
    return v;
  }
};

struct NullSink {
  void put(char) {}
};

// A log record as text: a comment's format with its words, an assertion's file, line and
// expression, any other type as its number and first words.
template <class Sink>
void format_record(Sink& out, const SYSLOG& record) {
  const intptr_t* info = record.loginfo;
  switch (record.logtype) {
    case LOG_TYPE_COMMENT:
      format(out, reinterpret_cast<const char*>(info[0]), WordArgs{info + 1, info + TMAX_LOGINFO});
      break;
    case LOG_TYPE_ASSERT:
      format(out, "%s:%u: assertion `%s' failed.", WordArgs{info, info + TMAX_LOGINFO});
      break;
    default: {
      const intptr_t words[] = {static_cast<intptr_t>(record.logtype), info[0], info[1], info[2]};
      format(out, "log record type 0x%x: %x %x %x", WordArgs{words, words + 4});
      break;
    }
  }
}

}  // namespace itron::log
