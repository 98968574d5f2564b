/* test_jsp: objects and entry points (JSP style: _MACRO_ONLY guards the prototypes). */
#include "target_test.h"

#define MAIN_PRIORITY 5
#define OTHER_PRIORITY 10

#ifndef _MACRO_ONLY
void main_task(VP_INT exinf);
void other_task(VP_INT exinf);
void cyclic_handler(VP_INT exinf);
void terminate_routine(VP_INT exinf);
#endif
