// Privileged processor instructions Gandalf uses, as inline functions (ring 0 only).
#pragma once

#include <cstdint>

#include "bare/pc_io.h"

#include "gandalf/arch/ia32/descriptor.hpp"

namespace gandalf::ia32::cpu {

inline void lgdt(const PseudoDescriptor& d) { asm volatile("lgdt %0" ::"m"(d) : "memory"); }
inline void lidt(const PseudoDescriptor& d) { asm volatile("lidt %0" ::"m"(d) : "memory"); }
inline void ltr(std::uint16_t sel) { asm volatile("ltr %0" ::"r"(sel) : "memory"); }
inline void lldt(std::uint16_t sel) { asm volatile("lldt %0" ::"r"(sel) : "memory"); }
inline void set_dr7(std::uint32_t v) { asm volatile("mov %0, %%dr7" ::"r"(v)); }
inline void set_dr6(std::uint32_t v) { asm volatile("mov %0, %%dr6" ::"r"(v)); }
inline void set_dr(unsigned n, std::uint32_t v) {
  switch (n) {
    case 0: asm volatile("mov %0, %%dr0" ::"r"(v)); break;
    case 1: asm volatile("mov %0, %%dr1" ::"r"(v)); break;
    case 2: asm volatile("mov %0, %%dr2" ::"r"(v)); break;
    default: asm volatile("mov %0, %%dr3" ::"r"(v)); break;
  }
}
struct CpuidResult { std::uint32_t eax, ebx, ecx, edx; };
inline CpuidResult cpuid(std::uint32_t leaf) {
  CpuidResult r;
  asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(0));
  return r;
}
inline void wrmsr(std::uint32_t msr, std::uint64_t v) {
  asm volatile("wrmsr" ::"c"(msr), "a"(static_cast<std::uint32_t>(v)), "d"(static_cast<std::uint32_t>(v >> 32)));
}
inline std::uint32_t cr0() { std::uint32_t v; asm volatile("mov %%cr0, %0" : "=r"(v)); return v; }
inline std::uint32_t cr2() { std::uint32_t v; asm volatile("mov %%cr2, %0" : "=r"(v)); return v; }
inline std::uint32_t cr4() { std::uint32_t v; asm volatile("mov %%cr4, %0" : "=r"(v)); return v; }
inline void set_cr0(std::uint32_t v) { asm volatile("mov %0, %%cr0" ::"r"(v) : "memory"); }
inline void set_cr3(std::uint32_t v) { asm volatile("mov %0, %%cr3" ::"r"(v) : "memory"); }
inline void set_cr4(std::uint32_t v) { asm volatile("mov %0, %%cr4" ::"r"(v) : "memory"); }
inline std::uint32_t cr3() { std::uint32_t v; asm volatile("mov %%cr3, %0" : "=r"(v)); return v; }
inline void invlpg(std::uint32_t linear) {
  asm volatile("invlpg (%0)" ::"r"(linear) : "memory");
}
inline std::uint64_t rdtsc() { return bare_rdtsc(); }
// sti;hlt is one step: the interrupt shadow of sti covers hlt (SDM Vol. 2B, STI).
// FS and GS still hold the last guest's selectors (Gandalf's entry saves them and loads only
// DS and ES): an interrupt taken here would save them and reload them on its way back, and a
// selector whose descriptor the guest (Linux, with lgdt) or a restart has since removed would
// fault inside Gandalf. They are nulled first.
inline void wait_for_interrupt() {
  asm volatile("mov %0, %%fs; mov %0, %%gs; sti; hlt; cli" ::"r"(0) : "memory");
}
[[noreturn]] inline void halt_forever() {
  for (;;) asm volatile("cli; hlt");
}

// Control register bits (SDM Vol. 3A §2.5, Figure 2-7).
namespace cr0_bits {
inline constexpr std::uint32_t pe = 1u << 0, mp = 1u << 1, em = 1u << 2, ts = 1u << 3,
                               et = 1u << 4, ne = 1u << 5, wp = 1u << 16, am = 1u << 18,
                               nw = 1u << 29, cd = 1u << 30, pg = 1u << 31;
}
namespace cr4_bits {
inline constexpr std::uint32_t vme = 1u << 0, pvi = 1u << 1, tsd = 1u << 2, de = 1u << 3,
                               pse = 1u << 4, pae = 1u << 5, pce = 1u << 8, osfxsr = 1u << 9,
                               osxmmexcpt = 1u << 10, umip = 1u << 11;
}
// Model-specific registers Gandalf resets (SDM Vol. 4, Table 2-2).
namespace msr {
inline constexpr std::uint32_t sysenter_cs = 0x174, sysenter_esp = 0x175, sysenter_eip = 0x176;
inline constexpr std::uint32_t efer = 0xc0000080;
}
// CPUID feature bits (SDM Vol. 2A, CPUID leaf 01H EDX and leaf 80000001H EDX).
namespace cpuid_bits {
inline constexpr std::uint32_t fpu = 1u << 0, de = 1u << 2, pse = 1u << 3, msr = 1u << 5,
                               sep = 1u << 11, fxsr = 1u << 24, sse = 1u << 25;
inline constexpr std::uint32_t ext_syscall = 1u << 11, ext_nx = 1u << 20, ext_lm = 1u << 29;
}

}  // namespace gandalf::ia32::cpu
