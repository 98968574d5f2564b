// The real 8259A pair, which only Gandalf programs (8259A datasheet; PC/AT wiring).
#pragma once

#include <cstdint>

#include "gandalf/platform/pc/io.hpp"

namespace gandalf::pc::pic {

enum class Port : std::uint16_t { master_cmd = 0x20, master_data = 0x21, slave_cmd = 0xa0, slave_data = 0xa1 };

// ICW1 (datasheet: A0=0, D4=1).
enum Icw1 : std::uint8_t { icw4_needed = 0x01, single = 0x02, level = 0x08, icw1_select = 0x10 };
// ICW4.
enum Icw4 : std::uint8_t { mode_8086 = 0x01, auto_eoi = 0x02 };
// OCW2 (A0=0, D4=D3=0).
enum Ocw2 : std::uint8_t { nonspecific_eoi = 0x20, specific_eoi = 0x60 };
// OCW3 (A0=0, D3=1).
enum Ocw3 : std::uint8_t { ocw3 = 0x08, read_irr = 0x02, read_isr = 0x03 };

inline constexpr unsigned cascade_irq = 2;

void init(std::uint8_t vector_base);     // remap to base..base+15, everything masked
void mask(unsigned irq);
void unmask(unsigned irq);
// Specific EOI, inline: it is on every interrupt's path.
inline void eoi(unsigned irq) {
  if (irq >= 8) outb(static_cast<std::uint16_t>(Port::slave_cmd), static_cast<std::uint8_t>(specific_eoi | (irq & 7)));
  outb(static_cast<std::uint16_t>(Port::master_cmd),
       static_cast<std::uint8_t>(specific_eoi | (irq >= 8 ? cascade_irq : irq)));
}
// The master's IRR (its command port reads the IRR between other OCW3 reads): lines whose
// request waits for the processor.
std::uint8_t master_requests();
// The IRR or ISR of both chips (slave in the high byte), and their masks: for the monitor.
std::uint16_t read_register(Ocw3 which);
std::uint16_t imr();
// IRQ 7/15 with no in-service bit: do not EOI the chip. Only those lines can be spurious.
bool spurious_on_chip(unsigned irq);
inline bool spurious(unsigned irq) { return (irq == 7 || irq == 15) && spurious_on_chip(irq); }

}  // namespace gandalf::pc::pic
