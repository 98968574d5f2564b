// Fuzz target: the software walk of Linux's page tables (gandalf/linux/page_walk.hpp) that
// every read and write Gandalf makes on Linux's behalf goes through (emulated lgdt/lidt
// operands, exception frames pushed onto Linux's stack, the IDT and GDT it shadows).
//
// Input: CR0.PG/WP, CR3, the linear address and the access, then the contents of a small
// "Linux memory" (16 pages, the rest zero) holding whatever page directory and tables a
// hostile kernel wrote. Checked: every entry the walk reads and the frame it returns lie
// inside Linux's memory, and a frame is returned only when the SDM's walk (written out here
// once more from §4.3, without the ownership checks) reaches that very frame.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "gandalf/linux/page_walk.hpp"

namespace {

using gandalf::linux_guest::Level;
using gandalf::linux_guest::no_frame;
using gandalf::linux_guest::PagingMode;

constexpr std::uint32_t kMemory = 16 * 4096;
alignas(4) std::uint8_t memory[kMemory];

[[noreturn]] void fail(const char* what, std::uint32_t value) {
  std::fprintf(stderr, "fuzz_page_walk: %s (%08x)\n", what, value);
  std::abort();
}

std::uint32_t entry_at(std::uint32_t phys) {
  std::uint32_t e;
  std::memcpy(&e, memory + phys, 4);
  return e;
}

// The processor's walk for a supervisor access (no ownership, no A/D bits), 0 flags "faults".
bool reference(PagingMode mode, std::uint32_t cr3, std::uint32_t linear, bool write, std::uint64_t& phys) {
  if (!mode.paging) return phys = linear, true;
  const std::uint64_t pde_at = (cr3 & ~0xfffu) + 4u * (linear >> 22);
  if (pde_at + 4 > kMemory) return false;  // beyond the modelled memory: not comparable
  const std::uint32_t pde = entry_at(static_cast<std::uint32_t>(pde_at));
  if (!(pde & 1) || (write && mode.wp && !(pde & 2))) return false;
  if (pde & 0x80) return phys = (pde & 0xffc00000u) | (linear & 0x3fffffu), true;
  const std::uint64_t pte_at = (pde & ~0xfffu) + 4u * ((linear >> 12) & 0x3ffu);
  if (pte_at + 4 > kMemory) return false;
  const std::uint32_t pte = entry_at(static_cast<std::uint32_t>(pte_at));
  if (!(pte & 1) || (write && mode.wp && !(pte & 2))) return false;
  return phys = (pte & ~0xfffu) | (linear & 0xfffu), true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 10) return 0;
  const PagingMode mode{(data[0] & 1) != 0, (data[0] & 2) != 0};
  const bool write = (data[0] & 4) != 0;
  std::uint32_t cr3, linear;
  std::memcpy(&cr3, data + 1, 4);
  std::memcpy(&linear, data + 5, 4);
  // Keep CR3 and the tables mostly inside the model so the walk gets deep; the high bits
  // of data[0] let some point anywhere.
  if ((data[0] & 0x80) == 0) cr3 %= kMemory;
  std::memset(memory, 0, kMemory);
  std::memcpy(memory, data + 9, size - 9 < kMemory ? size - 9 : kMemory);
  const std::uint32_t got = gandalf::linux_guest::walk(mode, cr3, kMemory, linear, write, [](Level, std::uint32_t phys) {
    if (phys >= kMemory || phys + 4 > kMemory || (phys & 3) != 0) fail("entry read outside Linux's memory", phys);
    return entry_at(phys);
  });
  if (got == no_frame) return 0;
  if (got >= kMemory) fail("frame outside Linux's memory", got);
  std::uint64_t expected = 0;
  if (!reference(mode, cr3, linear, write, expected) || expected != got) fail("frame the processor would not reach", got);
  return 0;
}
