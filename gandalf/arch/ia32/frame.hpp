// The register frame of an interrupted guest, as entry.S and the processor build it.
//
// esp0 in the TSS points just past a partition's Frame, so a trap from ring 1 makes the
// processor push ss..eip straight into it; entry.S then pushes error/vector (if the
// processor did not), the general registers (pusha) and ds, es, fs, gs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace gandalf::ia32 {

struct Frame {
  std::uint32_t gs, fs, es, ds;                           // pushed by entry.S
  std::uint32_t edi, esi, ebp, esp_pusha, ebx, edx, ecx, eax;  // pusha
  std::uint32_t vector, error;                            // entry.S / processor
  std::uint32_t eip, cs, eflags;                          // processor
  std::uint32_t esp, ss;                                  // processor, on a privilege change
};
static_assert(std::is_standard_layout_v<Frame> && sizeof(Frame) == 76);
static_assert(offsetof(Frame, eax) == 44 && offsetof(Frame, vector) == 48);
static_assert(offsetof(Frame, eip) == 56 && offsetof(Frame, cs) == 60 && offsetof(Frame, ss) == 72);

// General registers in the processor's encoding order (SDM Vol. 2A Table 2-1, reg field).
inline std::uint32_t& gpr(Frame& f, unsigned reg) {
  switch (reg & 7) {
    case 0: return f.eax;
    case 1: return f.ecx;
    case 2: return f.edx;
    case 3: return f.ebx;
    case 4: return f.esp;
    case 5: return f.ebp;
    case 6: return f.esi;
    default: return f.edi;
  }
}

}  // namespace gandalf::ia32
