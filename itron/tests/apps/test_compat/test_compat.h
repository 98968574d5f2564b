/* test_compat: an application written the TOPPERS/JSP way and configured the TOPPERS/ASP
 * way at once (see test_compat.c). JSP headers guard prototypes with _MACRO_ONLY. */
#include "target_test.h"

#define MAIN_PRIORITY 5
#define OTHER_PRIORITY 10

#ifndef _MACRO_ONLY
void main_task(VP_INT exinf);
void other_task(VP_INT exinf);
void cpuexc_handler(VP p_excinf);
#endif
