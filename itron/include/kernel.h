/* kernel.h: the service calls, packets and constants of Gandalf's μITRON kernel.
 *
 * The μITRON 4.0 Standard Profile plus the TOPPERS/ASP 1.x extensions (alarms, ref_*,
 * ini_*, chg_ipm, dis_int/ena_int, get_utm, ext_ker, xsns_*). docs/itron-compat.md lists
 * every difference from those specifications. */
#ifndef KERNEL_H
#define KERNEL_H

#include "t_stddef.h"
#include "target_kernel.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A service call TOPPERS/JSP 1.4 does not have: in an application built in the JSP flavour,
 * a call to it is an error at its line that names the flavour. */
#if defined(ITRON_FLAVOR_JSP) && !defined(ITRON_KERNEL_BUILD)
#define ITRON_NOT_JSP __attribute__((__unavailable__("not a TOPPERS/JSP 1.4 service call: this application's FLAVOR is JSP")))
#else
#define ITRON_NOT_JSP
#endif

/* ---- Attributes and modes ---------------------------------------------------------- */
#define TA_HLNG 0x00U  /* handler written in a high-level language */
#define TA_ASM 0x01U
#define TA_ACT 0x02U   /* task: activated at kernel start */
#define TA_RSTR 0x04U  /* restricted task (not supported: E_RSATR) */
#define TA_TFIFO 0x00U /* wait queue in FIFO order */
#define TA_TPRI 0x01U  /* wait queue in task priority order */
#define TA_MFIFO 0x00U /* message queue in FIFO order */
#define TA_MPRI 0x02U  /* message queue in message priority order */
#define TA_WSGL 0x00U  /* eventflag: one waiting task */
#define TA_WMUL 0x02U  /* eventflag: several waiting tasks */
#define TA_CLR 0x04U   /* eventflag: cleared when a wait is released */
#define TA_STA 0x02U   /* cyclic handler: started at kernel start */
#define TA_PHS 0x04U   /* cyclic handler: phase preserved */
#define TA_ENAINT 0x01U /* CFG_INT: line enabled at start */
#define TA_EDGE 0x02U   /* CFG_INT: edge triggered */
#define TA_NONKERNEL 0x02U
#define TA_ON_IRQ_SYS 0U

/* Values differ between the specifications; applications use the names (the flavour is
 * itron_application's FLAVOR, docs/itron-compat.md). */
#ifdef ITRON_FLAVOR_ASP
#define TWF_ORW 0x01U  /* wait for any bit */
#define TWF_ANDW 0x02U /* wait for all bits */
#else
#define TWF_ANDW 0x00U /* wait for all bits */
#define TWF_ORW 0x01U  /* wait for any bit */
#endif

/* ---- Object states ------------------------------------------------------------------ */
#define TTS_RUN 0x01U
#define TTS_RDY 0x02U
#define TTS_WAI 0x04U
#define TTS_SUS 0x08U
#define TTS_WAS 0x0cU
#define TTS_DMT 0x10U

#define TTW_SLP 0x0001U
#define TTW_DLY 0x0002U
#define TTW_SEM 0x0004U
#define TTW_FLG 0x0008U
#define TTW_SDTQ 0x0010U
#define TTW_RDTQ 0x0020U
#define TTW_MBX 0x0040U
#define TTW_MPF 0x2000U
#define TTW_SPDQ 0x0100U /* sending to a priority data queue (ASP's value) */
#define TTW_RPDQ 0x0200U

#ifdef ITRON_FLAVOR_ASP
#define TTEX_ENA 0x01U
#define TTEX_DIS 0x02U
#define TCYC_STP 0x01U
#define TCYC_STA 0x02U
#define TALM_STP 0x01U
#define TALM_STA 0x02U
#else
#define TTEX_ENA 0x00U
#define TTEX_DIS 0x01U
#define TCYC_STP 0x00U
#define TCYC_STA 0x01U
#define TALM_STP 0x00U
#define TALM_STA 0x01U
#endif

/* ---- Special values ---------------------------------------------------------------- */
#define TSK_SELF 0
#define TSK_NONE 0
#define TPRI_SELF 0
#define TPRI_INI 0
#define TIPM_ENAALL 0

