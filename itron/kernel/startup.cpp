// Kernel start: objects from their initialization blocks, initialization routines, then
// the first dispatch. Called by the port with interrupts off, in non-task context.
#include "core.hpp"

using namespace itron;

extern "C" [[noreturn]] void itron_sta_ker() {
  k.started = false;
  k.locked = false;
  k.enadsp = true;
  k.ipm = TIPM_ENAALL;
  port::initialize();
  init_time_events();
  init_tasks();
  init_semaphores();
  init_eventflags();
  init_dataqueues();
  init_mailboxes();
  init_mempools();
  init_cyclics();
  init_alarms();
  init_priority_dataqueues();
  init_service_routines();
  init_interrupts();
  for (uint_t i = 0; i < itron_config.tnum_ini; ++i) {
    const RtnInit& r = itron_config.ininib[i];
    r.rtn(r.exinf);
  }
  k.locked = false;
  k.started = true;
  port::start_dispatch();
}
