/*
 * test_mpf: fixed-size memory pools — get_mpf, pget_mpf, tget_mpf, rel_mpf, ini_mpf,
 * ref_mpf.
 *
 * Objects: TASK1 (MID, TA_ACT) drives the test; TASK2 (HIGH) waits for blocks. MPF1:
 * NUM_BLOCKS (3) blocks of BLOCK_SIZE (32) bytes, FIFO wait queue, kernel-allocated area.
 * ALM1 tries the calls from non-task context.
 *
 * Specification checked, by check point:
 *  1. (TASK1) ref_mpf: no waiter, all blocks free. E_ID for 0, negative and
 *     TNUM_MPFID+1 (every call), before E_PAR; tget_mpf tmout -2 → E_PAR.
 *  2. (TASK1) pget_mpf, get_mpf and tget_mpf(10) take the three blocks at once: they are
 *     distinct, BLOCK_SIZE-aligned offsets of one NUM_BLOCKS*BLOCK_SIZE area, and do not
 *     overlap (each filled with its own byte, all intact afterwards); fblkcnt 0. Then
 *     pget_mpf and tget_mpf(TMO_POL) → E_TMOUT; tget_mpf(10) → E_TMOUT after 10 or 11 ms.
 *     With dispatching disabled get_mpf and tget_mpf(10) → E_CTX, pget_mpf works.
 *     rel_mpf → E_PAR for an address inside a block but not at its start, just below and
 *     just above the pool, a stack variable and NULL. A released block is the one the
 *     next pget_mpf returns.
 *  3. (TASK1) act_tsk(TASK2): it preempts.
 *  4. (TASK2) get_mpf on the empty pool: waits.
 *  5. (TASK1) ref_mpf shows TASK2 waiting, fblkcnt 0; ref_tsk TTS_WAI/TTW_MPF on MPF1.
 *     rel_mpf gives the released block straight to TASK2: it preempts.
 *  6. (TASK2) Received exactly the released block; fblkcnt stayed 0. rel_mpf/get_mpf
 *     round trip (fblkcnt 1, then 0). tget_mpf(TMO_FEVR): waits.
 *  7. (TASK1) ini_mpf releases TASK2 with E_DLT: it preempts.
 *  8. (TASK2) tget_mpf returned E_DLT; all blocks are free again; exits.
 *  9. (TASK1) After ini_mpf the three blocks handed out are the pool's same three.
 *     Starts ALM1 (2 ms) and sleeps.
 * 10. (alm1) get_mpf, pget_mpf, tget_mpf, rel_mpf, ini_mpf, ref_mpf → E_CTX from
 *     non-task context. iwup_tsk(TASK1).
 * 11. (TASK1) Woken.
 */
#include <kernel.h>
#include <t_syslog.h>
#include "kernel_cfg.h"
#include "test_lib.h"
#include "check_macros.h"
#include "test_mpf.h"

/* ref_mpf(id) must succeed and report (wtskid, fblkcnt). */
#define CHECK_MPF(id, wtsk, cnt)                   \
  do {                                             \
    T_RMPF r_;                                     \
    ER e_ = ref_mpf((id), &r_);                    \
    check_ercd(e_, E_OK);                          \
    check_assert(r_.wtskid == (ID)(wtsk));         \
    check_assert(r_.fblkcnt == (uint_t)(cnt));     \
  } while (0)

static void *blk[NUM_BLOCKS];
static void *released_to_task2;

/* true if p is one of the blocks in blk[]. */
static bool_t is_known_block(void *p) {
  int i;
  for (i = 0; i < NUM_BLOCKS; i++) {
    if (blk[i] == p) {
      return true;
    }
  }
  return false;
}

