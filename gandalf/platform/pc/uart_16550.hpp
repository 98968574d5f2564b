// 16550A UART registers (NS16550A datasheet), used polled for Gandalf's own console.
#pragma once

#include <cstdint>

namespace gandalf::pc::uart {

enum class Reg : std::uint8_t { thr_rbr = 0, ier = 1, fcr_iir = 2, lcr = 3, mcr = 4, lsr = 5 };

enum Lcr : std::uint8_t { word_8n1 = 0x03, dlab = 0x80 };
enum Lsr : std::uint8_t { data_ready = 0x01, thr_empty = 0x20 };
enum Fcr : std::uint8_t { fifo_enable = 0x01, clear_rx = 0x02, clear_tx = 0x04, trigger_14 = 0xc0 };
enum Mcr : std::uint8_t { dtr = 0x01, rts = 0x02, out2 = 0x08 };

inline constexpr unsigned fifo_depth = 16;

constexpr std::uint16_t com_base(unsigned com) {
  constexpr std::uint16_t bases[] = {0, 0x3f8, 0x2f8, 0x3e8, 0x2e8};
  return com <= 4 ? bases[com] : 0;
}
// The ISA line a PC wires a standard COM port to: COM1 and COM3 IRQ 4, COM2 and COM4 IRQ 3.
constexpr unsigned isa_irq(std::uint16_t base) { return (base & 0x100) != 0 ? 4 : 3; }
static_assert(isa_irq(com_base(1)) == 4 && isa_irq(com_base(2)) == 3 && isa_irq(com_base(3)) == 4 &&
              isa_irq(com_base(4)) == 3);

class Uart {
 public:
  void init(std::uint16_t base);  // 115200 8N1, FIFO on, interrupts off
  // A restarted partition's UART as after a reset: interrupts off, OUT2 (the IRQ gate) off,
  // both FIFOs cleared and the receive side drained, so the new guest starts without the
  // previous one's unread input or pending interrupt.
  static void reset_for_new_owner(std::uint16_t base);
  bool tx_ready() const;
  void put_raw(char c) const;
  bool rx_ready() const;
  char get_raw() const;
  std::uint16_t base() const { return base_; }

 private:
  std::uint8_t read(Reg r) const;
  void write(Reg r, std::uint8_t v) const;
  std::uint16_t base_ = 0;
};

}  // namespace gandalf::pc::uart
