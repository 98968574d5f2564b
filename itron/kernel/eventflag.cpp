// Eventflags (μITRON 4.0 section 4.4.2; TA_WMUL and TA_CLR as in TOPPERS/ASP).
#include "core.hpp"

using namespace itron;

namespace itron {
void init_eventflags() {
  for (uint_t i = 0; i < itron_config.tnum_flg; ++i) {
    FlgCB* f = &itron_config.flgcb[i];
    f->init = &itron_config.flginib[i];
    f->wait_queue.init();
    f->pattern = f->init->iflgptn;
  }
}
}  // namespace itron

namespace {

FlgCB* flg_of(ID id) { return &itron_config.flgcb[id - 1]; }

bool satisfied(FLGPTN pattern, FLGPTN waiptn, MODE wfmode) {
  return wfmode == TWF_ORW ? (pattern & waiptn) != 0 : (pattern & waiptn) == waiptn;
}

// Releases the waiting tasks whose condition now holds, in queue order.
bool release_satisfied(FlgCB* f) {
  bool dispatch = false;
  Queue* q = &f->wait_queue;
  for (Queue* e = q->next; e != q;) {
    TaskCB* t = task_of(e);
    e = e->next;
    if (!satisfied(f->pattern, t->wait.flg.waiptn, t->wait.flg.wfmode)) continue;
    t->wait.flg.flgptn = f->pattern;
    dispatch |= wait_release(t, E_OK);
    if (f->init->flgatr & TA_CLR) {
      f->pattern = 0;
      break;
    }
  }
  return dispatch;
}

ER check_wait_args(ID flgid, FLGPTN waiptn, MODE wfmode) {
  if (!valid_id(flgid, itron_config.tnum_flg)) return E_ID;
  if (waiptn == 0 || (wfmode != TWF_ANDW && wfmode != TWF_ORW)) return E_PAR;
  return E_OK;
}

ER wait(ID flgid, FLGPTN waiptn, MODE wfmode, FLGPTN* p_flgptn, TMO tmout, Form form = Form::waiting) {
  if (!task_ok()) return E_CTX;
  if (const ER e = check_wait_args(flgid, waiptn, wfmode); e != E_OK) return e;
  if (!valid_tmout(tmout)) return E_PAR;
  if (!may_call(form, tmout)) return E_CTX;
  FlgCB* f = flg_of(flgid);
  TaskLock lock;
  if (!(f->init->flgatr & TA_WMUL) && !f->wait_queue.empty()) return E_ILUSE;
  if (satisfied(f->pattern, waiptn, wfmode)) {
    *p_flgptn = f->pattern;
    if (f->init->flgatr & TA_CLR) f->pattern = 0;
    return E_OK;
  }
  if (tmout == TMO_POL) return E_TMOUT;
  TaskCB* t = k.runtsk;
  t->wait.flg.waiptn = waiptn;
  t->wait.flg.wfmode = wfmode;
  const ER ercd = wait_and_dispatch(TTW_FLG, flgid, &f->wait_queue, f->init->flgatr & TA_TPRI, tmout);
  if (ercd == E_OK) *p_flgptn = t->wait.flg.flgptn;
  return ercd;
}

}  // namespace

extern "C" {

ER set_flg(ID flgid, FLGPTN setptn) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(flgid, itron_config.tnum_flg)) return E_ID;
  FlgCB* f = flg_of(flgid);
  TaskLock lock;
  f->pattern |= setptn;
  if (release_satisfied(f)) dispatch_if_needed();
  return E_OK;
}

ER iset_flg(ID flgid, FLGPTN setptn) {
  if (!handler_ok()) return E_CTX;
  if (!valid_id(flgid, itron_config.tnum_flg)) return E_ID;
  FlgCB* f = flg_of(flgid);
  HandlerLock lock;
  f->pattern |= setptn;
  release_satisfied(f);
  return E_OK;
}

ER clr_flg(ID flgid, FLGPTN clrptn) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(flgid, itron_config.tnum_flg)) return E_ID;
  TaskLock lock;
  flg_of(flgid)->pattern &= clrptn;
  return E_OK;
}

ER wai_flg(ID flgid, FLGPTN waiptn, MODE wfmode, FLGPTN* p_flgptn) {
  return wait(flgid, waiptn, wfmode, p_flgptn, TMO_FEVR);
}
ER pol_flg(ID flgid, FLGPTN waiptn, MODE wfmode, FLGPTN* p_flgptn) {
  return wait(flgid, waiptn, wfmode, p_flgptn, TMO_POL, Form::polling);
}
ER twai_flg(ID flgid, FLGPTN waiptn, MODE wfmode, FLGPTN* p_flgptn, TMO tmout) {
  return wait(flgid, waiptn, wfmode, p_flgptn, tmout);
}

ER ini_flg(ID flgid) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(flgid, itron_config.tnum_flg)) return E_ID;
  FlgCB* f = flg_of(flgid);
  TaskLock lock;
  const bool dispatch = wait_release_all(&f->wait_queue, E_DLT);
  f->pattern = f->init->iflgptn;
  if (dispatch) dispatch_if_needed();
  return E_OK;
}

ER ref_flg(ID flgid, T_RFLG* pk_rflg) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(flgid, itron_config.tnum_flg)) return E_ID;
  FlgCB* f = flg_of(flgid);
  TaskLock lock;
  pk_rflg->wtskid = first_waiter(f->wait_queue);
  pk_rflg->flgptn = f->pattern;
  return E_OK;
}

}  // extern "C"
