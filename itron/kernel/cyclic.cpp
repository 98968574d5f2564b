// Cyclic handlers (μITRON 4.0 section 4.6.2). Activation times are kept on an exact grid
// (previous + cyctim), so a late tick never makes the period drift.
#include "core.hpp"

using namespace itron;

namespace {

CycCB* cyc_of(ID id) { return &itron_config.cyccb[id - 1]; }
CycCB* cyc_from(TimeEvent* ev) {
  return reinterpret_cast<CycCB*>(reinterpret_cast<char*>(ev) - offsetof(CycCB, ev));
}

void fire(TimeEvent* ev) {
  CycCB* c = cyc_from(ev);
  const bool phase_kept = c->init->cycatr & TA_PHS;
  if (c->started || phase_kept) tmevt_enqueue_at(&c->ev, c->ev.at + c->init->cyctim);
  if (c->started) {
    c->init->cychdr(c->init->exinf);
    handler_unlock_cpu();  // a handler that returns CPU-locked is unlocked (ASP)
  }
}

}  // namespace

namespace itron {
void init_cyclics() {
  for (uint_t i = 0; i < itron_config.tnum_cyc; ++i) {
    CycCB* c = &itron_config.cyccb[i];
    c->init = &itron_config.cycinib[i];
    c->ev.index = 0;
    c->ev.fire = fire;
    c->started = c->init->cycatr & TA_STA;
    // The first activation is cycphs after the kernel started (at its first tick if 0).
    if (c->started || (c->init->cycatr & TA_PHS)) tmevt_enqueue_at(&c->ev, c->init->cycphs);
  }
}
}  // namespace itron

extern "C" {

ER sta_cyc(ID cycid) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(cycid, itron_config.tnum_cyc)) return E_ID;
  CycCB* c = cyc_of(cycid);
  TaskLock lock;
  if constexpr (kFlavor == Flavor::asp) {  // ASP 1.x: the next call cycphs after sta_cyc
    if (tmevt_queued(&c->ev)) tmevt_dequeue(&c->ev);
    tmevt_enqueue_after(&c->ev, c->init->cycphs);
  } else if (c->init->cycatr & TA_PHS) {
    if (!tmevt_queued(&c->ev)) tmevt_enqueue_after(&c->ev, c->init->cyctim);
  } else {
    if (tmevt_queued(&c->ev)) tmevt_dequeue(&c->ev);
    tmevt_enqueue_after(&c->ev, c->init->cyctim);
  }
  c->started = true;
  return E_OK;
}

ER stp_cyc(ID cycid) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(cycid, itron_config.tnum_cyc)) return E_ID;
  CycCB* c = cyc_of(cycid);
  TaskLock lock;
  c->started = false;
  if (!(c->init->cycatr & TA_PHS) && tmevt_queued(&c->ev)) tmevt_dequeue(&c->ev);
  return E_OK;
}

ER ref_cyc(ID cycid, T_RCYC* pk_rcyc) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(cycid, itron_config.tnum_cyc)) return E_ID;
  CycCB* c = cyc_of(cycid);
  TaskLock lock;
  pk_rcyc->cycstat = c->started ? TCYC_STA : TCYC_STP;
  pk_rcyc->lefttim = tmevt_queued(&c->ev) ? tmevt_left(&c->ev) : 0;
  return E_OK;
}

}  // extern "C"
