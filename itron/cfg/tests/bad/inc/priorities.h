/* Priorities for header_constant.cfg: symbolic constants the tool must evaluate. */
#define MID_PRIORITY 10
#define BAD_PRIORITY (MID_PRIORITY * 2)
#ifndef TOPPERS_MACRO_ONLY
typedef int not_for_the_configurator;
#endif
/* Badly guarded C text: the configurator ignores every token located in a header. */
typedef unsigned int badly_guarded_t;
