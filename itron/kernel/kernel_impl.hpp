// Kernel internals shared by the object files: control blocks, initialization blocks,
// queues, the scheduler state and the port interface. Not part of the application API.
//
// Conventions (see docs/itron.md):
//  - Priorities are 1..TMAX_TPRI at the API and 0..TNUM_TPRI-1 inside (0 = highest).
//  - Every object has a read-only initialization block (generated from the .cfg by
//    itron-cfg, in .rodata) and a control block in RAM; both tables are indexed by ID-1.
//  - Task-context service calls run their critical section with virtual interrupts off
//    (port::cpu_lock). In the μITRON and JSP flavours handlers (non-task context) run with
//    interrupts off and do not nest, so the i* calls take no lock; in the ASP flavour a
//    handler higher priorities may interrupt takes it too (HandlerLock, core.hpp).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <kernel.h>

namespace itron {

// The specification the application follows where the kernels differ (itron_application's
// FLAVOR; docs/itron-compat.md has the table). One kernel library is built per flavour.
enum class Flavor { itron, asp, jsp };
#if defined(ITRON_FLAVOR_ASP)
inline constexpr Flavor kFlavor = Flavor::asp;
#elif defined(ITRON_FLAVOR_JSP)
inline constexpr Flavor kFlavor = Flavor::jsp;
#else
inline constexpr Flavor kFlavor = Flavor::itron;
#endif

// ---- Intrusive circular doubly-linked queue -------------------------------------------
struct Queue {
  Queue* next;
  Queue* prev;
  void init() { next = prev = this; }
  bool empty() const { return next == this; }
  void push_back(Queue* e) {  // this is the head: insert e at the tail
    e->prev = prev;
    e->next = this;
    prev->next = e;
    prev = e;
  }
  static void insert_before(Queue* pos, Queue* e) {
    e->prev = pos->prev;
    e->next = pos;
    pos->prev->next = e;
    pos->prev = e;
  }
  static void remove(Queue* e) {
    e->prev->next = e->next;
    e->next->prev = e->prev;
  }
};

// ---- Time events: a binary min-heap of (expiry tick, sequence) ------------------------
struct TimeEvent {
  uint64_t at;                   // tick at which it fires
  uint32_t seq;                  // orders events due at the same tick (FIFO)
  uint32_t index;                // position in the heap + 1; 0 = not queued
  void (*fire)(TimeEvent*);      // called in the tick's handler context
};

// ---- Initialization blocks (generated; read-only) -----------------------------------
struct TaskInit {
  ATR tskatr;
  intptr_t exinf;
  TASK task;
  uint_t ipri;  // internal priority 0..TNUM_TPRI-1
  SIZE stksz;   // bytes
  STK_T* stk;
  ATR texatr;
  TEXRTN texrtn;  // nullptr without DEF_TEX
};
struct SemInit {
  ATR sematr;
  uint_t isemcnt;
  uint_t maxsem;
};
struct FlgInit {
  ATR flgatr;
  FLGPTN iflgptn;
};
struct DtqInit {
  ATR dtqatr;
  uint_t dtqcnt;
  intptr_t* dtqmb;  // dtqcnt entries
};
struct MbxInit {
  ATR mbxatr;
  PRI maxmpri;
};
struct MpfInit {
  ATR mpfatr;
  uint_t blkcnt;
  uint_t blksz;  // rounded up to sizeof(MPF_T)
  MPF_T* mpf;    // blkcnt * blksz bytes
  uint_t* mpfmb; // blkcnt entries: the free list
};
// A priority data queue's node: one datum and its priority (the queue's area holds pdqcnt).
struct PdqNode {
  PdqNode* next;
  intptr_t data;
  PRI pri;
};
struct PdqInit {
  ATR pdqatr;
  uint_t pdqcnt;
  PRI maxdpri;
  PdqNode* pdqmb;  // pdqcnt nodes
};
// An interrupt service routine (ATT_ISR). The configurator makes each ISR's line a handler
// that calls itron_run_isrs(intno).
struct IsrInit {
  INTNO intno;
  PRI isrpri;
  ISR isr;
  intptr_t exinf;
};
struct CycInit {
  ATR cycatr;
  intptr_t exinf;
  CYCHDR cychdr;
  RELTIM cyctim;
  RELTIM cycphs;
};
struct AlmInit {
  ATR almatr;
  intptr_t exinf;
  ALMHDR almhdr;
};
struct InhInit {
  INHNO inhno;
  ATR inhatr;
  INTHDR inthdr;
};
struct IntInit {
  INTNO intno;
  ATR intatr;
  PRI intpri;
};
struct ExcInit {
  EXCNO excno;
  ATR excatr;
  EXCHDR exchdr;
};
struct RtnInit {  // ATT_INI / ATT_TER
  ATR atr;
  intptr_t exinf;
  void (*rtn)(intptr_t);
};

// ---- Control blocks -----------------------------------------------------------------
enum : uint8_t {
  TS_DORMANT = 0x00,
  TS_RUNNABLE = 0x01,
  TS_WAITING = 0x02,
  TS_SUSPENDED = 0x04,
};

struct TaskCB;

// What a waiting task waits for; the fields each kind needs.
struct WaitInfo {
  uint_t kind;           // TTW_*
  ID wobjid;             // object waited for (0 for sleep/delay)
  Queue* queue;          // wait queue the task is linked in, or nullptr
  bool prio_order;       // that queue is in priority order
  ER ercd;               // result handed to the waiting task
  union {
    struct { FLGPTN waiptn; MODE wfmode; FLGPTN flgptn; } flg;
    intptr_t data;       // data queue
    T_MSG* msg;          // mailbox
    void* blk;           // memory pool
    struct { intptr_t data; PRI pri; } pdq;  // priority data queue
  };
};

struct TaskCB {
  Queue link;  // ready queue or wait queue (never both)
  void* sp;    // saved stack pointer while not running (the port's dispatcher: offset 8)
  const TaskInit* init;
  uint8_t state;
  uint8_t pri;  // current = base priority (no mutexes in this profile)
  uint8_t actcnt;
  uint8_t wupcnt;
  bool enatex;
  TEXPTN texptn;
  WaitInfo wait;
  TimeEvent tmevt;
};

struct SemCB {
  Queue wait_queue;
  const SemInit* init;
  uint_t count;
};
struct FlgCB {
  Queue wait_queue;
  const FlgInit* init;
  FLGPTN pattern;
};
struct DtqCB {
  Queue send_queue;
  Queue recv_queue;
  const DtqInit* init;
  uint_t count;  // data in the buffer
  uint_t head;   // next to receive
};
struct MbxCB {
  Queue wait_queue;
  const MbxInit* init;
  T_MSG* head;
  T_MSG* tail;
};
struct MpfCB {
  Queue wait_queue;
  const MpfInit* init;
  uint_t unused;     // blocks never handed out: [unused, blkcnt)
  uint_t free_head;  // index of the first released block, kNone if none
  uint_t free_count;
};
struct CycCB {
  const CycInit* init;
  bool started;
  TimeEvent ev;
};
struct AlmCB {
  const AlmInit* init;
  bool started;
  TimeEvent ev;
};
struct PdqCB {
  Queue send_queue;  // by TA_TPRI
  Queue recv_queue;  // FIFO
  const PdqInit* init;
  uint_t count;
  PdqNode* head;     // data by ascending priority value, FIFO among equals
  PdqNode* free;
};

// ---- The configuration (generated by itron-cfg into kernel_cfg.cpp) ------------------
struct Config {
  uint_t tnum_tsk; const TaskInit* tinib; TaskCB* tcb;
  uint_t tnum_sem; const SemInit* seminib; SemCB* semcb;
  uint_t tnum_flg; const FlgInit* flginib; FlgCB* flgcb;
  uint_t tnum_dtq; const DtqInit* dtqinib; DtqCB* dtqcb;
  uint_t tnum_mbx; const MbxInit* mbxinib; MbxCB* mbxcb;
  uint_t tnum_mpf; const MpfInit* mpfinib; MpfCB* mpfcb;
  uint_t tnum_cyc; const CycInit* cycinib; CycCB* cyccb;
  uint_t tnum_alm; const AlmInit* alminib; AlmCB* almcb;
  uint_t tnum_pdq; const PdqInit* pdqinib; PdqCB* pdqcb;
  uint_t tnum_inh; const InhInit* inhinib;
  uint_t tnum_int; const IntInit* intinib;
  uint_t tnum_exc; const ExcInit* excinib;
  uint_t tnum_ini; const RtnInit* ininib;
  uint_t tnum_ter; const RtnInit* terinib;
  uint_t tnum_isr; const IsrInit* isrinib; uint32_t* isr_order;  // the order they run in
  TimeEvent** tmevt_heap;  // tnum_tsk + tnum_cyc + tnum_alm entries
};
extern "C" const Config itron_config;
// The ISRs of one line, in ascending isrpri (.cfg order among equals); service_routine.cpp.
extern "C" void itron_run_isrs(INTNO intno);

}  // namespace itron
