// Priority data queues (TOPPERS/ASP 1.9: CRE_PDQ, snd_pdq ... ref_pdq). Data are kept by
// ascending priority value (1 first), FIFO among equals, in nodes from the queue's own area
// of pdqcnt nodes. Senders wait in the order of TA_TPRI; receivers always in FIFO order.
#include "core.hpp"

using namespace itron;

namespace itron {
void init_priority_dataqueues() {
  for (uint_t i = 0; i < itron_config.tnum_pdq; ++i) {
    PdqCB* q = &itron_config.pdqcb[i];
    q->init = &itron_config.pdqinib[i];
    q->send_queue.init();
    q->recv_queue.init();
    q->count = 0;
    q->head = nullptr;
    q->free = nullptr;
    for (uint_t n = q->init->pdqcnt; n-- > 0;) {  // every node on the free list
      q->init->pdqmb[n].next = q->free;
      q->free = &q->init->pdqmb[n];
    }
  }
}
}  // namespace itron

namespace {

PdqCB* pdq_of(ID id) { return &itron_config.pdqcb[id - 1]; }

bool valid_pri(const PdqCB* q, PRI datapri) { return datapri >= TMIN_DPRI && datapri <= q->init->maxdpri; }

// Behind every datum of the same or a higher priority (a smaller value).
void enqueue(PdqCB* q, intptr_t data, PRI pri) {
  PdqNode* node = q->free;
  q->free = node->next;
  node->data = data;
  node->pri = pri;
  PdqNode** at = &q->head;
  while (*at != nullptr && (*at)->pri <= pri) at = &(*at)->next;
  node->next = *at;
  *at = node;
  ++q->count;
}

void dequeue(PdqCB* q, intptr_t* p_data, PRI* p_pri) {
  PdqNode* node = q->head;
  q->head = node->next;
  *p_data = node->data;
  *p_pri = node->pri;
  node->next = q->free;
  q->free = node;
  --q->count;
}

// Sends without waiting: to a waiting receiver, or into the queue. False if neither.
bool try_send(PdqCB* q, intptr_t data, PRI pri, bool* dispatch) {
  if (!q->recv_queue.empty()) {
    TaskCB* t = task_of(q->recv_queue.next);
    t->wait.pdq.data = data;
    t->wait.pdq.pri = pri;
    *dispatch = wait_release(t, E_OK);
    return true;
  }
  if (q->count < q->init->pdqcnt) {
    enqueue(q, data, pri);
    return true;
  }
  return false;
}

// Receives without waiting: the head, whose place the first waiting sender's datum takes,
// or (capacity 0) a waiting sender's datum directly. False if there is none.
bool try_receive(PdqCB* q, intptr_t* p_data, PRI* p_pri, bool* dispatch) {
  if (q->count > 0) {
    dequeue(q, p_data, p_pri);
    if (!q->send_queue.empty()) {
      TaskCB* t = task_of(q->send_queue.next);
      enqueue(q, t->wait.pdq.data, t->wait.pdq.pri);
      *dispatch = wait_release(t, E_OK);
    }
    return true;
  }
  if (!q->send_queue.empty()) {
    TaskCB* t = task_of(q->send_queue.next);
    *p_data = t->wait.pdq.data;
    *p_pri = t->wait.pdq.pri;
    *dispatch = wait_release(t, E_OK);
    return true;
  }
  return false;
}

ER send(ID pdqid, intptr_t data, PRI datapri, TMO tmout, Form form = Form::waiting) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(pdqid, itron_config.tnum_pdq)) return E_ID;
  PdqCB* q = pdq_of(pdqid);
  if (!valid_pri(q, datapri) || !valid_tmout(tmout)) return E_PAR;
  if (!may_call(form, tmout)) return E_CTX;
  TaskLock lock;
  bool dispatch = false;
  if (try_send(q, data, datapri, &dispatch)) {
    if (dispatch) dispatch_if_needed();
    return E_OK;
  }
  if (tmout == TMO_POL) return E_TMOUT;
  k.runtsk->wait.pdq.data = data;
  k.runtsk->wait.pdq.pri = datapri;
  return wait_and_dispatch(TTW_SPDQ, pdqid, &q->send_queue, q->init->pdqatr & TA_TPRI, tmout);
}

ER receive(ID pdqid, intptr_t* p_data, PRI* p_datapri, TMO tmout, Form form = Form::waiting) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(pdqid, itron_config.tnum_pdq)) return E_ID;
  if (!valid_tmout(tmout)) return E_PAR;
  if (!may_call(form, tmout)) return E_CTX;
  PdqCB* q = pdq_of(pdqid);
  TaskLock lock;
  bool dispatch = false;
  if (try_receive(q, p_data, p_datapri, &dispatch)) {
    if (dispatch) dispatch_if_needed();
    return E_OK;
  }
  if (tmout == TMO_POL) return E_TMOUT;
  const ER ercd = wait_and_dispatch(TTW_RPDQ, pdqid, &q->recv_queue, false, tmout);
  if (ercd == E_OK) {
    *p_data = k.runtsk->wait.pdq.data;
    *p_datapri = k.runtsk->wait.pdq.pri;
  }
  return ercd;
}

}  // namespace

extern "C" {

ER snd_pdq(ID pdqid, intptr_t data, PRI datapri) { return send(pdqid, data, datapri, TMO_FEVR); }
ER psnd_pdq(ID pdqid, intptr_t data, PRI datapri) { return send(pdqid, data, datapri, TMO_POL, Form::polling); }
ER tsnd_pdq(ID pdqid, intptr_t data, PRI datapri, TMO tmout) { return send(pdqid, data, datapri, tmout); }

ER ipsnd_pdq(ID pdqid, intptr_t data, PRI datapri) {
  if (!handler_ok()) return E_CTX;
  if (!valid_id(pdqid, itron_config.tnum_pdq)) return E_ID;
  PdqCB* q = pdq_of(pdqid);
  if (!valid_pri(q, datapri)) return E_PAR;
  HandlerLock lock;
  bool dispatch = false;
  return try_send(q, data, datapri, &dispatch) ? E_OK : E_TMOUT;
}

ER rcv_pdq(ID pdqid, intptr_t* p_data, PRI* p_datapri) { return receive(pdqid, p_data, p_datapri, TMO_FEVR); }
ER prcv_pdq(ID pdqid, intptr_t* p_data, PRI* p_datapri) {
  return receive(pdqid, p_data, p_datapri, TMO_POL, Form::polling);
}
ER trcv_pdq(ID pdqid, intptr_t* p_data, PRI* p_datapri, TMO tmout) {
  return receive(pdqid, p_data, p_datapri, tmout);
}

ER ini_pdq(ID pdqid) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(pdqid, itron_config.tnum_pdq)) return E_ID;
  PdqCB* q = pdq_of(pdqid);
  TaskLock lock;
  bool dispatch = wait_release_all(&q->send_queue, E_DLT);
  dispatch |= wait_release_all(&q->recv_queue, E_DLT);
  while (q->count > 0) {
    intptr_t data;
    PRI pri;
    dequeue(q, &data, &pri);
  }
  if (dispatch) dispatch_if_needed();
  return E_OK;
}

ER ref_pdq(ID pdqid, T_RPDQ* pk_rpdq) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(pdqid, itron_config.tnum_pdq)) return E_ID;
  PdqCB* q = pdq_of(pdqid);
  TaskLock lock;
  pk_rpdq->stskid = first_waiter(q->send_queue);
  pk_rpdq->rtskid = first_waiter(q->recv_queue);
  pk_rpdq->spdqcnt = q->count;
  return E_OK;
}

}  // extern "C"
