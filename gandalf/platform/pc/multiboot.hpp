// Multiboot 0.6.96 structures handed over by GRUB or QEMU (Multiboot Specification §3.3).
#pragma once

#include <cstdint>
#include <type_traits>

namespace gandalf::pc::multiboot {

inline constexpr std::uint32_t header_magic = 0x1badb002;
inline constexpr std::uint32_t loader_magic = 0x2badb002;

enum InfoFlags : std::uint32_t {
  has_memory = 1u << 0,
  has_cmdline = 1u << 2,
  has_modules = 1u << 3,
  has_mmap = 1u << 6,
};

struct Info {
  std::uint32_t flags;
  std::uint32_t mem_lower, mem_upper;   // KiB below 1 MiB / above 1 MiB
  std::uint32_t boot_device;
  std::uint32_t cmdline;
  std::uint32_t mods_count, mods_addr;
  std::uint32_t syms[4];
  std::uint32_t mmap_length, mmap_addr;
};
static_assert(std::is_standard_layout_v<Info> && sizeof(Info) == 52);

struct Module {
  std::uint32_t start, end;  // physical [start, end)
  std::uint32_t string;      // physical address of the module's command line
  std::uint32_t reserved;
};
static_assert(sizeof(Module) == 16);

struct [[gnu::packed]] MmapEntry {
  std::uint32_t size;        // of the rest of the entry
  std::uint64_t base, length;
  std::uint32_t type;        // 1 = available RAM
};
static_assert(sizeof(MmapEntry) == 24);

inline constexpr std::uint32_t mmap_ram = 1;

}  // namespace gandalf::pc::multiboot
