// 32-bit task-state segment (Intel SDM Vol. 3A §7.2.1, Figure 7-2) with I/O permission bitmaps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace gandalf::ia32 {

struct Tss {
  std::uint16_t link, link_reserved;  // 0x00 previous task link
  std::uint32_t esp0;                 // 0x04 stack for CPL 0
  std::uint16_t ss0, ss0_reserved;    // 0x08
  std::uint32_t esp1;                 // 0x0c stack for CPL 1 (Linux user → kernel, later)
  std::uint16_t ss1, ss1_reserved;    // 0x10
  std::uint32_t esp2;                 // 0x14
  std::uint16_t ss2, ss2_reserved;    // 0x18
  std::uint32_t cr3, eip, eflags;     // 0x1c 0x20 0x24
  std::uint32_t eax, ecx, edx, ebx;   // 0x28..0x34
  std::uint32_t esp, ebp, esi, edi;   // 0x38..0x44
  std::uint16_t es, es_r, cs, cs_r, ss, ss_r, ds, ds_r, fs, fs_r, gs, gs_r;  // 0x48..0x5c
  std::uint16_t ldt, ldt_reserved;    // 0x60
  std::uint16_t trap;                 // 0x64 bit 0: debug trap on task switch
  std::uint16_t iomap_base;           // 0x66 offset of the I/O permission bitmap (SDM §18.5.2)
};
static_assert(std::is_standard_layout_v<Tss> && sizeof(Tss) == 104);
static_assert(offsetof(Tss, esp0) == 0x04 && offsetof(Tss, esp1) == 0x0c);
static_assert(offsetof(Tss, ldt) == 0x60 && offsetof(Tss, iomap_base) == 0x66);

// One I/O permission bitmap: a bit per port (1 = #GP), plus the trailing byte of ones the
// processor may read when an access at port 0xffff spans two bytes (SDM §18.5.2).
inline constexpr std::size_t io_bitmap_bytes = 65536 / 8 + 1;

}  // namespace gandalf::ia32
