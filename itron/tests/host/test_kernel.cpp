// The kernel's logic on the host target: scheduling, waiting, timeouts, handlers and the
// error codes, in virtual time (one tick passes whenever every task waits).
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include <kernel.h>

#include "host_test.h"
#include "kernel_cfg.h"

namespace {

std::function<void()> scenario;
std::function<void(intptr_t)> helper;      // body of the helper tasks (exinf = 1..4)
std::function<void()> on_cyclic, on_alarm, on_interrupt;
std::function<void(void*)> on_exception;
std::function<void(TEXPTN)> on_tex;
std::vector<std::string> trace;
int init_runs;

void run(std::function<void()> s) {
  scenario = std::move(s);
  trace.clear();
  ASSERT_EQ(host_run_kernel(), 0) << "the kernel deadlocked";
}

void log(const std::string& s) { trace.push_back(s); }
std::vector<std::string> expect(std::initializer_list<const char*> l) { return {l.begin(), l.end()}; }

}  // namespace

extern "C" {
void main_task(intptr_t) {
  scenario();
  ext_ker();
}
void helper_task(intptr_t exinf) {
  if (helper) helper(exinf);
}
void helper_tex(TEXPTN texptn, intptr_t) {
  if (on_tex) on_tex(texptn);
}
void cyc_handler(intptr_t) {
  if (on_cyclic) on_cyclic();
}
void alm_handler(intptr_t) {
  if (on_alarm) on_alarm();
}
void int_handler(void) {
  if (on_interrupt) on_interrupt();
}
void exc_handler(void* p_excinf) {
  if (on_exception) on_exception(p_excinf);
}
void init_routine(intptr_t exinf) {
  if (exinf == 7 && sns_ker()) ++init_runs;
}
}

TEST(Startup, InitRoutineRunsBeforeTasksWithKernelNotYetRunning) {
  init_runs = 0;
  run([] { EXPECT_FALSE(sns_ker()); });
  EXPECT_EQ(init_runs, 1);
}

TEST(Scheduling, HigherPriorityPreemptsAndEqualPrioritiesRunFifo) {
  helper = [](intptr_t n) { log("helper" + std::to_string(n)); };
  run([] {
    EXPECT_EQ(act_tsk(MID_TASK1), E_OK);  // lower priority: waits for main
    EXPECT_EQ(act_tsk(MID_TASK2), E_OK);
    log("main");
    EXPECT_EQ(act_tsk(HIGH_TASK), E_OK);  // higher: preempts main at once
    log("main again");
    EXPECT_EQ(dly_tsk(1), E_OK);          // main waits: the MID tasks run in FIFO order
    log("main done");
  });
  EXPECT_EQ(trace, expect({"main", "helper1", "main again", "helper2", "helper3", "main done"}));
}

TEST(Tasks, ActivationQueueAndErrors) {
  helper = [](intptr_t n) { log("run" + std::to_string(n)); };
  run([] {
    EXPECT_EQ(act_tsk(LOW_TASK), E_OK);
    EXPECT_EQ(act_tsk(LOW_TASK), E_OK);    // queued (TMAX_ACTCNT = 1)
    EXPECT_EQ(act_tsk(LOW_TASK), E_QOVR);
    EXPECT_EQ(act_tsk(TNUM_TSKID + 1), E_ID);
    EXPECT_EQ(act_tsk(-1), E_ID);
    EXPECT_EQ(iact_tsk(LOW_TASK), E_CTX);
    EXPECT_EQ(ter_tsk(TSK_SELF), E_ILUSE);
    EXPECT_EQ(ter_tsk(HIGH_TASK), E_OBJ);
    EXPECT_EQ(chg_pri(LOW_TASK, 17), E_PAR);
    EXPECT_EQ(chg_pri(HIGH_TASK, MID_PRIORITY), E_OBJ);
    PRI p;
    EXPECT_EQ(get_pri(HIGH_TASK, &p), E_OBJ);
    EXPECT_EQ(get_pri(TSK_SELF, &p), E_OK);
    EXPECT_EQ(p, MAIN_PRIORITY);
    EXPECT_EQ(dly_tsk(1), E_OK);  // LOW runs twice (the queued activation)
    T_RTSK r;
    EXPECT_EQ(ref_tsk(LOW_TASK, &r), E_OK);
    EXPECT_EQ(r.tskstat, TTS_DMT);
  });
  EXPECT_EQ(trace, expect({"run4", "run4"}));
}

