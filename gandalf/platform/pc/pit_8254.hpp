// The real 8254 counter 0, which only Gandalf programs (8254 datasheet; PC/AT wiring).
#pragma once

#include <cstdint>

namespace gandalf::pc::pit {

inline constexpr std::uint32_t input_hz = 1193182;

enum class Port : std::uint16_t { counter0 = 0x40, control = 0x43 };

// Control word fields: SC1-SC0 (bits 7-6), RW1-RW0 (5-4), M2-M0 (3-1), BCD (0).
enum Control : std::uint8_t {
  select_counter0 = 0x00,
  latch = 0x00,
  access_lohi = 0x30,
  mode_rate_generator = 0x04,  // mode 2: a pulse every `reload` input clocks
};

void start_periodic(std::uint16_t reload);
std::uint16_t read_counter0();  // latched current count

}  // namespace gandalf::pc::pit
