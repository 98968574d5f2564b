// Interrupt lines and the interrupt priority mask (TOPPERS/ASP: CFG_INT, dis_int, ena_int,
// chg_ipm, get_ipm) and the CPU-exception sense calls (xsns_dpn, xsns_xpn).
#include "core.hpp"

using namespace itron;

namespace itron {
void init_interrupts() {
  k.ipm = TIPM_ENAALL;
  for (uint_t i = 0; i < itron_config.tnum_int; ++i) {
    const IntInit& l = itron_config.intinib[i];
    port::line_enable(l.intno, l.intatr & TA_ENAINT);
  }
}
}  // namespace itron

namespace {

// dis_int and ena_int: μITRON and JSP: from task and non-task context, not in the CPU-locked
// state; ASP: from task context only, in the CPU-locked state too.
ER set_line(INTNO intno, bool enable) {
  if (kFlavor == Flavor::asp ? !in_task() : k.locked) return E_CTX;
  if (intno >= TNUM_INTNO) return E_PAR;
  if (!port::line_configured(intno)) return E_OBJ;
  LockIfNeeded lock;
  port::line_enable(intno, enable);
  return E_OK;
}

// The context a CPU exception interrupted was a handler, or had the CPU locked.
bool exc_in_handler(const T_EXCINF* e) { return e->nest != 0; }
bool exc_locked(const T_EXCINF* e) { return (e->eflags & 0x200u) == 0 || k.locked; }

}  // namespace

extern "C" {

ER dis_int(INTNO intno) { return set_line(intno, false); }

ER ena_int(INTNO intno) { return set_line(intno, true); }

ER chg_ipm(PRI intpri) {
  if (!task_ok()) return E_CTX;
  if (intpri < TMIN_INTPRI || intpri > TIPM_ENAALL) return E_PAR;
  TaskLock lock;
  k.ipm = intpri;
  port::apply_ipm(intpri);
  if (intpri == TIPM_ENAALL) dispatch_if_needed();
  return E_OK;
}

ER get_ipm(PRI* p_intpri) {
  if (!task_ok()) return E_CTX;
  *p_intpri = k.ipm;
  return E_OK;
}

bool_t xsns_dpn(void* p_excinf) {
  const T_EXCINF* e = static_cast<const T_EXCINF*>(p_excinf);
  return exc_in_handler(e) || exc_locked(e) || !k.enadsp || k.ipm != TIPM_ENAALL;
}

// TOPPERS/JSP's names for the interrupted context's state (t_services.h).
bool_t vxsns_ctx(void* p_excinf) { return exc_in_handler(static_cast<const T_EXCINF*>(p_excinf)); }
bool_t vxsns_loc(void* p_excinf) { return exc_locked(static_cast<const T_EXCINF*>(p_excinf)); }
bool_t vxsns_dsp(void*) { return !k.enadsp; }
bool_t vxsns_dpn(void* p_excinf) { return xsns_dpn(p_excinf); }
bool_t vxsns_tex(void* p_excinf) { return xsns_xpn(p_excinf); }

bool_t xsns_xpn(void* p_excinf) {
  const T_EXCINF* e = static_cast<const T_EXCINF*>(p_excinf);
  return exc_in_handler(e) || exc_locked(e) || k.runtsk == nullptr || !k.runtsk->enatex ||
         k.ipm != TIPM_ENAALL;
}

}  // extern "C"
