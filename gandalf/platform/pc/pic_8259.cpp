// Driver for the real 8259A pair.
#include "gandalf/platform/pc/pic_8259.hpp"

#include "gandalf/platform/pc/io.hpp"

namespace gandalf::pc::pic {
namespace {

void out(Port p, std::uint8_t v) { outb(static_cast<std::uint16_t>(p), v); }
std::uint8_t in(Port p) { return inb(static_cast<std::uint16_t>(p)); }

Port data_port(unsigned irq) { return irq < 8 ? Port::master_data : Port::slave_data; }

}  // namespace

void init(std::uint8_t vector_base) {
  out(Port::master_cmd, icw1_select | icw4_needed);          // ICW1: edge, cascade, ICW4 follows
  out(Port::slave_cmd, icw1_select | icw4_needed);
  out(Port::master_data, vector_base);                // ICW2: vector bases
  out(Port::slave_data, static_cast<std::uint8_t>(vector_base + 8));
  out(Port::master_data, 1u << cascade_irq);          // ICW3: slave on IR2
  out(Port::slave_data, cascade_irq);                 // ICW3: slave identity 2
  out(Port::master_data, mode_8086);                  // ICW4: 8086 mode, normal EOI
  out(Port::slave_data, mode_8086);
  out(Port::master_data, static_cast<std::uint8_t>(~(1u << cascade_irq)));  // OCW1: all but cascade masked
  out(Port::slave_data, 0xff);
}

void mask(unsigned irq) {
  const Port p = data_port(irq);
  out(p, static_cast<std::uint8_t>(in(p) | (1u << (irq & 7))));
}

void unmask(unsigned irq) {
  const Port p = data_port(irq);
  out(p, static_cast<std::uint8_t>(in(p) & ~(1u << (irq & 7))));
}

// A request that vanished before INTA yields IR7 of the chip without setting its ISR bit
// (datasheet, "interrupt sequence"). For a spurious IRQ 15 the master did see IR2 in service.
bool spurious_on_chip(unsigned irq) {
  const Port cmd = irq == 7 ? Port::master_cmd : Port::slave_cmd;
  out(cmd, ocw3 | read_isr);
  const bool in_service = (in(cmd) & 0x80) != 0;
  out(cmd, ocw3 | read_irr);
  if (!in_service && irq == 15) eoi(cascade_irq);
  return !in_service;
}

std::uint16_t read_register(Ocw3 which) {
  out(Port::master_cmd, ocw3 | which);
  out(Port::slave_cmd, ocw3 | which);
  const std::uint16_t value = static_cast<std::uint16_t>(in(Port::master_cmd) | in(Port::slave_cmd) << 8);
  out(Port::master_cmd, ocw3 | read_irr);  // reads of the command ports return the IRR again
  out(Port::slave_cmd, ocw3 | read_irr);
  return value;
}

std::uint8_t master_requests() { return in(Port::master_cmd); }

std::uint16_t imr() { return static_cast<std::uint16_t>(in(Port::master_data) | in(Port::slave_data) << 8); }

}  // namespace gandalf::pc::pic
