/* serial.h: TOPPERS/JSP's path of the serial interface header. */
#include "syssvc/serial.h"