/* ---- Ranges ------------------------------------------------------------------------ */
#define TMIN_TPRI 1
#define TMAX_TPRI 16
#define TNUM_TPRI 16
#define TMIN_MPRI 1
#define TMAX_MPRI 16
#define TMIN_TSKID 1
#define TMIN_SEMID 1
#define TMIN_FLGID 1
#define TMIN_DTQID 1
#define TMIN_MBXID 1
#define TMIN_MPFID 1
#define TMIN_CYCID 1
#define TMIN_ALMID 1
#define TMIN_PDQID 1
#define TMIN_DPRI 1  /* data priorities of priority data queues */
#define TMAX_DPRI 16
#define TMIN_ISRPRI 1 /* ISR priorities (ATT_ISR): the smaller runs first */
#define TMAX_ISRPRI 16
#define TMAX_ACTCNT 1U
#define TMAX_WUPCNT 1U
#define TMAX_SUSCNT 1U
#define TMAX_MAXSEM 0x7fffffffU
#define TMAX_RELTIM 0x7fffffffU
#define TBIT_TEXPTN 32
#define TBIT_FLGPTN 32

#define TKERNEL_MAKER 0x0000U /* no registered maker code */
#define TKERNEL_PRID 0x0047U  /* 'G' for Gandalf */
#define TKERNEL_SPVER 0x5403U /* μITRON 4.03 */
#define TKERNEL_PRVER 0x0100U

/* ---- Size helpers ---------------------------------------------------------------- */
#define TSZ_DTQ(dtqcnt) ((SIZE)(dtqcnt) * sizeof(intptr_t))
#define TSZ_DTQMB(dtqcnt) TSZ_DTQ(dtqcnt)
#define TCNT_DTQMB(dtqcnt) ((uint_t)(dtqcnt))
#define TSZ_MPF(blkcnt, blksz) ((SIZE)(blkcnt) * TOPPERS_ROUND_SZ((SIZE)(blksz), sizeof(intptr_t)))
#define TCNT_MPF(blkcnt, blksz) TOPPERS_COUNT_SZ(TSZ_MPF(blkcnt, blksz), sizeof(intptr_t))
#define TSZ_MPFMB(blkcnt) ((SIZE)(blkcnt) * sizeof(uint_t))
#define TCNT_MPFMB(blkcnt) ((uint_t)(blkcnt))
#define TSZ_MPRIHD(maxmpri) 0U
#define COUNT_STK_T(sz) TOPPERS_COUNT_SZ(sz, sizeof(STK_T))
#define ROUND_STK_T(sz) TOPPERS_ROUND_SZ(sz, sizeof(STK_T))
#define COUNT_MPF_T(blksz) TOPPERS_COUNT_SZ(blksz, sizeof(MPF_T))
#define ROUND_MPF_T(blksz) TOPPERS_ROUND_SZ(blksz, sizeof(MPF_T))

#ifndef TOPPERS_MACRO_ONLY

typedef uint_t TEXPTN;  /* task exception pattern */
typedef uint_t FLGPTN;  /* eventflag pattern */
typedef uint_t INTNO;   /* interrupt number (CFG_INT, dis_int) */
typedef uint_t INHNO;   /* interrupt handler number (DEF_INH) */
typedef uint_t EXCNO;   /* CPU exception handler number (DEF_EXC) */
typedef intptr_t STK_T; /* stack area unit */
typedef intptr_t MPF_T; /* fixed-size memory pool area unit */

typedef void (*TASK)(intptr_t exinf);
typedef void (*TEXRTN)(TEXPTN texptn, intptr_t exinf);
typedef void (*CYCHDR)(intptr_t exinf);
typedef void (*ALMHDR)(intptr_t exinf);
typedef void (*INTHDR)(void);
typedef void (*ISR)(intptr_t exinf); /* an interrupt service routine (ATT_ISR) */
typedef void (*EXCHDR)(void *p_excinf);
typedef void (*INIRTN)(intptr_t exinf);
typedef void (*TERRTN)(intptr_t exinf);

/* Messages: applications put this header first in their message structures. */
typedef struct t_msg {
  struct t_msg *pk_next;
} T_MSG;
typedef struct t_msg_pri {
  T_MSG msgque;
  PRI msgpri;
} T_MSG_PRI;

