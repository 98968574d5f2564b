// The processor state Gandalf owns: GDTs, IDT, TSS with I/O bitmaps, page tables.
#pragma once

#include <cstdint>

#include "gandalf/arch/ia32/cpu.hpp"
#include "gandalf/arch/ia32/descriptor.hpp"
#include "gandalf/arch/ia32/gdt.hpp"
#include "gandalf/arch/ia32/tss.hpp"
#include "gandalf/core/config_types.hpp"

namespace gandalf::ia32 {

struct alignas(4096) TssBlock {
  Tss tss;
  std::uint8_t io_bitmaps[config::max_partitions][io_bitmap_bytes];
};
static_assert(sizeof(Tss) + config::max_partitions * io_bitmap_bytes <= 0x10000,
              "every I/O bitmap must start below 64 KiB (16-bit iomap base)");

extern TssBlock tss_block;

// Boot: Gandalf's descriptor tables (ring-0 segments, IDT, TSS) loaded and active.
void setup_descriptor_tables();
// One partition's GDT: Gandalf's ring-0 part plus the guest's code/data at `base`/`limit`.
PseudoDescriptor setup_partition_gdt(unsigned index, std::uint32_t base, std::uint32_t limit);
// Fault injection: sets or clears the present bit of a guest-window entry of a partition's
// GDT (1 <= entry < gdt::guest_window).
void set_guest_descriptor_present(unsigned index, unsigned entry, bool present);
// One partition's I/O permission bitmap: only its port ranges pass through.
std::uint16_t setup_io_bitmap(unsigned index, const config::PortRange* ranges, unsigned count);
// One port of partition `index`'s own ranges traps after all (#GP, emulated by Gandalf).
void trap_port(unsigned index, std::uint16_t port);
// Final page tables (see docs/architecture.md): drops the boot identity map.
void setup_paging();
// Gandalf's page directory (physical): the Linux slot identity-mapped with 4 MiB pages, the
// RTOS window and Gandalf. Loaded until Linux turns its own paging on (gandalf/linux).
std::uint32_t gandalf_page_directory();
// The physical address of an object in Gandalf's image (its code, data or bss).
std::uint32_t gandalf_phys_of(const void* p);
// The page-directory entries of the top 64 MiB (RTOS window and Gandalf): every page
// directory the processor walks must hold them.
inline constexpr unsigned top_pde_first = 1008, top_pde_count = 16;
const std::uint32_t* top_pdes();
// A guest partition's GDT window (entries 0 .. gdt::guest_window-1), for the Linux partition
// whose descriptors Gandalf copies from Linux's own GDT after validating them.
Descriptor* guest_gdt_window(unsigned index);
// Ring-0 windows onto physical memory Gandalf does not map otherwise (the Linux partition's
// frames once Linux walks its own page tables): slot n shows the 4 KiB page at `phys`.
inline constexpr unsigned window_slots = 4;  // gandalf/linux/memory.cpp: data, directory, table, vIF
std::uint8_t* map_window(unsigned slot, std::uint32_t phys);
// Linux's system calls (int $0x80 from CPL 3) enter Linux's ring-1 code through a DPL-3 trap
// gate, without Gandalf; its stack is the ring-1 stack of the TSS. A trap gate keeps the real
// IF set: interrupts stay on for the RTOS instances (Linux's virtual IF is clear on the way
// in, as with its own interrupt gate). `selector` 0 removes the gate (int $0x80 then raises
// #GP, which Gandalf reflects). Another partition that raises 0x80 finds no descriptor at
// `selector` in its own GDT and faults.
inline constexpr unsigned linux_syscall_vector = 0x80;
void set_syscall_gate(std::uint16_t selector, std::uint32_t offset);
void set_ring1_stack(std::uint16_t ss, std::uint32_t esp);

// Make `gdtr`, the frame ending at `esp0` and the I/O bitmap at `iomap` the active guest
// context. Called only on a real partition switch, and every partition has its own GDT.
inline void activate(const PseudoDescriptor& gdtr, std::uint32_t esp0, std::uint16_t iomap) {
  cpu::lgdt(gdtr);
  tss_block.tss.esp0 = esp0;
  tss_block.tss.iomap_base = iomap;
}

}  // namespace gandalf::ia32
