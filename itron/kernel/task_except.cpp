// Task exception handling (μITRON 4.0 section 4.3).
#include "core.hpp"

using namespace itron;

namespace {

bool has_texrtn(const TaskCB* t) { return t->init->texrtn != nullptr; }

ER raise(TaskCB* t, TEXPTN rasptn) {
  if (t->state == TS_DORMANT || !has_texrtn(t)) return E_OBJ;
  t->texptn |= rasptn;
  return E_OK;
}

}  // namespace

extern "C" {

ER ras_tex(ID tskid, TEXPTN rasptn) {
  if (!task_ok()) return E_CTX;
  TaskCB* t = task_arg(tskid);
  if (t == nullptr) return E_ID;
  if (rasptn == 0) return E_PAR;
  TaskLock lock;
  const ER ercd = raise(t, rasptn);
  if (ercd == E_OK && t == k.runtsk && t->enatex) call_texrtn();
  return ercd;
}

ER iras_tex(ID tskid, TEXPTN rasptn) {
  if (!handler_ok()) return E_CTX;
  if (!valid_id(tskid, itron_config.tnum_tsk)) return E_ID;
  if (rasptn == 0) return E_PAR;
  HandlerLock lock;
  return raise(tcb_of(tskid), rasptn);  // delivered at the handler's exit
}

ER dis_tex(void) {
  if (!task_ok()) return E_CTX;
  if (!has_texrtn(k.runtsk)) return E_OBJ;
  k.runtsk->enatex = false;
  return E_OK;
}

ER ena_tex(void) {
  if (!task_ok()) return E_CTX;
  TaskCB* t = k.runtsk;
  if (!has_texrtn(t)) return E_OBJ;
  TaskLock lock;
  t->enatex = true;
  if (t->texptn != 0) call_texrtn();
  return E_OK;
}

bool_t sns_tex(void) {
  TaskCB* t = k.runtsk;
  return t == nullptr || !t->enatex;
}

ER ref_tex(ID tskid, T_RTEX* pk_rtex) {
  if (!task_ok()) return E_CTX;
  TaskCB* t = task_arg(tskid);
  if (t == nullptr) return E_ID;
  TaskLock lock;
  if (t->state == TS_DORMANT || !has_texrtn(t)) return E_OBJ;
  pk_rtex->texstat = t->enatex ? TTEX_ENA : TTEX_DIS;
  pk_rtex->pndptn = t->texptn;
  return E_OK;
}

}  // extern "C"
