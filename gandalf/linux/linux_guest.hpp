// Linux, nearly fully virtualized at ring 1 (issue #11): the virtual CPU state Gandalf keeps
// for it, its boot hand-off, the privileged instructions emulated on #GP, and the delivery of
// exceptions and interrupts through Linux's own IDT.
//
// What Linux 6.1 needs and why is in docs/linux.md; the map was shared/design/linux-guest.md.
// There is one Linux partition (configuration index 0, virtualization = "full").
#pragma once

#include <cstdint>

#include "gandalf/core/vmm.hpp"

namespace gandalf::x86 {
struct Insn;
}

namespace gandalf::linux_guest {

inline constexpr unsigned gdt_entries = 32;  // Linux's GDT_ENTRIES, Gandalf's guest window

// The processor state Linux believes it owns; none of it reaches the hardware unchecked.
struct Vcpu {
  std::uint32_t cr0, cr2, cr3, cr4;
  std::uint32_t dr[8];
  std::uint32_t gdt_base, idt_base;  // linear, as Linux loaded them
  std::uint16_t gdt_limit, idt_limit;
  std::uint16_t tr;                  // Linux's task register (its TSS holds sp0 for CPL 3 traps)
  std::uint32_t tss_base;
  std::uint64_t gdt[gdt_entries];    // Linux's descriptors as it wrote them
  std::uint32_t vif_linear;          // gandalf_vif_xor in Linux's kernel mapping (irq_sites.hpp)
  std::uint32_t irq_sites_patched;   // cli/sti sites rewritten since boot
};

extern Vcpu vcpu;

inline bool is_linux(const core::Partition& p) {
  return p.cfg->virt == config::Virtualization::full;
}

// Boot (loader.cpp): checks the kernel (an ELF32 i386 vmlinux) and the initramfs; nullptr
// when they can boot, else what is wrong ("kernel 'NAME' <problem>" reads as a sentence).
const char* check_images(const core::Partition& p, const std::uint8_t* initrd, std::uint32_t initrd_size);
// What a (re)load writes: the kernel's segments and the initramfs (copied), the rest zeroed.
struct LoadItem {
  std::uint32_t dest;
  const std::uint8_t* src;
  std::uint32_t len;
};
unsigned load_plan(const core::Partition& p, LoadItem* items, unsigned max);
// Called when the memory holds the kernel and initramfs: boot parameters, the CPU state of
// the 32-bit boot protocol (paging off, flat segments, ESI = boot parameters).
void start(core::Partition& p);
// Before a restart rewrites Linux's memory: Gandalf's own page tables again.
void leave_paging(core::Partition& p);

// The virtual interrupt flag: the word Linux reads and writes (gandalf_vif_xor, patch 0001;
// Partition::vif_words) and the partition's `vif`, which only the monitor shows for Linux.
void set_vif(core::Partition& p, bool on);

// The direct system-call path: Gandalf's int $0x80 gate and ring-1 stack follow Linux's IDT
// entry and TSS (after lidt and ltr, and every timer tick, since Linux writes both tables
// with plain stores).
void refresh_direct_paths(core::Partition& p);

// An exception from Linux (gandalf_exception): emulate, reflect or contain; returns the frame
// to resume.
ia32::Frame* exception(core::Partition& p, unsigned vector, std::uint32_t error);
// Gandalf leaves its idle wait for another partition straight from an interrupt: the Linux
// exit that was waiting there (hlt, sti; hlt), if any, is counted now (exit_stat).
extern std::uint64_t open_exit_t0;  // the start of the Linux exit being handled, 0: none
void close_abandoned_exit_slow();
inline void close_abandoned_exit() {
  if (open_exit_t0 != 0) [[unlikely]] close_abandoned_exit_slow();
}
// Delivers `vector` through Linux's IDT, as the processor would at ring 0 (vmm.cpp uses it
// for virtual interrupts).
core::Delivery deliver(core::Partition& p, unsigned vector, bool has_error, std::uint32_t error);
// What Linux's exits into Gandalf cost, by kind: count, time-stamp-counter ticks in all and
// the worst one (guest instructions under QEMU -icount), from Gandalf's C entry to its return
// (the assembly entry and exit, about a hundred instructions, are not in them). `sti_hlt` and
// `hlt` include the idle time until the next interrupt. The monitor's `exits` shows them.
enum class ExitKind : std::uint8_t {
  shadow_fill, page_fault_to_linux, cr3_load, control_register, lgdt, iret, cli_sti, sti_hlt, hlt,
  port_io, invlpg, other_instruction, soft_interrupt, other_exception,
};
inline constexpr unsigned exit_kind_count = 14;
struct ExitStat {
  std::uint64_t count, tsc, worst;
};
const ExitStat& exit_stat(ExitKind k);
const char* exit_kind_name(ExitKind k);
ExitKind last_exit_kind();  // of the exit exception() handled last (the path probe's row)
void reset_exit_stats();

// The instruction at Linux's CS:EIP, through its page tables (and a small cache of decoded
// instructions, which forgets a range of linear addresses when the shadow does).
bool fetch(const core::Partition& p, x86::Insn& insn);
void forget_fetches(std::uint32_t first, std::uint32_t last);
// The Linux-physical address behind `linear` (a read), or ~0u; Gandalf's view of a frame.
std::uint32_t physical_of(const core::Partition& p, std::uint32_t linear);
const std::uint8_t* code_bytes(std::uint32_t phys);

// Linux's memory by Linux-linear address (through its page tables once paging is on, and
// only into its own frames) or by physical address.
bool read_linear(const core::Partition& p, std::uint32_t linear, void* dst, std::uint32_t len);
bool write_linear(core::Partition& p, std::uint32_t linear, const void* src, std::uint32_t len);
// Gandalf's own write into Linux's code (irq_sites.hpp): Linux's write protection does not
// apply, its page tables and the partition's frames do.
bool write_code(core::Partition& p, std::uint32_t linear, const void* src, std::uint32_t len);
// Gandalf's copy of Linux's physical memory [phys, phys + len) (a crash dump's), page by page.
void read_physical(std::uint32_t phys, std::uint8_t* dst, std::uint32_t len);
// gandalf_vif_xor and the word after it, mapped for Gandalf at `phys` for good (8-aligned).
volatile std::uint32_t* map_vif_words(const core::Partition& p, std::uint32_t phys);
// Whether `phys` is one of Linux's frames (Linux's physical memory is [0, memory)).
inline bool own_frame(const core::Partition& p, std::uint32_t phys) { return phys < p.cfg->memory; }

// Gandalf's ring-0 windows onto Linux's frames (ia32::map_window), one per use.
enum Slot : unsigned { slot_data = 0, slot_directory = 1, slot_table = 2, slot_vif = 3 };

// Linux's virtual TLB (shadow.cpp, shadow_policy.hpp): the only page tables the processor
// walks while Linux's paging is on.
namespace shadow {
enum class Fill : std::uint8_t { filled, guest_fault };
void set_kernel_base(std::uint32_t page_offset);  // from the kernel image: the kernel half
void activate();             // Linux's paging goes on: the shadow directory, empty, is loaded
void new_address_space();    // CR3 with a new value: the user half is dropped
void flush_all();            // CR3 with the same value, CR4, CR0.WP: everything is dropped
void invalidate(std::uint32_t linear);  // invlpg
// A page fault from Linux at `linear` with the processor's error code: the shadow entry is
// filled (resume Linux), or Linux gets #PF(guest_error) as on its own hardware.
Fill fill(core::Partition& p, std::uint32_t linear, std::uint32_t hw_error, std::uint32_t& guest_error);
}  // namespace shadow

}  // namespace gandalf::linux_guest
