// Exception names for reports (Intel SDM Vol. 3A Table 6-1).
#include "gandalf/arch/ia32/idt.hpp"

namespace gandalf::ia32::idt {

const char* exception_name(unsigned vector) {
  static constexpr const char* names[32] = {
      "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
      "#BR bound range", "#UD invalid opcode", "#NM no math coprocessor", "#DF double fault",
      "coprocessor segment overrun", "#TS invalid TSS", "#NP segment not present",
      "#SS stack-segment fault", "#GP general protection", "#PF page fault", "reserved 15",
      "#MF x87 error", "#AC alignment check", "#MC machine check", "#XM SIMD exception",
      "#VE virtualization", "#CP control protection", "reserved 22", "reserved 23",
      "reserved 24", "reserved 25", "reserved 26", "reserved 27", "reserved 28",
      "reserved 29", "reserved 30", "reserved 31"};
  return vector < 32 ? names[vector] : "not an exception";
}

}  // namespace gandalf::ia32::idt
