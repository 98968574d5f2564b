/* test_time.h: priorities, periods and entry points of the time-management test. */
#ifndef TEST_TIME_H
#define TEST_TIME_H

#include "target_test.h"

#define HIGH_PRIORITY 9
#define MID_PRIORITY 10
#define LOW_PRIORITY 11

#define CYC1_TIME 10  /* CYC1's period (ms) */
#define CYC1_PHASE 5  /* CYC1's phase from kernel start (ms) */
/* The first call after sta_cyc: μITRON 4.0 one period later, ASP 1.x the phase later. */
#ifdef ITRON_FLAVOR_ASP
#define STA_CYC_FIRST CYC1_PHASE
#else
#define STA_CYC_FIRST CYC1_TIME
#endif

#ifndef TOPPERS_MACRO_ONLY
void task1(intptr_t exinf);
void task2(intptr_t exinf);
void cyc1(intptr_t exinf);
void alm1(intptr_t exinf);
void alm2(intptr_t exinf);
#endif

#endif /* TEST_TIME_H */