TEST(Time, TimeoutsAreNeverEarlyAndExact) {
  run([] {
    const unsigned long long t0 = host_ticks();
    EXPECT_EQ(tslp_tsk(5), E_TMOUT);
    EXPECT_EQ(host_ticks() - t0, 6u);  // 5 whole ticks after a partial one
    EXPECT_EQ(tslp_tsk(TMO_POL), E_TMOUT);
    EXPECT_EQ(tslp_tsk(-2), E_PAR);
    SYSTIM a, b;
    EXPECT_EQ(get_tim(&a), E_OK);
    EXPECT_EQ(dly_tsk(10), E_OK);
    EXPECT_EQ(get_tim(&b), E_OK);
    EXPECT_EQ(b - a, 11u);
    EXPECT_EQ(set_tim(1000), E_OK);
    EXPECT_EQ(get_tim(&a), E_OK);
    EXPECT_EQ(a, 1000u);
  });
}

TEST(Semaphores, FifoAndPriorityQueuesTimeoutsAndOverflow) {
  helper = [](intptr_t n) {
    const ID sem = n == 4 || n == 1 ? SEM_PRI : SEM_FIFO;
    const ER e = n == 3 ? twai_sem(sem, 3) : wai_sem(sem);
    log("got" + std::to_string(n) + (e == E_OK ? "" : e == E_TMOUT ? " tmout" : " err"));
  };
  run([] {
    EXPECT_EQ(chg_pri(TSK_SELF, 16), E_OK);  // let everybody queue up first
    EXPECT_EQ(act_tsk(LOW_TASK), E_OK);
    EXPECT_EQ(dly_tsk(0), E_OK);
    EXPECT_EQ(act_tsk(HIGH_TASK), E_OK);  // SEM_PRI: HIGH queues behind LOW but is served first
    EXPECT_EQ(act_tsk(MID_TASK2), E_OK);  // SEM_FIFO with a 3 ms timeout
    EXPECT_EQ(act_tsk(MID_TASK1), E_OK);
    EXPECT_EQ(dly_tsk(0), E_OK);
    EXPECT_EQ(sig_sem(SEM_PRI), E_OK);
    EXPECT_EQ(dly_tsk(5), E_OK);          // MID_TASK2 times out
    EXPECT_EQ(sig_sem(SEM_FIFO), E_OK);   // MID_TASK1 gets it
    EXPECT_EQ(sig_sem(SEM_PRI), E_OK);
    EXPECT_EQ(sig_sem(SEM_FIFO), E_OK);
    EXPECT_EQ(sig_sem(SEM_FIFO), E_OK);
    EXPECT_EQ(sig_sem(SEM_FIFO), E_QOVR);
    EXPECT_EQ(pol_sem(SEM_FIFO), E_OK);
    EXPECT_EQ(isig_sem(SEM_FIFO), E_CTX);
    EXPECT_EQ(wai_sem(0), E_ID);
    T_RSEM r;
    EXPECT_EQ(ref_sem(SEM_FIFO, &r), E_OK);
    EXPECT_EQ(r.semcnt, 1u);
    EXPECT_EQ(dis_dsp(), E_OK);
    EXPECT_EQ(wai_sem(SEM_PRI), E_CTX);
    EXPECT_EQ(ena_dsp(), E_OK);
  });
  EXPECT_EQ(trace, expect({"got1", "got3 tmout", "got2", "got4"}));
}

