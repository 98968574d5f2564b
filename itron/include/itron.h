/* itron.h: the TOPPERS/JSP name for the basic μITRON definitions. */
#ifndef ITRON_H
#define ITRON_H
#include "t_stddef.h"
#endif
