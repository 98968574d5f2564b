// What a shadow page-table entry may say, decided from Linux's own entries (issue #12).
//
// The processor never walks a table Linux wrote. It walks Gandalf's shadow directory, whose
// entries Gandalf fills on page faults from what Linux's directory and tables say (shadow.cpp).
// This header is the rule for one fill, free of any memory access so that the host unit tests
// and the fuzzer can run it: given Linux's page-directory entry (and page-table entry), the
// access that faulted and Linux's virtual CR0.WP/CR4.PSE, it answers with the shadow entry, or
// with the page fault Linux would have had on its own hardware, or with "foreign": an entry
// that names a frame outside Linux's memory.
//
// Linux's physical memory is [0, memory). To Linux, a frame outside it does not exist: an
// entry that names one gets what an entry naming a frame beyond the processor's physical
// address width gets, a reserved-bit page fault (SDM Vol. 3A §4.7: P=1, RSVD=1). Linux's fault
// handler then takes its exception-table fixup or oopses; it never retries for ever (a P=0
// fault in the vmalloc area would make Linux re-sync its tables and retry, endlessly).
//
// Accessed and dirty bits: Gandalf sets A in both entries on a fill, and D only on a write. A
// page whose D bit is clear is shadowed read-only, so the first write faults and sets it, as
// the processor would (§4.8). Linux clearing A or D then flushes (invlpg or a CR3 load), which
// drops the shadow entry.
#pragma once

#include <cstdint>

#include "gandalf/arch/ia32/paging.hpp"

