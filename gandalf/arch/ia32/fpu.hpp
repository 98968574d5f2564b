// x87/SSE state save and restore (Intel SDM Vol. 1 §10.5 FXSAVE, §8.1.10 FNSAVE; Vol. 3A
// §2.5 CR0.TS, §13.4 lazy switching with #NM).
#pragma once

#include <cstdint>

#include "gandalf/arch/ia32/cpu.hpp"

namespace gandalf::ia32::fpu {

// One partition's saved x87/MMX/SSE state: the FXSAVE image (512 bytes, 16-byte aligned),
// or the 108-byte FNSAVE image on a processor without FXSR.
struct alignas(16) State {
  std::uint8_t bytes[512];
};
static_assert(sizeof(State) == 512 && alignof(State) == 16);

// Whether FXSAVE/FXRSTOR are used (CPUID.01H:EDX.FXSR, with CR4.OSFXSR set at boot).
extern bool use_fxsr;

inline void clear_ts() { asm volatile("clts" ::: "memory"); }
inline void set_ts() { cpu::set_cr0(cpu::cr0() | cpu::cr0_bits::ts); }

inline void save(State& s) {
  if (use_fxsr) asm volatile("fxsave %0" : "=m"(s) :: "memory");
  else asm volatile("fnsave %0" : "=m"(s) :: "memory");
}
inline void restore(const State& s) {
  if (use_fxsr) asm volatile("fxrstor %0" ::"m"(s) : "memory");
  else asm volatile("frstor %0" ::"m"(s) : "memory");
}

// The state a partition starts with: FNINIT's x87 state and MXCSR's reset value (0x1f80),
// captured once at boot (setup.cpp).
extern State initial;
void capture_initial_state();

}  // namespace gandalf::ia32::fpu
