// The log task of the TOPPERS flavours (include/syssvc/logtask.h): the log buffer's records
// to a serial port, one line per record.
#include <log_output.h>
#include <syssvc/logtask.h>
#include <syssvc/serial.h>
#include <target_syssvc.h>

#include "kernel/core.hpp"

namespace {

ID log_port = LOGTASK_PORTID;

// One record as one line, then written with a single serial_wri_dat.
struct LineBuffer {
  char text[160];
  uint_t len = 0;
};
LineBuffer* current;

void put_in_line(char c) {
  if (current->len < sizeof(current->text)) current->text[current->len++] = c;
}

void write_record(const SYSLOG* record, ER_UINT lost_before) {
  LineBuffer line;
  current = &line;
  if (lost_before > 0) {
    syslog_lostmsg(static_cast<uint_t>(lost_before), put_in_line);
    put_in_line('\n');
  }
  syslog_print(record, put_in_line);
  put_in_line('\n');
  serial_wri_dat(log_port, line.text, line.len);
}

}  // namespace

extern "C" {

void logtask_main(intptr_t exinf) {
  log_port = static_cast<ID>(exinf);
  const ER opened = serial_opn_por(log_port);  // E_OBJ: the application opened it already
  syslog_msk_log(LOG_UPTO(LOG_NOTICE), LOG_UPTO(LOG_EMERG));
  syslog(LOG_NOTICE, "System logging task is started on port %d.", static_cast<int>(log_port));
  if (opened != E_OK && opened != E_OBJ) syslog(LOG_EMERG, "logtask: serial_opn_por: %s", itron_strerror(opened));
  for (;;) {
    SYSLOG record;
    ER_UINT lost;
    while ((lost = syslog_rea_log(&record)) >= 0) write_record(&record, lost);
    dly_tsk(LOGTASK_INTERVAL);
  }
}

void logtask(intptr_t exinf) { logtask_main(exinf); }

// At ext_ker (ATT_TER): what is still buffered goes out below the log.
void logtask_terminate(intptr_t) {
  SYSLOG record;
  ER_UINT lost;
  while ((lost = syslog_rea_log(&record)) >= 0) {
    if (lost > 0) {
      syslog_lostmsg(static_cast<uint_t>(lost), target_fput_log);
      target_fput_log('\n');
    }
    syslog_print(&record, target_fput_log);
    target_fput_log('\n');
  }
}

}  // extern "C"
