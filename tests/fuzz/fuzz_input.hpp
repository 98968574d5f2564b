// A fuzz input read as a program: bytes and little-endian words, zeros past its end.
#pragma once

#include <cstddef>
#include <cstdint>

namespace gandalf::fuzz {

struct Input {
  const std::uint8_t* data;
  std::size_t size, at = 0;
  bool more() const { return at < size; }
  std::uint8_t byte() { return at < size ? data[at++] : 0; }
  std::uint32_t word() { return byte() | byte() << 8 | byte() << 16 | static_cast<std::uint32_t>(byte()) << 24; }
};

}  // namespace gandalf::fuzz
