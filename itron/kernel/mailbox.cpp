// Mailboxes (μITRON 4.0 section 4.4.4): messages linked through their T_MSG header, in
// FIFO or message-priority order (TA_MPRI); receivers wait per TA_TPRI.
#include "core.hpp"

using namespace itron;

namespace itron {
void init_mailboxes() {
  for (uint_t i = 0; i < itron_config.tnum_mbx; ++i) {
    MbxCB* m = &itron_config.mbxcb[i];
    m->init = &itron_config.mbxinib[i];
    m->wait_queue.init();
    m->head = m->tail = nullptr;
  }
}
}  // namespace itron

namespace {

MbxCB* mbx_of(ID id) { return &itron_config.mbxcb[id - 1]; }
PRI pri_of(T_MSG* msg) { return reinterpret_cast<T_MSG_PRI*>(msg)->msgpri; }

void enqueue(MbxCB* m, T_MSG* msg) {
  msg->pk_next = nullptr;
  if (m->head == nullptr) {
    m->head = m->tail = msg;
    return;
  }
  if (!(m->init->mbxatr & TA_MPRI) || pri_of(m->tail) <= pri_of(msg)) {
    m->tail->pk_next = msg;
    m->tail = msg;
    return;
  }
  // Priority order, FIFO among equals: before the first message of lower priority.
  T_MSG** link = &m->head;
  while (pri_of(*link) <= pri_of(msg)) link = &(*link)->pk_next;
  msg->pk_next = *link;
  *link = msg;
}

ER receive(ID mbxid, T_MSG** ppk_msg, TMO tmout, Form form = Form::waiting) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(mbxid, itron_config.tnum_mbx)) return E_ID;
  if (!valid_tmout(tmout)) return E_PAR;
  if (!may_call(form, tmout)) return E_CTX;
  MbxCB* m = mbx_of(mbxid);
  TaskLock lock;
  if (m->head != nullptr) {
    *ppk_msg = m->head;
    m->head = m->head->pk_next;
    if (m->head == nullptr) m->tail = nullptr;
    return E_OK;
  }
  if (tmout == TMO_POL) return E_TMOUT;
  const ER ercd = wait_and_dispatch(TTW_MBX, mbxid, &m->wait_queue, m->init->mbxatr & TA_TPRI, tmout);
  if (ercd == E_OK) *ppk_msg = k.runtsk->wait.msg;
  return ercd;
}

}  // namespace

extern "C" {

ER snd_mbx(ID mbxid, T_MSG* pk_msg) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(mbxid, itron_config.tnum_mbx)) return E_ID;
  MbxCB* m = mbx_of(mbxid);
  if (pk_msg == nullptr) return E_PAR;
  if ((m->init->mbxatr & TA_MPRI) &&
      (pri_of(pk_msg) < TMIN_MPRI || pri_of(pk_msg) > m->init->maxmpri)) {
    return E_PAR;
  }
  TaskLock lock;
  if (!m->wait_queue.empty()) {
    TaskCB* t = task_of(m->wait_queue.next);
    t->wait.msg = pk_msg;
    if (wait_release(t, E_OK)) dispatch_if_needed();
    return E_OK;
  }
  enqueue(m, pk_msg);
  return E_OK;
}

ER rcv_mbx(ID mbxid, T_MSG** ppk_msg) { return receive(mbxid, ppk_msg, TMO_FEVR); }
ER prcv_mbx(ID mbxid, T_MSG** ppk_msg) { return receive(mbxid, ppk_msg, TMO_POL, Form::polling); }
ER trcv_mbx(ID mbxid, T_MSG** ppk_msg, TMO tmout) { return receive(mbxid, ppk_msg, tmout); }

ER ini_mbx(ID mbxid) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(mbxid, itron_config.tnum_mbx)) return E_ID;
  MbxCB* m = mbx_of(mbxid);
  TaskLock lock;
  const bool dispatch = wait_release_all(&m->wait_queue, E_DLT);
  m->head = m->tail = nullptr;
  if (dispatch) dispatch_if_needed();
  return E_OK;
}

ER ref_mbx(ID mbxid, T_RMBX* pk_rmbx) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(mbxid, itron_config.tnum_mbx)) return E_ID;
  MbxCB* m = mbx_of(mbxid);
  TaskLock lock;
  pk_rmbx->wtskid = first_waiter(m->wait_queue);
  pk_rmbx->pk_msg = m->head;
  return E_OK;
}

}  // extern "C"
