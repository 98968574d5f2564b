// System time (μITRON 4.0 section 4.6.1) and get_utm (TOPPERS/ASP).
#include "core.hpp"

using namespace itron;

namespace {
SYSUTM last_utm;  // get_utm never goes backwards
}

extern "C" {

ER set_tim(SYSTIM systim) {
  if (!task_ok()) return E_CTX;
  TaskLock lock;
  // Only the clock moves: relative timeouts keep their length (μITRON 4.0).
  k.time_offset = systim - static_cast<SYSTIM>(k.tick);
  return E_OK;
}

// μITRON 4.0: from non-task context too; ASP and JSP: task context only.
ER get_tim(SYSTIM* p_systim) {
  if (kFlavor == Flavor::itron ? k.locked : !task_ok()) return E_CTX;
  *p_systim = static_cast<SYSTIM>(k.tick) + k.time_offset;
  return E_OK;
}

ER get_utm(SYSUTM* p_sysutm) {
  // Callable in every state, so it locks the CPU itself when it has to.
  SYSUTM utm;
  {
    LockIfNeeded lock;
    utm = k.tick * 1000u + port::tick_elapsed_us();
    if (utm < last_utm) utm = last_utm;  // the tick interrupt is pending: hold still
    last_utm = utm;
  }
  *p_sysutm = utm;
  return E_OK;
}

// TOPPERS/JSP's name for it (t_services.h: SYSUTIM is SYSUTM, µs). JSP allows it in task
// context only (the CPU may be locked).
ER vxget_tim(SYSUTM* p_sysutim) {
  if (kFlavor == Flavor::jsp && !in_task()) return E_CTX;
  return get_utm(p_sysutim);
}

ER isig_tim(void) {
  if (!handler_ok()) return E_CTX;
  HandlerLock lock;
  signal_time();
  return E_OK;
}

}  // extern "C"
