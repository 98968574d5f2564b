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
  mode_square_wave = 0x06,  // mode 3: OUT high for the first half of every `reload` clocks
  // Read-back (SC = 11): latch counter 0's count and status together (COUNT# and STATUS#
  // low, CNT0 set); the status byte is read first, then the count.
  read_back_counter0 = 0xc2,
};

inline constexpr std::uint8_t status_out = 0x80;  // status bit 7: the OUT pin

// Why mode 3 and not mode 2 (docs/results.md, "Soak: the lost ticks"): both give one rising
// edge on IRQ 0 every `reload` clocks on real hardware, but QEMU's model of mode 2 holds OUT
// high for a single clock that exists only between nanosecond roundings; where the rounding
// comes out exact (with reload 1193, 59.0 s and 596.5 s after the count is loaded) the pulse,
// and so a whole tick, is lost. Mode 3's high half lasts ~500 us and no rounding can drop it.
void start_periodic(std::uint16_t reload);

// Clocks elapsed since the last rising edge of OUT (the last IRQ 0), in [0, reload), from a
// latched mode-3 status and count. In mode 3 the count runs down by two twice per period:
// from `reload` while OUT is high, then again while it is low. An odd reload's datasheet
// detail (the first clock of a half takes 1 or 3 off) moves the result by one clock at most.
constexpr std::uint32_t elapsed_in_period(std::uint8_t status, std::uint16_t count, std::uint16_t reload) {
  const std::uint32_t n = reload == 0 ? 0x10000u : reload;
  const std::uint32_t c = count == 0 ? 0x10000u : count;
  const std::uint32_t down = c >= n ? 0 : n - c;  // runs down by two per clock
  const std::uint32_t e = (status & status_out) ? down / 2 : (n + 1) / 2 + down / 2;
  return e < n ? e : n - 1;
}

std::uint32_t elapsed_clocks(std::uint16_t reload);  // read-back of counter 0, as above

}  // namespace gandalf::pc::pit
