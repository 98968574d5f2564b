// 32-bit paging structures without PAE (Intel SDM Vol. 3A §4.3, Tables 4-4 to 4-6).
#pragma once

#include <cstdint>

#include "gandalf/arch/ia32/bitfield.hpp"

namespace gandalf::ia32 {

struct PageEntry {
  using P = Flag<std::uint32_t, 0>;
  using Rw = Flag<std::uint32_t, 1>;
  using Us = Flag<std::uint32_t, 2>;   // 1 = CPL 3 may access; ring 1 is supervisor anyway
  using Pwt = Flag<std::uint32_t, 3>;
  using Pcd = Flag<std::uint32_t, 4>;
  using A = Flag<std::uint32_t, 5>;
  using D = Flag<std::uint32_t, 6>;
  using Ps = Flag<std::uint32_t, 7>;   // PDE: 4 MiB page (needs CR4.PSE)
  using G = Flag<std::uint32_t, 8>;
  using Frame = Field<std::uint32_t, 12, 20>;
  using LargeFrame = Field<std::uint32_t, 22, 10>;

  static constexpr std::uint32_t table(std::uint32_t table_phys) {
    return Frame::encode(table_phys >> 12) | P::encode(1) | Rw::encode(1);
  }
  static constexpr std::uint32_t page(std::uint32_t phys, bool writable) {
    return Frame::encode(phys >> 12) | P::encode(1) | Rw::encode(writable ? 1 : 0);
  }
  static constexpr std::uint32_t large_page(std::uint32_t phys, bool writable) {
    return LargeFrame::encode(phys >> 22) | Ps::encode(1) | P::encode(1) |
           Rw::encode(writable ? 1 : 0);
  }
};

inline constexpr std::uint32_t page_size = 4096;
inline constexpr std::uint32_t large_page_size = 4u << 20;
inline constexpr unsigned entries_per_table = 1024;

constexpr unsigned pd_index(std::uint32_t linear) { return linear >> 22; }
constexpr unsigned pt_index(std::uint32_t linear) { return (linear >> 12) & 0x3ffu; }

}  // namespace gandalf::ia32
