// x86 port I/O (ring 0 only; guests reach ports through their I/O bitmap or not at all): bare's
// (bare/pc_io.h), in Gandalf's platform namespace.
#pragma once

#include <cstdint>

#include "bare/pc_io.h"

namespace gandalf::pc {

inline std::uint8_t inb(std::uint16_t port) { return bare_inb(port); }
inline void outb(std::uint16_t port, std::uint8_t v) { bare_outb(port, v); }

}  // namespace gandalf::pc
