/* app.h for the compile_error cases: an enumerator the tool cannot evaluate. */
#include <kernel.h>
#ifndef TOPPERS_MACRO_ONLY
enum { HIGH_PRIORITY = 2, TOO_LOW_PRIORITY = 20 };
void task_a(intptr_t exinf);
#endif
