// Semaphores (μITRON 4.0 section 4.4.1).
#include "core.hpp"

using namespace itron;

namespace itron {
void init_semaphores() {
  for (uint_t i = 0; i < itron_config.tnum_sem; ++i) {
    SemCB* s = &itron_config.semcb[i];
    s->init = &itron_config.seminib[i];
    s->wait_queue.init();
    s->count = s->init->isemcnt;
  }
}
}  // namespace itron

namespace {

SemCB* sem_of(ID id) { return &itron_config.semcb[id - 1]; }

ER signal(SemCB* s, bool* dispatch) {
  if (!s->wait_queue.empty()) {
    *dispatch = wait_release(task_of(s->wait_queue.next), E_OK);
    return E_OK;
  }
  if (s->count >= s->init->maxsem) return E_QOVR;
  ++s->count;
  return E_OK;
}

ER wait(ID semid, TMO tmout, Form form = Form::waiting) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(semid, itron_config.tnum_sem)) return E_ID;
  if (!valid_tmout(tmout)) return E_PAR;
  if (!may_call(form, tmout)) return E_CTX;
  SemCB* s = sem_of(semid);
  TaskLock lock;
  if (s->count > 0) {
    --s->count;
    return E_OK;
  }
  if (tmout == TMO_POL) return E_TMOUT;
  return wait_and_dispatch(TTW_SEM, semid, &s->wait_queue, s->init->sematr & TA_TPRI, tmout);
}

}  // namespace

extern "C" {

ER sig_sem(ID semid) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(semid, itron_config.tnum_sem)) return E_ID;
  TaskLock lock;
  bool dispatch = false;
  const ER ercd = signal(sem_of(semid), &dispatch);
  if (dispatch) dispatch_if_needed();
  return ercd;
}

ER isig_sem(ID semid) {
  if (!handler_ok()) return E_CTX;
  if (!valid_id(semid, itron_config.tnum_sem)) return E_ID;
  HandlerLock lock;
  bool dispatch = false;
  return signal(sem_of(semid), &dispatch);
}

ER wai_sem(ID semid) { return wait(semid, TMO_FEVR); }
ER pol_sem(ID semid) { return wait(semid, TMO_POL, Form::polling); }
ER twai_sem(ID semid, TMO tmout) { return wait(semid, tmout); }

ER ini_sem(ID semid) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(semid, itron_config.tnum_sem)) return E_ID;
  SemCB* s = sem_of(semid);
  TaskLock lock;
  const bool dispatch = wait_release_all(&s->wait_queue, E_DLT);
  s->count = s->init->isemcnt;
  if (dispatch) dispatch_if_needed();
  return E_OK;
}

ER ref_sem(ID semid, T_RSEM* pk_rsem) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(semid, itron_config.tnum_sem)) return E_ID;
  SemCB* s = sem_of(semid);
  TaskLock lock;
  pk_rsem->wtskid = first_waiter(s->wait_queue);
  pk_rsem->semcnt = s->count;
  return E_OK;
}

}  // extern "C"
