// Privileged processor instructions Gandalf uses, as inline functions (ring 0 only).
#pragma once

#include <cstdint>

#include "gandalf/arch/ia32/descriptor.hpp"

namespace gandalf::ia32::cpu {

inline void lgdt(const PseudoDescriptor& d) { asm volatile("lgdt %0" ::"m"(d) : "memory"); }
inline void lidt(const PseudoDescriptor& d) { asm volatile("lidt %0" ::"m"(d) : "memory"); }
inline void ltr(std::uint16_t sel) { asm volatile("ltr %0" ::"r"(sel) : "memory"); }
inline std::uint32_t cr0() { std::uint32_t v; asm volatile("mov %%cr0, %0" : "=r"(v)); return v; }
inline std::uint32_t cr2() { std::uint32_t v; asm volatile("mov %%cr2, %0" : "=r"(v)); return v; }
inline std::uint32_t cr4() { std::uint32_t v; asm volatile("mov %%cr4, %0" : "=r"(v)); return v; }
inline void set_cr0(std::uint32_t v) { asm volatile("mov %0, %%cr0" ::"r"(v) : "memory"); }
inline void set_cr3(std::uint32_t v) { asm volatile("mov %0, %%cr3" ::"r"(v) : "memory"); }
inline void set_cr4(std::uint32_t v) { asm volatile("mov %0, %%cr4" ::"r"(v) : "memory"); }
inline std::uint64_t rdtsc() {
  std::uint32_t lo, hi;
  asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return (std::uint64_t{hi} << 32) | lo;
}
// sti;hlt is one step: the interrupt shadow of sti covers hlt (SDM Vol. 2B, STI).
inline void wait_for_interrupt() { asm volatile("sti; hlt; cli" ::: "memory"); }
[[noreturn]] inline void halt_forever() {
  for (;;) asm volatile("cli; hlt");
}

namespace cr0_bits {
inline constexpr std::uint32_t pe = 1u << 0, wp = 1u << 16, pg = 1u << 31;
}
namespace cr4_bits {
inline constexpr std::uint32_t pse = 1u << 4;
}

}  // namespace gandalf::ia32::cpu
