// The log buffer of the TOPPERS flavours (t_syslog.h, syssvc/syslog.h, log_output.h): records
// kept for a reader such as the log task, and their formatting through a putc function.
#include <log_output.h>
#include <syssvc/syslog.h>
#include <target_syssvc.h>

#include "kernel/core.hpp"
#include "log_format.hpp"
#include "log_internal.hpp"

using namespace itron;

namespace {

SYSLOG records[TCNT_SYSLOG_BUFFER];
uint_t oldest, count, lost;

// Characters to a putc function, as they come.
struct PutcSink {
  void (*putc)(char);
  void put(char c) { putc(c); }
};

template <size_t N>
void print_words(const char* format, const intptr_t (&words)[N], void (*putc)(char)) {
  PutcSink out{putc};
  log::format(out, format, log::WordArgs{words, words + N});
}

}  // namespace

namespace itron::log {

void keep(const SYSLOG& record) {
  LockIfNeeded lock;
  if (count == TCNT_SYSLOG_BUFFER) {  // full: the oldest goes
    oldest = (oldest + 1) % TCNT_SYSLOG_BUFFER;
    --count;
    ++lost;
  }
  records[(oldest + count) % TCNT_SYSLOG_BUFFER] = record;
  ++count;
}

}  // namespace itron::log

extern "C" {

void syslog_initialize(intptr_t) {}

ER syslog_wri_log(uint_t prio, const SYSLOG* p_syslog) {
  if (prio > LOG_DEBUG) return E_PAR;
  const log::Route to = log::route(prio);
  if (to.kept) log::keep(*p_syslog);
  if (to.printed) log::print_line(*p_syslog);
  return E_OK;
}

ER_UINT syslog_rea_log(SYSLOG* p_syslog) {
  LockIfNeeded lock;
  if (count == 0) return E_OBJ;
  *p_syslog = records[oldest];
  oldest = (oldest + 1) % TCNT_SYSLOG_BUFFER;
  --count;
  const ER_UINT lost_before = static_cast<ER_UINT>(lost);
  lost = 0;
  return lost_before;
}

ER syslog_ref_log(T_SYSLOG_RLOG* pk_rlog) {
  LockIfNeeded lock;
  pk_rlog->count = count;
  pk_rlog->lost = lost;
  pk_rlog->logmask = log::log_mask;
  pk_rlog->lowmask = log::low_mask;
  return E_OK;
}

void syslog_printf(const char* format, const intptr_t* p_args, void (*putc)(char)) {
  PutcSink out{putc};
  log::format(out, format, log::WordArgs{p_args, p_args + TMAX_LOGINFO - 1});
}

void syslog_print(const SYSLOG* p_syslog, void (*putc)(char)) {
  PutcSink out{putc};
  log::format_record(out, *p_syslog);
}

void syslog_lostmsg(uint_t lost_records, void (*putc)(char)) {
  const intptr_t words[] = {static_cast<intptr_t>(lost_records)};
  print_words("%u messages are lost.", words, putc);
}

// The console, character by character, below the log (a newline becomes CR LF).
void target_fput_log(char c) {
  if (c == '\n') console_write("\r", 1);
  console_write(&c, 1);
}

}  // extern "C"
