// Data queues (μITRON 4.0 section 4.4.3; fsnd_dtq and ini_dtq from TOPPERS/ASP).
// The send wait queue follows the TA_TPRI attribute; receivers wait in FIFO order.
#include "core.hpp"

using namespace itron;

namespace itron {
void init_dataqueues() {
  for (uint_t i = 0; i < itron_config.tnum_dtq; ++i) {
    DtqCB* d = &itron_config.dtqcb[i];
    d->init = &itron_config.dtqinib[i];
    d->send_queue.init();
    d->recv_queue.init();
    d->count = d->head = 0;
  }
}
}  // namespace itron

namespace {

DtqCB* dtq_of(ID id) { return &itron_config.dtqcb[id - 1]; }

void push(DtqCB* d, intptr_t data) {
  const uint_t cap = d->init->dtqcnt;
  uint_t tail = d->head + d->count;
  if (tail >= cap) tail -= cap;
  d->init->dtqmb[tail] = data;
  ++d->count;
}

intptr_t pop(DtqCB* d) {
  const intptr_t data = d->init->dtqmb[d->head];
  if (++d->head == d->init->dtqcnt) d->head = 0;
  --d->count;
  return data;
}

// Sends without waiting: hands the data to a waiting receiver or buffers it.
// Returns false if neither is possible.
bool try_send(DtqCB* d, intptr_t data, bool* dispatch) {
  if (!d->recv_queue.empty()) {
    TaskCB* t = task_of(d->recv_queue.next);
    t->wait.data = data;
    *dispatch = wait_release(t, E_OK);
    return true;
  }
  if (d->count < d->init->dtqcnt) {
    push(d, data);
    return true;
  }
  return false;
}

// Receives without waiting. Returns false if there is nothing.
bool try_receive(DtqCB* d, intptr_t* p_data, bool* dispatch) {
  if (d->count > 0) {
    *p_data = pop(d);
    if (!d->send_queue.empty()) {  // a waiting sender's data fills the freed slot
      TaskCB* t = task_of(d->send_queue.next);
      push(d, t->wait.data);
      *dispatch = wait_release(t, E_OK);
    }
    return true;
  }
  if (!d->send_queue.empty()) {  // synchronous queue (dtqcnt 0)
    TaskCB* t = task_of(d->send_queue.next);
    *p_data = t->wait.data;
    *dispatch = wait_release(t, E_OK);
    return true;
  }
  return false;
}

void force_send(DtqCB* d, intptr_t data, bool* dispatch) {
  if (try_send(d, data, dispatch)) return;
  (void)pop(d);  // full: the oldest datum is lost
  push(d, data);
}

ER send(ID dtqid, intptr_t data, TMO tmout, Form form = Form::waiting) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(dtqid, itron_config.tnum_dtq)) return E_ID;
  if (!valid_tmout(tmout)) return E_PAR;
  if (!may_call(form, tmout)) return E_CTX;
  DtqCB* d = dtq_of(dtqid);
  TaskLock lock;
  bool dispatch = false;
  if (try_send(d, data, &dispatch)) {
    if (dispatch) dispatch_if_needed();
    return E_OK;
  }
  if (tmout == TMO_POL) return E_TMOUT;
  k.runtsk->wait.data = data;
  return wait_and_dispatch(TTW_SDTQ, dtqid, &d->send_queue, d->init->dtqatr & TA_TPRI, tmout);
}

ER receive(ID dtqid, intptr_t* p_data, TMO tmout, Form form = Form::waiting) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(dtqid, itron_config.tnum_dtq)) return E_ID;
  if (!valid_tmout(tmout)) return E_PAR;
  if (!may_call(form, tmout)) return E_CTX;
  DtqCB* d = dtq_of(dtqid);
  TaskLock lock;
  bool dispatch = false;
  if (try_receive(d, p_data, &dispatch)) {
    if (dispatch) dispatch_if_needed();
    return E_OK;
  }
  if (tmout == TMO_POL) return E_TMOUT;
  const ER ercd = wait_and_dispatch(TTW_RDTQ, dtqid, &d->recv_queue, false, tmout);
  if (ercd == E_OK) *p_data = k.runtsk->wait.data;
  return ercd;
}

}  // namespace

extern "C" {

ER snd_dtq(ID dtqid, intptr_t data) { return send(dtqid, data, TMO_FEVR); }
ER psnd_dtq(ID dtqid, intptr_t data) { return send(dtqid, data, TMO_POL, Form::polling); }
ER tsnd_dtq(ID dtqid, intptr_t data, TMO tmout) { return send(dtqid, data, tmout); }

ER ipsnd_dtq(ID dtqid, intptr_t data) {
  if (!handler_ok()) return E_CTX;
  if (!valid_id(dtqid, itron_config.tnum_dtq)) return E_ID;
  HandlerLock lock;
  bool dispatch = false;
  return try_send(dtq_of(dtqid), data, &dispatch) ? E_OK : E_TMOUT;
}

ER fsnd_dtq(ID dtqid, intptr_t data) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(dtqid, itron_config.tnum_dtq)) return E_ID;
  DtqCB* d = dtq_of(dtqid);
  if (d->init->dtqcnt == 0) return E_ILUSE;
  TaskLock lock;
  bool dispatch = false;
  force_send(d, data, &dispatch);
  if (dispatch) dispatch_if_needed();
  return E_OK;
}

ER ifsnd_dtq(ID dtqid, intptr_t data) {
  if (!handler_ok()) return E_CTX;
  if (!valid_id(dtqid, itron_config.tnum_dtq)) return E_ID;
  DtqCB* d = dtq_of(dtqid);
  if (d->init->dtqcnt == 0) return E_ILUSE;
  HandlerLock lock;
  bool dispatch = false;
  force_send(d, data, &dispatch);
  return E_OK;
}

ER rcv_dtq(ID dtqid, intptr_t* p_data) { return receive(dtqid, p_data, TMO_FEVR); }
ER prcv_dtq(ID dtqid, intptr_t* p_data) { return receive(dtqid, p_data, TMO_POL, Form::polling); }
ER trcv_dtq(ID dtqid, intptr_t* p_data, TMO tmout) { return receive(dtqid, p_data, tmout); }

ER ini_dtq(ID dtqid) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(dtqid, itron_config.tnum_dtq)) return E_ID;
  DtqCB* d = dtq_of(dtqid);
  TaskLock lock;
  bool dispatch = wait_release_all(&d->send_queue, E_DLT);
  dispatch |= wait_release_all(&d->recv_queue, E_DLT);
  d->count = d->head = 0;
  if (dispatch) dispatch_if_needed();
  return E_OK;
}

ER ref_dtq(ID dtqid, T_RDTQ* pk_rdtq) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(dtqid, itron_config.tnum_dtq)) return E_ID;
  DtqCB* d = dtq_of(dtqid);
  TaskLock lock;
  pk_rdtq->stskid = first_waiter(d->send_queue);
  pk_rdtq->rtskid = first_waiter(d->recv_queue);
  pk_rdtq->sdtqcnt = d->count;
  return E_OK;
}

}  // extern "C"
