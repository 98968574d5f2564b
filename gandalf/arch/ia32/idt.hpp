// Gandalf's interrupt descriptor table layout (Intel SDM Vol. 3A §6.10-6.11).
#pragma once

#include <cstdint>

namespace gandalf::ia32::idt {

inline constexpr unsigned exceptions = 32;
inline constexpr unsigned irq_base = 0x20;   // the real 8259 pair is remapped to 0x20..0x2f
inline constexpr unsigned irqs = 16;
inline constexpr unsigned hypercall = 0x82;  // DPL 1 gate: the only vector guests may raise
inline constexpr unsigned entries = 256;

// CPU exceptions that push an error code (SDM Table 6-1).
constexpr bool has_error_code(unsigned vector) {
  return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17;
}

enum Exception : unsigned {
  de = 0, db = 1, nmi = 2, bp = 3, of = 4, br = 5, ud = 6, nm = 7, df = 8,
  ts = 10, np = 11, ss = 12, gp = 13, pf = 14, mf = 16, ac = 17, mc = 18, xm = 19,
};

const char* exception_name(unsigned vector);

}  // namespace gandalf::ia32::idt
