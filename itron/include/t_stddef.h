/* t_stddef.h: the basic types, constants and macros every μITRON/TOPPERS program uses.
 *
 * Gandalf's μITRON kernel. Type and macro *names* follow the μITRON 4.0 specification
 * and the TOPPERS new-generation kernel specification, so that applications written for
 * them compile unchanged; the values are the specification's. Written for this project. */
#ifndef T_STDDEF_H
#define T_STDDEF_H

#ifdef __cplusplus
extern "C" {
#endif

/* Compiler glue TOPPERS headers and applications use. */
#ifndef Inline
#define Inline static __inline__
#endif
#ifndef Asm
#define Asm __asm__ volatile
#endif
#ifndef NoReturn
#define NoReturn __attribute__((__noreturn__))
#endif
#ifndef __cplusplus
#define throw() /* C: the empty exception specification TOPPERS prototypes carry */
#endif
#ifndef UINT_C
#define UINT_C(val) (val##U)
#endif
#ifndef ULONG_C
#define ULONG_C(val) (val##UL)
#endif

#ifndef TOPPERS_MACRO_ONLY
#include <limits.h>
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

typedef int bool_t;             /* TOPPERS: a truth value */
typedef int int_t;              /* natural signed integer */
typedef unsigned int uint_t;    /* natural unsigned integer */
typedef long long_t;
typedef unsigned long ulong_t;
typedef int_t FN;               /* function code */
typedef int_t ER;               /* error code */
typedef int_t ID;               /* object ID */
typedef uint_t ATR;             /* object attribute */
typedef uint_t STAT;            /* object state */
typedef uint_t MODE;            /* service call mode */
typedef int_t PRI;              /* priority */
typedef size_t SIZE;            /* memory size */
typedef int_t TMO;              /* timeout (ms) */
typedef uint_t RELTIM;          /* relative time (ms) */
typedef ulong_t SYSTIM;         /* system time (ms) */
typedef uint64_t SYSUTM;        /* performance-evaluation time (µs) */
typedef void (*FP)(void);       /* program start address */
typedef int_t ER_BOOL;
typedef int_t ER_ID;
typedef int_t ER_UINT;
typedef uintptr_t ACPTN;

/* μITRON 4.0 / TOPPERS/JSP names (so that JSP applications compile). */
typedef int8_t B;
typedef int16_t H;
typedef int32_t W;
typedef uint8_t UB;
typedef uint16_t UH;
typedef uint32_t UW;
typedef int8_t VB;
typedef int16_t VH;
typedef int32_t VW;
typedef void *VP;
typedef intptr_t VP_INT;
typedef int_t INT;
typedef uint_t UINT;
typedef int_t BOOL;
typedef uint_t INHNO_T;
#endif /* TOPPERS_MACRO_ONLY */

/* TOPPERS's assert: a failed assertion is logged at LOG_EMERG and the kernel stops. */
#ifndef assert
#ifdef NDEBUG
#define assert(exp) ((void)0)
#else
#define assert(exp) ((void)((exp) ? 0 : (TOPPERS_assert_fail(#exp, __FILE__, __LINE__), 0)))
#endif
#endif
#ifndef TOPPERS_MACRO_ONLY
void TOPPERS_assert_fail(const char *expr, const char *file, int_t line);
#endif

#ifndef NULL
#define NULL 0
#endif
#ifndef true
#define true 1
#define false 0
#endif
#define TRUE 1
#define FALSE 0

#define E_OK 0

/* Main error codes (μITRON 4.0, section 2.3; TOPPERS keeps the values). */
#define E_SYS (-5)    /* system error */
#define E_NOSPT (-9)  /* unsupported function */
#define E_RSFN (-10)  /* reserved function code */
#define E_RSATR (-11) /* reserved attribute */
#define E_PAR (-17)   /* parameter error */
#define E_ID (-18)    /* invalid ID number */
#define E_CTX (-25)   /* context error */
#define E_MACV (-26)  /* memory access violation */
#define E_OACV (-27)  /* object access violation */
#define E_ILUSE (-28) /* illegal service call use */
#define E_NOMEM (-33) /* insufficient memory */
#define E_NOID (-34)  /* no ID number available */
#define E_NORES (-35) /* insufficient resources */
#define E_OBJ (-41)   /* object state error */
#define E_NOEXS (-42) /* non-existent object */
#define E_QOVR (-43)  /* queue overflow */
#define E_RLWAI (-49) /* forced release from waiting */
#define E_TMOUT (-50) /* polling failure or timeout */
#define E_DLT (-51)   /* waiting object deleted */
#define E_CLS (-52)   /* waiting object state changed */
#define E_WBLK (-57)  /* non-blocking call accepted */
#define E_BOVR (-58)  /* buffer overflow */

#define TA_NULL 0U
#define TMO_POL 0       /* polling */
#define TMO_FEVR (-1)   /* wait forever */
#define TMO_NBLK (-2)   /* non-blocking (not supported: E_PAR) */

/* An error code carries a main code in its low 8 bits and a sub code above them. */
#define ERCD(mercd, sercd) ((ER)((((uint_t)(sercd)) << 8) | (((uint_t)(mercd)) & 0xffU)))
#define MERCD(ercd) ((ER)((int8_t)(ercd)))
#define SERCD(ercd) ((ER)((ercd) >> 8))

#define TOPPERS_ROUND_SZ(sz, unit) ((((sz) + (unit) - 1) / (unit)) * (unit))
#define TOPPERS_COUNT_SZ(sz, unit) (((sz) + (unit) - 1) / (unit))
#define ALIGN_TYPE(addr, type) ((((uintptr_t)(addr)) & (sizeof(type) - 1)) == 0U)

#ifndef offsetof
#define offsetof(structure, field) __builtin_offsetof(structure, field)
#endif

#ifdef __cplusplus
}
#endif
#endif /* T_STDDEF_H */