TEST(Eventflags, WaitModesMultipleWaitersAndClear) {
  helper = [](intptr_t n) {
    FLGPTN p = 0;
    const ER e = wai_flg(FLG_WMUL, n == 2 ? 0x3 : 0x1, n == 2 ? TWF_ANDW : TWF_ORW, &p);
    log("flg" + std::to_string(n) + "=" + std::to_string(p) + (e == E_OK ? "" : " err"));
  };
  run([] {
    EXPECT_EQ(act_tsk(HIGH_TASK), E_OK);  // waits for bit 0 (OR)
    EXPECT_EQ(act_tsk(MID_TASK1), E_OK);
    EXPECT_EQ(dly_tsk(0), E_OK);          // MID_TASK1 waits for bits 0 and 1 (AND)
    EXPECT_EQ(set_flg(FLG_WMUL, 0x2), E_OK);
    EXPECT_EQ(set_flg(FLG_WMUL, 0x1), E_OK);  // HIGH released, TA_CLR clears: MID keeps waiting
    EXPECT_EQ(set_flg(FLG_WMUL, 0x3), E_OK);
    EXPECT_EQ(dly_tsk(0), E_OK);
    FLGPTN p;
    EXPECT_EQ(pol_flg(FLG_WMUL, 0x1, TWF_ORW, &p), E_TMOUT);
    EXPECT_EQ(pol_flg(FLG_WMUL, 0, TWF_ORW, &p), E_PAR);
    EXPECT_EQ(pol_flg(FLG_WMUL, 1, 0x5, &p), E_PAR);
    EXPECT_EQ(set_flg(FLG_WSGL, 0x5), E_OK);
    EXPECT_EQ(clr_flg(FLG_WSGL, 0x4), E_OK);
    EXPECT_EQ(pol_flg(FLG_WSGL, 0x4, TWF_ANDW, &p), E_OK);
    EXPECT_EQ(p, 0x4u);
  });
  EXPECT_EQ(trace, expect({"flg1=3", "flg2=3"}));
}

TEST(DataQueues, HandOverBlockingForcedSendAndSynchronousQueue) {
  helper = [](intptr_t n) {
    intptr_t d = 0;
    if (n == 1) {
      EXPECT_EQ(rcv_dtq(DTQ0, &d), E_OK);
      log("sync " + std::to_string(d));
    } else {
      EXPECT_EQ(snd_dtq(DTQ2, 30), E_OK);  // queue full: waits
      log("sent 30");
    }
  };
  run([] {
    EXPECT_EQ(act_tsk(HIGH_TASK), E_OK);
    EXPECT_EQ(snd_dtq(DTQ0, 7), E_OK);     // hand-over to the waiting receiver
    EXPECT_EQ(psnd_dtq(DTQ2, 10), E_OK);
    EXPECT_EQ(psnd_dtq(DTQ2, 20), E_OK);
    EXPECT_EQ(psnd_dtq(DTQ2, 99), E_TMOUT);
    EXPECT_EQ(act_tsk(MID_TASK1 + 1), E_OK);
    EXPECT_EQ(dly_tsk(0), E_OK);
    intptr_t d;
    EXPECT_EQ(rcv_dtq(DTQ2, &d), E_OK);
    EXPECT_EQ(d, 10);
    EXPECT_EQ(prcv_dtq(DTQ2, &d), E_OK);
    EXPECT_EQ(d, 20);
    EXPECT_EQ(prcv_dtq(DTQ2, &d), E_OK);
    EXPECT_EQ(d, 30);
    EXPECT_EQ(fsnd_dtq(DTQ2, 1), E_OK);
    EXPECT_EQ(fsnd_dtq(DTQ2, 2), E_OK);
    EXPECT_EQ(fsnd_dtq(DTQ2, 3), E_OK);  // drops 1
    EXPECT_EQ(prcv_dtq(DTQ2, &d), E_OK);
    EXPECT_EQ(d, 2);
    EXPECT_EQ(fsnd_dtq(DTQ0, 1), E_ILUSE);
    EXPECT_EQ(trcv_dtq(DTQ0, &d, 2), E_TMOUT);
  });
  EXPECT_EQ(trace, expect({"sync 7", "sent 30"}));
}

