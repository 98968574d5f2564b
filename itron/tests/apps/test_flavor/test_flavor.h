/* test_flavor.h: objects and entry points of the flavour test. */
#ifndef TEST_FLAVOR_H
#define TEST_FLAVOR_H

#include "target_test.h"

#define MID_PRIORITY 10

#ifndef TOPPERS_MACRO_ONLY
void task1(intptr_t exinf);
void tex_task1(TEXPTN texptn, intptr_t exinf);
void alm1(intptr_t exinf);
#endif

#endif /* TEST_FLAVOR_H */
