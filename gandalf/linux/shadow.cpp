// Linux's virtual TLB (issue #12): while Linux's paging is on, the processor walks Gandalf's
// shadow page directory and shadow page tables only. They start empty; a page fault from Linux
// walks Linux's own tables in software and fills the one entry the access needs, if Linux's
// tables allow the access and name a frame of Linux's (shadow_policy.hpp has the rule). What
// Linux's TLB maintenance says, the shadow obeys:
//   * invlpg drops the entry of that page;
//   * a CR3 load with a new value drops the user half (below Linux's PAGE_OFFSET); the kernel
//     half is the same in every Linux page directory and is kept, as global pages would be;
//   * a CR3 load with the same value (Linux's full flush without PGE), a CR4 write and turning
//     paging on drop everything.
// Stale shadow entries can only ever name Linux's own frames: isolation never depends on Linux
// flushing correctly. Gandalf's own PDEs (the RTOS window and Gandalf, top 64 MiB) are in the
// shadow directory for good; Linux's entries for that range are never read.
#include <cstring>

#include "gandalf/arch/ia32/cpu.hpp"
#include "gandalf/arch/ia32/cpu_state.hpp"
#include "gandalf/arch/ia32/paging.hpp"
#include "gandalf/core/channel.hpp"
#include "gandalf/core/config.hpp"
#include "gandalf/core/console.hpp"
#include "gandalf/linux/linux_guest.hpp"
#include "gandalf/linux/shadow_policy.hpp"