TEST(Mailboxes, MessagePriorityOrder) {
  run([] {
    static T_MSG_PRI m[3];
    m[0].msgpri = 3;
    m[1].msgpri = 1;
    m[2].msgpri = 3;
    for (auto& x : m) EXPECT_EQ(snd_mbx(MBX_PRI, &x.msgque), E_OK);
    T_MSG_PRI bad{};
    bad.msgpri = 5;
    EXPECT_EQ(snd_mbx(MBX_PRI, &bad.msgque), E_PAR);
    T_MSG* got;
    EXPECT_EQ(prcv_mbx(MBX_PRI, &got), E_OK);
    EXPECT_EQ(got, &m[1].msgque);
    EXPECT_EQ(prcv_mbx(MBX_PRI, &got), E_OK);
    EXPECT_EQ(got, &m[0].msgque);
    EXPECT_EQ(prcv_mbx(MBX_PRI, &got), E_OK);
    EXPECT_EQ(got, &m[2].msgque);
    EXPECT_EQ(trcv_mbx(MBX_PRI, &got, 1), E_TMOUT);
  });
}

TEST(MemoryPools, BlocksWaitingAndBadReleases) {
  helper = [](intptr_t) {
    void* b;
    EXPECT_EQ(get_mpf(MPF1, &b), E_OK);
    log("got block");
  };
  run([] {
    void *a, *b, *c;
    EXPECT_EQ(pget_mpf(MPF1, &a), E_OK);
    EXPECT_EQ(pget_mpf(MPF1, &b), E_OK);
    EXPECT_NE(a, b);
    EXPECT_EQ(pget_mpf(MPF1, &c), E_TMOUT);
    EXPECT_EQ(act_tsk(HIGH_TASK), E_OK);      // waits for a block
    EXPECT_EQ(rel_mpf(MPF1, a), E_OK);        // handed straight to HIGH_TASK
    EXPECT_EQ(rel_mpf(MPF1, static_cast<char*>(b) + 1), E_PAR);
    EXPECT_EQ(rel_mpf(MPF1, b), E_OK);
    EXPECT_EQ(rel_mpf(MPF1, b), E_PAR);       // already free
    T_RMPF r;
    EXPECT_EQ(ref_mpf(MPF1, &r), E_OK);
    EXPECT_EQ(r.fblkcnt, 1u);
    EXPECT_EQ(ini_mpf(MPF1), E_OK);
    EXPECT_EQ(ref_mpf(MPF1, &r), E_OK);
    EXPECT_EQ(r.fblkcnt, 2u);
  });
  EXPECT_EQ(trace, expect({"got block"}));
}

TEST(Handlers, CyclicPeriodAndAlarmAndContexts) {
  static int cyc_count;
  static unsigned long long alarm_tick;
  cyc_count = 0;
  on_cyclic = [] {
    ++cyc_count;
    EXPECT_TRUE(sns_ctx());
    EXPECT_EQ(act_tsk(LOW_TASK), E_CTX);
  };
  on_alarm = [] { alarm_tick = host_ticks(); };
  run([] {
    EXPECT_EQ(sta_cyc(CYC1), E_OK);
    EXPECT_EQ(dly_tsk(100), E_OK);  // 101 ticks: calls at +11, +21, ... +101
    EXPECT_EQ(stp_cyc(CYC1), E_OK);
    const unsigned long long t0 = host_ticks();
    EXPECT_EQ(sta_alm(ALM1, 7), E_OK);
    EXPECT_EQ(dly_tsk(20), E_OK);
    EXPECT_EQ(alarm_tick - t0, 8u);
    T_RALM r;
    EXPECT_EQ(ref_alm(ALM1, &r), E_OK);
    EXPECT_EQ(r.almstat, TALM_STP);
  });
  EXPECT_EQ(cyc_count, 10);
  on_cyclic = nullptr;
  on_alarm = nullptr;
}

