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
// Delivers `vector` through Linux's IDT, as the processor would at ring 0 (vmm.cpp uses it
// for virtual interrupts).
core::Delivery deliver(core::Partition& p, unsigned vector, bool has_error, std::uint32_t error);
// The instruction at Linux's CS:EIP, through its page tables.
bool fetch(const core::Partition& p, x86::Insn& insn);

// Linux's memory by Linux-linear address (through its page tables once paging is on, and
// only into its own frames) or by physical address.
bool read_linear(const core::Partition& p, std::uint32_t linear, void* dst, std::uint32_t len);
bool write_linear(core::Partition& p, std::uint32_t linear, const void* src, std::uint32_t len);
// Gandalf's own write into Linux's code (irq_sites.hpp): Linux's write protection does not
// apply, its page tables and the partition's frames do.
bool write_code(core::Partition& p, std::uint32_t linear, const void* src, std::uint32_t len);
// gandalf_vif_xor and the word after it, mapped for Gandalf at `phys` for good (8-aligned).
volatile std::uint32_t* map_vif_words(const core::Partition& p, std::uint32_t phys);

}  // namespace gandalf::linux_guest
