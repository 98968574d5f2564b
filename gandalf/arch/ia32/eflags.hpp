// EFLAGS bits Gandalf reads or forces (Intel SDM Vol. 1 §3.4.3, Vol. 3A §2.3).
#pragma once

#include <cstdint>

#include "gandalf/arch/ia32/bitfield.hpp"

namespace gandalf::ia32::eflags {

using Cf = Flag<std::uint32_t, 0>;
using Reserved1 = Flag<std::uint32_t, 1>;  // always 1
using Tf = Flag<std::uint32_t, 8>;
using If = Flag<std::uint32_t, 9>;
using Iopl = Field<std::uint32_t, 12, 2>;
using Nt = Flag<std::uint32_t, 14>;
using Rf = Flag<std::uint32_t, 16>;
using Vm = Flag<std::uint32_t, 17>;
using Ac = Flag<std::uint32_t, 18>;

// What a guest may hold: everything but IOPL, NT, VM (and IF, which Gandalf owns).
constexpr std::uint32_t sanitize_for_guest(std::uint32_t value) {
  return (value & ~(Iopl::mask | Nt::mask | Vm::mask)) | If::mask | Reserved1::mask;
}

}  // namespace gandalf::ia32::eflags
