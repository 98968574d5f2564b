// Task states, the ready queues and the scheduler (μITRON 4.0 section 3.2).
#include "core.hpp"

namespace itron {

KernelState k;

namespace {

uint_t highest_ready() { return static_cast<uint_t>(__builtin_ctz(k.ready_map)); }

TaskCB* search_schedtsk() {
  if (k.ready_map == 0) return nullptr;
  return task_of(k.ready_queue[highest_ready()].next);
}

}  // namespace

void init_tasks() {
  k.ready_map = 0;
  for (auto& q : k.ready_queue) q.init();
  k.runtsk = k.schedtsk = nullptr;
  for (uint_t i = 0; i < itron_config.tnum_tsk; ++i) {
    TaskCB* t = &itron_config.tcb[i];
    t->init = &itron_config.tinib[i];
    t->state = TS_DORMANT;
    t->actcnt = 0;
    t->tmevt.index = 0;
    if (t->init->tskatr & TA_ACT) make_active(t);
  }
}

bool make_runnable(TaskCB* t) {
  const uint_t p = t->pri;
  t->state = TS_RUNNABLE;
  k.ready_queue[p].push_back(&t->link);
  k.ready_map = static_cast<uint16_t>(k.ready_map | (1u << p));
  if (k.schedtsk == nullptr || p < k.schedtsk->pri) {
    k.schedtsk = t;
    return true;
  }
  return false;
}

void make_non_runnable(TaskCB* t) {
  const uint_t p = t->pri;
  Queue& q = k.ready_queue[p];
  Queue::remove(&t->link);
  if (q.empty()) k.ready_map = static_cast<uint16_t>(k.ready_map & ~(1u << p));
  if (k.schedtsk == t) k.schedtsk = search_schedtsk();
}

bool make_active(TaskCB* t) {
  t->pri = static_cast<uint8_t>(t->init->ipri);
  t->wupcnt = 0;
  t->enatex = false;
  t->texptn = 0;
  port::activate_context(t);
  return make_runnable(t);
}

void make_dormant(TaskCB* t) {
  if (t->state & TS_WAITING) {
    if (t->wait.queue != nullptr) Queue::remove(&t->link);
    if (tmevt_queued(&t->tmevt)) tmevt_dequeue(&t->tmevt);
  } else if (t->state == TS_RUNNABLE) {
    make_non_runnable(t);
  }
  t->state = TS_DORMANT;
}

bool change_priority(TaskCB* t, uint_t pri) {
  if (t->state == TS_RUNNABLE) {
    make_non_runnable(t);
    t->pri = static_cast<uint8_t>(pri);
    // A priority change puts the task at the tail of its new priority (μITRON 4.0).
    make_runnable(t);
    k.schedtsk = search_schedtsk();
    return k.schedtsk != k.runtsk;
  }
  t->pri = static_cast<uint8_t>(pri);
  if ((t->state & TS_WAITING) && t->wait.queue != nullptr && t->wait.prio_order) wait_requeue(t);
  return false;
}

bool rotate_ready_queue(uint_t pri) {
  Queue& q = k.ready_queue[pri];
  if (q.empty() || q.next->next == &q) return false;
  Queue* first = q.next;
  Queue::remove(first);
  q.push_back(first);
  k.schedtsk = search_schedtsk();
  return k.schedtsk != k.runtsk;
}

void call_texrtn() {
  TaskCB* t = k.runtsk;
  while (t->enatex && t->texptn != 0 && k.ipm == TIPM_ENAALL && t->init->texrtn != nullptr) {
    const TEXPTN ptn = t->texptn;
    t->texptn = 0;
    t->enatex = false;
    const bool dsp = k.enadsp;
    // The handler may wait itself: keep the results of a wait that just ended, which the
    // interrupted service call has not read yet.
    const WaitInfo saved = t->wait;
    port::cpu_unlock();
    t->init->texrtn(ptn, t->init->exinf);
    port::cpu_lock();
    t->wait = saved;
    // Returning from the handler restores the task's states (TOPPERS/ASP): CPU unlocked,
    // dispatching as before, task exceptions enabled.
    k.locked = false;
    k.ipm = TIPM_ENAALL;
    port::apply_ipm(k.ipm);
    k.enadsp = dsp;
    t->enatex = true;
    if (k.schedtsk != t && dispatch_allowed()) port::dispatch();
  }
}

void dispatch_if_needed() {
  if (k.schedtsk != k.runtsk && dispatch_allowed()) port::dispatch();
  TaskCB* t = k.runtsk;
  if (t != nullptr && t->enatex && t->texptn != 0) call_texrtn();
}

// Called by the port's exit_and_dispatch once off the exited task's stack: a queued
// activation restarts it with a fresh context.
void restart_if_queued(TaskCB* t) {
  if (t->actcnt > 0) {
    --t->actcnt;
    make_active(t);
  }
}

extern "C" void itron_restart_exited() {
  TaskCB* t = k.runtsk;
  if (t != nullptr && t->state == TS_DORMANT) restart_if_queued(t);
}

extern "C" void itron_exit_handler(uint32_t interrupted_if) {
  // A CPU exception in a CPU-locked section returns to it unchanged, without dispatching.
  if (interrupted_if == 0) return;
  k.locked = false;  // a handler that left the CPU locked is unlocked at its exit (ASP)
  if (k.runtsk == nullptr) return;  // interrupted the idle loop: it looks at schedtsk
  dispatch_if_needed();
}

}  // namespace itron
