// Serial interface driver (TOPPERS names) on the instance's console UART. Output is
// synchronous (polled); input is buffered by the receive interrupt when the partition owns
// its UART's IRQ, and polled once per tick otherwise.
#include <syssvc/serial.h>

#include "kernel/core.hpp"

using namespace itron;

namespace {

constexpr uint_t kRxSize = 256;
constexpr uint_t TTW_SIO = 0x8000U;  // ref_tsk's tskwait for a task reading the console

struct Port {
  bool opened;
  uint_t ioctl;
  char rx[kRxSize];
  uint_t rx_head, rx_count;
  Queue readers;
};
Port port_state;

void rx_push(char c) {
  Port& p = port_state;
  if (p.rx_count == kRxSize) return;  // overrun: the character is lost
  p.rx[(p.rx_head + p.rx_count++) % kRxSize] = c;
}

// The console line's handler: drain the UART, wake the reader.
void rx_handler() {
  HandlerLock lock;  // the tick may interrupt it (ASP flavour): its timeouts touch readers
  for (int c; (c = port::console_getc()) >= 0;) rx_push(static_cast<char>(c));
  Port& p = port_state;
  if (p.rx_count > 0 && !p.readers.empty()) wait_release(task_of(p.readers.next), E_OK);
}

// Writes through the console buffer shared with syslog (never waits for the UART).
void write(const char* buf, uint_t len) {
  char chunk[64];
  uint_t n = 0;
  for (uint_t i = 0; i < len; ++i) {
    if (buf[i] == '\n' && (port_state.ioctl & IOCTL_CRLF)) chunk[n++] = '\r';
    chunk[n++] = buf[i];
    if (n >= sizeof chunk - 1) {
      console_write(chunk, n);
      n = 0;
    }
  }
  if (n > 0) console_write(chunk, n);
}

}  // namespace

extern "C" {

ER serial_opn_por(ID portid) {
  if (!task_ok()) return E_CTX;
  if (portid != 1) return E_ID;
  Port& p = port_state;
  TaskLock lock;
  if (p.opened) return E_OBJ;
  p.readers.init();
  p.rx_head = p.rx_count = 0;
  p.ioctl = IOCTL_ECHO | IOCTL_CRLF | IOCTL_FCSND | IOCTL_FCRCV;
  p.opened = true;
  if (port::console_has_irq() && !port::has_handler(INTNO_SIO)) {
    port::install_handler(INTNO_SIO, rx_handler);
    port::enable_console_line();
    port::console_rx_interrupts(true);
  }
  return E_OK;
}

ER serial_cls_por(ID portid) {
  if (!task_ok()) return E_CTX;
  if (portid != 1) return E_ID;
  TaskLock lock;
  if (!port_state.opened) return E_OBJ;
  port_state.opened = false;
  port::console_rx_interrupts(false);
  wait_release_all(&port_state.readers, E_OBJ);
  dispatch_if_needed();
  return E_OK;
}

ER_UINT serial_rea_dat(ID portid, char* buf, uint_t len) {
  if (!task_ok()) return E_CTX;
  if (portid != 1) return E_ID;
  Port& p = port_state;
  if (!p.opened) return E_OBJ;
  uint_t done = 0;
  while (done < len) {
    char c;
    {
      TaskLock lock;
      if (p.rx_count == 0 && !port::has_handler(INTNO_SIO)) {
        for (int ch; (ch = port::console_getc()) >= 0;) rx_push(static_cast<char>(ch));
      }
      if (p.rx_count == 0) {
        if (!may_wait()) return done > 0 ? static_cast<ER_UINT>(done) : E_CTX;
        ER ercd;
        if (port::console_has_irq() && port::has_handler(INTNO_SIO)) {
          ercd = wait_and_dispatch(TTW_SIO, 0, &p.readers, false, TMO_FEVR);
        } else {
          ercd = wait_and_dispatch(TTW_DLY, 0, nullptr, false, 0);  // poll at the next tick
        }
        if (ercd != E_OK) return done > 0 ? static_cast<ER_UINT>(done) : ercd;
        continue;
      }
      c = p.rx[p.rx_head];
      p.rx_head = (p.rx_head + 1) % kRxSize;
      --p.rx_count;
    }
    buf[done++] = c;
    if (p.ioctl & IOCTL_ECHO) {
      const char e = c == '\r' ? '\n' : c;
      write(&e, 1);
    }
  }
  return static_cast<ER_UINT>(done);
}

ER_UINT serial_wri_dat(ID portid, const char* buf, uint_t len) {
  if (!task_ok()) return E_CTX;
  if (portid != 1) return E_ID;
  if (!port_state.opened) return E_OBJ;
  write(buf, len);
  return static_cast<ER_UINT>(len);
}

ER serial_ctl_por(ID portid, uint_t ioctl) {
  if (!task_ok()) return E_CTX;
  if (portid != 1) return E_ID;
  if (!port_state.opened) return E_OBJ;
  port_state.ioctl = ioctl;
  return E_OK;
}

ER serial_ref_por(ID portid, T_SERIAL_RPOR* pk_rpor) {
  if (!task_ok()) return E_CTX;
  if (portid != 1) return E_ID;
  if (!port_state.opened) return E_OBJ;
  pk_rpor->reacnt = port_state.rx_count;
  pk_rpor->wricnt = 0;
  return E_OK;
}

}  // extern "C"
