// Driver for the real 8254 counter 0.
#include "gandalf/platform/pc/pit_8254.hpp"

#include "gandalf/platform/pc/io.hpp"

namespace gandalf::pc::pit {

void start_periodic(std::uint16_t reload) {
  outb(static_cast<std::uint16_t>(Port::control), select_counter0 | access_lohi | mode_square_wave);
  outb(static_cast<std::uint16_t>(Port::counter0), static_cast<std::uint8_t>(reload));
  outb(static_cast<std::uint16_t>(Port::counter0), static_cast<std::uint8_t>(reload >> 8));
}

std::uint32_t elapsed_clocks(std::uint16_t reload) {
  outb(static_cast<std::uint16_t>(Port::control), read_back_counter0);
  const std::uint8_t status = inb(static_cast<std::uint16_t>(Port::counter0));
  const std::uint8_t lo = inb(static_cast<std::uint16_t>(Port::counter0));
  const std::uint8_t hi = inb(static_cast<std::uint16_t>(Port::counter0));
  return elapsed_in_period(status, static_cast<std::uint16_t>(lo | hi << 8), reload);
}

}  // namespace gandalf::pc::pit
