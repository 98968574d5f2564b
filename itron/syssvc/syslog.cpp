// System log (TOPPERS names: syslog, syslog_msk_log, t_perror). A call formats its line on
// its own stack, then appends it whole to the console buffer with the CPU locked for the
// copy only; the buffer drains into the UART without ever waiting for it: as much as the
// transmitter takes at each call and at each tick (a 16550's FIFO takes 16 characters, about
// 1.4 ms at 115200 baud). Lines never interleave, and logging never costs another task or
// handler more than the copy. When the buffer is full, whole lines are dropped and counted.
#include <stdarg.h>

#include <t_syslog.h>

#include "kernel/core.hpp"
#include "log_format.hpp"
#include "log_internal.hpp"

using namespace itron;

namespace {

constexpr size_t kConsoleBuffer = 8192;
char console_buffer[kConsoleBuffer];
size_t console_head, console_count;
uint_t lines_lost;

// Moves buffered characters into the transmitter while it has room; CPU locked.
void drain_locked() {
  while (console_count > 0) {
    const int room = port::console_tx_room();
    if (room == 0) return;
    for (int i = 0; i < room && console_count > 0; ++i) {
      port::console_tx(console_buffer[console_head]);
      console_head = (console_head + 1) % kConsoleBuffer;
      --console_count;
    }
  }
}

}  // namespace

namespace itron {

// Appends a whole line (or nothing) to the console buffer and drains what the UART takes.
void console_write(const char* s, size_t n) {
  LockIfNeeded lock;
  if (console_count + n <= kConsoleBuffer) {
    for (size_t i = 0; i < n; ++i) console_buffer[(console_head + console_count + i) % kConsoleBuffer] = s[i];
    console_count += n;
  } else {
    ++lines_lost;
  }
  drain_locked();
}

// At every tick (handler context).
void console_drain() { drain_locked(); }

// Before the kernel stops: everything out, waiting for the UART.
void console_flush() {
  while (console_count > 0) drain_locked();
  if (lines_lost != 0) {
    const uint_t lost = lines_lost;
    lines_lost = 0;
    syslog(LOG_EMERG, "syslog: %u lines were lost (console buffer full)", lost);
    while (console_count > 0) drain_locked();
  }
}

}  // namespace itron

namespace {


class Line {
 public:
  void put(char c) {
    if (c == '\n') put('\r');
    if (len_ < sizeof(buf_) - 2) buf_[len_++] = c;  // room for the final CR LF
  }
  void write_out() {
    buf_[len_++] = '\r';
    buf_[len_++] = '\n';
    console_write(buf_, len_);
  }

 private:
  char buf_[160];
  size_t len_ = 0;
};

}  // namespace

namespace itron::log {

uint_t log_mask = kFlavor == Flavor::itron ? LOG_UPTO(LOG_NOTICE) : 0;
uint_t low_mask = kFlavor == Flavor::itron ? LOG_UPTO(LOG_EMERG)
                  : kFlavor == Flavor::asp ? LOG_UPTO(LOG_DEBUG) : LOG_UPTO(LOG_NOTICE);

void print_line(const SYSLOG& record) {
  Line line;
  format_record(line, record);
  line.write_out();
}

}  // namespace itron::log

namespace {

// The TOPPERS flavours: a call whose priority passes the log mask is kept as a record (its
// format and up to TMAX_LOGINFO - 1 argument words) for syslog_rea_log.
void keep_record(const char* fmt, va_list* ap) {
  SYSLOG record{};
  record.logtype = LOG_TYPE_COMMENT;
  record.logtim = static_cast<SYSTIM>(k.tick) + k.time_offset;
  record.loginfo[0] = reinterpret_cast<intptr_t>(fmt);
  unsigned stored = 0;
  log::NullSink none;
  log::format(none, fmt, log::RecordingArgs{log::VaArgs{ap}, &record.loginfo[1], TMAX_LOGINFO - 1, &stored});
  log::keep(record);
}

}  // namespace

