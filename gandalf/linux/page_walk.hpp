// Linux's page tables walked in software (SDM Vol. 3A §4.3, 32-bit paging), the way Gandalf
// reaches Linux's memory on its behalf (memory.cpp): every entry read and the frame returned
// lie in Linux's own memory [0, memory), whatever the tables say. Portable: the host fuzz
// target (tests/fuzz/fuzz_page_walk.cpp) runs this very code over hostile tables.
#pragma once

#include <cstdint>

#include "gandalf/arch/ia32/paging.hpp"

namespace gandalf::linux_guest {

inline constexpr std::uint32_t no_frame = 0xffffffffu;
enum class Level : std::uint8_t { directory, table };

// Linux's virtual CR0 as the walk needs it.
struct PagingMode {
  bool paging;  // CR0.PG
  bool wp;      // CR0.WP: supervisor writes honour read-only entries
};

// The Linux-physical address of `linear` for a ring-1 (supervisor) access, or no_frame.
// `read_entry(level, phys)` returns the entry at Linux-physical `phys` (always < memory, 4-byte
// aligned). `memory` is a multiple of the page size.
template <class ReadEntry>
constexpr std::uint32_t walk(PagingMode mode, std::uint32_t cr3, std::uint32_t memory, std::uint32_t linear,
                             bool write, ReadEntry&& read_entry) {
  using ia32::PageEntry;
  const auto own = [memory](std::uint32_t phys) { return phys < memory; };
  if (!mode.paging) return own(linear) ? linear : no_frame;
  const std::uint32_t directory = cr3 & ~0xfffu;
  if (!own(directory)) return no_frame;
  const std::uint32_t pde = read_entry(Level::directory, directory + 4 * ia32::pd_index(linear));
  if (!PageEntry::P::decode(pde) || (write && mode.wp && !PageEntry::Rw::decode(pde))) return no_frame;
  std::uint32_t phys;
  if (PageEntry::Ps::decode(pde)) {
    phys = (pde & 0xffc00000u) | (linear & 0x3fffffu);
  } else {
    const std::uint32_t table = pde & ~0xfffu;
    if (!own(table)) return no_frame;
    const std::uint32_t pte = read_entry(Level::table, table + 4 * ia32::pt_index(linear));
    if (!PageEntry::P::decode(pte) || (write && mode.wp && !PageEntry::Rw::decode(pte))) return no_frame;
    phys = (pte & ~0xfffu) | (linear & 0xfffu);
  }
  return own(phys) ? phys : no_frame;
}

}  // namespace gandalf::linux_guest
