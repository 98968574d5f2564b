// System state management (μITRON 4.0 section 4.7) and kernel exit (TOPPERS/ASP).
#include "core.hpp"

using namespace itron;

extern "C" {

ER rot_rdq(PRI tskpri) {
  if (!task_ok()) return E_CTX;
  if (tskpri != TPRI_SELF && (tskpri < TMIN_TPRI || tskpri > TMAX_TPRI)) return E_PAR;
  TaskLock lock;
  const uint_t pri = tskpri == TPRI_SELF ? k.runtsk->pri : static_cast<uint_t>(tskpri - 1);
  if (rotate_ready_queue(pri)) dispatch_if_needed();
  return E_OK;
}

ER irot_rdq(PRI tskpri) {
  if (!handler_ok()) return E_CTX;
  if (tskpri < TMIN_TPRI || tskpri > TMAX_TPRI) return E_PAR;
  HandlerLock lock;
  rotate_ready_queue(static_cast<uint_t>(tskpri - 1));
  return E_OK;
}

ER get_tid(ID* p_tskid) {
  if (!task_ok()) return E_CTX;
  *p_tskid = id_of(k.runtsk);
  return E_OK;
}

ER iget_tid(ID* p_tskid) {
  if (!handler_ok()) return E_CTX;
  *p_tskid = k.runtsk == nullptr ? TSK_NONE : id_of(k.runtsk);
  return E_OK;
}

ER loc_cpu(void) {
  if (!in_task()) return E_CTX;
  if (!k.locked) {
    port::cpu_lock();
    k.locked = true;
  }
  return E_OK;
}

ER iloc_cpu(void) {
  if (in_task()) return E_CTX;
  handler_lock_cpu();
  return E_OK;
}

ER unl_cpu(void) {
  if (!in_task()) return E_CTX;
  if (k.locked) {
    k.locked = false;
    port::cpu_unlock();
  }
  return E_OK;
}

ER iunl_cpu(void) {
  if (in_task()) return E_CTX;
  handler_unlock_cpu();
  return E_OK;
}

ER dis_dsp(void) {
  if (!task_ok()) return E_CTX;
  k.enadsp = false;
  return E_OK;
}

ER ena_dsp(void) {
  if (!task_ok()) return E_CTX;
  TaskLock lock;
  k.enadsp = true;
  dispatch_if_needed();
  return E_OK;
}

bool_t sns_ctx(void) { return !in_task(); }
bool_t sns_loc(void) { return k.locked; }
bool_t sns_dsp(void) { return !k.enadsp; }
bool_t sns_dpn(void) { return !in_task() || k.locked || !k.enadsp || k.ipm != TIPM_ENAALL; }
bool_t sns_ker(void) { return !k.started; }

ER ext_ker(void) {
  port::cpu_lock();
  k.locked = true;
  stop_kernel();
}

// TOPPERS/JSP's names (t_services.h).
void kernel_exit(void) { ext_ker(); }
void kernel_abort(void) { ext_ker(); }
bool_t vsns_ini(void) { return sns_ker(); }

}  // extern "C"

namespace itron {

[[noreturn]] void stop_kernel() {
  // Termination routines run in the reverse order of their ATT_TER (TOPPERS/ASP).
  for (uint_t i = itron_config.tnum_ter; i-- > 0;) {
    const RtnInit& r = itron_config.terinib[i];
    r.rtn(r.exinf);
  }
  k.started = false;
  console_flush();
  port::exit_kernel();
}

}  // namespace itron