TEST(Interrupts, DeferredWhileLockedOrMaskedAndPreemptAtExit) {
  on_interrupt = [] {
    log("isr");
    EXPECT_EQ(iact_tsk(HIGH_TASK), E_OK);
  };
  helper = [](intptr_t) { log("high"); };
  run([] {
    EXPECT_EQ(loc_cpu(), E_OK);
    RAISE_INT1;                    // pending while locked
    log("locked");
    EXPECT_EQ(act_tsk(LOW_TASK), E_CTX);
    EXPECT_TRUE(sns_loc());
    EXPECT_EQ(unl_cpu(), E_OK);    // delivered here, HIGH preempts at the handler's exit
    log("unlocked");
    EXPECT_EQ(dis_int(INTNO1), E_OK);
    RAISE_INT1;
    log("disabled");
    EXPECT_EQ(ena_int(INTNO1), E_OK);
    EXPECT_EQ(chg_ipm(INTPRI1), E_OK);
    RAISE_INT1;
    log("masked");
    EXPECT_TRUE(sns_dpn());
    EXPECT_EQ(chg_ipm(TIPM_ENAALL), E_OK);
    EXPECT_EQ(chg_ipm(1), E_PAR);
    EXPECT_EQ(dis_int(99), E_PAR);
  });
  on_interrupt = nullptr;
  EXPECT_EQ(trace, expect({"locked", "isr", "high", "unlocked", "disabled", "isr", "high", "masked", "isr",
                           "high"}));
}

TEST(TaskExceptions, ImmediateDeferredAndErrors) {
  on_tex = [](TEXPTN p) {
    log("tex" + std::to_string(p));
    EXPECT_TRUE(sns_tex());
  };
  helper = [](intptr_t n) {
    if (n != 2) return;
    EXPECT_EQ(ena_tex(), E_OK);
    EXPECT_EQ(ras_tex(TSK_SELF, 0x1), E_OK);  // handled before ras_tex returns
    log("after ras");
    EXPECT_EQ(dis_tex(), E_OK);
    EXPECT_EQ(ras_tex(TSK_SELF, 0x2), E_OK);
    EXPECT_EQ(ras_tex(TSK_SELF, 0x4), E_OK);
    log("disabled");
    EXPECT_EQ(ena_tex(), E_OK);               // 0x6 at once
    EXPECT_FALSE(sns_tex());
  };
  run([] {
    EXPECT_EQ(ras_tex(MID_TASK1, 1), E_OBJ);  // dormant
    EXPECT_EQ(ras_tex(HIGH_TASK, 1), E_OBJ);  // no handler... and dormant
    EXPECT_EQ(ras_tex(MID_TASK1, 0), E_PAR);
    EXPECT_EQ(dis_tex(), E_OBJ);              // main has no handler
    EXPECT_EQ(chg_pri(TSK_SELF, 16), E_OK);
    EXPECT_EQ(act_tsk(MID_TASK1), E_OK);
    EXPECT_EQ(dly_tsk(0), E_OK);
  });
  on_tex = nullptr;
  EXPECT_EQ(trace, expect({"tex1", "after ras", "disabled", "tex6"}));
}

TEST(CpuExceptions, HandlerContextAndDispatchAtExit) {
  on_exception = [](void* p_excinf) {
    EXPECT_TRUE(sns_ctx());
    EXPECT_FALSE(xsns_dpn(p_excinf));
    log("exc");
    EXPECT_EQ(iact_tsk(HIGH_TASK), E_OK);
  };
  helper = [](intptr_t) { log("high"); };
  run([] {
    RAISE_CPU_EXCEPTION;
    log("back");
    static bool dpn_locked;
    on_exception = [](void* p_excinf) { dpn_locked = xsns_dpn(p_excinf); };
    EXPECT_EQ(loc_cpu(), E_OK);
    RAISE_CPU_EXCEPTION;
    EXPECT_TRUE(sns_loc());
    EXPECT_EQ(unl_cpu(), E_OK);
    EXPECT_TRUE(dpn_locked);
  });
  on_exception = nullptr;
  EXPECT_EQ(trace, expect({"exc", "high", "back"}));
}

