// x86 port I/O (ring 0 only; guests reach ports through their I/O bitmap or not at all).
#pragma once

#include <cstdint>

namespace gandalf::pc {

inline std::uint8_t inb(std::uint16_t port) {
  std::uint8_t v;
  asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
  return v;
}
inline void outb(std::uint16_t port, std::uint8_t v) {
  asm volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

}  // namespace gandalf::pc