void task1(intptr_t exinf) {
  ER ercd;
  void *p;
  void *again[NUM_BLOCKS];
  T_RMPF rmpf;
  SYSTIM t0;
  uint8_t *lo;
  int i, j;
  intptr_t local = 0;

  (void)exinf;
  test_start(__FILE__);

  /* 1 */
  check_point(1);
  CHECK_MPF(MPF1, TSK_NONE, NUM_BLOCKS);
  ercd = get_mpf(0, &p);
  check_ercd(ercd, E_ID);
  ercd = pget_mpf(TNUM_MPFID + 1, &p);
  check_ercd(ercd, E_ID);
  ercd = tget_mpf(-1, &p, -2);
  check_ercd(ercd, E_ID);
  ercd = rel_mpf(0, &local);
  check_ercd(ercd, E_ID);
  ercd = ini_mpf(TNUM_MPFID + 1);
  check_ercd(ercd, E_ID);
  ercd = ref_mpf(0, &rmpf);
  check_ercd(ercd, E_ID);
  ercd = tget_mpf(MPF1, &p, -2);
  check_ercd(ercd, E_PAR);

  /* 2 */
  check_point(2);
  ercd = pget_mpf(MPF1, &blk[0]);
  check_ercd(ercd, E_OK);
  ercd = get_mpf(MPF1, &blk[1]);
  check_ercd(ercd, E_OK);
  ercd = tget_mpf(MPF1, &blk[2], 10);
  check_ercd(ercd, E_OK);
  CHECK_MPF(MPF1, TSK_NONE, 0);
  lo = (uint8_t *)blk[0];
  for (i = 1; i < NUM_BLOCKS; i++) {
    if ((uint8_t *)blk[i] < lo) {
      lo = (uint8_t *)blk[i];
    }
  }
  for (i = 0; i < NUM_BLOCKS; i++) {
    uintptr_t off = (uintptr_t)((uint8_t *)blk[i] - lo);
    check_assert(blk[i] != NULL);
    check_assert(off % BLOCK_SIZE == 0U);
    check_assert(off < (uintptr_t)NUM_BLOCKS * BLOCK_SIZE);
    for (j = 0; j < i; j++) {
      check_assert(blk[i] != blk[j]);
    }
  }
  for (i = 0; i < NUM_BLOCKS; i++) {
    for (j = 0; j < BLOCK_SIZE; j++) {
      ((volatile uint8_t *)blk[i])[j] = (uint8_t)(0xa0 + i);
    }
  }
  for (i = 0; i < NUM_BLOCKS; i++) {
    for (j = 0; j < BLOCK_SIZE; j++) {
      check_assert(((volatile uint8_t *)blk[i])[j] == (uint8_t)(0xa0 + i));
    }
  }
  ercd = pget_mpf(MPF1, &p);
  check_ercd(ercd, E_TMOUT);
  ercd = tget_mpf(MPF1, &p, TMO_POL);
  check_ercd(ercd, E_TMOUT);
  ALIGN_GET_TIM(t0);
  ercd = tget_mpf(MPF1, &p, 10);
  check_ercd(ercd, E_TMOUT);
  CHECK_ELAPSED(t0, 10);
  ercd = dis_dsp();
  check_ercd(ercd, E_OK);
  ercd = get_mpf(MPF1, &p);
  check_ercd(ercd, E_CTX);
  ercd = tget_mpf(MPF1, &p, 10);
  check_ercd(ercd, E_CTX);
  ercd = pget_mpf(MPF1, &p);
  check_ercd(ercd, E_TMOUT);
  ercd = ena_dsp();
  check_ercd(ercd, E_OK);
  ercd = rel_mpf(MPF1, (uint8_t *)blk[0] + sizeof(MPF_T));
  check_ercd(ercd, E_PAR);
  ercd = rel_mpf(MPF1, lo - BLOCK_SIZE);
  check_ercd(ercd, E_PAR);
  ercd = rel_mpf(MPF1, lo + NUM_BLOCKS * BLOCK_SIZE);
  check_ercd(ercd, E_PAR);
  ercd = rel_mpf(MPF1, &local);
  check_ercd(ercd, E_PAR);
  ercd = rel_mpf(MPF1, NULL);
  check_ercd(ercd, E_PAR);
  CHECK_MPF(MPF1, TSK_NONE, 0);
  ercd = rel_mpf(MPF1, blk[0]);
  check_ercd(ercd, E_OK);
  CHECK_MPF(MPF1, TSK_NONE, 1);
  p = NULL;
  ercd = pget_mpf(MPF1, &p);
  check_ercd(ercd, E_OK);
  check_assert(p == blk[0]);
  CHECK_MPF(MPF1, TSK_NONE, 0);

  /* 3 */
  check_point(3);
  ercd = act_tsk(TASK2); /* -> 4 */
  check_ercd(ercd, E_OK);

  /* 5 */
  check_point(5);
  CHECK_MPF(MPF1, TASK2, 0);
  CHECK_WAIT_OBJ(TASK2, TTW_MPF, MPF1);
  released_to_task2 = blk[1];
  ercd = rel_mpf(MPF1, blk[1]); /* -> 6 */
  check_ercd(ercd, E_OK);

  /* 7 */
  check_point(7);
  CHECK_MPF(MPF1, TASK2, 0);
  ercd = ini_mpf(MPF1); /* -> 8 */
  check_ercd(ercd, E_OK);

  /* 9 */
  check_point(9);
  CHECK_MPF(MPF1, TSK_NONE, NUM_BLOCKS);
  for (i = 0; i < NUM_BLOCKS; i++) {
    again[i] = NULL;
    ercd = pget_mpf(MPF1, &again[i]);
    check_ercd(ercd, E_OK);
    check_assert(is_known_block(again[i]));
    for (j = 0; j < i; j++) {
      check_assert(again[i] != again[j]);
    }
  }
  CHECK_MPF(MPF1, TSK_NONE, 0);
  for (i = 0; i < NUM_BLOCKS; i++) {
    ercd = rel_mpf(MPF1, again[i]);
    check_ercd(ercd, E_OK);
  }
  CHECK_MPF(MPF1, TSK_NONE, NUM_BLOCKS);
  ercd = sta_alm(ALM1, 2U);
  check_ercd(ercd, E_OK);
  ercd = slp_tsk(); /* -> 10 */
  check_ercd(ercd, E_OK);

  /* 11 */
  check_point(11);
  check_finish(11);
}