/* Reference packets (TOPPERS/ASP field names; the μITRON ones where they differ too). */
typedef struct t_rtsk {
  STAT tskstat;  /* TTS_* */
  PRI tskpri;    /* current priority */
  PRI tskbpri;   /* base priority */
  STAT tskwait;  /* TTW_* */
  ID wobjid;     /* object waited for */
  TMO lefttmo;   /* time left before timeout */
  uint_t actcnt; /* queued activations */
  uint_t wupcnt; /* queued wakeups */
  uint_t suscnt; /* suspension nesting */
  STAT texstat;  /* TTEX_* */
  TEXPTN pndptn; /* pending exception pattern */
  intptr_t exinf;
} T_RTSK;
typedef struct t_rtex {
  STAT texstat;
  TEXPTN pndptn;
} T_RTEX;
typedef struct t_rsem {
  ID wtskid;
  uint_t semcnt;
} T_RSEM;
typedef struct t_rflg {
  ID wtskid;
  FLGPTN flgptn;
} T_RFLG;
typedef struct t_rdtq {
  ID stskid;
  ID rtskid;
  uint_t sdtqcnt;
} T_RDTQ;
typedef struct t_rmbx {
  ID wtskid;
  T_MSG *pk_msg;
} T_RMBX;
typedef struct t_rmpf {
  ID wtskid;
  uint_t fblkcnt;
} T_RMPF;
typedef struct t_rcyc {
  STAT cycstat;
  RELTIM lefttim;
} T_RCYC;
typedef struct t_rpdq {
  ID stskid;      /* the first task waiting to send, TSK_NONE if none */
  ID rtskid;      /* the first task waiting to receive */
  uint_t spdqcnt; /* data in the queue */
} T_RPDQ;
typedef struct t_ralm {
  STAT almstat;
  RELTIM lefttim;
} T_RALM;

/* ---- Task management ------------------------------------------------------------- */
ER act_tsk(ID tskid);
ER iact_tsk(ID tskid);
ER_UINT can_act(ID tskid);
ER ext_tsk(void); /* does not return when it succeeds */
ER ter_tsk(ID tskid);
ER chg_pri(ID tskid, PRI tskpri);
ER get_pri(ID tskid, PRI *p_tskpri);
ER get_inf(intptr_t *p_exinf) ITRON_NOT_JSP;
ER ref_tsk(ID tskid, T_RTSK *pk_rtsk) ITRON_NOT_JSP;

/* ---- Task-dependent synchronization ---------------------------------------------- */
ER slp_tsk(void);
ER tslp_tsk(TMO tmout);
ER wup_tsk(ID tskid);
ER iwup_tsk(ID tskid);
ER_UINT can_wup(ID tskid);
ER rel_wai(ID tskid);
ER irel_wai(ID tskid);
ER sus_tsk(ID tskid);
ER rsm_tsk(ID tskid);
ER frsm_tsk(ID tskid);
ER dly_tsk(RELTIM dlytim);

/* ---- Task exceptions --------------------------------------------------------------- */
ER ras_tex(ID tskid, TEXPTN rasptn);
ER iras_tex(ID tskid, TEXPTN rasptn);
ER dis_tex(void);
ER ena_tex(void);
bool_t sns_tex(void);
ER ref_tex(ID tskid, T_RTEX *pk_rtex) ITRON_NOT_JSP;

/* ---- Semaphores ------------------------------------------------------------------ */
ER sig_sem(ID semid);
ER isig_sem(ID semid);
ER wai_sem(ID semid);
ER pol_sem(ID semid);
ER twai_sem(ID semid, TMO tmout);
ER ini_sem(ID semid) ITRON_NOT_JSP;
ER ref_sem(ID semid, T_RSEM *pk_rsem) ITRON_NOT_JSP;

/* ---- Eventflags ------------------------------------------------------------------ */
ER set_flg(ID flgid, FLGPTN setptn);
ER iset_flg(ID flgid, FLGPTN setptn);
ER clr_flg(ID flgid, FLGPTN clrptn);
ER wai_flg(ID flgid, FLGPTN waiptn, MODE wfmode, FLGPTN *p_flgptn);
ER pol_flg(ID flgid, FLGPTN waiptn, MODE wfmode, FLGPTN *p_flgptn);
ER twai_flg(ID flgid, FLGPTN waiptn, MODE wfmode, FLGPTN *p_flgptn, TMO tmout);
ER ini_flg(ID flgid) ITRON_NOT_JSP;
ER ref_flg(ID flgid, T_RFLG *pk_rflg) ITRON_NOT_JSP;

/* ---- Data queues ----------------------------------------------------------------- */
ER snd_dtq(ID dtqid, intptr_t data);
ER psnd_dtq(ID dtqid, intptr_t data);
ER ipsnd_dtq(ID dtqid, intptr_t data);
ER tsnd_dtq(ID dtqid, intptr_t data, TMO tmout);
ER fsnd_dtq(ID dtqid, intptr_t data);
ER ifsnd_dtq(ID dtqid, intptr_t data);
ER rcv_dtq(ID dtqid, intptr_t *p_data);
ER prcv_dtq(ID dtqid, intptr_t *p_data);
ER trcv_dtq(ID dtqid, intptr_t *p_data, TMO tmout);
ER ini_dtq(ID dtqid) ITRON_NOT_JSP;
ER ref_dtq(ID dtqid, T_RDTQ *pk_rdtq) ITRON_NOT_JSP;

