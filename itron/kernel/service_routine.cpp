// Interrupt service routines (TOPPERS/ASP 1.9: ATT_ISR). The configurator makes every line
// with ISRs a handler that calls itron_run_isrs(intno): that line's ISRs in ascending isrpri,
// in .cfg order among equals, each as void isr(intptr_t exinf). An ISR that leaves the CPU
// locked (iloc_cpu) is unlocked before the next one, as ASP does.
#include "core.hpp"

#include "bare/sort.h"

using namespace itron;

namespace {
// Sort keys: line (bits 24..31), isrpri (16..23), index in isrinib (0..15).
constexpr uint32_t line_of(uint32_t key) { return key >> 24; }
constexpr uint32_t index_of(uint32_t key) { return key & 0xffffu; }
}  // namespace

namespace itron {
void init_service_routines() {
  const uint_t n = itron_config.tnum_isr;
  uint32_t* order = itron_config.isr_order;
  for (uint_t i = 0; i < n; ++i) {
    const IsrInit& r = itron_config.isrinib[i];
    order[i] = (static_cast<uint32_t>(r.intno) << 24) | (static_cast<uint32_t>(r.isrpri) << 16) | i;
  }
  if (n > 1) bare_sort_u32(order, n);
}
}  // namespace itron

extern "C" void itron_run_isrs(INTNO intno) {
  const uint_t n = itron_config.tnum_isr;
  const uint32_t* order = itron_config.isr_order;
  for (uint_t i = 0; i < n; ++i) {
    if (line_of(order[i]) != intno) continue;
    const IsrInit& r = itron_config.isrinib[index_of(order[i])];
    r.isr(r.exinf);
    handler_unlock_cpu();  // an ISR that left the CPU locked: unlocked before the next
  }
}