void task2(intptr_t exinf) {
  ER ercd;
  void *p;

  (void)exinf;
  /* 4 */
  check_point(4);
  p = NULL;
  ercd = get_mpf(MPF1, &p); /* -> 5 */
  check_ercd(ercd, E_OK);

  /* 6 */
  check_point(6);
  check_assert(p == released_to_task2);
  CHECK_MPF(MPF1, TSK_NONE, 0);
  ercd = rel_mpf(MPF1, p);
  check_ercd(ercd, E_OK);
  CHECK_MPF(MPF1, TSK_NONE, 1);
  p = NULL;
  ercd = get_mpf(MPF1, &p);
  check_ercd(ercd, E_OK);
  check_assert(p == released_to_task2);
  CHECK_MPF(MPF1, TSK_NONE, 0);
  ercd = tget_mpf(MPF1, &p, TMO_FEVR); /* -> 7 */
  check_ercd(ercd, E_DLT);

  /* 8 */
  check_point(8);
  CHECK_MPF(MPF1, TSK_NONE, NUM_BLOCKS);
  ext_tsk();
}

void alm1(intptr_t exinf) {
  ER ercd;
  void *p;
  T_RMPF rmpf;

  /* 10 */
  check_point(10);
  check_assert(exinf == 1);
  check_assert(sns_ctx());
  ercd = get_mpf(MPF1, &p);
  check_ercd(ercd, E_CTX);
  ercd = pget_mpf(MPF1, &p);
  check_ercd(ercd, E_CTX);
  ercd = tget_mpf(MPF1, &p, 10);
  check_ercd(ercd, E_CTX);
  ercd = rel_mpf(MPF1, blk[0]);
  check_ercd(ercd, E_CTX);
  ercd = ini_mpf(MPF1);
  check_ercd(ercd, E_CTX);
  ercd = ref_mpf(MPF1, &rmpf);
  check_ercd(ercd, E_CTX);
  ercd = iwup_tsk(TASK1);
  check_ercd(ercd, E_OK);
}
