// Polled 16550A driver.
#include "gandalf/platform/pc/uart_16550.hpp"

#include "gandalf/platform/pc/io.hpp"

namespace gandalf::pc::uart {

std::uint8_t Uart::read(Reg r) const { return inb(static_cast<std::uint16_t>(base_ + static_cast<std::uint8_t>(r))); }
void Uart::write(Reg r, std::uint8_t v) const { outb(static_cast<std::uint16_t>(base_ + static_cast<std::uint8_t>(r)), v); }

void Uart::init(std::uint16_t base) {
  base_ = base;
  write(Reg::ier, 0);                     // polled: no UART interrupts
  write(Reg::lcr, dlab);                  // divisor latch: 115200 / 1
  write(Reg::thr_rbr, 1);
  write(Reg::ier, 0);
  write(Reg::lcr, word_8n1);
  write(Reg::fcr_iir, fifo_enable | clear_rx | clear_tx | trigger_14);
  write(Reg::mcr, dtr | rts);
}

void Uart::reset_for_new_owner(std::uint16_t base) {
  Uart u;
  u.base_ = base;
  u.write(Reg::ier, 0);
  u.write(Reg::mcr, dtr | rts);
  u.write(Reg::fcr_iir, fifo_enable | clear_rx | clear_tx);
  for (unsigned i = 0; i < fifo_depth && u.rx_ready(); ++i) (void)u.get_raw();  // a FIFO-less 8250
}

bool Uart::tx_ready() const { return (read(Reg::lsr) & thr_empty) != 0; }
void Uart::put_raw(char c) const { write(Reg::thr_rbr, static_cast<std::uint8_t>(c)); }
bool Uart::rx_ready() const { return (read(Reg::lsr) & data_ready) != 0; }
char Uart::get_raw() const { return static_cast<char>(read(Reg::thr_rbr)); }

}  // namespace gandalf::pc::uart
