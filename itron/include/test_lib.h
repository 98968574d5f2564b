/* test_lib.h: the check-point library of the kernel test programs.
 *
 * A test program calls check_point(1), check_point(2), ... in the order its header
 * comment specifies, and check_finish(n) at the end: n is the last point, either reached
 * by check_point(n) just before or counted by check_finish itself. Output lines (syslog):
 *   "[check] point N"            each check point reached in order
 *   "[check] all N points passed" the pass line
 *   "[check] FAIL: ..."           any failure (then the kernel stops)
 * The system test requires every point, the pass line and no FAIL line. */
#ifndef TEST_LIB_H
#define TEST_LIB_H

#include "kernel.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef TOPPERS_MACRO_ONLY
void test_start(const char *progname);
void check_point(uint_t count);
void check_finish(uint_t count);
void _check_assert(const char *expr, const char *file, int_t line);
void _check_ercd(ER ercd, ER expected, const char *file, int_t line);
void check_state_impl(bool_t ctx, bool_t loc, PRI ipm, bool_t check_ipm, bool_t dsp, bool_t dpn,
                      bool_t tex, const char *file, int_t line);
void test_fail(const char *file, int_t line, const char *what);
#endif

#define check_assert(exp) ((void)(!(exp) ? (_check_assert(#exp, __FILE__, __LINE__), 0) : 0))
#define check_ercd(ercd, expected) ((void)((ercd) != (expected) ? (_check_ercd((ercd), (expected), __FILE__, __LINE__), 0) : 0))
/* TOPPERS/ASP's forms: in a task, the state of sns_ctx, sns_loc, get_ipm (when the CPU is not
 * locked), sns_dsp, sns_dpn and sns_tex; in a handler the same without the mask. */
#define check_state(ctx, loc, ipm, dsp, dpn, tex) \
  check_state_impl((ctx), (loc), (ipm), true, (dsp), (dpn), (tex), __FILE__, __LINE__)
#define check_state_i(ctx, loc, dsp, dpn, tex) \
  check_state_impl((ctx), (loc), TIPM_ENAALL, false, (dsp), (dpn), (tex), __FILE__, __LINE__)

#ifdef __cplusplus
}
#endif
#endif /* TEST_LIB_H */