/* ---- Priority data queues (TOPPERS/ASP) ------------------------------------------- */
ER snd_pdq(ID pdqid, intptr_t data, PRI datapri) ITRON_NOT_JSP;
ER psnd_pdq(ID pdqid, intptr_t data, PRI datapri) ITRON_NOT_JSP;
ER ipsnd_pdq(ID pdqid, intptr_t data, PRI datapri) ITRON_NOT_JSP;
ER tsnd_pdq(ID pdqid, intptr_t data, PRI datapri, TMO tmout) ITRON_NOT_JSP;
ER rcv_pdq(ID pdqid, intptr_t *p_data, PRI *p_datapri) ITRON_NOT_JSP;
ER prcv_pdq(ID pdqid, intptr_t *p_data, PRI *p_datapri) ITRON_NOT_JSP;
ER trcv_pdq(ID pdqid, intptr_t *p_data, PRI *p_datapri, TMO tmout) ITRON_NOT_JSP;
ER ini_pdq(ID pdqid) ITRON_NOT_JSP;
ER ref_pdq(ID pdqid, T_RPDQ *pk_rpdq) ITRON_NOT_JSP;

/* ---- Mailboxes ------------------------------------------------------------------- */
ER snd_mbx(ID mbxid, T_MSG *pk_msg);
ER rcv_mbx(ID mbxid, T_MSG **ppk_msg);
ER prcv_mbx(ID mbxid, T_MSG **ppk_msg);
ER trcv_mbx(ID mbxid, T_MSG **ppk_msg, TMO tmout);
ER ini_mbx(ID mbxid) ITRON_NOT_JSP;
ER ref_mbx(ID mbxid, T_RMBX *pk_rmbx) ITRON_NOT_JSP;

/* ---- Fixed-size memory pools ------------------------------------------------------ */
ER get_mpf(ID mpfid, void **p_blk);
ER pget_mpf(ID mpfid, void **p_blk);
ER tget_mpf(ID mpfid, void **p_blk, TMO tmout);
ER rel_mpf(ID mpfid, void *blk);
ER ini_mpf(ID mpfid) ITRON_NOT_JSP;
ER ref_mpf(ID mpfid, T_RMPF *pk_rmpf) ITRON_NOT_JSP;

/* ---- Time management --------------------------------------------------------------- */
ER set_tim(SYSTIM systim);
ER get_tim(SYSTIM *p_systim);
ER get_utm(SYSUTM *p_sysutm) ITRON_NOT_JSP;
ER isig_tim(void);

ER sta_cyc(ID cycid);
ER stp_cyc(ID cycid);
ER ref_cyc(ID cycid, T_RCYC *pk_rcyc) ITRON_NOT_JSP;

ER sta_alm(ID almid, RELTIM almtim) ITRON_NOT_JSP;
ER ista_alm(ID almid, RELTIM almtim) ITRON_NOT_JSP;
ER stp_alm(ID almid) ITRON_NOT_JSP;
ER istp_alm(ID almid) ITRON_NOT_JSP;
ER ref_alm(ID almid, T_RALM *pk_ralm) ITRON_NOT_JSP;

/* ---- System state -------------------------------------------------------------------- */
ER rot_rdq(PRI tskpri);
ER irot_rdq(PRI tskpri);
ER get_tid(ID *p_tskid);
ER iget_tid(ID *p_tskid);
ER loc_cpu(void);
ER iloc_cpu(void);
ER unl_cpu(void);
ER iunl_cpu(void);
ER dis_dsp(void);
ER ena_dsp(void);
bool_t sns_ctx(void);
bool_t sns_loc(void);
bool_t sns_dsp(void);
bool_t sns_dpn(void);
bool_t sns_ker(void) ITRON_NOT_JSP;
ER ext_ker(void) ITRON_NOT_JSP;

/* ---- Interrupts and CPU exceptions --------------------------------------------------- */
ER dis_int(INTNO intno);
ER ena_int(INTNO intno);
ER chg_ipm(PRI intpri) ITRON_NOT_JSP;
ER get_ipm(PRI *p_intpri) ITRON_NOT_JSP;
bool_t xsns_dpn(void *p_excinf) ITRON_NOT_JSP;
bool_t xsns_xpn(void *p_excinf) ITRON_NOT_JSP;

#endif /* TOPPERS_MACRO_ONLY */

#ifdef __cplusplus
}
#endif
#endif /* KERNEL_H */
