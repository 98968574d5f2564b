/* kernel_id.h: TOPPERS/JSP's name for the object-ID header the configurator generates. */
#ifndef KERNEL_ID_H
#define KERNEL_ID_H
#include "kernel_cfg.h"
#endif
