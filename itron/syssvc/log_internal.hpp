// Shared by the system log's parts: syslog.cpp (lines, masks) and log_buffer.cpp (records).
#pragma once

#include <t_syslog.h>

#include "kernel/kernel_impl.hpp"

namespace itron::log {

// syslog_msk_log's masks. Initial values per flavour: μITRON either mask prints the line at
// once, NOTICE and above; ASP keeps nothing and prints everything; JSP keeps nothing and
// prints NOTICE and above (until a log task sets them).
extern uint_t log_mask;
extern uint_t low_mask;

// Where a message of priority `prio` goes. μITRON: either mask prints it at once. ASP and
// JSP: the log mask keeps it for the log task, the low-level mask prints it at once.
struct Route {
  bool kept;
  bool printed;
};
inline Route route(uint_t prio) {
  const uint_t bit = LOG_MASK(prio);
  if (kFlavor == Flavor::itron) return {false, ((log_mask | low_mask) & bit) != 0};
  return {(log_mask & bit) != 0, (low_mask & bit) != 0};
}

// Keeps a record in the log buffer (the oldest is dropped and counted when it is full).
void keep(const SYSLOG& record);
// Formats a record as one console line at once.
void print_line(const SYSLOG& record);

}  // namespace itron::log
