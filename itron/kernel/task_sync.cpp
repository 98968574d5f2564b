// Task-dependent synchronization calls (μITRON 4.0 section 4.2).
#include "core.hpp"

using namespace itron;

namespace {

ER sleep(TMO tmout) {
  TaskLock lock;
  TaskCB* t = k.runtsk;
  if (t->wupcnt > 0) {
    --t->wupcnt;
    return E_OK;
  }
  if (tmout == TMO_POL) return E_TMOUT;
  return wait_and_dispatch(TTW_SLP, 0, nullptr, false, tmout);
}

// Returns E_OK, E_OBJ or E_QOVR; sets *dispatch.
ER wakeup(TaskCB* t, bool* dispatch) {
  if (t->state == TS_DORMANT) return E_OBJ;
  if ((t->state & TS_WAITING) && t->wait.kind == TTW_SLP) {
    *dispatch = wait_release(t, E_OK);
    return E_OK;
  }
  if (t->wupcnt >= TMAX_WUPCNT) return E_QOVR;
  ++t->wupcnt;
  return E_OK;
}

ER release_wait(TaskCB* t, bool* dispatch) {
  if (!(t->state & TS_WAITING)) return E_OBJ;
  *dispatch = wait_release(t, E_RLWAI);
  return E_OK;
}

ER resume(ID tskid) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(tskid, itron_config.tnum_tsk)) return E_ID;
  TaskCB* t = tcb_of(tskid);
  TaskLock lock;
  if (!(t->state & TS_SUSPENDED)) return E_OBJ;
  if (t->state == TS_SUSPENDED) {
    if (make_runnable(t)) dispatch_if_needed();
  } else {
    t->state = TS_WAITING;
  }
  return E_OK;
}

}  // namespace

extern "C" {

ER slp_tsk(void) {
  if (!task_ok() || !may_wait()) return E_CTX;
  return sleep(TMO_FEVR);
}

ER tslp_tsk(TMO tmout) {
  if (!task_ok()) return E_CTX;
  if (!valid_tmout(tmout)) return E_PAR;
  if (!may_call(Form::waiting, tmout)) return E_CTX;
  return sleep(tmout);
}

ER wup_tsk(ID tskid) {
  if (!task_ok()) return E_CTX;
  TaskCB* t = task_arg(tskid);
  if (t == nullptr) return E_ID;
  TaskLock lock;
  bool dispatch = false;
  const ER ercd = wakeup(t, &dispatch);
  if (dispatch) dispatch_if_needed();
  return ercd;
}

ER iwup_tsk(ID tskid) {
  if (!handler_ok()) return E_CTX;
  if (!valid_id(tskid, itron_config.tnum_tsk)) return E_ID;
  HandlerLock lock;
  bool dispatch = false;
  return wakeup(tcb_of(tskid), &dispatch);
}

ER_UINT can_wup(ID tskid) {
  if (!task_ok()) return E_CTX;
  TaskCB* t = task_arg(tskid);
  if (t == nullptr) return E_ID;
  TaskLock lock;
  if (t->state == TS_DORMANT) return E_OBJ;
  const ER_UINT n = t->wupcnt;
  t->wupcnt = 0;
  return n;
}

ER rel_wai(ID tskid) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(tskid, itron_config.tnum_tsk)) return E_ID;
  TaskLock lock;
  bool dispatch = false;
  const ER ercd = release_wait(tcb_of(tskid), &dispatch);
  if (dispatch) dispatch_if_needed();
  return ercd;
}

ER irel_wai(ID tskid) {
  if (!handler_ok()) return E_CTX;
  if (!valid_id(tskid, itron_config.tnum_tsk)) return E_ID;
  HandlerLock lock;
  bool dispatch = false;
  return release_wait(tcb_of(tskid), &dispatch);
}

ER sus_tsk(ID tskid) {
  if (!task_ok()) return E_CTX;
  TaskCB* t = task_arg(tskid);
  if (t == nullptr) return E_ID;
  if (t == k.runtsk && !dispatch_allowed()) return E_CTX;
  TaskLock lock;
  if (t->state == TS_DORMANT) return E_OBJ;
  if (t->state & TS_SUSPENDED) return E_QOVR;
  if (t->state == TS_RUNNABLE) {
    make_non_runnable(t);
    t->state = TS_SUSPENDED;
    dispatch_if_needed();
  } else {
    t->state = TS_WAITING | TS_SUSPENDED;
  }
  return E_OK;
}

ER rsm_tsk(ID tskid) { return resume(tskid); }
ER frsm_tsk(ID tskid) { return resume(tskid); }  // TMAX_SUSCNT = 1: the same as rsm_tsk

ER dly_tsk(RELTIM dlytim) {
  if (!task_ok() || !may_wait()) return E_CTX;
  if (dlytim > TMAX_RELTIM) return E_PAR;
  TaskLock lock;
  return wait_and_dispatch(TTW_DLY, 0, nullptr, false, static_cast<TMO>(dlytim));
}

}  // extern "C"
