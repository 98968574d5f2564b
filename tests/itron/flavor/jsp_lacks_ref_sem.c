/* A JSP-flavour application calling a service call TOPPERS/JSP 1.4 lacks: the compiler must
 * stop at line 8 and name the flavour (tests/itron/CMakeLists.txt). */
#include <t_services.h>

void task(VP_INT exinf) {
  T_RSEM rsem;
  (void)exinf;
  (void)ref_sem(1, &rsem);
}
