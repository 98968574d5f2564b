// Linux's memory as Gandalf reaches it: by Linux-linear address, walked through Linux's own
// page tables (once its virtual CR0.PG is set) in software, and only ever into the
// partition's own frames. A page table that points elsewhere (Gandalf, an RTOS instance, the
// image store) makes the access fail; Gandalf never reads or writes there on Linux's behalf.
// The frames are reached through ring-0 windows (ia32::map_window), not through Linux's
// mappings, which Linux could change under Gandalf's feet. (The processor itself walks only
// Gandalf's shadow tables: shadow.cpp.)
#include <cstring>

#include "gandalf/arch/ia32/cpu.hpp"
#include "gandalf/arch/ia32/cpu_state.hpp"
#include "gandalf/arch/ia32/paging.hpp"
#include "gandalf/linux/linux_guest.hpp"
#include "gandalf/linux/page_walk.hpp"

namespace gandalf::linux_guest {
namespace {

using core::Partition;

static_assert(slot_vif < ia32::window_slots);

std::uint32_t read_entry(Slot slot, std::uint32_t phys) {
  return *reinterpret_cast<volatile std::uint32_t*>(ia32::map_window(slot, phys));
}

// Linux-physical address of `linear` (ring 1, a supervisor access), or `no_frame` (page_walk.hpp).
std::uint32_t translate(const Partition& p, std::uint32_t linear, bool write) {
  const PagingMode mode{(vcpu.cr0 & ia32::cpu::cr0_bits::pg) != 0, (vcpu.cr0 & ia32::cpu::cr0_bits::wp) != 0};
  return walk(mode, vcpu.cr3, p.cfg->memory, linear, write, [](Level level, std::uint32_t phys) {
    return read_entry(level == Level::directory ? slot_directory : slot_table, phys);
  });
}

// `write` copies into Linux's memory; `as_linux` says whether Linux's own write protection
// applies (it does not when Gandalf patches Linux's code, see write_code).
template <bool write, bool as_linux = true>
bool copy(const Partition& p, std::uint32_t linear, std::uint8_t* mine, std::uint32_t len) {
  while (len > 0) {
    const std::uint32_t chunk = (ia32::page_size - (linear & 0xfffu)) < len ? ia32::page_size - (linear & 0xfffu) : len;
    const std::uint32_t phys = translate(p, linear, write && as_linux);
    if (phys == no_frame) return false;
    std::uint8_t* theirs = ia32::map_window(slot_data, phys);
    if constexpr (write) std::memcpy(theirs, mine, chunk);
    else std::memcpy(mine, theirs, chunk);
    linear += chunk;
    mine += chunk;
    len -= chunk;
  }
  return true;
}

}  // namespace

std::uint32_t physical_of(const Partition& p, std::uint32_t linear) {
  const std::uint32_t phys = translate(p, linear, false);
  return phys == no_frame ? ~0u : phys;
}

const std::uint8_t* code_bytes(std::uint32_t phys) { return ia32::map_window(slot_data, phys); }

void read_physical(std::uint32_t phys, std::uint8_t* dst, std::uint32_t len) {
  while (len > 0) {
    const std::uint32_t in_page = ia32::page_size - (phys & 0xfffu);
    const std::uint32_t chunk = in_page < len ? in_page : len;
    std::memcpy(dst, ia32::map_window(slot_data, phys), chunk);
    phys += chunk;
    dst += chunk;
    len -= chunk;
  }
}

bool read_linear(const Partition& p, std::uint32_t linear, void* dst, std::uint32_t len) {
  return copy<false>(p, linear, static_cast<std::uint8_t*>(dst), len);
}

bool write_linear(Partition& p, std::uint32_t linear, const void* src, std::uint32_t len) {
  return copy<true>(p, linear, const_cast<std::uint8_t*>(static_cast<const std::uint8_t*>(src)), len);
}

bool write_code(Partition& p, std::uint32_t linear, const void* src, std::uint32_t len) {
  return copy<true, false>(p, linear, const_cast<std::uint8_t*>(static_cast<const std::uint8_t*>(src)), len);
}

volatile std::uint32_t* map_vif_words(const Partition& p, std::uint32_t phys) {
  if (!own_frame(p, phys) || (phys & 7) != 0) return nullptr;
  return reinterpret_cast<volatile std::uint32_t*>(ia32::map_window(slot_vif, phys));
}

}  // namespace gandalf::linux_guest
