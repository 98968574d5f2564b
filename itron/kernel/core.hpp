// The kernel's core: scheduler state, task state transitions, waiting, time events and the
// service-call skeleton helpers. Every object file includes this.
#pragma once

#include "kernel_impl.hpp"
#include "port.hpp"

namespace itron {

// ---- Kernel state ----------------------------------------------------------------------
struct KernelState {
  TaskCB* runtsk;    // the running task (nullptr while idle or before start)
  TaskCB* schedtsk;  // the task that should run (highest priority runnable)
  bool started;      // sns_ker() is false once this is set
  bool locked;       // CPU-locked state (loc_cpu/iloc_cpu), as the application sees it
  bool locked_by_port;  // an interruptible handler's iloc_cpu took the port's lock (ASP)
  bool enadsp;       // dispatching enabled (dis_dsp/ena_dsp)
  PRI ipm;           // interrupt priority mask (chg_ipm); TIPM_ENAALL = 0
  uint16_t ready_map;  // bit p set: ready_queue[p] not empty
  Queue ready_queue[TNUM_TPRI];
  uint64_t tick;     // ticks since kernel start
  SYSTIM time_offset;  // system time = tick + time_offset (set_tim)
  uint32_t tmevt_seq;
  uint_t tmevt_count;
};
// The dispatcher (port assembly) reads runtsk and schedtsk through this symbol name.
extern KernelState k asm("itron_kernel_state");

// ---- ID checks and lookups -------------------------------------------------------------
inline bool valid_id(ID id, uint_t count) { return id >= 1 && static_cast<uint_t>(id) <= count; }
inline TaskCB* tcb_of(ID id) { return &itron_config.tcb[id - 1]; }
inline ID id_of(const TaskCB* t) { return static_cast<ID>(t - itron_config.tcb) + 1; }
// A task ID argument of a task-context call: TSK_SELF is the running task; nullptr = E_ID.
inline TaskCB* task_arg(ID tskid) {
  if (tskid == TSK_SELF) return k.runtsk;
  return valid_id(tskid, itron_config.tnum_tsk) ? tcb_of(tskid) : nullptr;
}

// Context classes (see docs/itron.md for the E_CTX rules).
inline bool in_task() { return !port::in_handler(); }
// Task context, CPU unlocked: may call task-context service calls.
inline bool task_ok() { return in_task() && !k.locked; }
// Non-task context, CPU unlocked: may call i-calls.
inline bool handler_ok() { return !in_task() && !k.locked; }
// Dispatching can happen now (task context assumed).
inline bool dispatch_allowed() { return k.enadsp && k.ipm == TIPM_ENAALL && !k.locked; }
// A waiting call may block (task context, dispatching possible).
inline bool may_wait() { return dispatch_allowed(); }
// How a waiting call was made: its polling form by name (pol_sem, prcv_dtq...) or its
// waiting or timed form (wai_sem, twai_sem...).
enum class Form { polling, waiting };
// The E_CTX check of a waiting call's dispatch state (task context, CPU unlocked already
// checked). The polling forms may always be called. μITRON 4.0: a timed form given TMO_POL
// polls too; ASP and JSP check every waiting or timed form as a call that may wait, so
// twai_sem(TMO_POL) with dispatching disabled (or the mask raised) is E_CTX there.
inline bool may_call(Form form, TMO tmout) {
  if (form == Form::polling) return true;
  if (kFlavor == Flavor::itron && tmout == TMO_POL) return true;
  return may_wait();
}

// Critical section of a task-context service call: virtual interrupts off.
class TaskLock {
 public:
  TaskLock() { port::cpu_lock(); }
  ~TaskLock() { port::cpu_unlock(); }
  TaskLock(const TaskLock&) = delete;
  TaskLock& operator=(const TaskLock&) = delete;
};

// Critical section of an i-call (handler context, CPU unlocked): a lock only where a
// handler of higher priority can interrupt this one (the ASP flavour's nesting); elsewhere
// handlers run with interrupts off and this costs a test of a constant. Inside, the
// handler counts as not interruptible, so what the section calls (isig_tim's cyclic
// handlers, syslog) takes no second lock.
class HandlerLock {
 public:
  HandlerLock() : locked_(port::handler_interruptible()) {
    if (locked_) port::handler_cpu_lock();
  }
  ~HandlerLock() {
    if (locked_) port::handler_cpu_unlock();
  }
  HandlerLock(const HandlerLock&) = delete;
  HandlerLock& operator=(const HandlerLock&) = delete;

