// Check-point library for the kernel's test programs (include/test_lib.h).
#include <t_syslog.h>
#include <test_lib.h>

#include "kernel/core.hpp"

using namespace itron;

namespace {

uint_t last_point;

[[noreturn]] void fail_and_stop() {
  syslog(LOG_EMERG, "[check] stopped after a failure");
  ext_ker();
  for (;;) {
  }
}

const char* base_name(const char* path) {
  const char* b = path;
  for (const char* p = path; *p; ++p) {
    if (*p == '/') b = p + 1;
  }
  return b;
}

}  // namespace

extern "C" {

void test_start(const char* progname) {
  last_point = 0;
  syslog(LOG_NOTICE, "[check] %s starts", base_name(progname));
}

void check_point(uint_t count) {
  uint_t expected;
  bool ok;
  {
    LockIfNeeded lock;  // handlers reach check points too
    expected = last_point + 1;
    ok = count == expected;
    if (ok) last_point = count;
  }
  if (!ok) {
    syslog(LOG_EMERG, "[check] FAIL: check point %u reached out of order (expected %u)", count, expected);
    fail_and_stop();
  }
  syslog(LOG_NOTICE, "[check] point %u", count);
}

void check_finish(uint_t count) {
  // The final point: either reached just now by check_point(count), or this is it.
  if (count != last_point) check_point(count);
  syslog(LOG_NOTICE, "[check] all %u points passed", count);
  ext_ker();
}

void _check_assert(const char* expr, const char* file, int_t line) {
  syslog(LOG_EMERG, "[check] FAIL: %s:%d: assertion `%s' failed (after point %u)", base_name(file), line, expr,
         last_point);
  fail_and_stop();
}

void _check_ercd(ER ercd, ER expected, const char* file, int_t line) {
  // At most five arguments: a TOPPERS log record keeps five (TMAX_LOGINFO - 1).
  const char* name = itron_strerror(ercd);
  if (name[0] == 'E') {
    syslog(LOG_EMERG, "[check] FAIL: %s:%d: returned %s, expected %s (after point %u)", base_name(file), line, name,
           itron_strerror(expected), last_point);
  } else {
    syslog(LOG_EMERG, "[check] FAIL: %s:%d: returned %d, expected %s (after point %u)", base_name(file), line, ercd,
           itron_strerror(expected), last_point);
  }
  fail_and_stop();
}

void test_fail(const char* file, int_t line, const char* what) {
  syslog(LOG_EMERG, "[check] FAIL: %s:%d: %s (after point %u)", base_name(file), line, what, last_point);
  fail_and_stop();
}

void check_state_impl(bool_t ctx, bool_t loc, PRI ipm, bool_t check_ipm, bool_t dsp, bool_t dpn, bool_t tex,
                      const char* file, int_t line) {
  if (!sns_ctx() != !ctx) test_fail(file, line, "sns_ctx() differs");
  if (!sns_loc() != !loc) test_fail(file, line, "sns_loc() differs");
  PRI now = TIPM_ENAALL;
  if (check_ipm && !sns_loc() && (get_ipm(&now) != E_OK || now != ipm)) test_fail(file, line, "get_ipm() differs");
  if (!sns_dsp() != !dsp) test_fail(file, line, "sns_dsp() differs");
  if (!sns_dpn() != !dpn) test_fail(file, line, "sns_dpn() differs");
  if (!sns_tex() != !tex) test_fail(file, line, "sns_tex() differs");
}

}  // extern "C"
