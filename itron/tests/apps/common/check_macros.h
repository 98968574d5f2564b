/* check_macros.h: checking helpers shared by the check-point test programs.
 *
 * Each macro makes the service calls it names, requires them to return E_OK (through
 * check_ercd) and checks what they report (through check_assert). Include after
 * kernel.h and test_lib.h.
 */
#ifndef CHECK_MACROS_H
#define CHECK_MACROS_H

/* ref_tsk(id) must succeed and report state `stat`. */
#define CHECK_TSKSTAT(id, stat)                 \
  do {                                          \
    T_RTSK r_;                                  \
    ER e_ = ref_tsk((id), &r_);                 \
    check_ercd(e_, E_OK);                       \
    check_assert(r_.tskstat == (STAT)(stat));   \
  } while (0)

/* ref_tsk(id) must succeed and report TTS_WAI with wait cause `wait`. */
#define CHECK_WAIT(id, wait)                      \
  do {                                            \
    T_RTSK r_;                                    \
    ER e_ = ref_tsk((id), &r_);                   \
    check_ercd(e_, E_OK);                         \
    check_assert(r_.tskstat == TTS_WAI);          \
    check_assert(r_.tskwait == (STAT)(wait));     \
  } while (0)

/* ref_tsk(id) must succeed and report TTS_WAI with wait cause `wait` on object `obj`. */
#define CHECK_WAIT_OBJ(id, wait, obj)             \
  do {                                            \
    T_RTSK r_;                                    \
    ER e_ = ref_tsk((id), &r_);                   \
    check_ercd(e_, E_OK);                         \
    check_assert(r_.tskstat == TTS_WAI);          \
    check_assert(r_.tskwait == (STAT)(wait));     \
    check_assert(r_.wobjid == (ID)(obj));         \
  } while (0)

/* Waits until just after a tick boundary, then reads the system time into t0. */
#define ALIGN_GET_TIM(t0)            \
  do {                               \
    ER e_ = dly_tsk(1U);             \
    check_ercd(e_, E_OK);            \
    e_ = get_tim(&(t0));             \
    check_ercd(e_, E_OK);            \
  } while (0)

/* The system time must be t0 + n or t0 + n + 1. */
#define CHECK_ELAPSED(t0, n)                                                       \
  do {                                                                             \
    SYSTIM t_;                                                                     \
    ER e_ = get_tim(&t_);                                                          \
    check_ercd(e_, E_OK);                                                          \
    check_assert(t_ - (t0) >= (SYSTIM)(n) && t_ - (t0) <= (SYSTIM)(n) + 1U);       \
  } while (0)

#endif /* CHECK_MACROS_H */
