// Fixed-size memory pools (μITRON 4.0 section 4.5.1). Free blocks are a linked list of
// block indices in the pool's management area (mpfmb), so a released block is never
// written to: a task that uses a block after releasing it cannot corrupt the pool. A
// block in use is marked in mpfmb, which makes releasing a free block an O(1) E_PAR.
#include "core.hpp"

using namespace itron;

namespace {

constexpr uint_t kNone = ~0u;
constexpr uint_t kInUse = ~0u - 1;

MpfCB* mpf_of(ID id) { return &itron_config.mpfcb[id - 1]; }

void reset(MpfCB* p) {
  p->unused = 0;
  p->free_head = kNone;
  p->free_count = p->init->blkcnt;
}

void* block_at(const MpfCB* p, uint_t index) {
  return reinterpret_cast<char*>(p->init->mpf) + static_cast<size_t>(index) * p->init->blksz;
}

void* take(MpfCB* p) {
  uint_t index;
  if (p->free_head != kNone) {
    index = p->free_head;
    p->free_head = p->init->mpfmb[index];
  } else {
    index = p->unused++;
  }
  p->init->mpfmb[index] = kInUse;
  --p->free_count;
  return block_at(p, index);
}

ER get(ID mpfid, void** p_blk, TMO tmout, Form form = Form::waiting) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(mpfid, itron_config.tnum_mpf)) return E_ID;
  if (!valid_tmout(tmout)) return E_PAR;
  if (!may_call(form, tmout)) return E_CTX;
  MpfCB* p = mpf_of(mpfid);
  TaskLock lock;
  if (p->free_count > 0) {
    *p_blk = take(p);
    return E_OK;
  }
  if (tmout == TMO_POL) return E_TMOUT;
  const ER ercd = wait_and_dispatch(TTW_MPF, mpfid, &p->wait_queue, p->init->mpfatr & TA_TPRI, tmout);
  if (ercd == E_OK) *p_blk = k.runtsk->wait.blk;
  return ercd;
}

}  // namespace

namespace itron {
void init_mempools() {
  for (uint_t i = 0; i < itron_config.tnum_mpf; ++i) {
    MpfCB* p = &itron_config.mpfcb[i];
    p->init = &itron_config.mpfinib[i];
    p->wait_queue.init();
    reset(p);
  }
}
}  // namespace itron

extern "C" {

ER get_mpf(ID mpfid, void** p_blk) { return get(mpfid, p_blk, TMO_FEVR); }
ER pget_mpf(ID mpfid, void** p_blk) { return get(mpfid, p_blk, TMO_POL, Form::polling); }
ER tget_mpf(ID mpfid, void** p_blk, TMO tmout) { return get(mpfid, p_blk, tmout); }

ER rel_mpf(ID mpfid, void* blk) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(mpfid, itron_config.tnum_mpf)) return E_ID;
  MpfCB* p = mpf_of(mpfid);
  const uintptr_t base = reinterpret_cast<uintptr_t>(p->init->mpf);
  const uintptr_t addr = reinterpret_cast<uintptr_t>(blk);
  const uint_t blksz = p->init->blksz;
  if (addr < base || (addr - base) % blksz != 0 || (addr - base) / blksz >= p->init->blkcnt) {
    return E_PAR;
  }
  const uint_t index = static_cast<uint_t>((addr - base) / blksz);
  TaskLock lock;
  // Releasing a block that is already free would corrupt the free list: refuse it.
  if (index >= p->unused || p->init->mpfmb[index] != kInUse) return E_PAR;
  if (!p->wait_queue.empty()) {
    TaskCB* t = task_of(p->wait_queue.next);
    t->wait.blk = blk;
    if (wait_release(t, E_OK)) dispatch_if_needed();
    return E_OK;
  }
  p->init->mpfmb[index] = p->free_head;
  p->free_head = index;
  ++p->free_count;
  return E_OK;
}

ER ini_mpf(ID mpfid) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(mpfid, itron_config.tnum_mpf)) return E_ID;
  MpfCB* p = mpf_of(mpfid);
  TaskLock lock;
  const bool dispatch = wait_release_all(&p->wait_queue, E_DLT);
  reset(p);
  if (dispatch) dispatch_if_needed();
  return E_OK;
}

ER ref_mpf(ID mpfid, T_RMPF* pk_rmpf) {
  if (!task_ok()) return E_CTX;
  if (!valid_id(mpfid, itron_config.tnum_mpf)) return E_ID;
  MpfCB* p = mpf_of(mpfid);
  TaskLock lock;
  pk_rmpf->wtskid = first_waiter(p->wait_queue);
  pk_rmpf->fblkcnt = p->free_count;
  return E_OK;
}

}  // extern "C"
