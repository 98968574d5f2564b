// Gandalf's global descriptor table layout: one GDT per partition, identical ring-0 part.
//
// Entries 0..31 are the guest's window (for Linux later: its own GDT mirrored with DPL 1;
// for para-virtualized guests: code and data at entries 1 and 2). Gandalf's ring-0
// entries start at 32 so they never collide with a guest's selectors. Each partition has
// its own GDT, loaded by lgdt on a switch, so no partition can load another's selectors.
#pragma once

#include <cstdint>

#include "gandalf/arch/ia32/descriptor.hpp"

namespace gandalf::ia32::gdt {

inline constexpr unsigned guest_code_index = 1;
inline constexpr unsigned guest_data_index = 2;
inline constexpr unsigned guest_window = 32;
inline constexpr unsigned vmm_code_index = 32;
inline constexpr unsigned vmm_data_index = 33;
inline constexpr unsigned tss_index = 34;
inline constexpr unsigned entries = 36;

inline constexpr std::uint16_t guest_cs = Selector::make(guest_code_index, 1);
inline constexpr std::uint16_t guest_ds = Selector::make(guest_data_index, 1);
inline constexpr std::uint16_t vmm_cs = Selector::make(vmm_code_index, 0);
inline constexpr std::uint16_t vmm_ds = Selector::make(vmm_data_index, 0);
inline constexpr std::uint16_t tss_sel = Selector::make(tss_index, 0);
static_assert(vmm_cs == 0x100 && vmm_ds == 0x108 && tss_sel == 0x110);

struct alignas(64) Table {
  Descriptor entry[entries];
};

}  // namespace gandalf::ia32::gdt