extern "C" {

ER syslog(uint_t prio, const char* fmt, ...) {
  if (prio > LOG_DEBUG) return E_PAR;
  const log::Route to = log::route(prio);
  va_list ap;
  va_start(ap, fmt);
  if (to.kept) {
    va_list copy;
    va_copy(copy, ap);
    keep_record(fmt, &copy);
    va_end(copy);
  }
  if (to.printed) {
    Line line;
    log::format(line, fmt, log::VaArgs{&ap});
    line.write_out();
  }
  va_end(ap);
  return E_OK;
}

ER syslog_fls_log(void) {
  // Drains with interrupts allowed between UART polls: only the caller waits.
  for (;;) {
    LockIfNeeded lock;
    drain_locked();
    if (console_count == 0) return E_OK;
  }
}

ER syslog_msk_log(uint_t logmask, uint_t lowmask) {
  log::log_mask = logmask;
  log::low_mask = lowmask;
  return E_OK;
}

const char* itron_strerror(ER ercd) {
  switch (MERCD(ercd)) {
    case E_OK: return "E_OK";
    case E_SYS: return "E_SYS";
    case E_NOSPT: return "E_NOSPT";
    case E_RSFN: return "E_RSFN";
    case E_RSATR: return "E_RSATR";
    case E_PAR: return "E_PAR";
    case E_ID: return "E_ID";
    case E_CTX: return "E_CTX";
    case E_MACV: return "E_MACV";
    case E_OACV: return "E_OACV";
    case E_ILUSE: return "E_ILUSE";
    case E_NOMEM: return "E_NOMEM";
    case E_NOID: return "E_NOID";
    case E_NORES: return "E_NORES";
    case E_OBJ: return "E_OBJ";
    case E_NOEXS: return "E_NOEXS";
    case E_QOVR: return "E_QOVR";
    case E_RLWAI: return "E_RLWAI";
    case E_TMOUT: return "E_TMOUT";
    case E_DLT: return "E_DLT";
    case E_CLS: return "E_CLS";
    case E_WBLK: return "E_WBLK";
    case E_BOVR: return "E_BOVR";
    default: return "unknown error";
  }
}

void TOPPERS_assert_fail(const char* expr, const char* file, int_t line) {
  syslog(LOG_EMERG, "%s:%d: Assertion `%s' failed.", file, line, expr);
  ext_ker();
}

void t_perror(uint_t prio, const char* file, int_t line, const char* expr, ER ercd) {
  syslog(prio, "%s (%d) reported by `%s' in line %d of `%s'.", itron_strerror(ercd), SERCD(ercd), expr,
         line, file);
}

int_t t_atoi(const char* s) {
  int_t sign = 1, v = 0;
  if (*s == '-') {
    sign = -1;
    ++s;
  }
  while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
  return sign * v;
}
uint_t t_strlen(const char* s) {
  uint_t n = 0;
  while (s[n]) ++n;
  return n;
}
int t_strcmp(const char* a, const char* b) {
  while (*a && *a == *b) {
    ++a;
    ++b;
  }
  return static_cast<unsigned char>(*a) - static_cast<unsigned char>(*b);
}
void t_memset(void* d, int c, size_t n) {
  auto* p = static_cast<unsigned char*>(d);
  while (n--) *p++ = static_cast<unsigned char>(c);
}
void t_memcpy(void* d, const void* s, size_t n) {
  auto* p = static_cast<unsigned char*>(d);
  const auto* q = static_cast<const unsigned char*>(s);
  while (n--) *p++ = *q++;
}

}  // extern "C"

// syssvc/banner.cfg's initialization routine.
extern "C" void print_banner(intptr_t) {
  syslog(LOG_NOTICE, "Gandalf uITRON kernel %u.%u (uITRON 4.0 Standard Profile, TOPPERS/ASP compatible)",
         TKERNEL_PRVER >> 8, TKERNEL_PRVER & 0xffU);
}
