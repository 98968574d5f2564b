// Task management calls (μITRON 4.0 section 4.1).
#include "core.hpp"

namespace itron {

namespace {

ER activate(TaskCB* t, bool from_task) {
  if (t->state == TS_DORMANT) {
    if (make_active(t) && from_task) dispatch_if_needed();
    return E_OK;
  }
  if (t->actcnt >= TMAX_ACTCNT) return E_QOVR;
  ++t->actcnt;
  return E_OK;
}

}  // namespace

}  // namespace itron

using namespace itron;

extern "C" {

ER act_tsk(ID tskid) {
  if (!task_ok()) return E_CTX;
  TaskCB* t = task_arg(tskid);
  if (t == nullptr) return E_ID;
  TaskLock lock;
  return activate(t, true);
}

ER iact_tsk(ID tskid) {
  if (!handler_ok()) return E_CTX;
  if (!valid_id(tskid, itron_config.tnum_tsk)) return E_ID;
  HandlerLock lock;
  return activate(tcb_of(tskid), false);
}

ER_UINT can_act(ID tskid) {
  if (!task_ok()) return E_CTX;
  TaskCB* t = task_arg(tskid);
  if (t == nullptr) return E_ID;
  TaskLock lock;
  const ER_UINT n = t->actcnt;
  t->actcnt = 0;
  return n;
}

ER ext_tsk(void) {
  if (!in_task()) return E_CTX;
  // ext_tsk is allowed in the CPU-locked and dispatch-disabled states: both are left.
  if (!k.locked) port::cpu_lock();
  k.locked = false;
  k.enadsp = true;
  if (k.ipm != TIPM_ENAALL) {
    k.ipm = TIPM_ENAALL;
    port::apply_ipm(k.ipm);
  }
  make_dormant(k.runtsk);
  // A queued activation restarts the task from the port, off this stack.
  port::exit_and_dispatch();
}

ER ter_tsk(ID tskid) {
  if (!task_ok()) return E_CTX;
  if (tskid == TSK_SELF) return E_ILUSE;
  if (!valid_id(tskid, itron_config.tnum_tsk)) return E_ID;
  TaskCB* t = tcb_of(tskid);
  if (t == k.runtsk) return E_ILUSE;
  TaskLock lock;
  if (t->state == TS_DORMANT) return E_OBJ;
  make_dormant(t);
  restart_if_queued(t);
  dispatch_if_needed();
  return E_OK;
}

ER chg_pri(ID tskid, PRI tskpri) {
  if (!task_ok()) return E_CTX;
  TaskCB* t = task_arg(tskid);
  if (t == nullptr) return E_ID;
  if (tskpri != TPRI_INI && (tskpri < TMIN_TPRI || tskpri > TMAX_TPRI)) return E_PAR;
  TaskLock lock;
  if (t->state == TS_DORMANT) return E_OBJ;
  const uint_t pri = tskpri == TPRI_INI ? t->init->ipri : static_cast<uint_t>(tskpri - 1);
  if (change_priority(t, pri)) dispatch_if_needed();
  return E_OK;
}

ER get_pri(ID tskid, PRI* p_tskpri) {
  if (!task_ok()) return E_CTX;
  TaskCB* t = task_arg(tskid);
  if (t == nullptr) return E_ID;
  TaskLock lock;
  if (t->state == TS_DORMANT) return E_OBJ;
  *p_tskpri = static_cast<PRI>(t->pri) + 1;
  return E_OK;
}

ER get_inf(intptr_t* p_exinf) {
  if (!task_ok()) return E_CTX;
  *p_exinf = k.runtsk->init->exinf;
  return E_OK;
}

ER ref_tsk(ID tskid, T_RTSK* pk_rtsk) {
  if (!task_ok()) return E_CTX;
  TaskCB* t = task_arg(tskid);
  if (t == nullptr) return E_ID;
  TaskLock lock;
  T_RTSK r{};
  r.exinf = t->init->exinf;
  r.actcnt = t->actcnt;
  if (t->state == TS_DORMANT) {
    r.tskstat = TTS_DMT;
  } else {
    if (t == k.runtsk) r.tskstat = TTS_RUN;
    else if (t->state == TS_RUNNABLE) r.tskstat = TTS_RDY;
    else if (t->state == TS_WAITING) r.tskstat = TTS_WAI;
    else if (t->state == TS_SUSPENDED) r.tskstat = TTS_SUS;
    else r.tskstat = TTS_WAS;
    r.tskpri = r.tskbpri = static_cast<PRI>(t->pri) + 1;
    if (t->state & TS_WAITING) {
      r.tskwait = t->wait.kind;
      r.wobjid = t->wait.wobjid;
      r.lefttmo = tmevt_queued(&t->tmevt) ? static_cast<TMO>(tmevt_left(&t->tmevt)) : TMO_FEVR;
    }
    r.wupcnt = t->wupcnt;
    r.suscnt = (t->state & TS_SUSPENDED) ? 1 : 0;
    r.texstat = t->enatex ? TTEX_ENA : TTEX_DIS;
    r.pndptn = t->texptn;
  }
  *pk_rtsk = r;
  return E_OK;
}

}  // extern "C"