namespace gandalf::linux_guest::shadow {
namespace {

using core::Partition;
using ia32::PageEntry;

constexpr unsigned pool_tables = 128;        // 512 KiB: ~500 MiB of 4 KiB mappings at once
constexpr unsigned fill_log = 30;            // filled PTEs a table remembers (then: cleared whole)
constexpr unsigned guest_pdes = ia32::top_pde_first;  // PDEs Linux may use; the rest are Gandalf's
constexpr std::uint16_t no_table = 0xffff;

alignas(4096) constinit std::uint32_t directory[ia32::entries_per_table]{};
alignas(4096) constinit std::uint32_t tables[pool_tables][ia32::entries_per_table]{};

// The bookkeeping that keeps a flush proportional to what was filled, not to the table sizes.
struct TableUse {
  std::uint16_t fills;            // fill_log + 1: more than remembered
  std::uint16_t filled[fill_log];
};
constinit TableUse use[pool_tables]{};
constinit std::uint16_t table_of[guest_pdes]{};      // pool index behind a PDE, or no_table
constinit std::uint16_t free_tables[pool_tables]{};   // zeroed, ready to use
constinit unsigned free_count = 0;
constinit std::uint16_t dirty_tables[pool_tables]{};  // dropped, zeroed when taken (take_table)
constinit unsigned dirty_count = 0;
constinit bool pool_ready = false;
constinit std::uint16_t populated[guest_pdes]{};     // PDE indices that may be non-zero
constinit unsigned populated_count = 0;
constinit bool listed[guest_pdes]{};
constinit unsigned kernel_first = 768;               // pd_index of Linux's PAGE_OFFSET

std::uint32_t phys(const void* p) { return ia32::gandalf_phys_of(p); }

// Zeroes what the table's fills wrote (all of it when there were more than it remembers).
void clean(std::uint16_t t) {
  TableUse& u = use[t];
  if (u.fills > fill_log) {
    std::memset(tables[t], 0, sizeof tables[t]);
  } else {
    for (unsigned i = 0; i < u.fills; ++i) tables[t][u.filled[i]] = 0;
  }
  u.fills = 0;
}

// A dropped table (its PDE already cleared, so nothing reaches it) is zeroed only when it is
// taken again: a CR3 load or a flush then costs in proportion to the tables it drops, not to
// their 4 KiB each, and the zeroing is spread over the fills that follow, one table at most
// each. Gandalf runs with interrupts masked: this is what bounds the soak's tick deviation
// (docs/results.md, "Soak").
void release_table(std::uint16_t t) { dirty_tables[dirty_count++] = t; }

void clear_pde(unsigned i) {
  directory[i] = 0;
  if (table_of[i] != no_table) {
    release_table(table_of[i]);
    table_of[i] = no_table;
  }
}

// Drops the shadow PDEs (all of them, or all below `keep_from` when `keep_kernel`).
void drop(unsigned keep_from, bool keep_kernel) {
  forget_fetches(0, keep_kernel ? (keep_from << 22) - 1 : 0xffffffffu);
  unsigned kept = 0;
  for (unsigned n = 0; n < populated_count; ++n) {
    const unsigned i = populated[n];
    if (keep_kernel && i >= keep_from) {
      populated[kept++] = static_cast<std::uint16_t>(i);
      continue;
    }
    clear_pde(i);
    listed[i] = false;
  }
  populated_count = kept;
  ia32::cpu::set_cr3(phys(directory));  // the processor's TLB forgets them too
}

void note_populated(unsigned i) {
  if (listed[i]) return;
  listed[i] = true;
  populated[populated_count++] = static_cast<std::uint16_t>(i);
}

// A zeroed table from the pool: a free one, or a dirty one zeroed now; when every table is in
// use, everything is dropped first (a full flush is always allowed: Linux refills what it uses).
std::uint16_t take_table() {
  if (free_count != 0) return free_tables[--free_count];
  if (dirty_count == 0) drop(0, false);  // every table in use: a full flush makes them all dirty
  const std::uint16_t t = dirty_tables[--dirty_count];
  clean(t);
  return t;
}

std::uint32_t* table_for(unsigned i) {
  if (table_of[i] != no_table) return tables[table_of[i]];
  const std::uint16_t t = take_table();
  table_of[i] = t;
  directory[i] = PageEntry::table(phys(tables[t])) | PageEntry::Us::mask;
  note_populated(i);
  return tables[t];
}

void install_pte(unsigned i, std::uint32_t linear, std::uint32_t entry) {
  std::uint32_t* table = table_for(i);
  const unsigned j = ia32::pt_index(linear);
  TableUse& u = use[table_of[i]];
  if (table[j] == 0 && u.fills <= fill_log) {
    if (u.fills < fill_log) u.filled[u.fills] = static_cast<std::uint16_t>(j);
    ++u.fills;
  }
  table[j] = entry;
}

void install(const Decision& d, std::uint32_t linear) {
  const unsigned i = ia32::pd_index(linear);
  if (d.large) {
    clear_pde(i);
    directory[i] = d.shadow;
    note_populated(i);
  } else {
    if (PageEntry::Ps::decode(directory[i])) directory[i] = 0;  // was a 4 MiB shadow
    install_pte(i, linear, d.shadow);
  }
  ia32::cpu::invlpg(linear);
}

volatile std::uint32_t* guest_entry(unsigned slot, std::uint32_t phys_address) {
  return reinterpret_cast<volatile std::uint32_t*>(ia32::map_window(slot, phys_address));
}

// Said once per frame in a row: a write and a read through the same bad entry, or Linux
// retrying, do not flood Gandalf's console (and the rate limit would hide the next frame).
constinit std::uint32_t last_refused = 0xffffffffu;

// The halves of Linux's channels, for the policy: filled once from the configuration.
constinit SharedRange shared[2 * config::max_channels]{};
constinit unsigned shared_count = 0;

void note_channels() {
  shared_count = 0;
  for (std::size_t i = 0; i < core::channel_config_count; ++i) {
    const config::Channel& c = core::channel_configs[i];
    for (unsigned h = 0; h < 2; ++h) shared[shared_count++] = {c.phys + h * (c.size / 2), c.size / 2, h == c.linux_side()};
  }
}

// A foreign frame, or a write to a channel half that is not Linux's.
[[gnu::noinline]] void report_refused(const Partition& p, std::uint32_t linear, const Decision& d) {
  if (d.frame == last_refused) return;
  last_refused = d.frame;
  if (d.verdict == Verdict::read_only) return core::channel::report_refused_write(p, linear, d.frame);
  console::chatter(p.index,
                   "gandalf: [%s] page tables map linear %08x to physical %08x, outside Linux's memory: "
                   "not mapped, reserved-bit #PF to Linux\n",
                   p.cfg->name, linear, d.frame);
}

}  // namespace

void set_kernel_base(std::uint32_t page_offset) {
  kernel_first = ia32::pd_index(page_offset);
  if (kernel_first == 0 || kernel_first > guest_pdes) kernel_first = guest_pdes;
}

void activate() {
  if (!pool_ready) {  // first use: the pool is all free
    pool_ready = true;
    note_channels();
    for (unsigned t = 0; t < pool_tables; ++t) free_tables[free_count++] = static_cast<std::uint16_t>(pool_tables - 1 - t);
    for (auto& t : table_of) t = no_table;
  }
  std::memcpy(directory + ia32::top_pde_first, ia32::top_pdes(), ia32::top_pde_count * 4);
  drop(0, false);
}

void new_address_space() { drop(kernel_first, true); }
void flush_all() { drop(0, false); }

void invalidate(std::uint32_t linear) {
  const unsigned i = ia32::pd_index(linear);
  if (i >= guest_pdes) return;
  forget_fetches(linear & ~0xfffu, linear | 0xfffu);
  if (PageEntry::Ps::decode(directory[i])) {  // the processor forgets the whole 4 MiB page
    forget_fetches(linear & ~0x3fffffu, linear | 0x3fffffu);
    directory[i] = 0;
  } else if (table_of[i] != no_table) {
    tables[table_of[i]][ia32::pt_index(linear)] = 0;
  }
  ia32::cpu::invlpg(linear);
}

Fill fill(Partition& p, std::uint32_t linear, std::uint32_t hw_error, std::uint32_t& guest_error) {
  const Access a{(hw_error & pf_write) != 0, (hw_error & pf_user) != 0};
  if (ia32::pd_index(linear) >= guest_pdes) {
    guest_error = detail::fault_error(a, pf_present);
    return Fill::guest_fault;
  }
  const Mode m{(vcpu.cr0 & ia32::cpu::cr0_bits::wp) != 0, (vcpu.cr4 & ia32::cpu::cr4_bits::pse) != 0,
               p.cfg->memory, shared, shared_count};
  const std::uint32_t dir = vcpu.cr3 & ~0xfffu;
  volatile std::uint32_t* pde = guest_entry(slot_directory, dir + 4 * ia32::pd_index(linear));
  const std::uint32_t pde_value = *pde;
  const DirectoryStep step = at_directory(linear, pde_value, a, m);
  Decision d = step.decision;
  volatile std::uint32_t* pte = nullptr;
  if (step.to_table) {
    pte = guest_entry(slot_table, step.table + 4 * ia32::pt_index(linear));
    d = at_table(pde_value, *pte, a, m);
  }
  if (d.verdict == Verdict::foreign || d.verdict == Verdict::read_only) report_refused(p, linear, d);
  if (d.verdict != Verdict::map) {
    guest_error = d.error;
    return Fill::guest_fault;
  }
  if ((pde_value & d.pde_set) != d.pde_set) *pde = pde_value | d.pde_set;
  if (pte != nullptr && (*pte & d.pte_set) != d.pte_set) *pte = *pte | d.pte_set;
  install(d, linear);
  return Fill::filled;
}

}  // namespace gandalf::linux_guest::shadow
