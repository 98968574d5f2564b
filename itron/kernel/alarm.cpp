// Alarm handlers (TOPPERS/ASP; μITRON 4.0 section 4.6.3): one call, at least almtim
// milliseconds after it was started.
#include "core.hpp"

using namespace itron;

namespace {

AlmCB* alm_of(ID id) { return &itron_config.almcb[id - 1]; }
AlmCB* alm_from(TimeEvent* ev) {
  return reinterpret_cast<AlmCB*>(reinterpret_cast<char*>(ev) - offsetof(AlmCB, ev));
}

void fire(TimeEvent* ev) {
  AlmCB* a = alm_from(ev);
  a->started = false;
  a->init->almhdr(a->init->exinf);
  handler_unlock_cpu();  // a handler that returns CPU-locked is unlocked (ASP)
}

void start(AlmCB* a, RELTIM almtim) {
  if (tmevt_queued(&a->ev)) tmevt_dequeue(&a->ev);
  tmevt_enqueue_after(&a->ev, almtim);
  a->started = true;
}

void stop(AlmCB* a) {
  if (tmevt_queued(&a->ev)) tmevt_dequeue(&a->ev);
  a->started = false;
}

}  // namespace

namespace itron {
void init_alarms() {
  for (uint_t i = 0; i < itron_config.tnum_alm; ++i) {
    AlmCB* a = &itron_config.almcb[i];
    a->init = &itron_config.alminib[i];
    a->ev.index = 0;
    a->ev.fire = fire;
    a->started = false;
  }
}
}  // namespace itron

extern "C" {

ER sta_alm(ID almid, RELTIM almtim) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(almid, itron_config.tnum_alm)) return E_ID;
  if (almtim > TMAX_RELTIM) return E_PAR;
  TaskLock lock;
  start(alm_of(almid), almtim);
  return E_OK;
}

ER ista_alm(ID almid, RELTIM almtim) {
  if (!handler_ok()) return E_CTX;
  if (!valid_id(almid, itron_config.tnum_alm)) return E_ID;
  if (almtim > TMAX_RELTIM) return E_PAR;
  HandlerLock lock;
  start(alm_of(almid), almtim);
  return E_OK;
}

ER stp_alm(ID almid) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(almid, itron_config.tnum_alm)) return E_ID;
  TaskLock lock;
  stop(alm_of(almid));
  return E_OK;
}

ER istp_alm(ID almid) {
  if (!handler_ok()) return E_CTX;
  if (!valid_id(almid, itron_config.tnum_alm)) return E_ID;
  HandlerLock lock;
  stop(alm_of(almid));
  return E_OK;
}

ER ref_alm(ID almid, T_RALM* pk_ralm) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(almid, itron_config.tnum_alm)) return E_ID;
  AlmCB* a = alm_of(almid);
  TaskLock lock;
  pk_ralm->almstat = a->started ? TALM_STA : TALM_STP;
  pk_ralm->lefttim = a->started ? tmevt_left(&a->ev) : 0;
  return E_OK;
}

}  // extern "C"