TEST(SystemState, RotateDispatchDisableAndContexts) {
  helper = [](intptr_t n) { log("t" + std::to_string(n)); };
  run([] {
    EXPECT_EQ(dis_dsp(), E_OK);
    EXPECT_EQ(act_tsk(HIGH_TASK), E_OK);  // pending until ena_dsp
    log("disabled");
    EXPECT_TRUE(sns_dsp());
    EXPECT_TRUE(sns_dpn());
    EXPECT_EQ(slp_tsk(), E_CTX);
    EXPECT_EQ(ena_dsp(), E_OK);
    EXPECT_EQ(rot_rdq(17), E_PAR);
    EXPECT_EQ(irot_rdq(1), E_CTX);
    ID id;
    EXPECT_EQ(get_tid(&id), E_OK);
    EXPECT_EQ(id, MAIN_TASK);
    EXPECT_EQ(iget_tid(&id), E_CTX);
    EXPECT_FALSE(sns_ctx());
  });
  EXPECT_EQ(trace, expect({"disabled", "t1"}));
}

TEST(TaskExceptions, HandlerThatWaitsKeepsTheInterruptedWaitsResult) {
  // A task released from get_mpf with block `a` runs its task exception handler before
  // get_mpf returns; the handler waits for a block itself and gets `b`. get_mpf must
  // still return `a`.
  static void *a, *b;
  on_tex = [](TEXPTN) {
    void* q = nullptr;
    EXPECT_EQ(tget_mpf(MPF1, &q, 100), E_OK);
    log(q == b ? "tex got b" : "tex got ?");
  };
  helper = [](intptr_t n) {
    if (n != 2) return;
    EXPECT_EQ(ena_tex(), E_OK);
    void* p = nullptr;
    EXPECT_EQ(get_mpf(MPF1, &p), E_OK);
    log(p == a ? "outer got a" : "outer got b");
  };
  run([] {
    EXPECT_EQ(pget_mpf(MPF1, &a), E_OK);
    EXPECT_EQ(pget_mpf(MPF1, &b), E_OK);
    EXPECT_EQ(act_tsk(MID_TASK1), E_OK);   // lower priority: runs while main delays
    EXPECT_EQ(dly_tsk(1), E_OK);           // MID_TASK1 now waits in get_mpf
    EXPECT_EQ(ras_tex(MID_TASK1, 1), E_OK);  // pending: the task waits
    EXPECT_EQ(rel_mpf(MPF1, a), E_OK);     // released with `a`, not yet running
    EXPECT_EQ(dly_tsk(1), E_OK);           // its handler runs and waits for a block
    EXPECT_EQ(rel_mpf(MPF1, b), E_OK);     // the handler gets `b`
    EXPECT_EQ(dly_tsk(1), E_OK);
  });
  on_tex = nullptr;
  EXPECT_EQ(trace, expect({"tex got b", "outer got a"}));
}

TEST(Time, IsigTimFromAHandlerAddsTicksWithoutRecursion) {
  static int calls;
  static unsigned long long first, last;
  calls = 0;
  on_alarm = [] {
    if (calls++ == 0) first = host_ticks();
    last = host_ticks();
    if (calls < 1000) {
      EXPECT_EQ(ista_alm(ALM1, 0), E_OK);  // due at the next tick...
      EXPECT_EQ(isig_tim(), E_OK);          // ...which this call supplies at once
    }
  };
  run([] {
    EXPECT_EQ(isig_tim(), E_CTX);
    EXPECT_EQ(sta_alm(ALM1, 0), E_OK);
    EXPECT_EQ(dly_tsk(2), E_OK);
  });
  on_alarm = nullptr;
  EXPECT_EQ(calls, 1000);
  EXPECT_EQ(last - first, 999u);  // one added tick per call, all within one real tick
}