 private:
  bool locked_;
};

// iloc_cpu and iunl_cpu (and an ISR or handler that returns CPU-locked): an interruptible
// handler holds the port's lock while it is CPU-locked (k.locked_by_port records it); the
// others have interrupts off.
inline void handler_lock_cpu() {
  if (k.locked) return;
  if (port::handler_interruptible()) {
    port::cpu_lock();
    k.locked_by_port = true;
  }
  k.locked = true;
}
inline void handler_unlock_cpu() {
  if (!k.locked) return;
  k.locked = false;
  if (k.locked_by_port) {
    k.locked_by_port = false;
    port::cpu_unlock();
  }
}

// Interrupts can arrive now: task context or an interruptible handler, CPU not locked.
inline bool interrupts_can_arrive() {
  return !k.locked && (in_task() || port::handler_interruptible());
}

// For code callable in any context and state (syslog, get_utm, dis_int...): locks the CPU
// when interrupts can arrive and it is not locked already; in an interruptible handler as
// HandlerLock does, so that a HandlerLock inside takes no second lock.
class LockIfNeeded {
 public:
  LockIfNeeded() : locked_(interrupts_can_arrive()) {
    if (!locked_) return;
    if (in_task()) port::cpu_lock();
    else port::handler_cpu_lock();
  }
  ~LockIfNeeded() {
    if (!locked_) return;
    if (in_task()) port::cpu_unlock();
    else port::handler_cpu_unlock();
  }
  LockIfNeeded(const LockIfNeeded&) = delete;
  LockIfNeeded& operator=(const LockIfNeeded&) = delete;

 private:
  bool locked_;
};

// ---- Tasks (task.cpp) ------------------------------------------------------------------
void init_tasks();
// Puts t into its ready queue; returns true if it became the task to schedule.
bool make_runnable(TaskCB* t);
// Removes t from the ready queue (it is about to wait, be suspended or stop).
void make_non_runnable(TaskCB* t);
// DORMANT -> RUNNABLE with a fresh context. Returns true if a dispatch is needed.
bool make_active(TaskCB* t);
// Any state -> DORMANT (releases a wait); does not touch the activation count.
void make_dormant(TaskCB* t);
// A task that just became DORMANT starts again if activations are queued (ter_tsk, ext_tsk).
void restart_if_queued(TaskCB* t);
bool change_priority(TaskCB* t, uint_t pri);
bool rotate_ready_queue(uint_t pri);
// Switches to schedtsk if it is not the running task and dispatching is allowed; then
// runs the running task's pending task exception handler. Task context, CPU locked.
void dispatch_if_needed();
// Calls the running task's task exception handler while one is pending and allowed.
void call_texrtn();
// ext_tsk's second half, called by the port on a stack of its own.
extern "C" void itron_restart_exited();
// Interrupt/exception exit: called by the port at nesting level 0, CPU locked, with
// the interrupted context's interrupt flag (0 = it had the CPU locked).
extern "C" void itron_exit_handler(uint32_t interrupted_if);

// ---- Waiting (wait.cpp) ---------------------------------------------------------------
// Makes the running task wait. `queue` (may be null) gets it in FIFO or priority order.
// tmout > 0 arms a timeout releasing it with E_TMOUT; TMO_FEVR waits forever.
void make_wait(uint_t kind, ID objid, Queue* queue, bool prio_order, TMO tmout);
// The running task waits (make_wait) and the kernel dispatches; returns its wait result.
// Task context, CPU locked.
ER wait_and_dispatch(uint_t kind, ID objid, Queue* queue, bool prio_order, TMO tmout);
// Ends t's wait with `ercd`; returns true if a dispatch is needed.
bool wait_release(TaskCB* t, ER ercd);
// Releases every task in `queue` with `ercd` (ini_* calls). Returns true if dispatch.
bool wait_release_all(Queue* queue, ER ercd);
// Re-sorts t in its priority-ordered wait queue after its priority changed.
void wait_requeue(TaskCB* t);
inline TaskCB* task_of(Queue* link) { return reinterpret_cast<TaskCB*>(link); }
// The ID of the task at the head of a wait queue, TSK_NONE if none (ref_* calls).
inline ID first_waiter(const Queue& queue) { return queue.empty() ? TSK_NONE : id_of(task_of(queue.next)); }
// Queues t in `queue`, FIFO or by priority (FIFO among equals).
void queue_insert(Queue* queue, TaskCB* t, bool prio_order);
// The checks every timeout parameter gets: E_PAR below TMO_FEVR.
inline bool valid_tmout(TMO tmout) { return tmout >= TMO_FEVR; }

// ---- Time events (time_event.cpp) ------------------------------------------------------
void init_time_events();
// Arms ev to fire `delay` ticks after the next tick boundary (so never early).
void tmevt_enqueue_after(TimeEvent* ev, RELTIM delay);
// Arms ev at an absolute tick.
void tmevt_enqueue_at(TimeEvent* ev, uint64_t at);
void tmevt_dequeue(TimeEvent* ev);
inline bool tmevt_queued(const TimeEvent* ev) { return ev->index != 0; }
// Milliseconds until ev fires (for lefttmo/lefttim).
RELTIM tmevt_left(const TimeEvent* ev);
// Advances the tick and fires due events. Non-task context. Returns nothing; dispatch
// requests are noticed at handler exit.
void signal_time();

// ---- Objects' init (one per file) ------------------------------------------------------
void init_semaphores();
void init_eventflags();
void init_dataqueues();
void init_mailboxes();
void init_mempools();
void init_priority_dataqueues();
void init_service_routines();
void init_cyclics();
void init_alarms();
void init_interrupts();

// ---- System services ---------------------------------------------------------------------
// The console buffer shared by syslog and the serial driver (syssvc/syslog.cpp).
void console_write(const char* s, size_t n);
void console_drain();
void console_flush();
[[noreturn]] void stop_kernel();

}  // namespace itron
