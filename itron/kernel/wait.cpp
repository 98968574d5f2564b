// Waiting and releasing: wait queues in FIFO or task-priority order, timeouts.
#include "core.hpp"

namespace itron {

namespace {

void on_timeout(TimeEvent* ev) {
  TaskCB* t = reinterpret_cast<TaskCB*>(reinterpret_cast<char*>(ev) - offsetof(TaskCB, tmevt));
  // A delay ends normally; every other wait ends with E_TMOUT.
  wait_release(t, t->wait.kind == TTW_DLY ? E_OK : E_TMOUT);
}

}  // namespace

void queue_insert(Queue* queue, TaskCB* t, bool prio_order) {
  if (!prio_order) {
    queue->push_back(&t->link);
    return;
  }
  Queue* pos = queue->next;
  while (pos != queue && task_of(pos)->pri <= t->pri) pos = pos->next;
  Queue::insert_before(pos, &t->link);
}

void make_wait(uint_t kind, ID objid, Queue* queue, bool prio_order, TMO tmout) {
  TaskCB* t = k.runtsk;
  make_non_runnable(t);
  t->state = TS_WAITING;
  t->wait.kind = kind;
  t->wait.wobjid = objid;
  t->wait.queue = queue;
  t->wait.prio_order = prio_order;
  t->wait.ercd = E_OK;
  if (queue != nullptr) queue_insert(queue, t, prio_order);
  if (tmout != TMO_FEVR) {
    t->tmevt.fire = on_timeout;
    tmevt_enqueue_after(&t->tmevt, static_cast<RELTIM>(tmout));
  }
}

ER wait_and_dispatch(uint_t kind, ID objid, Queue* queue, bool prio_order, TMO tmout) {
  make_wait(kind, objid, queue, prio_order, tmout);
  port::dispatch();
  TaskCB* t = k.runtsk;
  const ER ercd = t->wait.ercd;
  if (t->enatex && t->texptn != 0) call_texrtn();
  return ercd;
}

bool wait_release(TaskCB* t, ER ercd) {
  if (t->wait.queue != nullptr) {
    Queue::remove(&t->link);
    t->wait.queue = nullptr;
  }
  if (tmevt_queued(&t->tmevt)) tmevt_dequeue(&t->tmevt);
  t->wait.ercd = ercd;
  if (t->state & TS_SUSPENDED) {
    t->state = TS_SUSPENDED;
    return false;
  }
  return make_runnable(t);
}

bool wait_release_all(Queue* queue, ER ercd) {
  bool dispatch = false;
  while (!queue->empty()) dispatch |= wait_release(task_of(queue->next), ercd);
  return dispatch;
}

void wait_requeue(TaskCB* t) {
  Queue::remove(&t->link);
  queue_insert(t->wait.queue, t, true);
}

}  // namespace itron
