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
// Final page tables (see docs/architecture.md): drops the boot identity map.
void setup_paging();

// Make `gdtr`, the frame ending at `esp0` and the I/O bitmap at `iomap` the active guest
// context. Called only on a real partition switch, and every partition has its own GDT.
inline void activate(const PseudoDescriptor& gdtr, std::uint32_t esp0, std::uint16_t iomap) {
  cpu::lgdt(gdtr);
  tss_block.tss.esp0 = esp0;
  tss_block.tss.iomap_base = iomap;
}

}  // namespace gandalf::ia32