namespace gandalf::linux_guest::shadow {

// #PF error code (SDM Vol. 3A §4.7, Figure 4-12).
enum PfError : std::uint32_t { pf_present = 1, pf_write = 2, pf_user = 4, pf_reserved = 8 };

struct Access {
  bool write;
  bool user;  // CPL 3; Linux's kernel runs at ring 1, a supervisor access
};

// Frames outside Linux's memory that Linux may map all the same: the halves of its channels
// (docs/channel.md). Linux may write only the half it writes; the other is mapped read-only,
// and a write to it is refused, with a report and the reserved-bit fault of a foreign frame.
struct SharedRange {
  std::uint32_t first;  // physical, 4 KiB aligned
  std::uint32_t bytes;  // a multiple of 4 KiB
  bool writable;
};

struct Mode {
  bool wp;               // Linux's CR0.WP
  bool pse;              // Linux's CR4.PSE
  std::uint32_t memory;  // Linux's physical memory is [0, memory), a multiple of 4 KiB
  const SharedRange* shared = nullptr;
  unsigned shared_count = 0;
};

enum class Verdict : std::uint8_t {
  map,          // install `shadow` (a 4 MiB PDE when `large`, else a PTE), then retry
  guest_fault,  // Linux gets #PF(error) at the faulting address, as on its own hardware
  foreign,      // the walk names `frame`, not Linux's: reported, and #PF(error) with RSVD
  read_only,    // a write to a shared frame Linux may only read: reported, #PF(error) with RSVD
};

struct Decision {
  Verdict verdict;
  bool large;
  std::uint32_t shadow;   // map: the entry for the hardware
  std::uint32_t error;    // guest_fault, foreign: the page-fault error code for Linux
  std::uint32_t frame;    // map, foreign: the physical address of the page
  std::uint32_t pde_set;  // bits to set in Linux's PDE (A, and D for a written 4 MiB page)
  std::uint32_t pte_set;  // bits to set in Linux's PTE (A, D)
};

// Where the walk goes on from the page-directory entry.
struct DirectoryStep {
  bool to_table;          // read the PTE at `table` + 4 * pt_index, then at_table()
  std::uint32_t table;    // physical address of Linux's page table
  Decision decision;      // when !to_table
};

namespace detail {
using E = ia32::PageEntry;

// Bits 21:13 of a 4 MiB PDE: physical-address bits above 4 GiB (PSE-36) or reserved. Linux's
// memory lies below 4 GiB, so either way the entry cannot name a frame of Linux's.
inline constexpr std::uint32_t large_high_bits = 0x003fe000u;
inline constexpr std::uint32_t cache_bits = E::Pwt::mask | E::Pcd::mask;
inline constexpr std::uint32_t a_bit = E::A::mask, d_bit = E::D::mask;

constexpr std::uint32_t fault_error(Access a, std::uint32_t bits) {
  return bits | (a.write ? pf_write : 0u) | (a.user ? pf_user : 0u);
}

constexpr Decision fault(Access a, std::uint32_t bits) {
  return {Verdict::guest_fault, false, 0, fault_error(a, bits), 0, 0, 0};
}

constexpr Decision foreign(Access a, std::uint32_t frame) {
  return {Verdict::foreign, false, 0, fault_error(a, pf_present | pf_reserved), frame, 0, 0};
}

constexpr const SharedRange* shared_range(std::uint32_t frame, Mode m) {
  for (unsigned i = 0; i < m.shared_count; ++i)
    if (frame >= m.shared[i].first && frame - m.shared[i].first < m.shared[i].bytes) return &m.shared[i];
  return nullptr;
}

// The access against the combined rights of the walk (SDM Vol. 3A §4.6.1): user accesses need
// U/S and R/W in every entry; supervisor writes need R/W only with CR0.WP. Returns the error
// code of the protection fault, or 0.
constexpr std::uint32_t denied(std::uint32_t pde, std::uint32_t pte, Access a, Mode m) {
  const bool user_ok = E::Us::decode(pde) && E::Us::decode(pte);
  const bool write_ok = E::Rw::decode(pde) && E::Rw::decode(pte);
  if (a.user && !user_ok) return fault_error(a, pf_present);
  if (a.write && !write_ok && (a.user || m.wp)) return fault_error(a, pf_present);
  return 0;
}

// The hardware entry for `frame` (4 KiB, or 4 MiB when `large`): rights as the walk gives them,
// writable only once Linux's entry is dirty (or this access dirties it). A supervisor write
// that only CR0.WP=0 allows gets a writable supervisor-only entry: Linux's user code still
// faults on it, and the fault shadows the page again for that access.
constexpr std::uint32_t shadow_entry(std::uint32_t pde, std::uint32_t pte, std::uint32_t frame, bool large,
                                     Access a, bool dirty, bool read_only = false) {
  const bool user_ok = E::Us::decode(pde) && E::Us::decode(pte);
  const bool write_ok = E::Rw::decode(pde) && E::Rw::decode(pte) && !read_only;
  const bool forced = a.write && !write_ok && !read_only;  // only reachable when !a.user && !wp
  const bool writable = (write_ok && (dirty || a.write)) || forced;
  return frame | E::P::mask | (writable ? E::Rw::mask : 0u) | (user_ok && !forced ? E::Us::mask : 0u) |
         (pte & cache_bits) | a_bit | (writable ? d_bit : 0u) | (large ? E::Ps::mask : 0u);
}

constexpr bool own(std::uint64_t first, std::uint64_t bytes, Mode m) { return first + bytes <= m.memory; }

// A 4 KiB frame outside Linux's memory under entries that allow the access: a channel's frame
// (mapped, read-only unless it is Linux's half), or foreign.
// `large`: the walk ended at a 4 MiB PDE (`pte` is that PDE again), whose A/D bits are set.
constexpr Decision outside(std::uint32_t pde, std::uint32_t pte, std::uint32_t frame, Access a, Mode m, bool large) {
  const SharedRange* s = shared_range(frame, m);
  if (s == nullptr) return foreign(a, frame);
  // Not the protection fault of a read-only entry: Linux's own entry says writable, and Linux
  // would take that fault for a stale TLB entry and retry it for ever (spurious_kernel_fault).
  // A reserved-bit fault ends in its exception-table fixup or an oops, as for foreign frames.
  if (a.write && !s->writable)
    return {Verdict::read_only, false, 0, fault_error(a, pf_present | pf_reserved), frame, 0, 0};
  const std::uint32_t set = a_bit | (a.write ? d_bit : 0u);
  const std::uint32_t entry = shadow_entry(pde, pte, frame, false, a, (pte & d_bit) != 0, !s->writable);
  return {Verdict::map, false, entry, 0, frame, large ? set : a_bit, large ? 0u : set};
}
}  // namespace detail

// Step 1: Linux's PDE for `linear`.
constexpr DirectoryStep at_directory(std::uint32_t linear, std::uint32_t pde, Access a, Mode m) {
  using namespace detail;
  if (!E::P::decode(pde)) return {false, 0, fault(a, 0)};
  if (!(m.pse && E::Ps::decode(pde))) {
    const std::uint32_t table = pde & ~0xfffu;
    if (!own(table, ia32::page_size, m)) return {false, 0, foreign(a, table)};
    return {true, table, {}};
  }
  if ((pde & large_high_bits) != 0) return {false, 0, fault(a, pf_present | pf_reserved)};
  if (const std::uint32_t error = denied(pde, pde, a, m)) return {false, 0, {Verdict::guest_fault, false, 0, error, 0, 0, 0}};
  const std::uint32_t base = pde & 0xffc00000u;
  const std::uint32_t set = a_bit | (a.write ? d_bit : 0u);
  const bool dirty = (pde & d_bit) != 0;
  if (own(base, ia32::large_page_size, m))
    return {false, 0, {Verdict::map, true, shadow_entry(pde, pde, base, true, a, dirty), 0, base, set, 0}};
  // A 4 MiB page across the end of Linux's memory: its frames inside are shadowed one by one.
  const std::uint32_t frame = base | (linear & 0x3ff000u);
  if (!own(frame, ia32::page_size, m)) return {false, 0, outside(pde, pde, frame, a, m, true)};
  return {false, 0, {Verdict::map, false, shadow_entry(pde, pde, frame, false, a, dirty), 0, frame, set, 0}};
}

// Step 2: Linux's PTE, under the PDE of step 1.
constexpr Decision at_table(std::uint32_t pde, std::uint32_t pte, Access a, Mode m) {
  using namespace detail;
  if (!E::P::decode(pte)) return fault(a, 0);
  if (const std::uint32_t error = denied(pde, pte, a, m)) return {Verdict::guest_fault, false, 0, error, 0, 0, 0};
  const std::uint32_t frame = pte & ~0xfffu;
  if (!own(frame, ia32::page_size, m)) return outside(pde, pte, frame, a, m, false);
  return {Verdict::map, false, shadow_entry(pde, pte, frame, false, a, (pte & d_bit) != 0), 0, frame, a_bit,
          a_bit | (a.write ? d_bit : 0u)};
}

}  // namespace gandalf::linux_guest::shadow
